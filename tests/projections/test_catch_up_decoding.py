"""A catch-up's own decoding of stored events (projections/decoding.py) gives the library mapper's
events, field for field, and leaves to the mapper whatever it cannot vouch for; a long catch-up
from event one makes the books' report indexes after its rows, with the same rows, and leaves
them made even when it fails.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from unittest import mock

import pytest
from eventsourcing.compressor import ZlibCompressor
from eventsourcing.persistence import Notification

import projections.db as db_module
from infra.storage import Storage
from ledger.application import Ledger
from ledger.books import Voucher
from projections.books.view import BooksProjection, BooksView
from projections.decoding import decoder
from projections.log import handled_batches
from projections.runner import catch_up, open_ledger, open_view
from tests.fixtures.every_event.dump import STORE
from tests.fixtures.stores import load_store
from tests.projections.test_catch_up_batches import failing_reversals, rows


@pytest.fixture
def every_event(storage: Storage) -> Iterator[Ledger]:
    load_store(STORE, storage)
    app = open_ledger(storage)
    yield app
    app.close()


def stored(app: Ledger) -> list[Notification]:
    return app.recorder.select_notifications(start=1, limit=10**6)


def same(a: Any, b: Any) -> bool:
    """The same class and the same fields, in the same order."""
    return type(a) is type(b) and list(a.__dict__.items()) == list(b.__dict__.items())


def test_every_stored_event_decodes_to_the_mappers_event_the_vouchers_without_it(every_event):
    # Given every kind of event as it was stored, some under the topics of classes since moved
    app = every_event
    mapper = app.mapper.to_domain_event
    with mock.patch.object(app.mapper, "to_domain_event", side_effect=mapper) as asked:
        decode = decoder(app)
        # When the catch-up's decoding decodes each, Then it is the mapper's event
        for notification in stored(app):
            assert same(decode(notification), mapper(notification)), notification.topic
    # And the vouchers posted, the most of the books' events, never went to the mapper
    posted = [n for n in stored(app) if isinstance(mapper(n), Voucher.Posted)]
    assert posted and not any(call.args[0] in posted for call in asked.call_args_list)


def posted_state(app: Ledger) -> tuple[Notification, dict[str, Any]]:
    first = next(n for n in stored(app) if isinstance(app.mapper.to_domain_event(n),
                                                       Voucher.Posted))
    return first, json.loads(first.state)


@pytest.mark.parametrize("storage", ["sqlite"], indirect=True)
@pytest.mark.parametrize("change", ["a line's memo a transcoded date", "an escaped key",
                                    "a memo that reads _type_", "an unknown transcoding"])
def test_a_stored_event_it_cannot_vouch_for_is_decoded_by_the_mapper(every_event, change):
    # Given a voucher stored with what only the mapper's object hook reads right
    notification, state = posted_state(every_event)
    if change == "a line's memo a transcoded date":
        state["lines"][0]["memo"] = {"_type_": "date", "_data_": "2025-01-02"}
    elif change == "a memo that reads _type_":
        state["lines"][0]["memo"] = "_type_"
    elif change == "an unknown transcoding":
        state["date"] = {"_type_": "no_such_type", "_data_": "2025-01-02"}
    text = json.dumps(state, ensure_ascii=False, separators=(",", ":"))
    if change == "an escaped key":  # "\u005f" is "_": a transcoded date the bytes hide
        text = text.replace('"memo":""', '"memo":{"\\u005ftype_":"date","_data_":"2025-01-02"}',
                            1)
        assert "u005f" in text
    odd = replace(notification, state=text.encode())
    decode = decoder(every_event)
    # When it is decoded, Then it is what the mapper makes of it, or the mapper's own error
    try:
        expected = every_event.mapper.to_domain_event(odd)
    except Exception as error:
        with pytest.raises(type(error)):
            decode(odd)
        return
    assert same(decode(odd), expected)


@pytest.mark.parametrize("storage", ["sqlite"], indirect=True)
def test_a_voucher_stored_in_an_older_class_version_is_upcast_by_the_mapper(every_event):
    # Given the voucher's class one version on, with its upcast
    notification, _ = posted_state(every_event)

    def upcast(state: dict[str, Any]) -> None:
        state["summary"] = "upcast: " + state["summary"]

    with mock.patch.object(Voucher.Posted, "class_version", 2, create=True), \
            mock.patch.object(Voucher.Posted, "upcast_v1_v2", staticmethod(upcast), create=True):
        # When a voucher stored in version 1 is decoded, Then it is upcast, as the mapper does
        event = decoder(every_event)(notification)
        assert event.summary.startswith("upcast: ")
        assert same(event, every_event.mapper.to_domain_event(notification))


@pytest.mark.parametrize("storage", ["sqlite"], indirect=True)
def test_a_store_that_compresses_its_events_is_decoded_by_the_mapper_alone(every_event):
    # Given the app's mapper with a compressor
    with mock.patch.object(every_event.mapper, "compressor", ZlibCompressor()):
        # Then the catch-up decodes with the mapper itself
        assert decoder(every_event) == every_event.mapper.to_domain_event


def index_names(view: BooksView) -> set[str]:
    with view.sql() as sql:
        if sql.postgres:
            found = sql.execute("SELECT indexname AS name FROM pg_indexes WHERE "
                                "schemaname = current_schema()").all()
        else:
            found = sql.execute("SELECT name FROM sqlite_master WHERE type = 'index'").all()
    return {row["name"] for row in found}


DEFERRED = {"books_vouchers_by_date", "books_lines_in_ledger_order", "books_lines_by_day",
            "books_line_parties_by_party", "books_lines_by_voucher"}


def test_a_long_catch_up_from_event_one_makes_the_report_indexes_after_its_rows(every_event,
                                                                               storage):
    # Given the books read model, its rows from a catch-up that keeps every index along
    view = open_view(storage, BooksProjection, create_tables=True)
    try:
        assert index_names(view) >= DEFERRED
        catch_up(every_event, view)
        along = rows(view)
        view.drop()
        seen: list[set[str]] = []
        real = view.project
        with mock.patch.object(db_module, "DEFER_INDEXES_FROM", 1), \
                mock.patch.object(view, "project",
                                  lambda batch: seen.append(index_names(view)) or real(batch)):
            # When it catches up from event one over more events than the threshold
            catch_up(every_event, view)
        # Then its rows were written with none of the report indexes
        assert seen and not any(names & DEFERRED for names in seen)
        # And they are made after, with the very rows of a catch-up that kept them along
        assert index_names(view) >= DEFERRED
        assert rows(view) == along
        # And a voucher's line is still there once only: the index made after is unique
        with pytest.raises(Exception, match=r"(?i)unique"), view.sql(commit=True) as sql:
            sql.execute("INSERT INTO books_lines SELECT * FROM books_lines WHERE line_no = 1 "
                        "LIMIT 1")
    finally:
        view.datastore.close()  # type: ignore[attr-defined]


def test_a_catch_up_from_event_one_that_fails_still_leaves_the_indexes_made(every_event,
                                                                           storage):
    # Given the books read model empty, and a handler that fails on reversals
    view = open_view(storage, BooksProjection, create_tables=True)
    seen: list[set[str]] = []
    real = view.project
    try:
        with mock.patch.object(db_module, "DEFER_INDEXES_FROM", 1), failing_reversals(view), \
                mock.patch.object(view, "project",
                                  lambda batch: seen.append(index_names(view)) or real(batch)), \
                pytest.raises(RuntimeError):
            # When it catches up from event one, its batch written without the report indexes
            catch_up(every_event, view)
        assert seen and not any(names & DEFERRED for names in seen)
        # Then the report indexes are there all the same
        assert index_names(view) >= DEFERRED
    finally:
        view.datastore.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize("storage", ["sqlite"], indirect=True)
def test_the_cycle_collector_rests_while_a_batch_is_read_and_written_and_only_then(every_event,
                                                                                  storage):
    # Given the books read model, a handler that notes whether the collector runs, and one
    # that fails on reversals
    view = open_view(storage, BooksProjection, create_tables=True)
    noted: list[bool] = []
    posted = view.handlers[Voucher.Posted]

    def noting(sql: Any, event: Any, position: int) -> None:
        noted.append(gc.isenabled())
        posted(sql, event, position)

    try:
        with mock.patch.dict(view.handlers, {Voucher.Posted: noting}), \
                failing_reversals(view), pytest.raises(RuntimeError):
            # When it catches up, and its batch fails
            catch_up(every_event, view)
        # Then the collector rested while the batch was written, and runs again after
        assert noted and not any(noted)
        assert gc.isenabled()
    finally:
        view.datastore.close()  # type: ignore[attr-defined]


def test_a_catch_up_resuming_one_killed_on_its_way_from_event_one_makes_the_indexes(
        every_event, storage):
    # Given the books read model part way, its report indexes dropped, as a rebuild from event
    # one leaves it when killed before its end
    view = open_view(storage, BooksProjection, create_tables=True)
    try:
        with mock.patch("projections.log.BATCH", 10):
            view.project(next(handled_batches(every_event, 0, view.handles)))
        with view.sql(commit=True) as sql:
            for name in DEFERRED:
                sql.execute(f"DROP INDEX {name}")
        assert not index_names(view) & DEFERRED
        # When the next catch-up goes on from there
        catch_up(every_event, view)
        # Then the report indexes are made
        assert index_names(view) >= DEFERRED
    finally:
        view.datastore.close()  # type: ignore[attr-defined]
