"""Benchmark: a year of vouchers imported from one .xlsx, against vouchers posted one by one
through the HTTP API, in the same run on the same server (`sunlight serve`, SQLite).

    .venv/bin/python tests/benchmarks/bench_import.py [--vouchers 10000] [--single 1000]
                                                      [--clients 4]

(a) single posting: `--single` four-line vouchers, one POST each, by `--clients` threads;
(b) import: `--vouchers` four-line vouchers in one sheet, one POST of the file (the server reads
    the sheet, checks every voucher and writes them all in one append), timed from the first
    byte sent to the answer; also with check_only, which reads and checks but writes nothing.
It prints vouchers per second of each and their ratio (the goal: the import ≥ 10× single
posting), and how long the live projector then took to catch up. Not a test: pytest does not
collect it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import date
from decimal import Decimal
from pathlib import Path

import requests

# beside this file: run as a script, its folder is on the path
from bench import machine
from bench_http import (
    Server,
    make_admin,
    post_vouchers,
    set_up_books,
    status,
)
from bench_kit import (
    ORG,
    say,
    sqlite_storage,
    voucher_body,
)

from api.books.voucher_cells import COLUMNS
from api.sheets import write_table

IMPORT_TIMEOUT = 600.0


def sheet_of(count: int, offset: int) -> bytes:
    """`count` vouchers as the export writes them, a row per line, numbered S1, S2, …"""
    rows: list[list[object]] = []
    for i in range(offset, offset + count):
        body = voucher_body(i)
        for line in body["lines"]:
            rows.append([f"S{i}", date.fromisoformat(body["date"]), body["summary"],
                         line["account"], "", _number(line.get("debit")),
                         _number(line.get("credit")), line["memo"], "", "记账",
                         body["attachments"], ""])
    return write_table([names[0] for names in COLUMNS.values()], rows, "xlsx", "记账凭证")


def _number(amount: str | None) -> Decimal | None:
    return None if amount is None else Decimal(amount)  # a number, as the export writes it


def send(base: str, auth: dict[str, str], data: bytes, check_only: bool) -> float:
    began = time.perf_counter()
    response = requests.post(
        f"{base}/api/v1/orgs/{ORG}/vouchers/import", headers=auth, timeout=IMPORT_TIMEOUT,
        files={"file": ("vouchers.xlsx", data)},
        data={"check_only": "true" if check_only else "false"})
    seconds = time.perf_counter() - began
    if response.status_code != (200 if check_only else 201):
        raise RuntimeError(f"import: HTTP {response.status_code} {response.text[:500]}")
    return seconds


def drained(base: str, auth: dict[str, str], timeout: float = 600.0) -> float | None:
    began = time.perf_counter()
    while status(base, auth)["lag"] > 0:
        if time.perf_counter() - began > timeout:
            return None
        time.sleep(0.1)
    return time.perf_counter() - began


def run(args: argparse.Namespace) -> None:
    with ExitStack() as stack:
        work = Path(tempfile.mkdtemp(prefix="sunlight-bench-import-"))
        storage = sqlite_storage(work)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SUNLIGHT_")}
        env |= {"SUNLIGHT_DATA_DIR": str(storage.data_dir),
                "SUNLIGHT_DATABASE_URL": storage.database_url, "SUNLIGHT_LOG_LEVEL": "warning"}
        auth = make_admin(env)
        server = Server(env, work / "serve.log", workers=2)
        stack.callback(server.stop)
        server.wait_ready()
        set_up_books(server.base, auth)

        single = post_vouchers(server.base, args.single, args.clients, auth)
        if single.created != args.single:
            raise RuntimeError(f"single posting: {dict(single.statuses)} {single.errors}")
        drained(server.base, auth)

        began = time.perf_counter()
        data = sheet_of(args.vouchers, offset=args.single)
        made = time.perf_counter() - began
        checked = send(server.base, auth, data, check_only=True)
        imported = send(server.base, auth, data, check_only=False)
        caught_up = drained(server.base, auth)
        head = status(server.base, auth)["log_head"]
        server.stop()

    rate = args.vouchers / imported
    say(f"\n{'':2}{'what':<58}{'figure':>18}")
    rows = [
        (f"(a) single posting, {args.single} vouchers by {args.clients} clients",
         f"{single.per_second:,.0f} vouchers/s"),
        (f"(b) sheet of {args.vouchers:,} vouchers ({len(data) / 1e6:.1f} MB .xlsx), "
         "written in", f"{made:.1f} s (not timed)"),
        ("    check_only (read and check, write nothing)", f"{checked:.1f} s"),
        ("    import (read, check, one write)", f"{imported:.1f} s"),
        ("    import rate", f"{rate:,.0f} vouchers/s"),
        ("    import / single posting", f"{rate / single.per_second:.1f}×"),
        ("    live projector caught up after the import in",
         f"{caught_up:.1f} s" if caught_up is not None else "not within 10 min"),
        ("    events in the log", f"{head:,}"),
    ]
    for what, figure in rows:
        say(f"  {what:<58}{figure:>18}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vouchers", type=int, default=10_000)
    parser.add_argument("--single", type=int, default=1_000)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args(argv)
    say("Sunlight Ledger: importing vouchers from a spreadsheet")
    args.backend_list = ["sqlite"]
    say(machine(args, args.backend_list))
    run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
