"""Benchmark: the balance sheet and a village's public page read from a streaming replica, beside
the same reads from the primary, measured in the same run.

    PYTHONPATH=. .venv/bin/python tests/benchmarks/bench_replica.py [--vouchers 300]
        [--reads 100] [--rounds 5]

It starts a PostgreSQL primary and a `pg_basebackup -R` replica of it as local processes
(tests/replica_cluster.py, on this machine: the replica shares its cores, so this measures what
routing a read costs, not the capacity a replica host adds). One village gets `--vouchers`
vouchers, projected on the primary. Two apps read it in process (Flask's test client): one with
no replica, one with the replica. The first two pages name the log's head (`?after=`): the
primary then waits for every read model to include it (as any read with `?after=` does), a
replica's position is checked for the page's own read models; the third names no position.
Each round times `--reads` reads per app and page, alternating the two apps; the best round of
each is printed, reads per second, with the ratio replica/primary.
Not a test: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from flask.testing import FlaskClient

from api import create_app
from infra.storage import Storage
from projections.runner import catch_up_all
from tests.api.conftest import FAST_HASHER, ORG, make_user, signed_in, voucher
from tests.replica_cluster import new_cluster, postgres_bin


def village(client: FlaskClient, vouchers: int) -> str:
    assert client.post("/api/v1/orgs", json=ORG).status_code == 201
    client.post("/api/v1/orgs/v1/roles", json={"login": "wang", "role": "accountant",
                                               "reason": "keeps the books"})
    client.post("/api/v1/orgs/v1/accounts", json={"parent": "501", "code": "50101",
                                                  "name_zh": "发包收入"})
    for number in range(vouchers):
        day = f"2025-{1 + number % 12:02d}-{1 + number % 28:02d}"
        response = client.post("/api/v1/orgs/v1/vouchers", json=voucher(day, "100.00"))
        assert response.status_code == 201, response.get_json()
    return "v1"


def rate(read: Callable[[], None], reads: int) -> float:
    started = time.perf_counter()
    for _ in range(reads):
        read()
    return reads / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vouchers", type=int, default=300)
    parser.add_argument("--reads", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    bin = postgres_bin()
    if bin is None:
        raise SystemExit("no PostgreSQL server programs (initdb, pg_basebackup) here")
    cluster = new_cluster(bin)
    try:
        cluster.start()
        data = Path(tempfile.mkdtemp(prefix="sunlight-bench-replica-"))
        url = f"{cluster.primary_url}?schema=bench"
        primary_app = create_app(Storage(database_url=url, data_dir=data), passwords=FAST_HASHER)
        replica_app = create_app(Storage(database_url=url, data_dir=data,
                                         replica_urls=(cluster.replica_url,)),
                                 passwords=FAST_HASHER)
        token = make_user(primary_app, "wang", ("*", "admin"))
        clients = {"primary": signed_in(primary_app, token),
                   "replica": signed_in(replica_app, token)}
        org = village(clients["primary"], args.vouchers)
        services = primary_app.extensions["sunlight"]
        head = catch_up_all(services.ledger, services.views)
        sheet = f"/api/v1/orgs/{org}/reports/balance-sheet?date=2025-12-31"
        pages = {"balance sheet": f"{sheet}&after={head}", "public page": f"/{org}/?after={head}",
                 "sheet, no after": sheet}
        for name, address in pages.items():  # each answered, and by whom it should be
            for source, client in clients.items():
                response = client.get(address)
                assert response.status_code == 200, (name, source, response.status_code)
                assert response.headers["Sunlight-Read-From"] == source, (name, source)
        best: dict[tuple[str, str], float] = {}
        for _ in range(args.rounds):
            for name, address in pages.items():
                for source, client in clients.items():  # interleaved: the noise hits both
                    measured = rate(lambda c=client, a=address: c.get(a), args.reads)
                    best[name, source] = max(best.get((name, source), 0.0), measured)
        print(f"{args.vouchers} vouchers, {args.reads} reads per round, best of {args.rounds}")
        for name in pages:
            primary, replica = best[name, "primary"], best[name, "replica"]
            print(f"{name:16} primary {primary:7.1f}/s  replica {replica:7.1f}/s  "
                  f"replica/primary {replica / primary:.2f}")
        for flask_app in (primary_app, replica_app):
            flask_app.extensions["sunlight"].close()
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
