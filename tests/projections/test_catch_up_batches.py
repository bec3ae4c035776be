"""Catching up in batches (issue 19): a catch-up decodes only the events its read model handles
yet reaches the head of the log; the rows a handler leaves for later are written before anything
reads them and never without their batch; and a follower projects what arrived in one batch,
a failing batch leaving it to project one event at a time so that the fault names its event.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from eventsourcing.persistence import Notification, Tracking
from eventsourcing.utils import get_topic

import projections.audit.owners as owners_module
import projections.log as log_module
from infra.storage import Storage
from ledger.application import Ledger
from ledger.books import Voucher
from projections.audit import seals
from projections.audit.view import AuditProjection
from projections.books.view import BooksProjection
from projections.db import ReadModel
from projections.disclosure.view import DisclosuresProjection
from projections.follower import LogFollower
from projections.identity.view import IdentityProjection
from projections.register.view import RegisterProjection
from projections.runner import catch_up, follow_one, open_ledger, open_view, rebuild
from tests.fixtures.every_event.dump import STORE
from tests.fixtures.stores import load_store

VIEWS = (BooksProjection, IdentityProjection, RegisterProjection, DisclosuresProjection)


@pytest.fixture
def every_event(storage: Storage) -> Iterator[Ledger]:
    """The store of every event (tests/fixtures/every_event), its topics as they were kept."""
    load_store(STORE, storage)
    app = open_ledger(storage)
    yield app
    app.close()


def rows(view: ReadModel) -> dict[str, list[str]]:
    """Every row of every table of the view, the tracking table included, in one order."""
    with view.sql() as sql:
        return {table: sorted(repr(sorted(row.items())) for row in sql.execute(
            f"SELECT * FROM {table}").all()) for table in (*view.tables, view.tracking_table)}


@pytest.mark.parametrize("storage", ["sqlite"], indirect=True)
@pytest.mark.parametrize("projection", VIEWS, ids=lambda p: p.name)
def test_a_read_model_decodes_every_stored_topic_it_has_a_handler_for(every_event, storage,
                                                                      projection):
    # Given every kind of event as it was stored, some under the topics of classes since moved
    view = open_view(storage, projection, create_tables=True)
    try:
        for stored in every_event.recorder.select_notifications(start=1, limit=10**6):
            handled = type(every_event.mapper.to_domain_event(stored)) in view.handlers
            # Then the read model decodes it exactly when it has a handler for its event
            assert view.handles(stored.topic) == handled, stored.topic
        # And every handler's own topic is decoded
        assert all(view.handles(get_topic(kind)) for kind in view.handlers)
    finally:
        view.datastore.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize("projection", VIEWS, ids=lambda p: p.name)
def test_a_catch_up_reaches_the_head_though_its_last_events_are_not_its_own(
        every_event, storage, projection):
    # Given the store of every event, whose last event (a member's end) only the register
    # handles, read in batches of 50, many of which the other read models handle nothing of
    view = open_view(storage, projection, create_tables=True)
    try:
        with mock.patch.object(log_module, "BATCH", 50):
            # When a read model catches up, Then its position is the head: a request that
            # waits for its write waits for every read model to reach it (api/services.py)
            head = every_event.log_head()
            assert catch_up(every_event, view) == head
            assert view.position() == head
            # And it writes what catching up event by event writes
            caught_up = rows(view)
            view.drop()
            for domain_event, tracking in handed_in(every_event):
                view.project([(domain_event, tracking)])
            assert rows(view) == caught_up
    finally:
        view.datastore.close()  # type: ignore[attr-defined]


def test_rows_left_for_later_are_read_by_the_next_statement_and_folded_once(storage, ledger):
    view = open_view(storage, BooksProjection, create_tables=True)
    add = ("INSERT INTO books_totals VALUES (:org, :grain, :span, :account, :debit, :credit, 0, 0) "
           "ON CONFLICT (org, grain, span, account) DO UPDATE SET "
           "debit = books_totals.debit + excluded.debit, "
           "credit = books_totals.credit + excluded.credit")
    columns = ("org", "grain", "span", "account", "debit", "credit")
    key = ("v", 2, "2026-01-05", "101")
    try:
        with view.sql(commit=True) as sql:
            # Given a total added to three times and a closure left for later
            sql.fold(add, columns, 4, [(*key, 100, 0), (*key, 5, 7)])
            sql.fold(add, columns, 4, [(*key, 1, 0)])
            sql.later("INSERT INTO books_closures VALUES (:org, :period, 0, :at, :by)",
                      [{"org": "v", "period": "2026-01", "at": "2026-02-01", "by": "test"}])
            # When the transaction reads, Then it reads them, each total summed once
            assert sql.execute("SELECT debit, credit FROM books_totals").all() == [
                {"debit": 106, "credit": 7}]
            assert sql.execute("SELECT COUNT(*) AS n FROM books_closures").scalar() == 1
        # And rows left for later in a transaction that fails are never written
        with pytest.raises(RuntimeError), view.sql(commit=True) as sql:
            sql.fold(add, columns, 4, [(*key, 9, 0)])
            raise RuntimeError("the batch failed")
        with view.sql() as sql:
            assert sql.execute("SELECT debit FROM books_totals").scalar() == 106
    finally:
        view.datastore.close()  # type: ignore[attr-defined]


def failing_reversals(view: ReadModel) -> Any:
    def fail(sql: Any, event: Any, position: int) -> None:
        raise RuntimeError("cannot project a reversal")
    return mock.patch.dict(view.handlers, {Voucher.Reversed: fail})


def test_a_batch_with_a_fault_is_written_not_at_all_not_even_its_position(every_event, storage):
    # Given the books caught up to event 100 of the store, then a handler that fails
    view = open_view(storage, BooksProjection, create_tables=True)
    try:
        catch_up_to(every_event, view, 100)
        before = rows(view)
        with failing_reversals(view), pytest.raises(RuntimeError):
            # When the rest is caught up in one batch
            catch_up(every_event, view)
        # Then nothing of the batch is written: no voucher, no line, no total, no position
        assert rows(view) == before
        assert view.position() == 100
    finally:
        view.datastore.close()  # type: ignore[attr-defined]


def catch_up_to(app: Ledger, view: ReadModel, position: int) -> None:
    view.project([(app.mapper.to_domain_event(n), Tracking(app.name, n.id))
                  for n in app.recorder.select_notifications(start=1, limit=position)])


def stored(app: Ledger) -> list[Notification]:
    """The log as the follower's subscription reads it: stored, undecoded."""
    return app.recorder.select_notifications(start=1, limit=10**6)


def handed_in(app: Ledger) -> list[tuple[Any, Tracking]]:
    """The log decoded, one event at a time."""
    return [(app.mapper.to_domain_event(n), Tracking(app.name, n.id)) for n in stored(app)]


def test_a_follower_projects_every_event_arrived_in_one_batch(every_event, storage):
    # Given the books read model behind the log
    view = open_view(storage, BooksProjection, create_tables=True)
    projected: list[int] = []
    real = view.project
    try:
        with mock.patch.object(view, "project", lambda batch: projected.append(1) or real(batch)):
            # When the follower takes every stored event that arrived while it projected
            LogFollower(view, every_event).project(stored(every_event))
        # Then it wrote them in one transaction, reaching the head
        assert len(projected) == 1
        assert view.position() == every_event.log_head()
        followed = rows(view)
        # And the rows are those of a rebuild
        rebuild(every_event, view)
        assert rows(view) == followed
    finally:
        view.datastore.close()  # type: ignore[attr-defined]


def test_a_follower_whose_batch_fails_names_the_event_that_failed(every_event, storage):
    # Given the books behind the log, and a handler that fails on reversals
    view = open_view(storage, BooksProjection, create_tables=True)
    try:
        failed = None
        with failing_reversals(view):
            # When the follower takes every stored event in one batch
            try:
                LogFollower(view, every_event).project(stored(every_event))
            except RuntimeError as error:
                failed = error.failed_event  # type: ignore[attr-defined]
        # Then the fault names the first reversal, and every event before it is projected
        first = next(t.notification_id for e, t in handed_in(every_event)
                     if isinstance(e, Voucher.Reversed))
        assert failed is not None and failed.event == first
        assert "Voucher.Reversed" in failed.topic
        assert view.position() == first - 1
    finally:
        view.datastore.close()  # type: ignore[attr-defined]


def test_the_sealer_followed_live_decodes_only_what_sealing_decodes(every_event, storage):
    # Given the sealer behind the log, and every event decoded counted
    view = open_view(storage, AuditProjection, create_tables=True)
    view.app = every_event
    decoded: list[int] = []
    real = every_event.mapper.to_domain_event
    try:
        with mock.patch.object(every_event.mapper, "to_domain_event",
                               lambda n: decoded.append(n.id) or real(n)):
            # When the follower takes every stored event in one batch
            LogFollower(view, every_event).project(stored(every_event))
            followed = sorted(decoded)
            # Then every event is sealed, and only the events the sealer reads itself are
            # decoded (an aggregate's first, a disclosure's publication): those a rebuild decodes
            assert view.position() == every_event.log_head()
            decoded.clear()
            rebuild(every_event, view)
        assert followed == sorted(decoded)
        assert len(followed) < len(stored(every_event))
    finally:
        view.datastore.close()  # type: ignore[attr-defined]


def every_seal(view: ReadModel) -> list[tuple[str, int, str]]:
    with view.sql() as sql:
        return seals.every(sql)


def test_the_sealer_followed_batch_by_batch_reads_each_owner_once_and_seals_as_a_rebuild(
        every_event, storage):
    # Given the sealer behind the log, and the aggregates whose first event it reads counted
    view = open_view(storage, AuditProjection, create_tables=True)
    view.app = every_event
    asked: list[str] = []
    real = owners_module.first_events
    try:
        with mock.patch.object(owners_module, "first_events",
                               lambda app, keys: asked.extend(keys) or real(app, keys)):
            # When the follower takes the log ten stored events at a time
            follower, log = LogFollower(view, every_event), stored(every_event)
            for start in range(0, len(log), 10):
                follower.project(log[start:start + 10])
        # Then it learnt each aggregate's organization once, carried from batch to batch: none
        # read again from the log
        assert len(asked) == len(set(asked))
        # And every chain's seals are those of a rebuild (blocks follow the batches)
        followed = every_seal(view)
        rebuild(every_event, view)
        assert every_seal(view) == followed
    finally:
        view.datastore.close()  # type: ignore[attr-defined]


def test_following_a_store_that_is_far_ahead_reaches_its_head_with_a_rebuilds_rows(
        every_event, storage):
    # Given the books read model empty and the store of every event written
    view = open_view(storage, BooksProjection, create_tables=True)
    stop = threading.Event()
    follower = threading.Thread(target=follow_one, args=(storage, BooksProjection, stop),
                                daemon=True)
    try:
        # When `sunlight serve`'s follower starts
        follower.start()
        head = every_event.log_head()
        view.wait(view.application_name, head, timeout=60)  # type: ignore[attr-defined]
        # Then it reaches the head, with the rows a rebuild writes
        followed = rows(view)
        stop.set()
        follower.join(timeout=30)
        rebuild(every_event, view)
        assert rows(view) == followed
    finally:
        stop.set()
        view.datastore.close()  # type: ignore[attr-defined]
