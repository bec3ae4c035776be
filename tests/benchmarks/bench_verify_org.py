"""Benchmark: how one village's verifications grow with the rest of the store. The same village
(the store of every event, tests/fixtures/every_event, sealed) is kept among other villages'
events, 10k in all and then 200k; each figure is printed at both sizes with the ratio. A village's
`sunlight audit verify ORG` and `sunlight disclosures verify ORG` read its own events only, so
their ratio stays near 1; the whole store's `sunlight audit verify` is printed beside them as the
baseline that grows with the store.

    PYTHONPATH=. .venv/bin/python tests/benchmarks/bench_verify_org.py [--sizes 10000,200000]
                                                                       [--postgres URL]

The other villages are copies of the same store under ids of their own, each organization code
in their stored JSON renamed (other-0001, …), sealed like the rest. Not a test: pytest does not
collect it.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from infra.storage import Storage
from projections.audit.checkpoints import known_keys
from projections.audit.verify import verify_chain
from projections.audit.view import AuditProjection, seal
from projections.disclosure.verify import verify
from projections.runner import create_tables, open_ledger, open_view
from tests.fixtures.every_event.dump import STORE
from tests.fixtures.stores import load_store, stored_events

ORG = "sunlight-village"
ORGS = (b"sunlight-village", b"fengshou-coop")


def other_village(events: list[Any], copy: int) -> list[StoredEvent]:
    """The store again, as other organizations: new ids, the organization codes renamed."""
    renamed = []
    for e in events:
        state = bytes(e.state)
        for n, code in enumerate(ORGS):
            state = state.replace(b'"' + code + b'"', b'"other-%04d-%d"' % (copy, n))
        renamed.append(StoredEvent(originator_id=UUID(int=e.originator_id.int ^ (copy << 64)),
                                   originator_version=e.originator_version, topic=e.topic,
                                   state=state))
    return renamed


def timed(what: Callable[[], Any], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        what()
        best = min(best, time.perf_counter() - started)
    return best


def run(name: str, make: Callable[[], Storage], sizes: list[int], repeats: int) -> None:
    storage = make()
    load_store(STORE, storage)
    create_tables(storage)
    app, view = open_ledger(storage), open_view(storage, AuditProjection)
    events, copy, figures = stored_events(STORE), 0, {}
    try:
        for size in sizes:
            while app.log_head() + len(events) <= size:
                copy += 1
                app.recorder.insert_events(other_village(events, copy))
            seal(app, view)
            keys = known_keys(storage)
            checks = {
                "audit verify (whole store)": lambda k=keys: verify_chain(app, view, keys=k),
                f"audit verify {ORG}": lambda k=keys: verify_chain(app, view, org=ORG, keys=k),
                f"disclosures verify {ORG}": lambda: verify(app, ORG)}
            assert all(verify_chain(app, view, org=o, keys=keys).whole for o in (None, ORG))
            figures[app.log_head()] = {label: timed(check, repeats)
                                       for label, check in checks.items()}
    finally:
        app.close()
        view.datastore.close()
    (small, low), (large, high) = sorted(figures.items())[0], sorted(figures.items())[-1]
    print(f"\n{name}: the village's {len(events)} events among {small} and then {large} "
          f"(best of {repeats})")
    for label in low:
        print(f"  {label:<38}{low[label]:>8.3f} s {high[label]:>8.3f} s   "
              f"{high[label] / low[label]:5.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,200000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--postgres", default="", help="postgresql:// URL (a scratch schema)")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    with tempfile.TemporaryDirectory(prefix="sunlight-bench-verify-") as folder:
        data = Path(folder)
        run("SQLite", lambda: Storage(f"sqlite:///{data / 'events.sqlite'}", data / "sqlite"),
            sizes, args.repeats)
        if args.postgres:
            import psycopg

            schema = f"bench_{uuid.uuid4().hex[:12]}"
            separator = "&" if "?" in args.postgres else "?"
            try:
                run("PostgreSQL", lambda: Storage(f"{args.postgres}{separator}schema={schema}",
                                                  data / "pg"), sizes, args.repeats)
            finally:
                with psycopg.connect(args.postgres, autocommit=True) as connection:
                    connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


if __name__ == "__main__":
    main()
