"""Benchmark: sealing the hash chain and verifying it, in events per second, beside the raw read
of the same log in the same run (the goal: each at least half the raw read's rate), per backend.

    .venv/bin/python tests/benchmarks/bench_audit.py [--copies 24] [--postgres URL]

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


def run(name: str, storage: Storage, copies: int) -> None:
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
        n_raw, t_raw = timed(lambda: raw_read(app))
        n_seal, t_seal = timed(lambda: seal(app, view))
        keys = known_keys(storage)
        n_verify, t_verify = timed(lambda: verify_chain(app, view, keys=keys).events)
        assert n_raw == n_seal == n_verify == head
        raw = n_raw / t_raw
        print(f"\n{name}: {head} events ({copies} copies of the store of every event)")
        print(f"  {'raw read of the log':<28}{raw:>10.0f} events/s")
        for label, n, t in (("sealing (from event one)", n_seal, t_seal),
                            ("verifying (whole store)", n_verify, t_verify)):
            print(f"  {label:<28}{n / t:>10.0f} events/s   {n / t / raw:.2f}× the raw read")
    finally:
        app.close()
        view.datastore.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=24)
    parser.add_argument("--postgres", default="", help="postgresql:// URL (a scratch schema)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sunlight-bench-audit-") as folder:
        data = Path(folder)
        run("SQLite", Storage(f"sqlite:///{data / 'events.sqlite'}", data), args.copies)
        if args.postgres:
            import psycopg

            schema = f"bench_{uuid.uuid4().hex[:12]}"
            separator = "&" if "?" in args.postgres else "?"
            try:
                run("PostgreSQL", Storage(f"{args.postgres}{separator}schema={schema}", data),
                    args.copies)
            finally:
                with psycopg.connect(args.postgres, autocommit=True) as connection:
                    connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


if __name__ == "__main__":
    main()
