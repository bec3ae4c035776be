"""Benchmark: importing a village's roll from a spreadsheet, and what one membership change
costs once the roll is large, against a plain voucher posted in the same process, per backend.

    .venv/bin/python tests/benchmarks/bench_members.py [--members 2000] [--postgres URL]

The roll and the share register are one aggregate each per organization and are not snapshotted,
so each change replays the roll: the ratio shows what that costs at the village's size.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

from api.register.roll_sheets import read_roll
from api.sheets import write_table
from infra.storage import Storage
from ledger.application import Ledger
from ledger.books import Line, VoucherDraft
from ledger.kernel.personal import KEY_VARIABLE, PersonalDataCipher, new_key
from ledger.register import Quantification
from projections.register.queries import MemberQueries
from projections.register.view import RegisterProjection
from projections.runner import catch_up, create_tables, open_ledger, open_view
from tests.registers import id_number

ORG = "bench"
DAY = date(2026, 3, 9)
HEADERS = ["户号", "成员编号", "户主", "姓名", "性别", "出生日期", "身份证号", "确认依据",
           "确认日期", "决议文号", "决议日期", "人口股"]


def sheet(members: int) -> bytes:
    rows: list[list[object]] = []
    for i in range(members):
        born = date(1940 + i % 70, 1 + i % 12, 1 + i % 28)
        sex = "男" if i % 2 else "女"
        number = id_number(born, "male" if i % 2 else "female", i % 100,
                           region=f"33{i // 100 % 100:02d}{i // 10000 + 1:02d}")
        rows.append([f"{i // 4:04d}", f"{i + 1:05d}", "是" if i % 4 == 0 else "否", f"成员{i}",
                     sex, born, number, "原始确认", date(2025, 6, 1), "成员决1号",
                     date(2025, 6, 1), 40 if i % 4 == 0 else None])
    return write_table(HEADERS, rows, "xlsx", "成员名册")


def run(name: str, storage: Storage, members: int, count: int) -> None:
    create_tables(storage)
    app: Ledger = open_ledger(storage, clock=lambda: date(2026, 11, 22),
                              cipher=PersonalDataCipher.from_environ({KEY_VARIABLE: new_key()}))
    try:
        app.books.register_organization(code=ORG, name_zh="基准村", kind="village_collective",
                                        books_start=date(2026, 1, 1), actor="admin")
        app.register.define_share_class(ORG, code="population", name_zh="人口股",
                                        basis="per_person",
                                        per_person=10, actor="kuaiji")
        started = time.perf_counter()
        voucher_rate = _rate(count, lambda i: app.books.post_voucher(ORG, VoucherDraft(
            DAY, f"办公用品{i}", (Line("513", debit=100 + i), Line("102", credit=100 + i))),
            actor="kuaiji"))
        data = sheet(members)
        started = time.perf_counter()
        read = read_roll(data, "roll.xlsx", {"population": "人口股"})
        read_seconds = time.perf_counter() - started
        assert not read.problems, read.problems[:3]
        started = time.perf_counter()
        app.register.import_roll(ORG, rows=read.rows, actor="kuaiji", quantification=Quantification(
            on=date(2025, 6, 30), resolution="股改决1号", resolution_date=date(2025, 6, 28)))
        import_seconds = time.perf_counter() - started
        birth_rate = _rate(count, lambda i: app.register.confirm_member(
            ORG, name=f"新生{i}", sex="female", born=date(2026, 1, 1), household="0000",
            on=date(2026, 2, 1), basis="birth", actor="kuaiji"))
        view = open_view(storage, RegisterProjection)
        started = time.perf_counter()
        catch_up(app, view)
        project_seconds = time.perf_counter() - started
        started = time.perf_counter()
        register = MemberQueries(view).register(ORG, on=date(2026, 1, 31))
        query_seconds = time.perf_counter() - started
        view.datastore.close()
        print(f"[{name}] a roll of {members} members, {len(register['holders'])} holders")
        print(f"  read the xlsx                     {read_seconds:8.2f} s "
              f"({members / read_seconds:,.0f} rows/s)")
        print(f"  import (all or nothing, one write) {import_seconds:7.2f} s "
              f"({members / import_seconds:,.0f} rows/s)")
        print(f"  project every event               {project_seconds:8.2f} s")
        print(f"  register on a past date           {query_seconds * 1000:8.1f} ms")
        print(f"  plain voucher (baseline)          {voucher_rate:8.1f}/s  1.00")
        print(f"  confirm a birth on that roll      {birth_rate:8.1f}/s  "
              f"{birth_rate / voucher_rate:.2f}")
    finally:
        app.close()


def _rate(count: int, step: object) -> float:
    started = time.perf_counter()
    for i in range(count):
        step(i)  # type: ignore[operator]
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--postgres", default="", help="e.g. postgresql://postgres@127.0.0.1/test")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run("sqlite", Storage(database_url=f"sqlite:///{Path(folder) / 'e.sqlite'}",
                              data_dir=Path(folder)), args.members, args.count)
        if args.postgres:
            schema = f"bench_{uuid.uuid4().hex[:12]}"
            separator = "&" if "?" in args.postgres else "?"
            try:
                run("postgres", Storage(database_url=f"{args.postgres}{separator}schema={schema}",
                                        data_dir=Path(folder)), args.members, args.count)
            finally:
                import psycopg
                from psycopg import sql
                with psycopg.connect(args.postgres, autocommit=True) as conn:
                    conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                        sql.Identifier(schema)))


if __name__ == "__main__":
    main()
