"""A read model made in another shape is made again and projects from event one: an upgrade
that adds a table (or changes what a handler writes) never serves tables the old code filled,
nor new tables left empty behind a position at the head of the log."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.application import Ledger
from projections.books.queries import BooksQueries
from projections.books.view import BooksView
from projections.runner import catch_up

ORG = "v1"


def _books_kept(ledger: Ledger, view: BooksView) -> int:
    ledger.books.register_organization(code=ORG, name_zh="阳光村股份经济合作社",
                                       kind="village_collective", books_start=date(2026, 1, 1),
                                       actor="admin")
    ledger.books.change_settings(ORG, {"posting_days": 10}, reason="延长公示", actor="admin")
    return catch_up(ledger, view)


def test_the_same_shape_keeps_its_rows_and_position(ledger: Ledger, view: BooksView) -> None:
    position = _books_kept(ledger, view)
    view.create_read_model()  # as every start does
    assert view.position() == position > 0
    assert BooksQueries(view).settings(ORG)["posting_days"] == 10


def test_another_shape_is_made_again_and_projects_from_event_one(
        ledger: Ledger, view: BooksView, monkeypatch: pytest.MonkeyPatch) -> None:
    position = _books_kept(ledger, view)
    monkeypatch.setattr(type(view), "shape_version", type(view).shape_version + 1)

    view.create_read_model()
    assert view.position() == 0
    assert BooksQueries(view).settings(ORG)["posting_days"] != 10  # its rows are gone

    assert catch_up(ledger, view) == position
    assert BooksQueries(view).settings(ORG)["posting_days"] == 10
    view.create_read_model()  # the new shape is remembered: the next start keeps it
    assert view.position() == position


def test_a_read_model_kept_before_shapes_were_remembered_is_made_again(
        ledger: Ledger, view: BooksView) -> None:
    _books_kept(ledger, view)
    with view.sql(commit=True) as sql:  # as the version before this one left it
        sql.execute("DELETE FROM projection_shapes")
    view.create_read_model()
    assert view.position() == 0
