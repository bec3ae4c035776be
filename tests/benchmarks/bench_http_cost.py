"""Benchmark: the CPU one HTTP voucher costs the serving process, beside the CPU of one raw
append of an equivalent event, on SQLite and PostgreSQL, in one run (goal 3: the ratio).

    PYTHONPATH=. .venv/bin/python tests/benchmarks/bench_http_cost.py
        [--backends sqlite,postgres] [--vouchers 500] [--appends 1000] [--rounds 3]
        [--profile sqlite] [--postgres-url URL]

The Flask app runs in this process (the WSGI test client, no sockets, no projector), so the
process's own CPU time per request is what a gunicorn worker spends on it, less the socket
and HTTP parsing gunicorn adds. The raw append is bench.py's figure (a): a minimal Application
saving one new aggregate whose event is as large as a voucher's. Rounds interleave the raw
appends and the vouchers so that a busy spell of the shared machine falls on both; the best of
each is kept. --profile BACKEND prints cProfile's top functions of one round of vouchers.
This is not a test: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher

from infra.storage import Storage
from tests.benchmarks.bench_kit import (
    DEFAULT_POSTGRES_URL,
    ORG,
    SUB_ACCOUNTS,
    Blob,
    RawApp,
    blob_state_size,
    pg_connection,
    raw_env,
    say,
    voucher_body,
    voucher_posted_size,
    with_schema,
)


def raw_cpu_ms(env: dict[str, str], target_size: int, count: int) -> tuple[float, float]:
    """CPU ms and wall ms of one raw append of an event of the voucher's size."""
    app = RawApp(env=env)
    try:
        payload = "x" * max(0, target_size - blob_state_size(app, 0))
        for _ in range(min(50, count)):  # warm up the connection and the statement cache
            app.save(Blob(payload=payload))
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(count):
            app.save(Blob(payload=payload))
        return ((time.process_time() - cpu) * 1000 / count,
                (time.perf_counter() - wall) * 1000 / count)
    finally:
        app.close()


class Village:
    """The app in this process, an admin who is the village's accountant, and the books open."""

    def __init__(self, storage: Storage) -> None:
        from api import create_app
        self.app = create_app(storage, passwords=PasswordHasher(time_cost=1, memory_cost=8,
                                                                parallelism=1))
        ledger = self.app.extensions["sunlight"].ledger
        ledger.identity.create_user(login="bench", display_name="基准测试",
                                    password="a long password", actor="bench")
        ledger.identity.grant_role("bench", org="*", role="admin", reason="bench", actor="bench")
        _, token = ledger.identity.issue_token("bench", label="bench", expires_at=None,
                                               actor="bench")
        self.client = self.app.test_client()
        self.client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        self._check(self.client.post("/api/v1/orgs", json={
            "code": ORG, "name_zh": "基准村股份经济合作社", "kind": "village_collective",
            "books_start": "2025-01-01"}))
        self._check(self.client.post(f"/api/v1/orgs/{ORG}/roles", json={
            "login": "bench", "role": "accountant", "reason": "bench"}))
        for parent, code, name in SUB_ACCOUNTS:
            self._check(self.client.post(f"/api/v1/orgs/{ORG}/accounts", json={
                "parent": parent, "code": code, "name_zh": name}))
        self.posted = 0

    @staticmethod
    def _check(response: Any) -> None:
        if response.status_code != 201:
            raise RuntimeError(f"{response.status_code}: {response.get_data(as_text=True)}")

    def post(self, count: int) -> tuple[float, float]:
        """CPU ms and wall ms of one voucher posted through the API."""
        bodies = [voucher_body(self.posted + i) for i in range(count)]
        url = f"/api/v1/orgs/{ORG}/vouchers"
        cpu, wall = time.process_time(), time.perf_counter()
        for body in bodies:
            self._check(self.client.post(url, json=body))
        self.posted += count
        return ((time.process_time() - cpu) * 1000 / count,
                (time.perf_counter() - wall) * 1000 / count)

    def close(self) -> None:
        self.app.extensions["sunlight"].close()


def profile(village: Village, count: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    village.post(count)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(60)
    say(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(40)
    say(out.getvalue())


def run_backend(name: str, args: argparse.Namespace, target_size: int) -> None:
    with ExitStack() as stack:
        work = Path(tempfile.mkdtemp(prefix=f"sunlight-bench-cost-{name}-"))
        stack.callback(shutil.rmtree, work, ignore_errors=True)
        if name == "sqlite":
            storage = Storage(database_url=f"sqlite:///{work / 'events.sqlite'}", data_dir=work)
        else:
            schema = f"bench_{uuid.uuid4().hex[:12]}"
            storage = Storage(database_url=with_schema(args.postgres_url, schema), data_dir=work)
            with pg_connection(storage) as conn:
                conn.execute(f'CREATE SCHEMA "{schema}"')

            def drop_schema() -> None:
                with pg_connection(storage) as conn:
                    conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

            stack.callback(drop_schema)
        village = Village(storage)
        stack.callback(village.close)
        village.post(min(50, args.vouchers))  # warm up: caches, statements, the month's number
        raws, posts = [], []
        for n in range(args.rounds):
            raws.append(raw_cpu_ms(raw_env(storage, work), target_size, args.appends))
            posts.append(village.post(args.vouchers))
            say(f"  [{name}] round {n + 1}: raw {raws[-1][0]:.3f} ms CPU "
                f"({raws[-1][1]:.3f} wall), voucher {posts[-1][0]:.3f} ms CPU "
                f"({posts[-1][1]:.3f} wall)")
        raw, post = min(raws), min(posts)
        say(f"{name}: raw append {raw[0]:.3f} ms CPU ({raw[1]:.3f} wall); HTTP voucher "
            f"{post[0]:.3f} ms CPU ({post[1]:.3f} wall); ratio raw/voucher: CPU "
            f"{raw[0] / post[0]:.3f}, wall {raw[1] / post[1]:.3f} (best of {args.rounds}; "
            f"load {os.getloadavg()[0]:.2f})")
        if args.profile == name:
            profile(village, args.vouchers)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--vouchers", type=int, default=500)
    parser.add_argument("--appends", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", default="")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    args = parser.parse_args(argv)
    os.environ.setdefault("SUNLIGHT_LOG_LEVEL", "warning")
    target_size = voucher_posted_size()
    for name in [b.strip() for b in args.backends.split(",") if b.strip()]:
        run_backend(name, args, target_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
