"""Throughput benchmark of Sunlight Ledger, on SQLite and on PostgreSQL, in one run.

    python tests/benchmarks/bench.py [--backends sqlite,postgres] [--vouchers N] [--clients N]
                                     [--appends N] [--postgres-url URL]

For each backend it prints one table:

(a) the raw append rate of the eventsourcing library: a minimal Application creating one new
    aggregate per save, sequentially, whose created event has the same serialized size as a real
    4-line voucher's Voucher.Posted event. Every other figure is divided by this one.
(b) vouchers posted per second through the HTTP API of the real product (`sunlight serve`, two
    gunicorn workers and the projection process) by several client threads, with latencies.
(c) catching up the books read model from event one: batched (`projections.runner.rebuild`) and
    one event per transaction (the path the live ProjectionRunner takes).

SQLite runs in a temporary directory; PostgreSQL in a fresh schema of --postgres-url, dropped at
the end. This is not a test: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
import traceback
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from eventsourcing.persistence import Tracking

from infra.storage import Storage
from ledger.application import Ledger
from projections.books.view import BooksProjection, BooksView
from projections.log import BATCH
from projections.runner import open_ledger, open_view, rebuild
from tests.benchmarks.bench_http import (
    HttpResult,
    http_vouchers,
)
from tests.benchmarks.bench_kit import (
    DEFAULT_POSTGRES_URL,
    RawResult,
    fmt,
    percentile,
    pg_connection,
    raw_appends,
    raw_env,
    say,
    sqlite_storage,
    voucher_posted_size,
    with_schema,
)

# -- (c) projection catch-up ------------------------------------------------------------------


@dataclass
class CatchUpResult:
    events: int  # in the store; fewer than the head when notification ids were skipped
    head: int
    batched_seconds: float
    per_event_seconds: float
    vouchers_in_view: int

    @property
    def batched_per_second(self) -> float:
        return self.events / self.batched_seconds

    @property
    def per_event_per_second(self) -> float:
        return self.events / self.per_event_seconds


def count_vouchers(view: BooksView) -> int:
    with view.sql() as sql:
        return int(sql.execute("SELECT COUNT(*) AS n FROM books_vouchers").scalar())


def project_one_by_one(app: Ledger, view: BooksView) -> tuple[int, int]:
    """What the live runner does: one event, with its tracking row, per transaction.

    Returns the last position and the number of events projected.
    """
    projection = BooksProjection(view)
    view.drop()
    position = events = 0
    while True:
        notifications = app.recorder.select_notifications(
            start=position, limit=BATCH, inclusive_of_start=False)
        if not notifications:
            return position, events
        events += len(notifications)
        for notification in notifications:
            projection.process_event(app.mapper.to_domain_event(notification),
                                     Tracking(app.name, notification.id))
        position = notifications[-1].id


def catch_up_rates(storage: Storage) -> CatchUpResult:
    app = open_ledger(storage)
    view = open_view(storage)
    try:
        head = app.log_head()
        started = time.perf_counter()
        batched_to = rebuild(app, view)
        batched = time.perf_counter() - started
        vouchers = count_vouchers(view)
        started = time.perf_counter()
        one_by_one_to, events = project_one_by_one(app, view)
        per_event = time.perf_counter() - started
        if not batched_to == one_by_one_to == view.position() == head:
            raise RuntimeError(f"positions differ: head {head}, rebuild {batched_to}, "
                               f"one by one {one_by_one_to}, view {view.position()}")
        if count_vouchers(view) != vouchers:
            raise RuntimeError("the two catch-up paths projected different numbers of vouchers")
        return CatchUpResult(events, head, batched, per_event, vouchers)
    finally:
        app.close()
        view.datastore.close()  # type: ignore[attr-defined]


# -- one backend ------------------------------------------------------------------------------


@dataclass
class BackendReport:
    name: str
    where: str
    target_size: int
    raw: RawResult | None = None
    http: HttpResult | None = None
    catch_up: CatchUpResult | None = None
    notes: list[str] = field(default_factory=list)


def run_backend(name: str, args: argparse.Namespace, target_size: int) -> BackendReport:
    with ExitStack() as stack:
        work = Path(tempfile.mkdtemp(prefix=f"sunlight-bench-{name}-"))
        stack.callback(shutil.rmtree, work, ignore_errors=True)
        if name == "sqlite":
            storage = sqlite_storage(work)
            where = storage.describe()
        else:
            schema = f"bench_{uuid.uuid4().hex[:12]}"
            storage = Storage(database_url=with_schema(args.postgres_url, schema),
                              data_dir=work)
            with pg_connection(storage) as conn:
                conn.execute(f'CREATE SCHEMA "{schema}"')

            def drop_schema() -> None:
                with pg_connection(storage) as conn:
                    conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

            stack.callback(drop_schema)
            where = f"{storage.describe()}, schema {schema}"
        report = BackendReport(name, where, target_size)
        say(f"\n[{name}] {report.where}")

        say(f"  (a) {args.appends} raw appends of a {target_size}-byte event ...")
        report.raw = raw_appends(raw_env(storage, work), target_size, args.appends)

        say(f"  (b) {args.vouchers} vouchers through `sunlight serve` from {args.clients} "
            "clients ...")
        report.http = http_vouchers(storage, work, stack, args)
        if report.http.created == 0:
            raise RuntimeError("no voucher was posted: " + "; ".join(report.http.errors))

        say("  (c) projection catch-up, batched and one event per transaction ...")
        report.catch_up = catch_up_rates(storage)
        if report.http.created:
            report.http.events_per_voucher = (
                (report.catch_up.events - report.http.setup_events) / report.http.created)
        if report.catch_up.vouchers_in_view != report.http.created:
            report.notes.append(f"the read model holds {report.catch_up.vouchers_in_view} "
                                f"vouchers, but {report.http.created} were answered 201")
        return report


# -- printing ---------------------------------------------------------------------------------


def print_table(report: BackendReport) -> None:
    assert report.raw is not None
    base = report.raw.per_second
    rows: list[tuple[str, str, str]] = []

    def row(label: str, value: float, unit: str) -> None:
        rows.append((label, fmt(value, unit), f"{value / base:.3f}"))

    raw = report.raw
    row(f"(a) raw append, 1 new aggregate per save, {raw.event_size} B (n={raw.appends})",
        raw.per_second, "saves/s")
    row("    = events appended", raw.per_second, "events/s")
    http = report.http
    if http is not None:
        row(f"(b) vouchers posted via HTTP, 201s (n={http.vouchers}, {http.clients} clients)",
            http.per_second, "vouchers/s")
        if http.events_per_voucher is not None:
            row(f"    = events written ({http.events_per_voucher:.2f} per voucher)",
                http.per_second * http.events_per_voucher, "events/s")
        p50, p95 = percentile(http.latencies, 0.5), percentile(http.latencies, 0.95)
        p99 = percentile(http.latencies, 0.99)
        rows.append(("    latency p50 / p95 / p99 (201s)",
                     " / ".join(fmt(v * 1000 if v is not None else None) for v in (p50, p95, p99))
                     + " ms", ""))
        rows.append(("    wall clock", f"{http.seconds:.1f} s", ""))
        rows.append(("    answers", ", ".join(f"{n}x {code}" for code, n in
                                                 sorted(http.statuses.items())), ""))
        drained = "not within 120 s" if http.drained_in is None else f"{http.drained_in:.1f} s"
        rows.append(("    live projector lag when posting ended / drained in",
                     f"{http.lag_at_end} events / {drained}", ""))
    cu = report.catch_up
    if cu is not None:
        row(f"(c) rebuild, batched ({BATCH} events per tx, n={cu.events})",
            cu.batched_per_second, "events/s")
        row("(c) per-event path (1 event per tx, as the live runner)",
            cu.per_event_per_second, "events/s")
        # A PostgreSQL append that fails on a version conflict has already drawn an id from the
        # sequence (one per conflict here); SQLite gives the id back, so its conflicts are hidden.
        skipped = (f"{cu.head - cu.events} (ids to {cu.head}, {cu.events} events)"
                   if report.name == "postgres" else "not visible on SQLite")
        rows.append(("    appends rolled back by version conflicts", skipped, ""))
    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    title = f"{report.name}: {report.where}"
    say("\n" + title + "\n" + "=" * len(title))
    say(f"{'figure':<{width}}  {'value':>{vwidth}}  ratio to (a)")
    say(f"{'-' * width}  {'-' * vwidth}  ------------")
    for label, value, ratio in rows:
        say(f"{label:<{width}}  {value:>{vwidth}}  {ratio:>12}".rstrip())
    if http is not None and http.errors:
        say("first non-201 answers:")
        for error in http.errors:
            say(f"  {error}")
    for note in report.notes:
        say(f"note: {note}")


def machine(args: argparse.Namespace, backends: list[str]) -> str:
    from importlib.metadata import version as installed

    import psycopg

    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count() or 0
    lines = [
        f"machine: {platform.platform()}, nproc {cpus}",
        f"python {platform.python_version()}, sqlite3 {sqlite3.sqlite_version}, "
        f"eventsourcing {installed('eventsourcing')}, psycopg {psycopg.__version__} "
        f"({psycopg.pq.__impl__})",
    ]
    if "postgres" in backends:
        try:
            storage = Storage(database_url=args.postgres_url, data_dir=Path("."))
            with pg_connection(storage) as conn:
                server = conn.execute("SHOW server_version").fetchone()[0]
            lines.append(f"PostgreSQL server {server} at {storage.describe()}")
        except Exception as error:
            lines.append(f"PostgreSQL server: unavailable ({error})")
    return "\n".join(lines)


# -- main -------------------------------------------------------------------------------------


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgres",
                        help="comma-separated: sqlite, postgres (default: both)")
    parser.add_argument("--vouchers", type=positive, default=1000,
                        help="vouchers to post through the HTTP API (default 1000)")
    parser.add_argument("--clients", type=positive, default=8,
                        help="concurrent HTTP client threads (default 8)")
    parser.add_argument("--appends", type=positive, default=2000,
                        help="raw library appends for the baseline (default 2000)")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL,
                        help=f"database for the PostgreSQL runs (default {DEFAULT_POSTGRES_URL})")
    args = parser.parse_args(argv)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = set(backends) - {"sqlite", "postgres"}
    if unknown or not backends:
        parser.error(f"unknown backend(s): {', '.join(sorted(unknown)) or '(none)'}")
    args.backend_list = backends
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    def terminate(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt  # so that every cleanup runs

    signal.signal(signal.SIGTERM, terminate)
    # Also when started in the background, where a shell may have ignored SIGINT.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    failures: list[str] = []
    reports: list[BackendReport] = []
    started = time.perf_counter()
    try:
        say("Sunlight Ledger benchmark")
        say(machine(args, args.backend_list))
        target_size = voucher_posted_size()
        say(f"a 4-line voucher's Voucher.Posted event is {target_size} bytes serialized")
        for name in args.backend_list:
            try:
                reports.append(run_backend(name, args, target_size))
            except Exception as error:
                frame = traceback.extract_tb(error.__traceback__)[-1]
                failures.append(f"[{name}] FAILED: {type(error).__name__}: {error}\n"
                                f"  (at {frame.filename}:{frame.lineno} in {frame.name})")
                say(f"\n{failures[-1]}")
    except KeyboardInterrupt:
        say("\ninterrupted; the server, temporary files and schemas were cleaned up")
        return 130
    for report in reports:
        print_table(report)
    for failure in failures:
        say(f"\n{failure}")
    say(f"\ntotal run time {time.perf_counter() - started:.0f} s")
    if len(reports) == 2:
        a = {r.name: r for r in reports}
        sq, pg = a["sqlite"], a["postgres"]
        if sq.http and pg.http and sq.raw and pg.raw:
            say(f"PostgreSQL / SQLite: raw appends {pg.raw.per_second / sq.raw.per_second:.2f}, "
                f"HTTP vouchers {pg.http.per_second / max(sq.http.per_second, 1e-9):.2f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
