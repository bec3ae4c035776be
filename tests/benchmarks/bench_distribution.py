"""Benchmark: a 5,000-household village's year-end distribution — drafting the plan (read the
books and the register, share by shares), posting it in one voucher of a line per holder, and
paying every holder in one batch — beside one ordinary voucher posted in the same process on
the same storage, per backend.

    .venv/bin/python tests/benchmarks/bench_distribution.py [--households 5000] [--postgres URL]
    (or set SUNLIGHT_TEST_POSTGRES_URL)   [--profile]  prints where posting spends its time

Prints seconds, the events each step wrote, and the ratio of each step to the plain voucher.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from infra.storage import Storage
from ledger.application import Ledger
from ledger.books import Line, VoucherDraft
from ledger.kernel.personal import KEY_VARIABLE, PersonalDataCipher, new_key
from ledger.register import Quantification, RollRow
from projections.runner import create_tables, open_ledger

ORG = "bench"
YEAR_END = date(2025, 12, 31)


@dataclass
class Clock:
    today: date = date(2026, 1, 5)

    def __call__(self) -> date:
        return self.today


def roll(households: int) -> list[RollRow]:
    """One head per household, 10 population shares and 1 to 40 labour shares each."""
    return [RollRow(row=i + 2, household=f"{i + 1:05d}", name=f"户主{i + 1}", sex="male",
                    born=date(1950 + i % 50, 1 + i % 12, 1 + i % 28), confirmed_on=date(2025, 6, 1),
                    basis="original", number=f"{i + 1:05d}", head=True,
                    resolution="成员决1号", resolution_date=date(2025, 6, 1),
                    shares={"population": 10, "labour": 1 + i * 7 % 40})
            for i in range(households)]


def village(storage: Storage, households: int) -> tuple[Ledger, Clock]:
    create_tables(storage)
    clock = Clock()
    app = open_ledger(storage, clock=clock,
                      cipher=PersonalDataCipher.from_environ({KEY_VARIABLE: new_key()}))
    app.books.register_organization(code=ORG, name_zh="基准村", kind="village_collective",
                                    books_start=date(2025, 1, 1), actor="admin")
    app.books.change_settings(ORG, {"matter_steps": "decide"}, reason="基准", actor="admin")
    app.books.open_account(ORG, parent="211", code="21102", name_zh="应付收益分配",
                           actor="kuaiji")
    for code, name, basis in (("population", "人口股", "per_person"),
                              ("labour", "劳龄股", "labour"),
                              ("collective", "集体股", "collective")):
        app.register.define_share_class(ORG, code=code, name_zh=name, basis=basis,
                                        per_person=10 if basis == "per_person" else 0,
                                        cap_percent=30 if basis == "collective" else 0,
                                        actor="kuaiji")
    app.register.import_roll(ORG, rows=roll(households), actor="kuaiji",
                             quantification=Quantification(
        on=date(2025, 6, 30), resolution="股改决1号", resolution_date=date(2025, 6, 28),
        reserve={"collective": 10 * households}))
    app.books.post_voucher(ORG, VoucherDraft(date(2025, 3, 1), "发包收入", (
        Line("102", debit=10**10), Line("501", credit=10**10))), actor="kuaiji")
    app.identity.create_user(login="jiandu", display_name="监督", password="a long password",
                             actor="admin")
    app.identity.grant_role("jiandu", org=ORG, role="supervisor", reason="bench", actor="admin")
    return app, clock


def timed(app: Ledger, step: Callable[[], Any], profile: bool = False) -> tuple[float, int]:
    """Seconds the step took and the events it wrote."""
    head = app.log_head()
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler is not None:
        profiler.runcall(step)
    else:
        step()
    seconds = time.perf_counter() - started
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return seconds, app.log_head() - head


def decided_plan(app: Ledger, clock: Clock) -> tuple[str, float, int]:
    """Draft the plan (timed), disclose it, and have the members' meeting decide it."""
    matter = app.spending.propose_matter(ORG, on=date(2026, 1, 5), title="2025年度收益分配",
                                         category="distribution", description="",
                                         proposed_by="party_branch", budget_total=0,
                                         budget_lines=[], actor="kuaiji").value.number
    plan: dict[str, str] = {}

    def draft() -> None:
        plan["number"] = app.distribution.draft(
            ORG, year=2025, record_date=None, reserve={"rate": "0.30"},
            to_members={"per_share": "50.00"}, matter=matter, actor="kuaiji").value.number

    seconds, events = timed(app, draft)
    ref = str(app.disclosure.draft_disclosure(
        ORG, kind="distribution", period="2025", title="2025年度收益分配方案",
        inputs={"distribution": plan["number"], "stage": "plan"},
        content=json.dumps({"lines": []}), position=app.log_head(), actor="kuaiji").value.id)
    app.disclosure.submit_disclosure(ORG, ref, panel=["jiandu"], actor="kuaiji")
    app.disclosure.sign_disclosure(ORG, ref, member="jiandu")
    app.disclosure.publish_disclosure(ORG, ref, actor="kuaiji")
    clock.today = date(2026, 1, 16)
    app.spending.hold_meeting(ORG, matter, step="decide", on=clock.today,
                              body="members_meeting", entitled=9, present=9, votes_for=9,
                              resolution_no="基准村决1号", actor="kuaiji")
    return plan["number"], seconds, events


def run(name: str, storage: Storage, households: int, profile: bool) -> None:
    started = time.perf_counter()
    app, clock = village(storage, households)
    setup = time.perf_counter() - started
    try:
        voucher, voucher_events = timed(app, lambda: app.books.post_voucher(
            ORG, VoucherDraft(YEAR_END, "办公用品", (Line("513", debit=100),
                                                  Line("102", credit=100))), actor="kuaiji"))
        number, draft, draft_events = decided_plan(app, clock)
        post, post_events = timed(app, lambda: app.distribution.post(ORG, number,
                                                                     actor="kuaiji"), profile)
        pay, pay_events = timed(app, lambda: app.distribution.pay(
            ORG, number, holders="all", paid_from="102", on=clock.today, actor="kuaiji"), profile)
        plan = app.distribution.distribution(ORG, number)
        lines = len(app.books.voucher(ORG, plan.voucher or "").line_items)
        assert plan.status == "paid" and len(plan.paid) == households
        print(f"[{name}] {households} households (village set up in {setup:.1f} s); "
              f"the plan's voucher has {lines} lines")
        print(f"  {'step':<34}{'seconds':>9}{'events':>8}{'× voucher':>11}")
        for label, seconds, events in (
                ("one ordinary voucher (baseline)", voucher, voucher_events),
                ("draft the plan (compute)", draft, draft_events),
                ("post the plan, a line per holder", post, post_events),
                (f"pay all {households} in one batch", pay, pay_events)):
            print(f"  {label:<34}{seconds:>9.3f}{events:>8}{seconds / voucher:>11.1f}")
    finally:
        app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=5000)
    parser.add_argument("--postgres", default=os.environ.get("SUNLIGHT_TEST_POSTGRES_URL", ""))
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run("sqlite", Storage(database_url=f"sqlite:///{Path(folder) / 'e.sqlite'}",
                              data_dir=Path(folder)), args.households, args.profile)
        if args.postgres:
            schema = f"bench_{uuid.uuid4().hex[:12]}"
            separator = "&" if "?" in args.postgres else "?"
            try:
                run("postgres", Storage(database_url=f"{args.postgres}{separator}schema={schema}",
                                        data_dir=Path(folder)), args.households, args.profile)
            finally:
                import psycopg
                from psycopg import sql
                with psycopg.connect(args.postgres, autocommit=True) as conn:
                    conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                        sql.Identifier(schema)))


if __name__ == "__main__":
    main()
