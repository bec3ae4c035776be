"""Benchmark: each read model's catch-up from event one (a rebuild), in events per second of the
log, beside the raw read of the same log in the same run (issue 19's goal: each at least 0.3x
the raw read), per backend.

    PYTHONPATH=. .venv/bin/python tests/benchmarks/bench_catchup.py [--events 40000]
        [--villages 2] [--repeats 3] [--postgres URL]

The store is the store of every event (tests/fixtures/every_event: every kind of event, a few of
each) followed by `--villages` villages of `--events` events in all, each built as
tests/benchmarks/bench_reports.py builds its one (vouchers by the import, then the month closes):
the product's heavy mix, where the books handle one event in two and the other read models
almost none. The raw read is bench_audit.py's: the library's `select_notifications` in the
sealer's batch size, decoding nothing. Each round measures the raw read and every read model's
catch-up in turn (its tables emptied first, not timed), so that a busy moment of the machine
does not fall on one figure only; the best of `--repeats` rounds is printed. The sealer (audit)
has bench_audit.py. "books following" is `follow_one` (what `sunlight serve` runs) started on
the books emptied, timed until it reaches the head: one event per transaction before issue 19.
Not a test: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import projections
from infra.storage import Storage
from projections.books.view import BooksProjection
from projections.disclosure.view import DisclosuresProjection
from projections.identity.view import IdentityProjection
from projections.register.view import RegisterProjection
from projections.runner import catch_up, follow_one, open_ledger, open_view
from tests.fixtures.every_event.dump import STORE
from tests.fixtures.stores import load_store

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_audit import raw_read
from bench_reports import build

VIEWS = (BooksProjection, IdentityProjection, RegisterProjection, DisclosuresProjection)


def run(name: str, storage: Storage, events: int, villages: int, repeats: int,
        follow: bool) -> None:
    started = time.perf_counter()
    load_store(STORE, storage)
    for n in range(1, villages + 1):
        build(storage, events // villages, chunk=2_000, org=f"village-{n:02d}").close()
    app = open_ledger(storage)
    views = {p.name: open_view(storage, p, create_tables=True) for p in VIEWS}
    try:
        head = app.log_head()
        print(f"\n{name}: {head} events (the store of every event and {villages} villages), "
              f"written in {time.perf_counter() - started:.0f} s; best of {repeats}", flush=True)
        raw_read(app)  # warm the caches alike for every figure
        best: dict[str, float] = {}
        for _ in range(repeats):
            measures: list[tuple[str, Any]] = [("raw", lambda: _timed_raw(app)[1])]
            measures += [(label, lambda v=view: _rebuild(app, v)) for label, view in views.items()]
            if follow:
                measures.append(("books following", lambda: _follow(storage, app, views["books"])))
            for label, what in measures:
                took = what()
                best[label] = min(best.get(label, took), took)
        raw = head / best["raw"]
        print(f"  {'raw read of the log':<26}{raw:>10.0f} events/s")
        for label in [*views, *(["books following"] if follow else [])]:
            rate = head / best[label]
            shown = label if " " in label else f"{label} catch-up"
            print(f"  {shown:<26}{rate:>10.0f} events/s   {rate / raw:.3f}x the raw read",
                  flush=True)
    finally:
        app.close()
        for view in views.values():
            view.datastore.close()


def _timed_raw(app: Any) -> tuple[int, float]:
    began = time.perf_counter()
    count = raw_read(app)
    return count, time.perf_counter() - began


def _follow(storage: Storage, app: Any, view: Any) -> float:
    """From event one, as `sunlight serve` follows the log after a new shape of the books."""
    view.drop()
    stop = threading.Event()
    follower = threading.Thread(target=follow_one, args=(storage, BooksProjection, stop),
                                kwargs={"first_pause": 0.1}, daemon=True)
    began = time.perf_counter()
    follower.start()
    try:
        view.wait(view.application_name, app.log_head(), timeout=3600)
        return time.perf_counter() - began
    finally:
        stop.set()
        follower.join()


def _rebuild(app: Any, view: Any) -> float:
    view.drop()  # not timed: emptying the tables is not catching up
    began = time.perf_counter()
    catch_up(app, view)
    took = time.perf_counter() - began
    assert view.position() == app.log_head(), (view.name, view.position())
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=40_000, help="events of the villages")
    parser.add_argument("--villages", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3, help="rounds; the best of each counts")
    parser.add_argument("--postgres", default="", help="postgresql:// URL (a scratch schema)")
    parser.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--follow", action=argparse.BooleanOptionalAction, default=True,
                        help="also the books followed from event one by `follow_one`")
    args = parser.parse_args()
    print(f"code: {Path(projections.__file__).parent.parent}")
    with tempfile.TemporaryDirectory(prefix="sunlight-bench-catchup-") as folder:
        data = Path(folder)
        if args.sqlite:
            run("SQLite", Storage(f"sqlite:///{data / 'events.sqlite'}", data), args.events,
                args.villages, args.repeats, args.follow)
        if args.postgres:
            import psycopg

            schema = f"bench_{uuid.uuid4().hex[:12]}"
            separator = "&" if "?" in args.postgres else "?"
            try:
                run("PostgreSQL", Storage(f"{args.postgres}{separator}schema={schema}", data),
                    args.events, args.villages, args.repeats, args.follow)
            finally:
                with psycopg.connect(args.postgres, autocommit=True) as connection:
                    connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


if __name__ == "__main__":
    main()
