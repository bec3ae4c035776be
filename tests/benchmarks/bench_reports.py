"""Benchmark: every report of the books at a village with a long history, beside the same report
at a village with ~1,000 events, measured in the same run (the goal: each within 1.2x).

    PYTHONPATH=. .venv/bin/python tests/benchmarks/bench_reports.py [--events 200000]
        [--small 1000] [--runs 7] [--postgres URL]   (or set SUNLIGHT_TEST_POSTGRES_URL)

The stores are written in process by the fastest bulk path the product has, the voucher import
(`Ledger.books.import_vouchers`, one append per `--chunk` vouchers, 5,000 by default): one
village whose books start on 2025-01-01 with bench.py's sub-accounts, then `--events` (or
`--small`) events, two per voucher (Books.VoucherEntered, Voucher.Posted), the vouchers spread
evenly over the 23 months 2025-01 to 2026-11; a voucher is alternately bench.py's four-line
receipt (10201 and 101 debited, 50101 and 50102 credited) and a two-line payment (51301 or 51302
debited, 10201 credited), on a random day of its month. The months 2025-01 to 2026-10 are then
closed (2025 by the year-end close, which posts its closing vouchers), so 2026-11 is the open
month holding the new vouchers. The books read model is rebuilt from event one (its time is
printed too: the totals are written by the projection).

Each report is read as the API reads it, in its own read transaction, in `--runs` rounds, each
round reading the small store and the large one in turn; the best time of each is printed, and
their ratio. On PostgreSQL each store lives in
a fresh schema, dropped at the end. To measure the code before a change, run this file with the
other code first on the path (PYTHONPATH=/path/to/other/checkout); it prints where `projections`
was imported from. Not a test: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import projections
from infra.storage import Storage
from ledger.application import Ledger
from ledger.books import Line, Period, VoucherDraft
from ledger.books.importing import MAX_VOUCHERS, SheetVoucher
from projections.books import reports
from projections.books.queries import BooksQueries, Page
from projections.disclosure import statements as public
from projections.runner import create_tables, open_ledger, open_view, rebuild

ORG = "bench-village"
ACTOR = "bench"
TODAY = date(2026, 12, 6)
MONTHS = tuple(Period(2025 + (i // 12), 1 + i % 12) for i in range(23))  # 2025-01 .. 2026-11
SUB_ACCOUNTS = (
    ("102", "10201", "农商银行基本户"), ("102", "10202", "信用社一般户"),
    ("501", "50101", "发包收入"), ("501", "50102", "出租收入"),
    ("513", "51301", "干部报酬"), ("513", "51302", "办公费"),
)


def draft(i: int, count: int) -> VoucherDraft:
    """The i-th of `count` vouchers: its month by its place, so the months fill evenly."""
    rng = random.Random(i)
    month = MONTHS[i * len(MONTHS) // count]
    day = date(month.year, month.month, 1 + rng.randrange(28))
    if i % 2:
        amount = rng.randint(1_000, 999_999)
        return VoucherDraft(day, f"支付费用（第{i + 1}笔）", (
            Line(("51301", "51302")[i % 4 // 2], debit=amount, memo="支付"),
            Line("10201", credit=amount, memo="转账付款")))
    bank, cash = rng.randint(100_000, 9_999_999), rng.randint(1_000, 99_999)
    contracting = rng.randint(1, bank + cash - 1)
    return VoucherDraft(day, f"收取发包款及租金（第{i + 1}笔）", (
        Line("10201", debit=bank, memo="转账收款"), Line("101", debit=cash, memo="现金收款"),
        Line("50101", credit=contracting, memo="发包收入"),
        Line("50102", credit=bank + cash - contracting, memo="出租收入")))


def build(storage: Storage, events: int, chunk: int = MAX_VOUCHERS, org: str = ORG) -> Ledger:
    """The village (about `events` events of its own) and its vouchers, then the month closes;
    the ledger stays open. Other villages may be in the store already."""
    create_tables(storage)
    app = open_ledger(storage, clock=lambda: TODAY)
    start = app.log_head()
    app.books.register_organization(code=org, name_zh="基准村" if org == ORG else f"基准村{org}",
                                    kind="village_collective", books_start=date(2025, 1, 1),
                                    actor=ACTOR)
    for parent, code, name in SUB_ACCOUNTS:
        app.books.open_account(org, parent=parent, code=code, name_zh=name, actor=ACTOR)
    # Each voucher is two events (Books.VoucherEntered, Voucher.Posted); the closes write ~25.
    count = max((events - (app.log_head() - start) - 25) // 2, 1)
    for first in range(0, count, chunk):
        app.books.import_vouchers(org, [
            SheetVoucher(f"S{i}", (i,), draft(i, count))
            for i in range(first, min(first + chunk, count))], actor=ACTOR)
    for period in MONTHS[:-1]:
        if period.month == 12:
            app.books.close_year(org, period.year, actor=ACTOR)
        else:
            app.books.close_period(org, period, actor=ACTOR)
    return app


def report_calls() -> dict[str, Callable[[Any], Any]]:
    """Each report as the API asks it; the past months are unchanged, 2026-11 is the open one."""
    return {
        "trial balance 2025-06 (past)": lambda r: reports.trial_balance(r, ORG, Period(2025, 6)),
        "trial balance 2026-11 (open)": lambda r: reports.trial_balance(r, ORG, Period(2026, 11)),
        "balance sheet 2025-06-30": lambda r: reports.balance_sheet(r, ORG, date(2025, 6, 30)),
        "balance sheet 2026-11-15": lambda r: reports.balance_sheet(r, ORG, date(2026, 11, 15)),
        "income statement 2026-01..11": lambda r: reports.income_statement(
            r, ORG, Period(2026, 1), Period(2026, 11)),
        "ledger page 10201 2026-11": lambda r: reports.detail_ledger(
            r, ORG, "10201", date(2026, 11, 1), date(2026, 11, 30), Page(1, 50)),
        "ledger page 102 2025-06": lambda r: reports.detail_ledger(
            r, ORG, "102", date(2025, 6, 1), date(2025, 6, 30), Page(1, 50)),
        "ledger page 10202 (no lines)": lambda r: reports.detail_ledger(
            r, ORG, "10202", date(2026, 11, 1), date(2026, 11, 30), Page(1, 50)),
        "closing preview 2026": lambda r: reports.closing_preview(
            r, ORG, r.organization(ORG)["chart"], 2026),
        "public balance sheet 2025": lambda r: public.balance_sheet(r, ORG, date(2025, 12, 31)),
        "public income stmt 2025": lambda r: public.income_statement(
            r, ORG, date(2025, 1, 1), date(2025, 12, 31), range_brought_in=False),
    }


@contextmanager
def opened(storage: Storage, events: int, chunk: int) -> Iterator[tuple[BooksQueries, str]]:
    """The store built and its read model rebuilt, and a line on the store itself."""
    started = time.perf_counter()
    app = build(storage, events, chunk)
    built = time.perf_counter() - started
    view = open_view(storage, create_tables=True)
    try:
        started = time.perf_counter()
        head = rebuild(app, view)
        projected = time.perf_counter() - started
        queries = BooksQueries(view)
        lines = []
        for name, call in report_calls().items():
            if name.startswith("ledger page"):  # (report, lines in its range)
                with queries.read() as reader:
                    answer = call(reader)
                lines.append(f"{name.removeprefix('ledger page ')}: {answer[1]:,} lines")
        yield queries, (f"{head} events: written in {built:.1f} s, read model rebuilt in "
                        f"{projected:.1f} s ({head / projected:,.0f} events/s); ledger pages' "
                        f"ranges hold {', '.join(lines)}")
    finally:
        app.close()
        view.datastore.close()


def measure(stores: list[BooksQueries], runs: int) -> list[dict[str, float]]:
    """Best seconds of each report on each store, over `runs` rounds; each round reads every
    store in turn, so a busy moment of the machine falls on all of them alike."""
    best: list[dict[str, float]] = [{} for _ in stores]
    for _ in range(runs):
        for name, call in report_calls().items():
            for queries, seconds in zip(stores, best, strict=True):
                began = time.perf_counter()
                with queries.read() as reader:
                    call(reader)
                took = time.perf_counter() - began
                seconds[name] = min(seconds.get(name, took), took)
    return best


@contextmanager
def store(postgres_url: str | None) -> Iterator[Storage]:
    with tempfile.TemporaryDirectory(prefix="sunlight-bench-reports-") as work:
        if postgres_url is None:
            yield Storage(database_url=f"sqlite:///{Path(work) / 'events.sqlite'}",
                          data_dir=Path(work))
            return
        from bench_kit import pg_connection, with_schema  # beside this file

        schema = f"bench_{uuid.uuid4().hex[:12]}"
        storage = Storage(database_url=with_schema(postgres_url, schema), data_dir=Path(work))
        with pg_connection(storage) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        try:
            yield storage
        finally:
            with pg_connection(storage) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=15, help="rounds; the best is printed")
    parser.add_argument("--postgres", default=None,
                        help="a PostgreSQL URL; without it, SQLite only")
    parser.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True)
    # One append of 100,000 events stalled on PostgreSQL (the driver and the server both
    # waiting to read); 5,000 vouchers per import writes the same events in 20 appends.
    parser.add_argument("--chunk", type=int, default=5_000,
                        help=f"vouchers per import (at most {MAX_VOUCHERS})")
    args = parser.parse_args()
    postgres = args.postgres or os.environ.get("SUNLIGHT_TEST_POSTGRES_URL")
    print(f"code: {Path(projections.__file__).parent.parent}")
    print("A ledger page reads its own lines, up to its end, and counts the range's from the "
          "totals: at --small 1000 a month holds 21 lines, fewer than a page of 50, so the page "
          "grows until it is full (--small 5000 compares full pages).")
    backends = (["sqlite"] if args.sqlite else []) + (["postgres"] if postgres else [])
    for backend in backends:
        url = postgres if backend == "postgres" else None
        with store(url) as small_storage, store(url) as large_storage, \
                opened(small_storage, args.small, args.chunk) as (small_store, small_note), \
                opened(large_storage, args.events, args.chunk) as (large_store, large_note):
            small, large = measure([small_store, large_store], args.runs)
        print(f"\n[{backend}] small: {small_note}\n[{backend}] large: {large_note}")
        print(f"{'report (best of ' + str(args.runs) + ')':32} {'small ms':>10} {'large ms':>10} "
              f"{'ratio':>8}")
        for name, seconds in small.items():
            ratio = large[name] / seconds
            print(f"{name:32} {seconds * 1000:10.2f} {large[name] * 1000:10.2f} "
                  f"{ratio:7.2f}x{'' if ratio <= 1.2 else '  > 1.2x'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
