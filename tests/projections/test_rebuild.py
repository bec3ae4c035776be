"""Property tests of keeping the books read model: rebuilding equals following, and every event
is projected exactly once, on SQLite and on PostgreSQL.

4. A view kept up to date live (projections/follower.py following the log while the commands
   are written, as `projections.runner.follow` does) and the same view rebuilt from
   event one give byte-identical statements and identical rows in every table.
5. Projecting a notification whose position is already recorded (alone, or ending a batch of
   recorded ones) raises IntegrityError and changes no row (a catch-up that crashes and resumes:
   test_rebuild_crashes.py).

The books are written by the command sequences of books_programs.py. Rebuilding replays the
whole store, so the examples that rebuild get a store of their own (a new schema, or a new SQLite
folder), holding a neighbouring organization's books beside the generated ones.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from eventsourcing.persistence import IntegrityError, Tracking
from hypothesis import event, given, note, settings
from hypothesis import strategies as st

from infra.storage import Storage
from ledger.application import Ledger
from ledger.books import Line, Period, VoucherDraft
from projections.books.queries import BooksQueries, Page
from projections.books.statements import detail_ledger
from projections.books.view import BooksProjection, BooksView
from projections.follower import LogFollower
from projections.runner import catch_up, env_for, open_ledger, open_view, rebuild
from tests.projections import books_oracle, books_programs

# psycopg_pool's background threads draw from `random` (connection-lifetime jitter) while
# Hypothesis generates the next example, which it mistakes for a strategy using `random`.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Do not use the `random` module inside strategies")
TODAY = books_programs.TODAY
ALL_ROWS = Page(1, 100_000)
PRIMARY_KEYS = {
    "books_organizations": "code",
    "books_accounts": "org, code",
    "books_vouchers": "id",
    "books_lines": "voucher_id, line_no",
    "books_closures": "org, period",
    "books_line_parties": "org, voucher, line_no",
    "books_org_settings": "org_id",
    # The running totals the reports read (projections/books/totals.py).
    "books_totals": "org, grain, span, account",
    "books_party_totals": "org, grain, span, account, party",
    # The spending rows of the books (projections/spending.py), empty in these programs.
    "books_matters": "id",
    "books_matter_meetings": "matter_id, seq",
    "books_meeting_additional_votes": "matter_id, seq",
    "books_budget_lines": "matter_id, line_no",
    "books_matter_charges": "matter_id, seq",
    "books_spending_requests": "id",
    "books_approvals": "request_id, seq",
    "books_receipts": "id",
    "books_grants": "id",
    "books_grant_spending": "grant_id, seq",
    "books_warnings": "id",
    "books_warning_acks": "warning_id, seq",
    "books_voucher_template_books": "id",
    "books_voucher_templates": "org, name",
    "books_distributions": "id",
    "books_distribution_lines": "distribution_id, holder",
}


def table_rows(view: BooksView) -> dict[str, list[dict[str, Any]]]:
    """Every row of every read-model table, the tracking table included, in key order."""
    keys = {**PRIMARY_KEYS, view.tracking_table: "application_name"}
    assert set(keys) == {*view.tables, view.tracking_table}
    with view.sql() as sql:
        return {table: sql.execute(f"SELECT * FROM {table} ORDER BY {order}").all()
                for table, order in keys.items()}


def reports(view: BooksView, org: str) -> str:
    """What the API serves about one organization, serialized."""
    out: dict[str, Any] = {}
    with BooksQueries(view).read() as reader:
        source = books_oracle.ReaderSums(reader)
        accounts = reader.all_accounts(org)
        out["position"] = reader.position()
        out["organization"] = reader.organization(org)
        out["accounts"] = accounts
        out["closures"] = reader.closures(org)
        out["vouchers"] = reader.vouchers(org, ALL_ROWS)
        for period in books_programs.MONTHS:
            out[f"trial {period}"] = books_oracle.month_trial_balance(source, org, accounts, period)
            out[f"sheet {period}"] = books_oracle.sheet_at(source, org, period.last_day)
        for year in books_programs.YEARS:
            out[f"vouchers {year}"] = reader.vouchers(
                org, ALL_ROWS, start=date(year, 1, 1), end=date(year, 12, 31))
            for start, end in ((1, 12), (1, 3), (4, 6), (7, 9), (10, 12), (12, 12)):
                out[f"income {year} {start}-{end}"] = books_oracle.statement_for(
                    source, org, Period(year, start), Period(year, end))
        for code in books_programs.LEDGER_ACCOUNTS:
            account = reader.account(org, code)
            for start, end in ((books_programs.BOOKS_START, books_programs.LAST_DAY),
                               (date(2025, 6, 1), date(2026, 3, 31))):
                sums = {c: s for c, s in reader.sums(org, start, end).items()
                        if c.startswith(code)}
                lines, _ = reader.ledger_lines(org, code, start, end, ALL_ROWS)
                out[f"ledger {code} {start}"] = detail_ledger(account, sums, lines)
    return json.dumps(out, sort_keys=True, default=str, ensure_ascii=False)


@contextmanager
def fresh_store(storage: Storage, clock: Any) -> Iterator[tuple[Storage, Ledger, BooksView]]:
    """A store of the same kind as `storage`, for one example only, with a neighbour's books."""
    if storage.is_postgres:
        url = urlparse(storage.database_url)
        query = {**parse_qs(url.query), "schema": [f"t_{uuid.uuid4().hex[:16]}"]}
        store = Storage(database_url=url._replace(query=urlencode(query, doseq=True)).geturl(),
                        data_dir=storage.data_dir)
    else:
        folder = Path(tempfile.mkdtemp(dir=storage.data_dir))
        store = Storage(database_url=f"sqlite:///{folder / 'events.sqlite'}", data_dir=folder)
    try:
        store.prepare()
        app = open_ledger(store, create_tables=True, clock=clock)
        view = open_view(store, create_tables=True)
        try:
            neighbour = books_programs.new_org_code()
            books_programs.setup_books(app, neighbour)
            app.books.post_voucher(neighbour, VoucherDraft(date(2025, 2, 3), "收发包款", (
                Line("10201", debit=500_000), Line("50101", credit=500_000))),
                actor=books_programs.ACTOR)
            yield store, app, view
        finally:
            app.close()
            view.datastore.close()  # type: ignore[attr-defined]
    finally:
        if storage.is_postgres:
            drop_schema(store)
        else:
            shutil.rmtree(folder, ignore_errors=True)


def drop_schema(store: Storage) -> None:
    import psycopg
    from psycopg import sql

    env = store.env(create_tables=False)
    with psycopg.connect(dbname=env["POSTGRES_DBNAME"], host=env["POSTGRES_HOST"],
                         port=env["POSTGRES_PORT"], user=env["POSTGRES_USER"],
                         password=env["POSTGRES_PASSWORD"], autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
            sql.Identifier(env["POSTGRES_SCHEMA"])))


@contextmanager
def live_runner(storage: Storage) -> Iterator[LogFollower]:
    """What `follow` starts for the books: a follower of the log in threads of its own."""
    view, app = open_view(storage, BooksProjection), Ledger(env=env_for(storage,
                                                                          create_tables=False))
    try:
        with LogFollower(view, app) as follower:
            yield follower
    finally:
        app.close()
        view.datastore.close()  # type: ignore[attr-defined]


# -- 4. rebuild equals following --------------------------------------------------------------


# Each example builds a store of its own, which takes a while: fewer of them.
REBUILD_SETTINGS = settings(books_programs.STORAGE_SETTINGS, max_examples=25)


@REBUILD_SETTINGS
@given(program=books_programs.programs(max_commands=16),
       waits=st.sets(st.integers(0, 30), max_size=3))
def test_rebuilding_gives_what_following_gave(storage, clock, program, waits):
    clock.today = TODAY
    with fresh_store(storage, clock) as (store, ledger, view):
        following_then_rebuilding(store, ledger, view, program, waits)


def following_then_rebuilding(storage: Storage, ledger: Ledger, view: BooksView,
                              program: Any, waits: set[int]) -> None:
    accepted: list[int] = []
    with live_runner(storage) as runner:
        # The follower projects what arrived, in batches; now and then the writer waits for it.
        def after(position: int) -> None:
            if len(accepted) in waits:
                view.wait(view.application_name, position, timeout=30)  # type: ignore
            accepted.append(position)

        run = books_programs.run_program(ledger, program, after=after)
        head = ledger.log_head()
        view.wait(view.application_name, head, timeout=30)  # type: ignore[attr-defined]
        runner.run_forever(timeout=0)  # re-raises an error of the processing thread
    assert view.position() == head
    live_rows = table_rows(view)
    live_reports = reports(view, run.org)
    note(f"{head} events in the store")

    assert rebuild(ledger, view) == head
    assert table_rows(view) == live_rows
    assert reports(view, run.org) == live_reports

    # And catching up once more, with nothing new, changes nothing.
    assert catch_up(ledger, view) == head
    assert table_rows(view) == live_rows


# -- 5. exactly once --------------------------------------------------------------------------


def notification(app: Ledger, position: int) -> tuple[Any, Tracking]:
    """The stored notification at `position`, or the first one after it."""
    [found] = app.recorder.select_notifications(start=position, limit=1)
    return app.mapper.to_domain_event(found), Tracking(app.name, found.id)


@books_programs.STORAGE_SETTINGS
@given(program=books_programs.programs(max_commands=12),
       picks=st.lists(st.integers(0, 10**6), min_size=1, max_size=4),
       length=st.integers(1, 5))
def test_projecting_a_recorded_notification_again_is_refused(ledger, view, clock, program,
                                                             picks, length):
    clock.today = TODAY
    first = ledger.log_head() + 1
    books_programs.run_program(ledger, program)
    head = catch_up(ledger, view)
    before = table_rows(view)
    for pick in picks:
        # One of this example's events, or the last one of the log.
        position = first + pick % (head - first + 1)
        domain_event, tracking = notification(ledger, position)
        event(f"projected twice: {type(domain_event).__qualname__}")
        note(f"projecting {position} ({type(domain_event).__qualname__}) again")
        with pytest.raises(IntegrityError):
            view.project([(domain_event, tracking)])
        with pytest.raises(IntegrityError):
            BooksProjection(view).process_event(domain_event, tracking)
        # A batch of recorded events, ending anywhere up to the head, is refused as a whole.
        batch = [(ledger.mapper.to_domain_event(n), Tracking(ledger.name, n.id))
                 for n in ledger.recorder.select_notifications(start=tracking.notification_id,
                                                               limit=length, stop=head)]
        with pytest.raises(IntegrityError):
            view.project(batch)
    assert table_rows(view) == before
    assert view.position() == head
