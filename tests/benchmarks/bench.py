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
import itertools
import os
import platform
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Tracking

from infra.storage import Storage
from ledger.application import Ledger
from ledger.books import Voucher
from projections.books.view import BooksProjection, BooksView
from projections.log import BATCH
from projections.runner import open_ledger, open_view, rebuild
from tests.benchmarks.lean_http import LeanConnection, LeanError, request_bytes

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
ORG = "bench-village"
ACTOR = "bench"  # the admin made for the run, who posts as accountant
BOOKS_START = "2025-01-01"
# (parent, code, name): opened through the API before the first voucher.
SUB_ACCOUNTS = (
    ("102", "10201", "农商银行基本户"),
    ("102", "10202", "信用社一般户"),
    ("501", "50101", "发包收入"),
    ("501", "50102", "出租收入"),
    ("513", "51301", "干部报酬"),
    ("513", "51302", "办公费"),
)
SUMMARIES = ("收取鱼塘发包款及冷库租金", "收取果园承包费及门面房租金", "收取土地流转费及场地租金")
START_TIMEOUT = 90.0
STOP_TIMEOUT = 45.0
REQUEST_TIMEOUT = 60.0


# -- helpers ----------------------------------------------------------------------------------


def say(text: str) -> None:
    print(text, flush=True)


def fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    text = f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"
    return f"{text} {unit}".rstrip()


def yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def with_schema(url: str, schema: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "schema"] + [("schema", schema)]
    return urlunsplit(parts._replace(query=urlencode(query)))


@contextmanager
def pg_connection(storage: Storage) -> Iterator[Any]:
    import psycopg

    env = storage.env(create_tables=False)
    with psycopg.connect(
        dbname=env["POSTGRES_DBNAME"], host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"],
        user=env["POSTGRES_USER"], password=env["POSTGRES_PASSWORD"], autocommit=True,
        connect_timeout=10,
    ) as conn:
        yield conn


def sunlight_command() -> list[str]:
    script = Path(sys.executable).with_name("sunlight")
    return [str(script)] if script.exists() else [sys.executable, "-m", "api.cli"]


# -- the vouchers -----------------------------------------------------------------------------


def voucher_body(i: int) -> dict[str, Any]:
    """The i-th voucher: four lines dated in 2025, two debits balancing two credits."""
    rng = random.Random(i)
    bank, cash = rng.randint(100_000, 9_999_999), rng.randint(1_000, 99_999)
    contracting = rng.randint(1, bank + cash - 1)
    day = date(2025, 1 + i % 12, 1 + rng.randrange(28))
    return {
        "date": day.isoformat(),
        "summary": f"{SUMMARIES[i % len(SUMMARIES)]}（第{i + 1}笔）",
        "lines": [
            {"account": "10201", "debit": yuan(bank), "memo": "转账收款"},
            {"account": "101", "debit": yuan(cash), "memo": "现金收款"},
            {"account": "50101", "credit": yuan(contracting), "memo": "发包收入"},
            {"account": "50102", "credit": yuan(bank + cash - contracting), "memo": "出租收入"},
        ],
        "attachments": 2,
    }


def voucher_posted_size() -> int:
    """Serialized state size of a real Voucher.Posted event, posted as the HTTP API would."""
    from api.books.schemas import VoucherIn
    from api.books.vouchers import draft_from

    app = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    try:
        app.books.register_organization(code=ORG, name_zh="基准村股份经济合作社",
                                        kind="village_collective",
                                        books_start=date.fromisoformat(BOOKS_START), actor=ACTOR)
        for parent, code, name in SUB_ACCOUNTS:
            app.books.open_account(ORG, parent=parent, code=code, name_zh=name, actor=ACTOR)
        body = voucher_body(0)
        outcome = app.books.post_voucher(ORG, draft_from(VoucherIn().load(body)), actor=ACTOR)
        event = next(iter(app.events.get(outcome.value.id)))
        assert isinstance(event, Voucher.Posted)
        return len(app.mapper.to_stored_event(event).state)
    finally:
        app.close()


# -- (a) the raw append rate ------------------------------------------------------------------


class Blob(Aggregate):
    class Created(Aggregate.Created):
        payload: str

    def __init__(self, payload: str) -> None:
        self.payload = payload


class RawApp(Application[Any]):
    name = "benchraw"


def blob_state_size(app: RawApp, payload_length: int) -> int:
    event = Blob(payload="x" * payload_length).collect_events()[0]
    return len(app.mapper.to_stored_event(event).state)


@dataclass
class RawResult:
    appends: int
    seconds: float
    event_size: int

    @property
    def per_second(self) -> float:
        return self.appends / self.seconds


def raw_appends(env: dict[str, str], target_size: int, count: int) -> RawResult:
    app = RawApp(env=env)
    try:
        overhead = blob_state_size(app, 0)
        length = max(0, target_size - overhead)
        size = blob_state_size(app, length)
        payload = "x" * length
        for _ in range(min(50, count)):  # warm up the connection and the statement cache
            app.save(Blob(payload=payload))
        started = time.perf_counter()
        for _ in range(count):
            app.save(Blob(payload=payload))
        return RawResult(count, time.perf_counter() - started, size)
    finally:
        app.close()


# -- (b) vouchers through the HTTP API --------------------------------------------------------


@dataclass
class HttpResult:
    vouchers: int
    clients: int
    seconds: float
    statuses: Counter[str]
    latencies: list[float]
    errors: list[str]
    events_per_voucher: float | None = None
    lag_at_end: int | None = None
    drained_in: float | None = None
    setup_events: int = 0

    @property
    def created(self) -> int:
        return self.statuses.get("201", 0)

    @property
    def per_second(self) -> float:
        return self.created / self.seconds if self.seconds else 0.0


class Server:
    """`sunlight serve` as a subprocess in its own process group, logging to a file."""

    def __init__(self, env: dict[str, str], log_path: Path, workers: int) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = log_path.open("wb")
        self._stopped = False
        self.process = subprocess.Popen(
            [*sunlight_command(), "serve", "--port", str(self.port), "--workers", str(workers)],
            env=env, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join("    | " + line for line in text[-lines:])

    def wait_ready(self, timeout: float = START_TIMEOUT) -> float:
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"sunlight serve exited with {self.process.returncode}:\n"
                                   + self.log_tail())
            try:
                if requests.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return time.perf_counter() - started
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"sunlight serve did not answer within {timeout:.0f} s:\n"
                           + self.log_tail())

    def stop(self) -> None:
        """SIGTERM to `sunlight serve`, which stops gunicorn and the projector; then sweep."""
        if self._stopped:
            return
        self._stopped = True
        try:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    say(f"  ! sunlight serve did not stop within {STOP_TIMEOUT:.0f} s; killed")
                    self._signal_group(signal.SIGKILL)
                    self.process.wait(timeout=10)
            # Anything of ours still alive in the group (e.g. after a kill) goes too.
            if self._signal_group(signal.SIGTERM):
                time.sleep(2)
                self._signal_group(signal.SIGKILL)
        finally:
            self._log.close()

    def _signal_group(self, signum: int) -> bool:
        try:
            os.killpg(self.process.pid, signum)
        except (ProcessLookupError, PermissionError):
            return False
        return True


def check(response: requests.Response, what: str) -> dict[str, Any]:
    if response.status_code != 201:
        raise RuntimeError(f"{what}: HTTP {response.status_code} {response.text[:300]}")
    return response.json()


def make_admin(env: dict[str, str]) -> dict[str, str]:
    """An admin made with the operator's commands, and the header its token goes in."""
    for command in (("users", "create", ACTOR, "--name", "基准测试", "--admin"),
                    ("tokens", "create", ACTOR, "--label", "benchmark")):
        done = subprocess.run([*sunlight_command(), *command], env=env, text=True,
                              capture_output=True, stdin=subprocess.DEVNULL, timeout=120)
        if done.returncode:
            raise RuntimeError(f"sunlight {' '.join(command)}: {done.stdout}{done.stderr}")
    return {"Authorization": f"Bearer {done.stdout.strip().splitlines()[-1]}"}


def set_up_books(base: str, auth: dict[str, str], org: str = ORG) -> None:
    with requests.Session() as session:
        session.headers.update(auth)
        check(session.post(f"{base}/api/v1/orgs", json={
            "code": org, "name_zh": "基准村股份经济合作社", "kind": "village_collective",
            "books_start": BOOKS_START}, timeout=REQUEST_TIMEOUT),
            "registering the organization")
        check(session.post(f"{base}/api/v1/orgs/{org}/roles", json={
            "login": ACTOR, "role": "accountant", "reason": "benchmark"},
            timeout=REQUEST_TIMEOUT), "granting the accountant's role")
        for parent, code, name in SUB_ACCOUNTS:
            check(session.post(f"{base}/api/v1/orgs/{org}/accounts", json={
                "parent": parent, "code": code, "name_zh": name},
                timeout=REQUEST_TIMEOUT), f"opening account {code}")


def status(base: str, auth: dict[str, str]) -> dict[str, Any]:
    response = requests.get(f"{base}/api/v1/status", headers=auth, timeout=REQUEST_TIMEOUT)
    response.raise_for_status()
    return response.json()


def post_vouchers(base: str, count: int, clients: int, auth: dict[str, str],
                  orgs: tuple[str, ...] = (ORG,), lean: bool = False) -> HttpResult:
    """`count` vouchers posted by `clients` threads, the i-th to the organization orgs[i % n].
    `lean`: through tests/benchmarks/lean_http.py, whose clients cost the machine little."""
    paths = [f"/api/v1/orgs/{org}/vouchers" for org in orgs]
    bodies = [voucher_body(i) for i in range(count)]
    requests_ = ([request_bytes(base, paths[i % len(paths)], bodies[i], auth)
                  for i in range(count)] if lean else [])
    numbers = itertools.count()
    guard = threading.Lock()
    stop = threading.Event()
    statuses: Counter[str] = Counter()
    latencies: list[float] = []
    errors: list[str] = []
    start = threading.Barrier(clients + 1)

    def send(session: Any, i: int) -> tuple[str, str]:
        if lean:
            code, body = session.send(requests_[i])
            return str(code), body.decode(errors="replace")
        response = session.post(base + paths[i % len(paths)], json=bodies[i],
                                timeout=REQUEST_TIMEOUT)
        return str(response.status_code), response.text

    def client() -> None:
        session: Any = (LeanConnection(base, REQUEST_TIMEOUT) if lean
                        else requests.Session())
        if not lean:
            session.headers.update(auth)
        try:
            start.wait()
            while not stop.is_set():
                with guard:
                    i = next(numbers)
                if i >= count:
                    return
                began = time.perf_counter()
                try:
                    code, text = send(session, i)
                except (requests.RequestException, OSError, LeanError) as error:
                    code, text = type(error).__name__, str(error)
                elapsed = time.perf_counter() - began
                with guard:
                    statuses[code] += 1
                    if code == "201":
                        latencies.append(elapsed)
                    elif len(errors) < 5:
                        errors.append(f"{code}: {text[:300]}")
        finally:
            session.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    try:
        start.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - began
    finally:
        stop.set()
    return HttpResult(count, clients, seconds, statuses, latencies, errors)


def wait_projected(base: str, auth: dict[str, str],
                   timeout: float = 120.0) -> tuple[int, float | None]:
    """The live projector's lag when posting ends, and how long it took to reach zero."""
    began = time.perf_counter()
    lag_at_end = status(base, auth)["lag"]
    lag = lag_at_end
    while lag > 0:
        if time.perf_counter() - began > timeout:
            return lag_at_end, None
        time.sleep(0.05)
        lag = status(base, auth)["lag"]
    return lag_at_end, time.perf_counter() - began


def http_vouchers(storage: Storage, work: Path, stack: ExitStack, args: argparse.Namespace
                  ) -> HttpResult:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUNLIGHT_")}
    env |= {"SUNLIGHT_DATA_DIR": str(storage.data_dir),
            "SUNLIGHT_DATABASE_URL": storage.database_url,
            "SUNLIGHT_LOG_LEVEL": "warning"}
    for name in ("SUNLIGHT_THREADS", "SUNLIGHT_DB_POOL_SIZE", "SUNLIGHT_DB_MAX_OVERFLOW"):
        if name in os.environ:  # deliberate tuning of the product is kept
            env[name] = os.environ[name]
    auth = make_admin(env)
    server = Server(env, work / "serve.log", workers=2)
    stack.callback(server.stop)
    ready = server.wait_ready()
    say(f"  server up on port {server.port} in {ready:.1f} s (log: {server.log_path})")
    set_up_books(server.base, auth)
    setup_events = status(server.base, auth)["log_head"]
    result = post_vouchers(server.base, args.vouchers, args.clients, auth)
    result.setup_events = setup_events
    if server.process.poll() is not None:
        raise RuntimeError("sunlight serve died while posting:\n" + server.log_tail())
    result.lag_at_end, result.drained_in = wait_projected(server.base, auth)
    server.stop()
    return result


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


def sqlite_storage(work: Path) -> Storage:
    return Storage(database_url=f"sqlite:///{work / 'events.sqlite'}", data_dir=work)


def raw_env(storage: Storage, work: Path) -> dict[str, str]:
    if storage.is_postgres:
        env = storage.env(create_tables=True)
        env.pop("AGGREGATE_CACHE_MAXSIZE", None)
        return env
    return {"PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(work / "raw.sqlite"), "CREATE_TABLE": "y"}


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
