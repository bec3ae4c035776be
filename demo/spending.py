"""The demo village's October 2026 under democratic decision: the east road's second phase
decided by 四议两公开 with its budget, a county road grant, payments approved up the ladder, a
rent receipt, and the red flags an auditor would want to see (a split purchase, a bare IOU).
"""

from __future__ import annotations

from datetime import date

from demo.village import DEMO_ORG
from demo.village_entries import BANK, CASH
from ledger.application import Ledger
from ledger.books import red_flag_id

ACCOUNTANT = "kuaiji"
DIGEST = "7" * 63
ROAD = "M2026-0002"  # M2026-0001 is the 2025 distribution, proposed in January
# (step, day, body, entitled, present, for, against, abstain)
MEETINGS = (
    ("deliberate", 8, "joint_meeting", 9, 9, 9, 0, 0),
    ("review", 10, "party_meeting", 42, 36, 34, 1, 1),
    ("decide", 12, "representatives_meeting", 45, 40, 37, 2, 1),
)


def _day(day: int) -> date:
    return date(2026, 10, day)


def _approve(app: Ledger, number: str, *approvers: str) -> None:
    for login in approvers:
        app.spending.approve_spending(DEMO_ORG, number, approver=login, note="同意")


def load_demo_spending(app: Ledger) -> None:
    """Post October's decisions, receipts and payments; the demo users must exist already."""
    spending = app.spending
    spending.record_receipt(DEMO_ORG, on=_day(9), category="contracting_leasing",
                            payer="李建国", amount=1_200_000, paid_into=BANK,
                            relates_to="2026", account="50101", summary="收李建国鱼塘承包费",
                            actor=ACCOUNTANT)
    _east_road(app)
    office = spending.request_spending(
        DEMO_ORG, on=_day(16), payee="县城文具店", purpose="村部办公用品", amount=68_000,
        account="51302", receipt_count=1, actor=ACCOUNTANT).value
    _approve(app, office.number, "caiwu")
    spending.pay_spending(DEMO_ORG, office.number, on=_day(16), amount=68_000, paid_from=CASH,
                          actor=ACCOUNTANT)
    # Three purchases from one shop within a week, each under the finance lead's 1,000.00.
    for day, receipts in ((20, 1), (22, 1), (26, 0)):
        bought = spending.request_spending(
            DEMO_ORG, on=_day(day), payee="红星五金店", purpose="村部维修材料", amount=40_000,
            account="51302", receipt_count=receipts, actor=ACCOUNTANT).value
        _approve(app, bought.number, "caiwu")
        spending.pay_spending(DEMO_ORG, bought.number, on=_day(day), amount=40_000,
                              paid_from=CASH, actor=ACCOUNTANT)
    lights = spending.request_spending(
        DEMO_ORG, on=_day(29), payee="县供电所", purpose="路灯线路维修", amount=240_000,
        account="51402", receipt_count=1, actor=ACCOUNTANT).value
    _approve(app, lights.number, "cunwei")
    # The cash brought forward was over the limit; the committee says why, and it stays listed.
    app.books.acknowledge_red_flag(
        DEMO_ORG, str(red_flag_id(DEMO_ORG, "cash_over_limit", "2025-01-0001")),
        reason="上年结转的库存现金超过限额，已要求出纳尽快存入银行基本户。", actor="jiandu")


def _east_road(app: Ledger) -> None:
    """The east road's second phase: decided by 四议两公开, part-paid from the county's grant."""
    spending = app.spending
    matter = spending.propose_matter(
        DEMO_ORG, on=_day(6), title="东路硬化二期工程", category="project",
        description="东路二期 800 米水泥硬化，宽 4.5 米，含排水边沟。",
        proposed_by="party_branch", budget_total=6_000_000,
        budget_lines=[{"account": "153", "item": "工程款", "amount": 5_500_000},
                      {"account": "513", "item": "监理及检测费", "amount": 500_000}],
        actor=ACCOUNTANT).value
    for step, day, body, entitled, present, yes, no, abstain in MEETINGS:
        spending.hold_meeting(DEMO_ORG, matter.number, step=step, on=_day(day), body=body,
                              entitled=entitled, present=present, votes_for=yes,
                              votes_against=no, abstain=abstain,
                              resolution_no="阳光村决〔2026〕5号", minutes=f"会议记录第{day}页",
                              actor=ACCOUNTANT)
    grant = spending.record_grant(
        DEMO_ORG, on=_day(13), kind="earmarked", name="农村道路修缮专项资金",
        grantor="县交通运输局", amount=2_000_000, account="24101", paid_into=BANK,
        matter=matter.number, purpose_accounts=["153"], actor=ACCOUNTANT).value
    advance = spending.request_spending(
        DEMO_ORG, on=_day(14), payee="宏远路桥工程有限公司", purpose="东路硬化二期预付款",
        amount=1_800_000, account="15301", fund_source="grant", grant=grant.number,
        matter=matter.number, receipt_digests=[DIGEST + "1"], actor=ACCOUNTANT).value
    _approve(app, advance.number, "cunwei", "shuji", "jiandu")
    spending.pay_spending(DEMO_ORG, advance.number, on=_day(15), amount=1_800_000,
                          paid_from=BANK, actor=ACCOUNTANT)
    progress = spending.request_spending(
        DEMO_ORG, on=_day(28), payee="宏远路桥工程有限公司", purpose="东路硬化二期进度款",
        amount=2_500_000, account="15301", matter=matter.number, receipt_count=1,
        actor=ACCOUNTANT).value
    _approve(app, progress.number, "cunwei", "shuji", "jiandu2")
