"""Spending and income through the application, on SQLite and PostgreSQL: a payment is one atomic
write of the voucher, the request, the matter's budget, the grant and the warnings it shows, or
nothing at all; receipt numbers stay gap-free when two processes record receipts at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest
from eventsourcing.utils import get_topic

from infra.storage import Storage
from ledger.application import Ledger
from ledger.books import InsufficientFunds, Line, PaidByAnotherRecord, RedFlag, VoucherDraft
from ledger.spending import GrantMisuse, InvalidSpending, OverBudget
from projections.runner import open_ledger
from tests.conftest import Clock

ORG = "v1"
DAY = date(2026, 10, 9)
APPROVERS = {"caiwu": "finance_lead", "cunzhang": "committee", "shuji": "committee",
             "jiandu": "supervisor"}


@pytest.fixture
def village(ledger: Ledger) -> Ledger:
    ledger.books.register_organization(code=ORG, name_zh="东村", kind="village_collective",
                                       books_start=date(2026, 1, 1), actor="admin")
    for login, role in APPROVERS.items():
        ledger.identity.create_user(login=login, display_name=login, password="a long password",
                                    actor="admin")
        ledger.identity.grant_role(login, org=ORG, role=role, reason="elected", actor="admin")
    return ledger


def approved(app: Ledger, amount: int, **kwargs: Any) -> str:
    number = app.spending.request_spending(ORG, on=DAY, payee=kwargs.pop("payee", "路桥公司"),
                                           purpose=kwargs.pop("purpose", "硬化东路"), amount=amount,
                                           account=kwargs.pop("account", "153"), actor="kuaiji",
                                           **kwargs).value.number
    level = app.spending.spending_request(ORG, number).level
    for login in (["caiwu"] if level == "finance_lead" else ["cunzhang", "shuji", "jiandu"]):
        app.spending.approve_spending(ORG, number, approver=login)
    return number


def decided_matter(app: Ledger, budget: int) -> str:
    number = app.spending.propose_matter(ORG, on=date(2026, 9, 1), title="硬化东路",
                                         category="project",
                                         description="", proposed_by="party_branch",
                                         budget_total=budget,
                                         budget_lines=[], actor="kuaiji").value.number
    for step, body in (("deliberate", ""), ("review", ""), ("decide", "representatives_meeting")):
        app.spending.hold_meeting(ORG, number, step=step, on=date(2026, 9, 10), body=body,
                                  entitled=30,
                                  present=28, votes_for=26, resolution_no="东村决〔2026〕3号",
                                  actor="kuaiji")
    return number


def red_flags(app: Ledger) -> list[RedFlag]:
    topic = get_topic(RedFlag.Raised)
    return [app.repository.get(n.originator_id)
            for n in app.recorder.select_notifications(start=1, limit=10_000, topics=[topic])]


def test_a_payment_beyond_the_resolution_writes_nothing(village: Ledger) -> None:
    matter = decided_matter(village, 4_800_000)
    first = approved(village, 3_000_000, matter=matter)
    second = approved(village, 1_800_000, matter=matter)
    village.spending.pay_spending(ORG, first, on=DAY, amount=3_000_000, paid_from="102",
                                  actor="kuaiji")
    # 1,800,000.00 is left: a request within it is taken, one beyond it writes nothing.
    within = village.spending.request_spending(ORG, on=DAY, payee="路桥公司", purpose="追加",
                                               amount=1_500_000, account="153", matter=matter,
                                               actor="kuaiji")
    assert within.value.level == "resolution"
    head = village.log_head()
    with pytest.raises(OverBudget):
        village.spending.request_spending(ORG, on=DAY, payee="路桥公司", purpose="追加",
                                          amount=1_800_001, account="153", matter=matter,
                                          actor="kuaiji")
    assert village.log_head() == head
    village.spending.pay_spending(ORG, second, on=DAY, amount=1_800_000, paid_from="102",
                                  actor="kuaiji")
    assert village.spending.matter(ORG, matter).remaining == 0


def test_two_requests_approved_within_the_budget_cannot_both_be_paid_beyond_it(
        village: Ledger) -> None:
    matter = decided_matter(village, 2_000_000)
    first = approved(village, 1_500_000, matter=matter)
    second = approved(village, 1_500_000, matter=matter)
    village.spending.pay_spending(ORG, first, on=DAY, amount=1_500_000, paid_from="102",
                                  actor="kuaiji")
    head = village.log_head()
    with pytest.raises(OverBudget):
        village.spending.pay_spending(ORG, second, on=DAY, amount=1_500_000, paid_from="102",
                                      actor="kuaiji")
    assert village.log_head() == head
    assert village.spending.spending_request(ORG, second).status == "approved"


def test_earmarked_money_is_spent_on_its_purpose_only(village: Ledger) -> None:
    village.books.open_account(ORG, parent="241", code="24101", name_zh="农村道路补助",
                               actor="kuaiji")
    grant = village.spending.record_grant(ORG, on=DAY, kind="earmarked", name="农村道路补助",
                                          grantor="县交通局", amount=2_000_000, account="24101",
                                          paid_into="102", purpose_accounts=["153"],
                                          actor="kuaiji").value
    assert grant.number == "G2026-0001"
    with pytest.raises(GrantMisuse):
        village.spending.request_spending(ORG, on=DAY, payee="村干部", purpose="误工补贴",
                                          amount=50_000,
                                          account="513", fund_source="grant", grant=grant.number,
                                          actor="kuaiji")
    number = approved(village, 500_000, fund_source="grant", grant=grant.number)
    village.spending.pay_spending(ORG, number, on=DAY, amount=500_000, paid_from="102",
                                  actor="kuaiji")
    assert village.spending.grant(ORG, grant.number).unspent == 1_500_000


def test_cash_over_the_limit_after_a_receipt_raises_a_warning_once(village: Ledger) -> None:
    for payer in ("张三", "李四"):
        village.spending.record_receipt(ORG, on=DAY, category="contracting_leasing", payer=payer,
                                        amount=300_000, paid_into="101", relates_to="2026",
                                        actor="kuaiji")
    village.spending.record_receipt(ORG, on=DAY, category="other", payer="王五", amount=10_000,
                                    paid_into="101", actor="kuaiji")
    [flag] = red_flags(village)
    assert flag.kind == "cash_over_limit" and flag.trigger["after"] == "6000.00"
    assert flag.key == "2026-10-0002"


def test_cash_paid_out_beyond_the_till_by_a_voucher_raises_a_warning_once(
        village: Ledger) -> None:
    # Given 100.00 in cash, when vouchers pay out 150.00 and then 20.00 more from it,
    post = village.books.post_voucher
    post(ORG, VoucherDraft(date=DAY, summary="零星收入", lines=(
        Line("101", debit=10_000), Line("501", credit=10_000))), actor="kuaiji")
    first = post(ORG, VoucherDraft(date=DAY, summary="买水泥", lines=(
        Line("513", debit=15_000), Line("101", credit=15_000)), attachments=1),
        actor="kuaiji").value.number
    post(ORG, VoucherDraft(date=DAY, summary="买钉子", lines=(
        Line("513", debit=2_000), Line("101", credit=2_000)), attachments=1), actor="kuaiji")
    # then one warning says the till went below zero, on the voucher that took it there.
    [flag] = red_flags(village)
    assert (flag.kind, flag.key, flag.trigger["after"]) == ("cash_negative", first, "-50.00")


def test_spending_on_a_matter_before_its_decision_and_without_receipts_is_flagged(
        village: Ledger) -> None:
    matter = village.spending.propose_matter(ORG, on=DAY, title="修水渠", category="project",
                                             description="", proposed_by="village_committee",
                                             budget_total=100_000, budget_lines=[],
                                             actor="kuaiji").value.number
    number = approved(village, 30_000, account="513", matter=matter)
    village.spending.pay_spending(ORG, number, on=DAY, amount=30_000, paid_from="102",
                                  actor="kuaiji")
    assert sorted(f.kind for f in red_flags(village)) == ["no_receipt", "spent_before_decision"]


def test_above_the_committees_limit_an_undecided_matter_is_refused(village: Ledger) -> None:
    matter = village.spending.propose_matter(ORG, on=DAY, title="建仓库", category="project",
                                             description="", proposed_by="village_committee",
                                             budget_total=5_000_000, budget_lines=[],
                                             actor="kuaiji").value.number
    with pytest.raises(InvalidSpending) as refused:
        village.spending.request_spending(ORG, on=DAY, payee="建筑队", purpose="仓库",
                                          amount=2_000_000,
                                          account="153", matter=matter, actor="kuaiji")
    assert refused.value.field == "matter"


def test_the_ladder_follows_the_organization_setting(village: Ledger) -> None:
    village.books.change_settings(ORG, {"approval_finance_lead_max": 200_000},
                                  reason="村民代表会议决定",
                                  actor="admin")
    assert approved(village, 150_000, account="513") == "S2026-0001"
    assert village.spending.spending_request(ORG, "S2026-0001").level == "finance_lead"


def test_the_finance_leads_own_request_is_approved_a_rung_above(village: Ledger) -> None:
    # Given the village's only finance lead asks for 300.00 (their own rung),
    number = village.spending.request_spending(
        ORG, on=DAY, payee="五金店", purpose="村部灯泡", amount=30_000, account="513",
        actor="caiwu").value.number
    assert village.spending.spending_request(ORG, number).level == "committees"
    # when the two committees and a supervisor approve, then it is approved and can be paid.
    for login in ("cunzhang", "shuji", "jiandu"):
        village.spending.approve_spending(ORG, number, approver=login)
    assert village.spending.spending_request(ORG, number).status == "approved"
    # Asked by the accountant, the same amount is still the finance lead's to approve.
    assert approved(village, 30_000, account="513") == "S2026-0002"
    assert village.spending.spending_request(ORG, "S2026-0002").level == "finance_lead"


def test_receipt_numbers_are_gap_free_when_two_processes_record_at_once(
        village: Ledger, storage: Storage, clock: Clock) -> None:
    other = open_ledger(storage, clock=clock)
    try:
        def record(args: tuple[Ledger, int]) -> str:
            app, i = args
            return app.spending.record_receipt(ORG, on=DAY, category="other", payer=f"payer {i}",
                                               amount=100 + i, paid_into="102",
                                               actor="kuaiji").value.number

        with ThreadPoolExecutor(8) as pool:
            numbers = list(pool.map(record, [(village if i % 2 else other, i)
                                             for i in range(40)]))
    finally:
        other.close()
    assert sorted(numbers) == [f"R2026-{n:04d}" for n in range(1, 41)]


def test_a_payment_from_cash_takes_no_more_than_the_till_holds(village: Ledger) -> None:
    # Given 366.36 in cash and an approved request of 500.00,
    village.books.post_voucher(ORG, VoucherDraft(
        date=DAY, summary="收取零星收入", lines=(Line("101", debit=36_636),
                                               Line("501", credit=36_636))), actor="kuaiji")
    number = approved(village, 50_000, account="513")
    head = village.log_head()
    # when it is paid from cash, then nothing is written and the till's balance is said;
    with pytest.raises(InsufficientFunds) as refused:
        village.spending.pay_spending(ORG, number, on=DAY, amount=50_000, paid_from="101",
                                      actor="kuaiji")
    assert refused.value.field == "paid_from"
    assert refused.value.context["available"] == "366.36"
    assert village.log_head() == head
    assert village.spending.spending_request(ORG, number).status == "approved"
    # from the bank, whose books may lag its statement, it is paid.
    village.spending.pay_spending(ORG, number, on=DAY, amount=50_000, paid_from="102",
                                  actor="kuaiji")
    assert village.spending.spending_request(ORG, number).status == "paid"


def test_a_requests_payment_voucher_is_not_reversed_alone(village: Ledger) -> None:
    # Given a request paid by voucher,
    number = approved(village, 50_000, account="513")
    paid = village.spending.pay_spending(ORG, number, on=DAY, amount=50_000, paid_from="102",
                                         actor="kuaiji").value.paid["voucher"]
    head = village.log_head()
    # when the voucher alone is reversed, then nothing is written and the request is named;
    with pytest.raises(PaidByAnotherRecord) as refused:
        village.books.reverse_voucher(ORG, paid, on=DAY, reason="付错了", actor="kuaiji")
    assert refused.value.context == {"voucher": paid, "record_kind": "spending_request",
                                     "record": number}
    assert village.log_head() == head
    # any other voucher is reversed as before.
    other = village.books.post_voucher(ORG, VoucherDraft(
        date=DAY, summary="购买茶叶", lines=(Line("513", debit=3_000),
                                         Line("102", credit=3_000))), actor="kuaiji")
    village.books.reverse_voucher(ORG, other.value.number, on=DAY, reason="重复", actor="kuaiji")
