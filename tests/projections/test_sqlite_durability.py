"""Every SQLite connection the product opens states its durability instead of taking the build's
default: the events FULL (an acknowledged write survives a power cut), the read models NORMAL in
WAL mode (rebuilt from the events; see ledger/storage.py). Checked on a build whose default is
OFF, made by turning each new connection's synchronous off before the product sees it."""

from __future__ import annotations

import sqlite3

import pytest
from eventsourcing import sqlite as library_sqlite

from projections.runner import close_views, create_tables, open_ledger, open_views

LEVELS = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}


@pytest.fixture
def careless_build(monkeypatch):
    """sqlite3.connect as on a build compiled with SQLITE_DEFAULT_SYNCHRONOUS=0."""
    connect = sqlite3.connect

    def connect_off(*args, **kwargs):
        connection = connect(*args, **kwargs)
        connection.execute("PRAGMA synchronous=OFF")
        return connection

    monkeypatch.setattr(library_sqlite.sqlite3, "connect", connect_off)


def pragma(datastore, name: str) -> str:
    with datastore.transaction(commit=False) as cursor:
        cursor.execute(f"PRAGMA {name}")
        value = cursor.fetchone()[0]
    return LEVELS.get(value, str(value)) if name == "synchronous" else str(value)


@pytest.mark.parametrize("storage", ["sqlite"], indirect=True)
def test_the_product_sets_synchronous_on_every_sqlite_connection(storage, careless_build):
    # Given the product's tables, on a build that would not sync at all
    create_tables(storage)
    # When the event store and the read models are opened as the server opens them
    app, views = open_ledger(storage), open_views(storage)
    try:
        # Then the events are FULL and every read model NORMAL, both in WAL mode
        assert pragma(app.recorder.datastore, "synchronous") == "FULL"
        assert pragma(app.recorder.datastore, "journal_mode") == "wal"
        for name, view in views.items():
            assert pragma(view.datastore, "synchronous") == "NORMAL", name
            assert pragma(view.datastore, "journal_mode") == "wal", name
    finally:
        app.close()
        close_views(views)
