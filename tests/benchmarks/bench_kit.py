"""What every throughput benchmark shares (bench.py, bench_writes.py, bench_http_cost.py…): the
formatting of figures, the bench village's vouchers, and figure (a), the raw append rate of the
eventsourcing library for an event of a voucher's size, the baseline every ratio divides by.
This is not a test: pytest does not collect it.
"""


from __future__ import annotations

import random
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

from infra.storage import Storage
from ledger.application import Ledger
from ledger.books import Voucher

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



def sqlite_storage(work: Path) -> Storage:
    return Storage(database_url=f"sqlite:///{work / 'events.sqlite'}", data_dir=work)


def raw_env(storage: Storage, work: Path) -> dict[str, str]:
    if storage.is_postgres:
        env = storage.env(create_tables=True)
        env.pop("AGGREGATE_CACHE_MAXSIZE", None)
        return env
    return {"PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(work / "raw.sqlite"), "CREATE_TABLE": "y"}

