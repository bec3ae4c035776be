"""Shared fixtures: every storage test runs on SQLite and on PostgreSQL.

PostgreSQL tests run when SUNLIGHT_TEST_POSTGRES_URL names a server (CI sets it); each test gets
its own schema, dropped afterwards. With SUNLIGHT_REQUIRE_POSTGRES=1 a skipped PostgreSQL test
fails the run, so CI cannot pass without them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from infra.storage import Storage
from ledger.application import Ledger
from ledger.kernel.personal import KEY_VARIABLE, PersonalDataCipher, new_key
from projections.books.view import BooksView
from projections.runner import create_tables, open_ledger, open_view

PG_URL = os.environ.get("SUNLIGHT_TEST_POSTGRES_URL", "")
# The apps tests run in-process have no projection process (a test calls project() where one
# would have caught up), so their signed-in reads do not wait for one (api/fresh_reads.py);
# tests/api/test_fresh_reads.py turns the wait on, and servers the browser tests start run
# with the default (tests/e2e/conftest.py's server_env leaves SUNLIGHT_* out).
os.environ["SUNLIGHT_FRESH_READ_SECONDS"] = "0"
_skipped_postgres: list[str] = []


@dataclass
class Clock:
    """The day the application believes it is; tests move it."""

    today: date = date(2026, 11, 22)

    def __call__(self) -> date:
        return self.today


def postgres_storage(schema: str, data_dir: Path) -> Storage:
    separator = "&" if "?" in PG_URL else "?"
    return Storage(database_url=f"{PG_URL}{separator}schema={schema}", data_dir=data_dir)


def drop_schema(schema: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    if request.param == "sqlite":
        yield Storage(database_url=f"sqlite:///{tmp_path / 'events.sqlite'}", data_dir=tmp_path)
        return
    if not PG_URL:
        pytest.skip("PostgreSQL tests need SUNLIGHT_TEST_POSTGRES_URL")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    try:
        yield postgres_storage(schema, tmp_path)
    finally:
        drop_schema(schema)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make_cipher() -> PersonalDataCipher:
    return PersonalDataCipher.from_environ({KEY_VARIABLE: new_key()})


@pytest.fixture
def ledger(storage: Storage, clock: Clock) -> Iterator[Ledger]:
    create_tables(storage)
    app = open_ledger(storage, clock=clock, cipher=make_cipher())
    yield app
    app.close()


@pytest.fixture
def view(storage: Storage, ledger: Ledger) -> Iterator[BooksView]:
    books_view = open_view(storage)
    yield books_view
    books_view.datastore.close()  # type: ignore[attr-defined]


@pytest.fixture
def memory_ledger(clock: Clock) -> Ledger:
    """For rules that do not depend on the database."""
    return Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock,
                  cipher=make_cipher())


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and "postgres" in report.keywords:
        _skipped_postgres.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("SUNLIGHT_REQUIRE_POSTGRES") == "1" and _skipped_postgres:
        print(f"\n{len(_skipped_postgres)} PostgreSQL test(s) were skipped but are required:")
        for nodeid in _skipped_postgres[:20]:
            print("  ", nodeid)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
