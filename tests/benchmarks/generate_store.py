"""Generate a store for the benchmarks: EVENTS events over VILLAGES villages, written by the
product's bulk path, the voucher import (`Ledger.books.import_vouchers`, a few thousand vouchers
per append), each village built as tests/benchmarks/bench_reports.py builds its one: registered,
its sub-accounts opened, its vouchers (a four-line receipt and a two-line payment, alternately)
spread over 2025-01 to 2026-11, the months before the last closed, 2025 by the year-end close.

    PYTHONPATH=. .venv/bin/python tests/benchmarks/generate_store.py --events 1000000 \\
        --villages 50 --to sqlite:////tmp/store/events.sqlite [--data /tmp/store]
    PYTHONPATH=. .venv/bin/python tests/benchmarks/generate_store.py --events 1000000 \\
        --villages 50 --to 'postgresql://postgres@127.0.0.1:5432/test?schema=store_1m'

The store is not committed anywhere; the read models are left to `sunlight projections rebuild`
(or the first `sunlight serve`). It prints the time each village took and the events written.
Not a test: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from infra.storage import Storage
from tests.benchmarks.bench_reports import build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--villages", type=int, default=50)
    parser.add_argument("--to", required=True, help="the database URL to write the store into")
    parser.add_argument("--data", default="", help="its data folder (keys); a new one if empty")
    args = parser.parse_args()
    data = Path(args.data or tempfile.mkdtemp(prefix="sunlight-store-"))
    storage = Storage(args.to, data)
    started, each = time.perf_counter(), args.events // args.villages
    for n in range(1, args.villages + 1):
        at = time.perf_counter()
        app = build(storage, each, org=f"village-{n:02d}")
        try:
            head = app.log_head()
        finally:
            app.close()
        print(f"village-{n:02d}: {time.perf_counter() - at:6.1f} s, {head} events in the store",
              flush=True)
    print(f"{head} events over {args.villages} villages in {time.perf_counter() - started:.0f} s "
          f"({storage.describe()}, data folder {data})")


if __name__ == "__main__":
    main()
