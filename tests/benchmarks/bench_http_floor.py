"""Benchmark: the ceiling of posting through this web stack on this machine, beside the raw append
(goal 3 of issue 19 asks HTTP posting for 0.5x the raw append), in one run.

    PYTHONPATH=. .venv/bin/python tests/benchmarks/bench_http_floor.py
        [--requests 3000] [--clients 8] [--appends 2000] [--rounds 3]

(a) the raw append of an event of a voucher's size on SQLite (bench.py's figure (a)), the
baseline; (f1) and (f8) the same vouchers' JSON posted by one and by --clients lean clients
(tests/benchmarks/lean_http.py) to floor_app.py, a Flask app that reads the body and answers
201 and does nothing else, served by gunicorn with the product's own settings (two gthread
workers, four threads each, the access log on). Whatever a voucher route does on top (checking
the token, validating, deciding, appending) can only be slower than (f), so (f) / (a) is the
highest ratio any voucher route on Flask and gunicorn can reach on this machine. Rounds are
interleaved (the raw appends, then both floors) and the best of each is kept.
This is not a test: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from tests.benchmarks.bench_http import post_vouchers
from tests.benchmarks.bench_kit import (
    ROOT,
    free_port,
    raw_appends,
    say,
    voucher_posted_size,
)

SETTINGS = "python:api.gunicorn_settings"


def start_floor(port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SUNLIGHT_BIND": f"127.0.0.1:{port}", "SUNLIGHT_LOG_LEVEL": "warning"}
    # The product's settings, less its start-up hooks (they open the ledger's database).
    command = [sys.executable, "-c",
               "import sys; import api.gunicorn_settings as s; del s.on_starting, s.post_fork; "
               "from gunicorn.app.wsgiapp import run; "
               "sys.argv = ['gunicorn', '-c', 'python:api.gunicorn_settings', "
               "'tests.benchmarks.floor_app:app']; run()"]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log.open("wb"),
                               stderr=subprocess.STDOUT, start_new_session=True)
    for _ in range(150):
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except requests.RequestException:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the floor app did not start:\n{log.read_text(errors='replace')[-2000:]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--appends", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="sunlight-bench-floor-"))
    port = free_port()
    server = start_floor(port, work / "floor.log")
    base, auth = f"http://127.0.0.1:{port}", {"Authorization": "Bearer floor"}
    size = voucher_posted_size()
    raw, one, many = 0.0, 0.0, 0.0
    try:
        for n in range(args.rounds):
            env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "CREATE_TABLE": "y",
                   "SQLITE_DBNAME": str(work / f"raw-{n}.sqlite")}
            raw_now = raw_appends(env, size, args.appends).per_second
            one_now = post_vouchers(base, args.requests, 1, auth, lean=True)
            many_now = post_vouchers(base, args.requests, args.clients, auth, lean=True)
            for result in (one_now, many_now):
                if result.created != args.requests:
                    raise RuntimeError(f"answers: {dict(result.statuses)} {result.errors[:2]}")
            say(f"  round {n + 1}: raw {raw_now:,.0f}/s, floor 1 client "
                f"{one_now.per_second:,.0f}/s, {args.clients} clients {many_now.per_second:,.0f}/s")
            raw, one = max(raw, raw_now), max(one, one_now.per_second)
            many = max(many, many_now.per_second)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    say(f"sqlite: (a) raw append of a {size}-byte event: {raw:,.0f}/s (ratio 1.000)")
    say(f"  (f1) floor, 1 client: {one:,.0f} requests/s, ratio {one / raw:.3f}")
    say(f"  (f{args.clients}) floor, {args.clients} clients: {many:,.0f} requests/s, "
        f"ratio {many / raw:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
