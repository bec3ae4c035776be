"""A village with a year's distribution, disclosed for real (content built from the books), for
the tests of the distribution disclosure at every layer.

东村 of tests/registers.py: households 001 张大山 (85 shares), 002 王建国 (80), 003 刘志强 (35);
2025 earned 80,000.00; the plan reserves 30 % and gives 100.00 a share.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date

from ledger.application import Ledger
from projections.books.queries import BooksReader
from projections.disclosure.drafting import Draft, draft_from_books
from tests.application.test_distribution import PLAN, decide, matter, posted
from tests.conftest import Clock
from tests.registers import ORG, village_with_shares

TITLES = {"plan": "2025年度收益分配方案公示", "result": "2025年度收益分配结果公示"}


def distribution_village(app: Ledger, clock: Clock) -> tuple[str, str]:
    """The village with its 2025 plan drafted; the matter's and the plan's numbers."""
    clock.today = date(2026, 1, 5)
    village_with_shares(app, matter_steps="decide")
    app.books.open_account(ORG, parent="211", code="21102", name_zh="应付收益分配",
                           name_en="Distributions payable", actor="kuaiji")
    posted(app, "2025-03-01", "102", "501", 10_000_000)
    posted(app, "2025-09-01", "513", "102", 2_000_000)
    app.identity.create_user(login="jiandu", display_name="监督", password="a long password",
                             actor="admin")
    app.identity.grant_role("jiandu", org=ORG, role="supervisor", reason="elected",
                            actor="admin")
    number = matter(app)
    plan = app.distribution.draft(ORG, **(PLAN | {"matter": number}), actor="kuaiji")
    return number, plan.value.number


def publish(app: Ledger, read: Callable[[], AbstractContextManager[BooksReader]],
            distribution: str, stage: str) -> str:
    """Draft the disclosure from the books, have it signed and publish it; its reference."""
    ref = str(draft_from_books(app, read, ORG, Draft(
        kind="distribution", period="2025", title=TITLES[stage],
        inputs={"distribution": distribution, "stage": stage}), actor="kuaiji").value.id)
    app.disclosure.submit_disclosure(ORG, ref, panel=["jiandu"], actor="kuaiji")
    app.disclosure.sign_disclosure(ORG, ref, member="jiandu", opinion="属实")
    app.disclosure.publish_disclosure(ORG, ref, actor="kuaiji")
    return ref


def decided_and_paid(app: Ledger, clock: Clock, matter_number: str, distribution: str,
                     holders: list[str]) -> None:
    """Ten days after the plan's disclosure: decided, posted, and `holders` paid."""
    clock.today = date(2026, 1, 16)
    assert decide(app, matter_number, date(2026, 1, 16))
    app.distribution.post(ORG, distribution, actor="kuaiji")
    if holders:
        app.distribution.pay(ORG, distribution, holders=holders, paid_from="102",
                             on=date(2026, 1, 16), actor="kuaiji")
