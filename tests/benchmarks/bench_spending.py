"""Benchmark: what the payment's atomic write (voucher, request, matter, register, warnings) and
the numbered receipt cost against posting the same voucher directly, in one process, per backend.

    .venv/bin/python tests/benchmarks/bench_spending.py [--count 200] [--postgres URL]

Prints, for SQLite and (given a URL) PostgreSQL, operations per second and the ratio of each to
the baseline of plain vouchers run in the same process on the same storage.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

from infra.storage import Storage
from ledger.application import Ledger
from ledger.books import Line, VoucherDraft
from projections.runner import create_tables, open_ledger

ORG = "bench"
DAY = date(2026, 3, 9)


def prepared(storage: Storage) -> Ledger:
    create_tables(storage)
    app = open_ledger(storage, clock=lambda: date(2026, 11, 22))
    app.books.register_organization(code=ORG, name_zh="基准村", kind="village_collective",
                                    books_start=date(2026, 1, 1), actor="admin")
    for login, role in (("caiwu", "finance_lead"), ("kuaiji", "accountant")):
        app.identity.create_user(login=login, display_name=login, password="a long password",
                                 actor="admin")
        app.identity.grant_role(login, org=ORG, role=role, reason="bench", actor="admin")
    return app


def timed(count: int, step: Callable[[int], object]) -> float:
    started = time.perf_counter()
    for i in range(count):
        step(i)
    return count / (time.perf_counter() - started)


def run(name: str, storage: Storage, count: int) -> None:
    app = prepared(storage)
    try:
        def voucher(i: int) -> object:
            return app.books.post_voucher(ORG, VoucherDraft(DAY, f"办公用品{i}", (
                Line("513", debit=100 + i), Line("102", credit=100 + i)), attachments=1),
                actor="kuaiji")

        def payment(i: int) -> object:
            number = app.spending.request_spending(ORG, on=DAY, payee=f"商店{i}",
                                                   purpose=f"办公用品{i}",
                                                   amount=100 + i, account="513", receipt_count=1,
                                                   actor="kuaiji").value.number
            app.spending.approve_spending(ORG, number, approver="caiwu")
            return app.spending.pay_spending(ORG, number, on=DAY, amount=100 + i, paid_from="102",
                                             actor="kuaiji")

        def receipt(i: int) -> object:
            return app.spending.record_receipt(ORG, on=DAY, category="other", payer=f"付款人{i}",
                                               amount=100 + i, paid_into="102", actor="kuaiji")

        baseline = timed(count, voucher)
        paid = timed(count, payment)
        received = timed(count, receipt)
        print(f"[{name}] {count} each, one client, in process")
        print(f"  plain voucher (baseline)          {baseline:8.1f}/s  1.00")
        print(f"  request + approve + pay           {paid:8.1f}/s  {paid / baseline:.2f}")
        print(f"  numbered receipt and its voucher  {received:8.1f}/s  {received / baseline:.2f}")
    finally:
        app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--postgres", default="", help="e.g. postgresql://postgres@127.0.0.1/test")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run("sqlite", Storage(database_url=f"sqlite:///{Path(folder) / 'e.sqlite'}",
                              data_dir=Path(folder)), args.count)
        if args.postgres:
            schema = f"bench_{uuid.uuid4().hex[:12]}"
            separator = "&" if "?" in args.postgres else "?"
            try:
                run("postgres", Storage(database_url=f"{args.postgres}{separator}schema={schema}",
                                        data_dir=Path(folder)), args.count)
            finally:
                import psycopg
                from psycopg import sql
                with psycopg.connect(args.postgres, autocommit=True) as conn:
                    conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                        sql.Identifier(schema)))


if __name__ == "__main__":
    main()
