"""End to end: receipt numbers (收据号) stay gap-free when many clients record income at once
through the real `sunlight serve` with two gunicorn workers.

Eight threads start together and record 200 receipts, each with its own Idempotency-Key; every fifth
first answer is lost on purpose and the request retried with the same key. Every acknowledged
receipt must then be listed exactly once, under the number its 201 gave, the year's numbers
running R2025-0001..N with no gap and no repeat, each with its own posted voucher.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.e2e.voucher_clients import ACTOR, Tally, fen, read, send, signed_in

pytestmark = pytest.mark.e2e

ORG = "e2e-receipts"
THREADS = 8
PER_THREAD = 25
LOSE_EVERY = 5


def body(thread: int, i: int) -> dict[str, Any]:
    return {"date": f"2025-03-{1 + i % 28:02d}", "category": "contracting_leasing",
            "payer": f"承包户{thread}-{i}", "amount": f"{100 + thread * 100 + i}.50",
            "paid_into": "102", "relates_to": "2025"}


def test_receipt_numbers_are_gap_free_under_concurrent_posting(server, storage):
    backend = "postgres" if storage.is_postgres else "sqlite"
    orgs = f"{server.url}/api/v1/orgs"
    receipts_url = f"{orgs}/{ORG}/receipts"
    deadline = time.monotonic() + 60
    while len(server.web_workers()) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    setup = Tally()
    with signed_in(server) as session:
        registered = send(session, orgs, {
            "code": ORG, "name_zh": "收据测试村股份经济合作社", "kind": "village_collective",
            "books_start": "2025-01-01"}, f"org-{uuid.uuid4()}", setup)
        assert registered.status_code == 201, registered.text
        granted = send(session, f"{orgs}/{ORG}/roles", {
            "login": ACTOR, "role": "accountant", "reason": "records the test village's income"},
            f"grant-{uuid.uuid4()}", setup)
        assert granted.status_code == 201, granted.text

    barrier = threading.Barrier(THREADS)

    def record_all(thread: int) -> tuple[list[tuple[str, dict[str, Any]]], list[str], Tally]:
        acks, refused, tally = [], [], Tally()
        with signed_in(server) as session:
            session.headers["Connection"] = "close"  # spread requests over both workers
            barrier.wait(timeout=120)
            for i in range(PER_THREAD):
                sent = body(thread, i)
                lose = (thread * PER_THREAD + i) % LOSE_EVERY == 0
                response = send(session, receipts_url, sent, f"receipt-{thread}-{i}-{uuid.uuid4()}",
                                tally, lose_first_answer=lose)
                if response.status_code != 201:
                    refused.append(f"{response.status_code} {response.text[:300]}")
                    continue
                acks.append((response.json()["number"], response.json() | {"sent": sent}))
        return acks, refused, tally

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(record_all, range(THREADS)))
    seconds = time.monotonic() - started
    acks = [ack for result in results for ack in result[0]]
    refused = [reason for result in results for reason in result[1]]
    tally = Tally()
    for result in results:
        tally.add(result[2])
    total = THREADS * PER_THREAD
    print(f"\n[{backend}] {len(acks)}/{total} receipts in {seconds:.1f} s; {tally.retried} "
          f"retried ({tally.lost_on_purpose} answers lost on purpose), 409 concurrent_update: "
          f"{len(tally.conflicts)}, 500s: {len(tally.errors_500)}")
    assert not tally.errors_500, tally.errors_500[:3]
    assert not refused, refused[:5]
    numbers = sorted(number for number, _ in acks)
    assert numbers == [f"R2025-{n:04d}" for n in range(1, total + 1)], \
        "the numbers acknowledged are not R2025-0001..N, each once"

    with signed_in(server) as session:
        head = read(session, f"{server.url}/api/v1/status")["log_head"]
        listed = read(session, receipts_url, per_page=500, after=head)["items"]
    assert Counter(item["number"] for item in listed) == Counter(numbers)
    by_number = {item["number"]: item for item in listed}
    vouchers = set()
    for number, answer in acks:
        item = by_number[number]
        assert item["payer"] == answer["sent"]["payer"], number
        assert fen(item["amount"]) == fen(answer["sent"]["amount"]), number
        assert item["voucher"] == answer["voucher"], number
        vouchers.add(item["voucher"])
    assert len(vouchers) == total, "each receipt has its own voucher"
    assert not tally.conflicts, f"the server gave up on {len(tally.conflicts)} attempts"
