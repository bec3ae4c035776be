"""Benchmark: sealing the hash chain and verifying it, in events per second, beside the raw read
of the same log in the same run (the goal: each at least half the raw read's rate), per backend.

    PYTHONPATH=. .venv/bin/python tests/benchmarks/bench_audit.py [--copies 24] [--repeats 5]
                                                                  [--postgres URL]

The store is the store of every event (tests/fixtures/every_event) COPIES times over, each
copy's aggregates under ids of their own: the product's real mix of events and sizes. The raw
read is the library's `select_notifications` in the sealer's batch size, decoding nothing.
This is not a test: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from infra.storage import Storage
from projections.audit.chain import BATCH
from projections.audit.checkpoints import known_keys
from projections.audit.verify import verify_chain
from projections.audit.view import AuditProjection, seal
from projections.runner import create_tables, open_ledger, open_view
from tests.fixtures.every_event.dump import STORE
from tests.fixtures.stores import stored_events


def timed(what: Callable[[], int]) -> tuple[int, float]:
    started = time.perf_counter()
    count = what()
    return count, time.perf_counter() - started


def raw_read(app: object) -> int:
    count, position = 0, 0
    while True:
        batch = app.recorder.select_notifications(  # type: ignore[attr-defined]
            start=position, limit=BATCH, inclusive_of_start=False)
        if not batch:
            return count
        count += len(batch)
        position = batch[-1].id


def run(name: str, storage: Storage, copies: int, repeats: int) -> None:
    create_tables(storage)
    app = open_ledger(storage)
    view = open_view(storage, AuditProjection)
    try:
        events = stored_events(STORE)
        for copy in range(copies):
            app.recorder.insert_events([
                StoredEvent(originator_id=UUID(int=e.originator_id.int ^ copy),
                            originator_version=e.originator_version, topic=e.topic,
                            state=e.state) for e in events])
        head = app.log_head()
        raw_read(app)  # warm the caches alike for every figure
        keys = known_keys(storage)
        # Best of several rounds, the three figures interleaved in each, so that a busy moment
        # of the machine does not fall on one figure only.
        best: dict[str, float] = {}
        for _ in range(repeats):
            view.drop()  # sealing again from event one (the signed checkpoints are kept)
            for label, what in (("raw", lambda: raw_read(app)), ("seal", lambda: seal(app, view)),
                                ("verify", lambda: verify_chain(app, view, keys=keys).events)):
                count, took = timed(what)
                assert count == head, (label, count, head)
                best[label] = min(best.get(label, took), took)
        raw = head / best["raw"]
        print(f"\n{name}: {head} events ({copies} copies of the store of every event), "
              f"best of {repeats}")
        print(f"  {'raw read of the log':<28}{raw:>10.0f} events/s")
        for label, key in (("sealing (from event one)", "seal"),
                           ("verifying (whole store)", "verify")):
            rate = head / best[key]
            print(f"  {label:<28}{rate:>10.0f} events/s   {rate / raw:.2f}× the raw read")
    finally:
        app.close()
        view.datastore.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=24)
    parser.add_argument("--repeats", type=int, default=5, help="rounds; the best of each counts")
    parser.add_argument("--postgres", default="", help="postgresql:// URL (a scratch schema)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sunlight-bench-audit-") as folder:
        data = Path(folder)
        run("SQLite", Storage(f"sqlite:///{data / 'events.sqlite'}", data), args.copies,
            args.repeats)
        if args.postgres:
            import psycopg

            schema = f"bench_{uuid.uuid4().hex[:12]}"
            separator = "&" if "?" in args.postgres else "?"
            try:
                run("PostgreSQL", Storage(f"{args.postgres}{separator}schema={schema}", data),
                    args.copies, args.repeats)
            finally:
                with psycopg.connect(args.postgres, autocommit=True) as connection:
                    connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


if __name__ == "__main__":
    main()
