"""Benchmark: posting vouchers to ONE organization through the HTTP API, one client against eight,
beside the raw append rate of an equivalent event, on SQLite and on PostgreSQL, in one run.

    PYTHONPATH=. .venv/bin/python tests/benchmarks/bench_writes.py [--backends sqlite,postgres]
        [--vouchers 300] [--clients 8] [--appends 1000] [--postgres-url URL]
        [--villages 20 --rounds 3 [--pause-projector]]

For each backend: (a) the library's raw append rate (bench.py's figure (a), the baseline);
(b1) N vouchers posted by one client; (b8) N more posted by --clients clients at once, all to the
same organization of `sunlight serve` (two gunicorn workers). Each line gives the rate, its
ratio to (a), p50 and p99 latency, and the writes decided again after a version conflict: those
the server logged ("version conflict") and, on PostgreSQL, the notification ids drawn by appends
that were rolled back. With --villages V the vouchers go round V organizations (the i-th to
village i mod V), both phases, which are run --rounds times interleaved: the best of each is
kept, and beside each phase the machine's CPU use (all cores, from /proc/stat) while it ran,
the CPU `sunlight serve`'s processes spent per voucher (and of it the projector's), and on
PostgreSQL the vouchers per appending transaction (v/tx: above 1 when appends were recorded
together) and the appends waiting for the events table's lock on average (lock w.). The load
generator's own CPU per voucher is printed too (client ms): it shares the machine's cores with
the server, so by default the clients are lean ones (tests/benchmarks/lean_http.py);
`--client requests` posts through requests, as the figures before 2026-12-06 did.
This is not a test: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.storage import Storage
from tests.benchmarks.bench_http import (
    HttpResult,
    Server,
    make_admin,
    post_vouchers,
    set_up_books,
)
from tests.benchmarks.bench_kit import (
    DEFAULT_POSTGRES_URL,
    ORG,
    percentile,
    pg_connection,
    raw_appends,
    raw_env,
    say,
    sqlite_storage,
    voucher_posted_size,
    with_schema,
)

CONFLICT_MARK = "version conflict"


@dataclass
class Phase:
    label: str
    result: HttpResult
    logged_conflicts: int
    rolled_back: int | None  # PostgreSQL only: sequence ids drawn and not used
    cpu_busy: float | None = None  # the machine's share of CPU time busy while it ran
    serve_cpu_ms: float | None = None  # CPU of `sunlight serve`'s processes per voucher
    projector_cpu_ms: float | None = None  # of which the projection process's
    per_transaction: float | None = None  # PostgreSQL only: vouchers per appending transaction
    lock_waiters: float | None = None  # PostgreSQL only: appends waiting for the table lock
    client_cpu_ms: float | None = None  # CPU of this benchmark's own client threads per voucher


class LockWaiters:
    """PostgreSQL: how many appends wait for the events table's lock, on average, sampled
    every 50 ms from pg_stat_activity while a phase runs."""

    def __init__(self, storage: Storage) -> None:
        self._storage, self._stop = storage, threading.Event()
        self._samples: list[int] = []
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        schema = self._storage.env(create_tables=False)["POSTGRES_SCHEMA"]
        with pg_connection(self._storage) as conn:
            while not self._stop.wait(0.05):
                row = conn.execute(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND query LIKE %s", (f'LOCK TABLE "{schema}".%',)).fetchone()
                self._samples.append(int(row[0]))

    def mean(self) -> float | None:
        self._stop.set()
        self._thread.join()
        return sum(self._samples) / len(self._samples) if self._samples else None


def projector_pids(group: int) -> list[int]:
    """The projection process of `sunlight serve`'s process group."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if b"projections\0run" in cmdline.read_bytes() and os.getpgid(
                    int(cmdline.parent.name)) == group:
                found.append(int(cmdline.parent.name))
        except (OSError, ValueError):
            continue
    return found


def group_cpu_seconds(group: int) -> tuple[float, float]:
    """User and system CPU so far of the live processes of a process group (`sunlight serve`:
    its gunicorn workers and the projector), and of its projection process alone."""
    ticks = projector = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != group:  # pgrp, counting from the state field
                continue
            used = int(fields[11]) + int(fields[12])  # utime, stime
            command = stat.with_name("cmdline").read_bytes()
        except (OSError, IndexError):
            continue  # a process gone meanwhile
        ticks += used
        projector += used if b"projections\0run" in command else 0
    return ticks / os.sysconf("SC_CLK_TCK"), projector / os.sysconf("SC_CLK_TCK")


def cpu_times() -> tuple[int, int] | None:
    """(busy, total) jiffies of every core so far, or None off Linux."""
    try:
        fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle and iowait
    return sum(fields) - idle, sum(fields)


def rolled_back_ids(storage: Storage) -> int | None:
    if not storage.is_postgres:
        return None
    schema = storage.env(create_tables=False)["POSTGRES_SCHEMA"]
    with pg_connection(storage) as conn:
        head, count = conn.execute(
            f'SELECT COALESCE(MAX(notification_id), 0), COUNT(*) FROM "{schema}".ledger_events'
        ).fetchone()
    return int(head) - int(count)


def appending_transactions(storage: Storage, after: int) -> int | None:
    """The transactions that appended the events after that position (each row's xmin)."""
    if not storage.is_postgres:
        return None
    schema = storage.env(create_tables=False)["POSTGRES_SCHEMA"]
    with pg_connection(storage) as conn:
        row = conn.execute(f'SELECT COUNT(DISTINCT xmin::text) FROM "{schema}".ledger_events '
                           "WHERE notification_id > %s", (after,)).fetchone()
    return int(row[0])


def log_head(storage: Storage) -> int:
    schema = storage.env(create_tables=False)["POSTGRES_SCHEMA"]
    with pg_connection(storage) as conn:
        row = conn.execute(f'SELECT COALESCE(MAX(notification_id), 0) FROM "{schema}"'
                           ".ledger_events").fetchone()
    return int(row[0])


def conflicts_logged(log: Path) -> int:
    return log.read_text(errors="replace").count(CONFLICT_MARK) if log.exists() else 0


def phase(label: str, server: Server, storage: Storage, count: int, clients: int,
          auth: dict[str, str], orgs: tuple[str, ...] = (ORG,), lean: bool = False) -> Phase:
    logged, rolled = conflicts_logged(server.log_path), rolled_back_ids(storage)
    head = log_head(storage) if storage.is_postgres else 0
    cpu_before, serve_before = cpu_times(), group_cpu_seconds(server.process.pid)
    waiters = LockWaiters(storage) if storage.is_postgres else None
    client_before = time.process_time()
    result = post_vouchers(server.base, count, clients, auth, orgs, lean)
    client_ms = (time.process_time() - client_before) * 1000 / count
    lock_waiters = waiters.mean() if waiters else None
    cpu_after, serve_after = cpu_times(), group_cpu_seconds(server.process.pid)
    after = rolled_back_ids(storage)
    transactions = appending_transactions(storage, head)
    busy = None
    if cpu_before and cpu_after and cpu_after[1] > cpu_before[1]:
        busy = (cpu_after[0] - cpu_before[0]) / (cpu_after[1] - cpu_before[1])
    return Phase(label, result, conflicts_logged(server.log_path) - logged,
                 None if rolled is None or after is None else after - rolled, busy,
                 (serve_after[0] - serve_before[0]) * 1000 / count,
                 (serve_after[1] - serve_before[1]) * 1000 / count,
                 count / transactions if transactions else None, lock_waiters, client_ms)


def village_phases(server: Server, storage: Storage, args: argparse.Namespace,
                   auth: dict[str, str]) -> tuple[list[Phase], list[Phase]]:
    """One client, then --clients clients, over --villages organizations, --rounds times
    interleaved (so that a busy spell of the shared machine falls on both); the best of each."""
    orgs = tuple(f"{ORG}-{n:02d}" for n in range(1, args.villages + 1))
    for org in orgs:
        set_up_books(server.base, auth, org)
    rounds: list[tuple[Phase, Phase]] = []
    paused = projector_pids(server.process.pid) if args.pause_projector else []
    for pid in paused:  # the writes alone: the follower catches up once they are done
        os.kill(pid, signal.SIGSTOP)
    try:
        posted = post_rounds(server, storage, args, auth, orgs)
    finally:
        for pid in paused:
            os.kill(pid, signal.SIGCONT)
    rounds.extend(posted)
    best = [max((r[i] for r in rounds), key=lambda p: p.result.per_second) for i in (0, 1)]
    return [p for pair in rounds for p in pair], best


def post_rounds(server: Server, storage: Storage, args: argparse.Namespace,
                auth: dict[str, str], orgs: tuple[str, ...]) -> list[tuple[Phase, Phase]]:
    rounds: list[tuple[Phase, Phase]] = []
    for n in range(args.rounds):
        one = phase(f"(b1) 1 client r{n + 1}", server, storage, args.vouchers, 1, auth, orgs,
                    args.client == "lean")
        many = phase(f"(b{args.clients}) {args.clients} cl. r{n + 1}", server, storage,
                     args.vouchers, args.clients, auth, orgs, args.client == "lean")
        ratio = many.result.per_second / one.result.per_second
        say(f"  round {n + 1}: 1 client {one.result.per_second:.1f}/s, {args.clients} clients "
            f"{many.result.per_second:.1f}/s: {ratio:.2f}x")
        rounds.append((one, many))
    return rounds


def run_backend(name: str, args: argparse.Namespace, target_size: int) -> None:
    with ExitStack() as stack:
        work = Path(tempfile.mkdtemp(prefix=f"sunlight-bench-writes-{name}-"))
        stack.callback(shutil.rmtree, work, ignore_errors=True)
        if name == "sqlite":
            storage = sqlite_storage(work)
        else:
            schema = f"bench_{uuid.uuid4().hex[:12]}"
            storage = Storage(database_url=with_schema(args.postgres_url, schema), data_dir=work)
            with pg_connection(storage) as conn:
                conn.execute(f'CREATE SCHEMA "{schema}"')

            def drop_schema() -> None:
                with pg_connection(storage) as conn:
                    conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

            stack.callback(drop_schema)
        say(f"\n[{name}] {storage.describe()}")
        raw = raw_appends(raw_env(storage, work), target_size, args.appends)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SUNLIGHT_")}
        env |= {"SUNLIGHT_DATA_DIR": str(storage.data_dir),
                "SUNLIGHT_DATABASE_URL": storage.database_url, "SUNLIGHT_LOG_LEVEL": "warning"}
        auth = make_admin(env)
        server = Server(env, work / "serve.log", workers=2)
        stack.callback(server.stop)
        server.wait_ready()
        if args.villages:
            phases, best = village_phases(server, storage, args, auth)
        else:
            set_up_books(server.base, auth)
            lean = args.client == "lean"
            phases = best = [phase("(b1) 1 client", server, storage, args.vouchers, 1, auth,
                                   lean=lean),
                             phase(f"(b{args.clients}) {args.clients} clients", server,
                                   storage, args.vouchers, args.clients, auth, lean=lean)]
        if server.process.poll() is not None:
            raise RuntimeError("sunlight serve died while posting:\n" + server.log_tail())
        server.stop()
        print_table(name, raw.per_second, raw.event_size, phases, best)


def print_table(name: str, raw: float, size: int, phases: list[Phase],
                best: list[Phase]) -> None:
    say(f"{name}: (a) raw append of a {size}-byte event: {raw:,.0f} saves/s (ratio 1.000)")
    say(f"  {'phase':<16} {'vouchers/s':>10} {'ratio':>6} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'p99/p50':>7} {'conflicts logged':>16} {'rolled back':>11} {'cpu':>4} {'serve ms':>8}"
        f" {'proj. ms':>8} {'client ms':>9} {'v/tx':>5} {'lock w.':>7}  answers")
    for p in phases:
        r = p.result
        p50, p99 = percentile(r.latencies, 0.5) or 0.0, percentile(r.latencies, 0.99) or 0.0
        rolled = "-" if p.rolled_back is None else str(p.rolled_back)
        cpu = "-" if p.cpu_busy is None else f"{p.cpu_busy:.0%}"
        joint = "-" if p.per_transaction is None else f"{p.per_transaction:.2f}"
        waiting = "-" if p.lock_waiters is None else f"{p.lock_waiters:.2f}"
        serve = "-" if p.serve_cpu_ms is None else f"{p.serve_cpu_ms:.1f}"
        projector = "-" if p.projector_cpu_ms is None else f"{p.projector_cpu_ms:.1f}"
        answers = ", ".join(f"{n}x {code}" for code, n in sorted(r.statuses.items()))
        say(f"  {p.label:<16} {r.per_second:>10.1f} {r.per_second / raw:>6.3f} "
            f"{p50 * 1000:>7.1f} {p99 * 1000:>7.1f} {p99 / p50 if p50 else 0:>7.1f} "
            f"{p.logged_conflicts:>16} {rolled:>11} {cpu:>4} {serve:>8} {projector:>8} "
            f"{p.client_cpu_ms or 0:>9.1f} {joint:>5} {waiting:>7}  {answers}")
    if best[0].result.per_second:
        say(f"  many / one client{' (best of each)' if len(phases) > 2 else ''}: "
            f"{best[1].result.per_second / best[0].result.per_second:.2f}x")
    for p in phases:
        for error in p.result.errors:
            say(f"  {p.label} non-201: {error}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--vouchers", type=int, default=300)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--appends", type=int, default=1000)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--villages", type=int, default=0,
                        help="spread every phase's vouchers over this many organizations")
    parser.add_argument("--rounds", type=int, default=3,
                        help="with --villages: rounds of both phases, the best of each kept")
    parser.add_argument("--client", choices=("lean", "requests"), default="lean",
                        help="the load generator: lean (tests/benchmarks/lean_http.py, about a "
                             "tenth of requests' CPU a voucher) or requests (as before)")
    parser.add_argument("--pause-projector", action="store_true",
                        help="with --villages: stop the projection process while posting, to "
                             "measure the writes without the follower's share of the CPU")
    args = parser.parse_args(argv)

    def terminate(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt  # so that every cleanup runs

    signal.signal(signal.SIGTERM, terminate)
    target_size = voucher_posted_size()
    failed = 0
    for name in [b.strip() for b in args.backends.split(",") if b.strip()]:
        try:
            run_backend(name, args, target_size)
        except Exception as error:  # one backend's failure does not hide the other's figures
            failed += 1
            say(f"[{name}] FAILED: {type(error).__name__}: {error}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
