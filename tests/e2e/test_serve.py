"""End to end: `sunlight serve` with two gunicorn workers takes vouchers from many clients at once.

Eight threads start together and post 240 vouchers over two months through the HTTP API, each
with its own Idempotency-Key, retrying a dropped connection, a 503 (or a 409 concurrent_update,
counted: the server should never give up under this load) with the same key and body. Every
fifth voucher's first answer is lost on purpose (the client stops waiting after 10 ms, as if the
connection had dropped), so the retry path is taken for real. Every acknowledged voucher must then
be in the read model exactly once, under the number and id its 201 gave, the numbers of each
month running 0001..N with no gap and no duplicate, and the books must tie out. Finally SIGTERM
to `serve` must stop the gunicorn master and workers and the projection process.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.e2e.voucher_clients import (
    ACTOR,
    MONTHS,
    ORG,
    PER_THREAD,
    POSTING_TIMEOUT,
    SUB_ACCOUNTS,
    THREADS,
    Ack,
    Tally,
    fen,
    plan,
    read,
    send,
    signed_in,
)

pytestmark = pytest.mark.e2e


def test_concurrent_vouchers_through_two_workers(server, storage):
    backend = "postgres" if storage.is_postgres else "sqlite"
    base = f"{server.url}/api/v1"
    orgs = f"{base}/orgs"
    vouchers_url = f"{orgs}/{ORG}/vouchers"
    deadline = time.monotonic() + 60  # the health check answers once the first worker is up
    while len(server.web_workers()) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    processes = server.remember_processes()
    workers = server.web_workers()
    projectors = [p for p in processes if "projections run" in p.cmdline]
    assert len(workers) == 2 and len(projectors) == 1, \
        f"expected a gunicorn master, 2 workers and a projection process: {processes}"
    setup = Tally()

    # -- an organization and its sub-accounts ---------------------------------------------------
    with signed_in(server) as session:
        registered = send(session, orgs, {
            "code": ORG, "name_zh": "阳光测试村股份经济合作社", "kind": "village_collective",
            "books_start": "2025-01-01"}, f"org-{uuid.uuid4()}", setup)
        assert registered.status_code == 201, registered.text
        granted = send(session, f"{orgs}/{ORG}/roles", {
            "login": ACTOR, "role": "accountant", "reason": "keeps the test village's books"},
            f"grant-{uuid.uuid4()}", setup)
        assert granted.status_code == 201, granted.text
        for parent, code, name_zh in SUB_ACCOUNTS:
            opened = send(session, f"{orgs}/{ORG}/accounts",
                          {"parent": parent, "code": code, "name_zh": name_zh},
                          f"account-{code}-{uuid.uuid4()}", setup)
            assert opened.status_code == 201, opened.text

    # -- many clients at once -------------------------------------------------------------------
    plans = [plan(t) for t in range(THREADS)]
    barrier = threading.Barrier(THREADS)

    def post_all(thread: int) -> tuple[list[Ack], list[str], Tally]:
        acks, refused, tally = [], [], Tally()
        with signed_in(server) as session:
            # A new connection per request, so both workers get requests (a kept-alive
            # connection stays with the worker that accepted it).
            session.headers["Connection"] = "close"
            barrier.wait(timeout=120)
            for planned in plans[thread]:
                response = send(session, vouchers_url, planned.body, planned.key, tally,
                                lose_first_answer=planned.lose_first_answer)
                if response.status_code != 201:
                    refused.append(f"{planned.key}: {response.status_code} {response.text[:300]}")
                    continue
                body = response.json()
                position = response.headers.get("Sunlight-Position")
                acks.append(Ack(planned, body["number"], body["id"],
                                int(position) if position else None,
                                response.headers.get("Idempotent-Replayed") == "true"))
        return acks, refused, tally

    cpu_before = {worker.pid: worker.cpu_seconds() for worker in workers}
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [pool.submit(post_all, t) for t in range(THREADS)]
        results = [future.result(timeout=POSTING_TIMEOUT) for future in futures]
    seconds = time.monotonic() - started
    cpu_used = [round(w.cpu_seconds() - cpu_before[w.pid], 1) for w in server.web_workers()
                if w.pid in cpu_before]

    acks = [ack for result in results for ack in result[0]]
    refused = [reason for result in results for reason in result[1]]
    tally = Tally()
    for result in results:
        tally.add(result[2])
    tally.add(setup)
    total = THREADS * PER_THREAD
    print(f"\n[{backend}] {len(acks)}/{total} vouchers acknowledged by {THREADS} threads in "
          f"{seconds:.1f} s ({len(acks) / seconds:.0f}/s; CPU seconds of the two workers: "
          f"{cpu_used}); {tally.requests} POSTs, {tally.retried} needed a retry "
          f"({tally.lost_on_purpose} answers lost on purpose; other transport errors: "
          f"{len(tally.transport_errors)}; 503s: {len(tally.unavailable)}; "
          f"409 concurrent_update: {len(tally.conflicts)}; most attempts for one request: "
          f"{tally.attempts_max}); replayed answers: {sum(ack.replayed for ack in acks)}; "
          f"500s: {len(tally.errors_500)}")
    for line in (tally.transport_errors + tally.unavailable + tally.conflicts)[:10]:
        print(f"  retried: {line}")

    assert not tally.errors_500, \
        f"500 answers: {tally.errors_500[:5]}\nserver output:\n{server.output(tail=20_000)}"
    assert not refused, f"{len(refused)} vouchers refused: {refused[:5]}"
    assert len(acks) == total

    with signed_in(server) as session:
        # -- a request sent again is answered again, not carried out again ----------------------
        for ack in acks[::PER_THREAD]:
            again = send(session, vouchers_url, ack.planned.body, ack.planned.key, setup)
            assert again.status_code == 201, again.text
            assert again.headers.get("Idempotent-Replayed") == "true"
            assert (again.json()["number"], again.json()["id"]) == (ack.number, ack.id)

        # -- the read model: every acknowledged voucher exactly once ----------------------------
        after = max(ack.position for ack in acks if ack.position is not None)
        if any(ack.position is None for ack in acks):
            # A replayed answer names no position, and the lost first answer's may be the
            # newest of all: wait for the log head then (no one writes any more).
            after = max(after, read(session, f"{base}/status")["log_head"])
        page = read(session, vouchers_url, per_page=500, after=after)
        assert page["position"] >= after
        items = page["items"]
        for number in range(2, page["pagination"]["pages"] + 1):  # none with 240 vouchers
            items += read(session, vouchers_url, per_page=500, page=number, after=after)["items"]
        assert page["pagination"]["total"] == len(items)

        acked_summaries = Counter(ack.planned.summary for ack in acks)
        read_summaries = Counter(item["summary"] for item in items)
        assert max(acked_summaries.values()) == 1, "a summary was acknowledged twice"
        doubled = {s: n for s, n in read_summaries.items() if n > 1}
        assert not doubled, f"vouchers recorded more than once: {doubled}"
        lost = set(acked_summaries) - set(read_summaries)
        assert not lost, f"acknowledged but not in the read model: {sorted(lost)[:10]}"
        unknown = set(read_summaries) - set(acked_summaries)
        assert not unknown, f"in the read model but never acknowledged: {sorted(unknown)[:10]}"
        assert len(items) == len(acks)
        assert {item["posted_by"] for item in items} == {ACTOR}, "the token's user posted them"

        by_number = {item["number"]: item for item in items}
        assert len(by_number) == len(items), "a number was given twice"
        for ack in acks:
            item = by_number.get(ack.number)
            assert item is not None, f"{ack.number} ({ack.planned.summary}) is not listed"
            assert item["id"] == ack.id, f"{ack.number}: id {item['id']}, its 201 said {ack.id}"
            assert item["summary"] == ack.planned.summary, ack.number
            assert item["date"] == ack.planned.body["date"], ack.number
            assert item["period"] == ack.planned.month, ack.number
            assert fen(item["debit_total"]) == fen(item["credit_total"]) == ack.planned.amount

        for month in MONTHS:
            numbers = sorted(ack.number for ack in acks if ack.planned.month == month)
            expected = [f"{month}-{n:04d}" for n in range(1, len(numbers) + 1)]
            assert numbers == expected, f"{month}: numbers acknowledged are not 0001..N"
            listed = sorted(item["number"] for item in items if item["period"] == month)
            assert listed == expected, f"{month}: the read model's numbers are not 0001..N"

        # -- the books tie out ------------------------------------------------------------------
        for month in MONTHS:
            trial = read(session, f"{orgs}/{ORG}/reports/trial-balance", period=month,
                         after=after)
            assert trial["balanced"] is True, f"{month} trial balance: {trial['totals']}"
            posted = sum(ack.planned.amount for ack in acks if ack.planned.month == month)
            assert fen(trial["totals"]["debit"]) == fen(trial["totals"]["credit"]) == posted
        sheet = read(session, f"{orgs}/{ORG}/reports/balance-sheet", date="2025-04-30",
                     after=after)
        assert sheet["balanced"] is True

    assert not tally.conflicts, f"the server gave up on {len(tally.conflicts)} attempts"

    # -- stopping serve stops everything it started ---------------------------------------------
    stopped = server.stop()
    print(f"[{backend}] `sunlight serve` stopped in {stopped.seconds:.1f} s "
          f"(exit {stopped.returncode})")
    assert stopped.returncode == 0, \
        f"serve exited with {stopped.returncode}:\n{server.output(tail=5_000)}"
    assert not stopped.leftovers, f"still running after serve stopped: {stopped.leftovers}"
    assert not stopped.still_listening, f"something still listens on port {server.port}"
    output = server.output()
    assert "Traceback" not in output, output[-20_000:]


def test_sigterm_while_starting_stops_what_serve_started(unstarted_server):
    """`serve` starts the projection process, then waits for it to catch up with the event log
    before it starts gunicorn. A SIGTERM in that wait (here: the demo village is loaded but not
    yet projected, so the wait lasts a moment) must still stop the projection process."""
    server = unstarted_server
    loaded = server.run("demo", "load")
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    server.start()
    deadline = time.monotonic() + 60
    while not any("projections run" in p.cmdline for p in server.remember_processes()):
        assert server.process.poll() is None, f"serve stopped:\n{server.output()}"
        assert time.monotonic() < deadline, f"no projection process in 60 s:\n{server.output()}"
        time.sleep(0.01)
    if "Sunlight Ledger is at" in server.output():
        pytest.skip("serve had finished starting before the signal could be sent")

    stopped = server.stop()  # SIGTERM to serve, then a wait for it and what it started

    print(f"\nserve exited {stopped.returncode} in {stopped.seconds:.1f} s; left running: "
          f"{[(p.pid, p.cmdline) for p in stopped.leftovers]}")
    assert stopped.returncode is not None, "serve did not exit"
    assert not stopped.leftovers, (
        f"still running after serve exited ({stopped.returncode}): "
        f"{[(p.pid, p.cmdline) for p in stopped.leftovers]}\nserve's output:\n{server.output()}")
    assert not stopped.still_listening
