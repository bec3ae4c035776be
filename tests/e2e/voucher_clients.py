"""The clients of the end-to-end serve tests (test_serve.py, test_receipts_concurrency.py):
the vouchers each thread plans, how one is sent with its Idempotency-Key (retried on a dropped
connection, a 503 or a 409, every fifth first answer lost on purpose) and the tally of what the
server answered."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import requests

ORG = "e2e-village"
ACTOR = "e2e"  # the admin the server fixture made; every event must name it
THREADS = 8
PER_THREAD = 30  # 240 vouchers in all
MONTHS = ("2025-03", "2025-04")
LOSE_EVERY = 5  # the first answer to every fifth voucher is lost on purpose
LOST_ANSWER_TIMEOUT = (10.0, 0.01)  # (connect, read) seconds: the request goes, the answer not
REQUEST_TIMEOUT = 120.0  # one request; a busy 2-core machine can be slow
MAX_ATTEMPTS = 25  # per request, counting the first
POSTING_TIMEOUT = 900.0  # all threads together
READ_TIMEOUT = 120.0  # the read model catching up

SUB_ACCOUNTS = (
    ("102", "10201", "农商银行基本户"),
    ("112", "11201", "李建国（鱼塘承包户）"),
    ("501", "50101", "发包收入"),
    ("501", "50102", "出租收入"),
    ("513", "51301", "干部报酬"),
)
# (debit, credit, summary) of the kinds of voucher the threads post, in turn.
KINDS = (
    ("10201", "50101", "收取第{t}组第{i}笔发包款"),
    ("51301", "10201", "发放第{t}组第{i}笔干部报酬"),
    ("101", "10201", "第{t}组第{i}次提取备用金"),
    ("11201", "50102", "应收第{t}组第{i}笔出租收入"),
)


def fen(amount: str) -> int:
    return int(Decimal(amount) * 100)


def yuan(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


@dataclass(frozen=True)
class Planned:
    key: str  # the Idempotency-Key
    month: str
    body: dict[str, Any]
    lose_first_answer: bool

    @property
    def summary(self) -> str:
        return self.body["summary"]

    @property
    def amount(self) -> int:
        return fen(self.body["lines"][0]["debit"])


def plan(thread: int) -> list[Planned]:
    planned = []
    for i in range(PER_THREAD):
        month = MONTHS[(thread + i) % len(MONTHS)]
        day = 1 + (7 * i + thread) % 28
        debit, credit, summary = KINDS[(thread + i) % len(KINDS)]
        cents = 10_000 + 3_117 * thread + 101 * i
        planned.append(Planned(
            key=f"e2e-{thread}-{i}-{uuid.uuid4()}",
            month=month,
            body={
                "date": f"{month}-{day:02d}",
                "summary": summary.format(t=thread, i=i),
                "lines": [{"account": debit, "debit": yuan(cents), "memo": f"t{thread} v{i}"},
                          {"account": credit, "credit": yuan(cents)}],
                "attachments": 1,
            },
            lose_first_answer=i % LOSE_EVERY == thread % LOSE_EVERY,
        ))
    return planned


@dataclass(frozen=True)
class Ack:
    planned: Planned
    number: str
    id: str
    position: int | None  # Sunlight-Position; absent when the answer is a replay
    replayed: bool


@dataclass
class Tally:
    """What the clients saw on the wire."""

    requests: int = 0
    retried: int = 0  # requests that needed at least one more attempt
    lost_on_purpose: int = 0
    transport_errors: list[str] = field(default_factory=list)  # not counting those on purpose
    unavailable: list[str] = field(default_factory=list)  # 503s
    conflicts: list[str] = field(default_factory=list)  # 409 concurrent_update
    errors_500: list[str] = field(default_factory=list)
    attempts_max: int = 0

    def add(self, other: Tally) -> None:
        self.requests += other.requests
        self.retried += other.retried
        self.lost_on_purpose += other.lost_on_purpose
        self.transport_errors += other.transport_errors
        self.unavailable += other.unavailable
        self.conflicts += other.conflicts
        self.errors_500 += other.errors_500
        self.attempts_max = max(self.attempts_max, other.attempts_max)


TRANSPORT_ERRORS = (requests.ConnectionError, requests.exceptions.ChunkedEncodingError,
                    requests.Timeout)


def send(session: requests.Session, url: str, body: dict[str, Any], key: str, tally: Tally,
         *, lose_first_answer: bool = False) -> requests.Response:
    """POST with an Idempotency-Key. A dropped connection, a 503 or a 409 concurrent_update is
    tried again with the same key and body, which is what the key is for."""
    tally.requests += 1
    last = ""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        tally.attempts_max = max(tally.attempts_max, attempt)
        if attempt == 2:
            tally.retried += 1
        on_purpose = lose_first_answer and attempt == 1
        try:
            response = session.post(
                url, json=body, headers={"Idempotency-Key": key},
                timeout=LOST_ANSWER_TIMEOUT if on_purpose else REQUEST_TIMEOUT)
        except TRANSPORT_ERRORS as error:
            if on_purpose and isinstance(error, requests.ReadTimeout):
                tally.lost_on_purpose += 1
                continue
            last = f"{key} attempt {attempt}: {type(error).__name__}: {error}"
            tally.transport_errors.append(last)
            time.sleep(min(0.05 * 2 ** attempt, 2.0))  # back off, then try again
            continue
        if response.status_code == 503:
            last = f"{key} attempt {attempt}: 503 {response.text[:300]}"
            tally.unavailable.append(last)
            time.sleep(min(float(response.headers.get("Retry-After", "1")), 1.0))
            continue
        if response.status_code == 409 and _code(response) == "concurrent_update":
            last = f"{key} attempt {attempt}: 409 {response.text[:300]}"
            tally.conflicts.append(last)
            continue
        if response.status_code >= 500:
            tally.errors_500.append(f"{key} attempt {attempt}: {response.status_code} "
                                    f"{response.text[:300]}")
        return response
    raise AssertionError(f"no answer after {MAX_ATTEMPTS} attempts; last: {last}")


def _code(response: requests.Response) -> str | None:
    try:
        return response.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None


def read(session: requests.Session, url: str, **params: Any) -> dict[str, Any]:
    """GET, waiting out 503 read_model_behind (`after` waits at most 5 s on the server)."""
    deadline = time.monotonic() + READ_TIMEOUT
    while True:
        response = session.get(url, params=params, timeout=REQUEST_TIMEOUT)
        if response.status_code != 503 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert response.status_code == 200, \
        f"GET {url} {params}: {response.status_code} {response.text[:1000]}"
    return response.json()


def signed_in(server: Any) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {server.token}"
    return session
