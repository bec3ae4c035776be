"""The spending desk's refusals said in Chinese, and who may withdraw a request: given a request
and its approvals so far, when the wrong person approves, pays or withdraws on the desk, then the
page says why in Chinese (not "the record has changed"), and nothing is written. On SQLite and
on PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from api.refusals import said_of
from ledger.books import Period
from ledger.spending import NotAnApprover, SpendingRequest
from tests.api.conftest import make_user
from tests.api.desk_browser import browser

ORG = "v1"
# What every desk refusal said before these sentences were known: true of none of them.
CHANGED = "该记录已有变动或处于其他状态"


@pytest.fixture
def village(app, client, org, project) -> Flask:
    """v1 where wang keeps the books; fang is its finance lead, liu and zhou sit on the village
    committee, zhao on the supervision committee."""
    make_user(app, "fang", (ORG, "finance_lead"))
    make_user(app, "liu", (ORG, "committee"))
    make_user(app, "zhou", (ORG, "committee"))
    make_user(app, "zhao", (ORG, "supervisor"))
    project()
    return app


def asked(app: Flask, amount: int, actor: str = "liu") -> str:
    return app.extensions["sunlight"].ledger.spending.request_spending(
        ORG, on=date(2026, 11, 20), payee="五金店", purpose="村部灯具", amount=amount,
        account="51301", receipt_count=1, actor=actor).value.number


def test_the_wrong_role_and_an_unapproved_payment_are_refused_in_chinese(village, project):
    # Given a request of 800.00, which the finance lead alone approves,
    number = asked(village, 80_000)
    # when the supervisor approves it on the desk, then the page names the role it still needs.
    zhao = browser(village, project, "zhao")
    zhao.get(f"/desk/{ORG}/spending/{number}")
    page = zhao.post(f"/desk/{ORG}/spending/{number}/approve", {"note": "同意"}, status=409)
    assert "还须由财务负责人审批" in page and CHANGED not in page
    # When the accountant pays it before anyone approved, the page says it is not approved.
    wang = browser(village, project, "wang")
    wang.get(f"/desk/{ORG}/spending/{number}")
    page = wang.post(f"/desk/{ORG}/spending/{number}/pay",
                     {"date": "2026-11-21", "amount": "800.00", "paid_from": "101"}, status=409)
    assert "尚未批准" in page and "待审批" in page and CHANGED not in page
    fang = browser(village, project, "fang")
    fang.get(f"/desk/{ORG}/spending/{number}")
    fang.follow(f"/desk/{ORG}/spending/{number}/approve", {"note": "同意"})
    page = fang.post(f"/desk/{ORG}/spending/{number}/approve", {"note": "再同意"}, status=409)
    assert "已批准" in page and "不再需要审批" in page and CHANGED not in page


def test_only_the_person_who_asked_or_the_accountant_withdraws_a_request(village, project):
    # Given liu's request, approved by the finance lead,
    number = asked(village, 80_000)
    village.extensions["sunlight"].ledger.spending.approve_spending(ORG, number, approver="fang")
    # when the finance lead who approved it, or another committee member, withdraws it,
    for login in ("fang", "zhou"):
        someone = browser(village, project, login)
        # The page offers them no withdrawal,
        assert "/withdraw" not in someone.get(f"/desk/{ORG}/spending/{number}")
        page = someone.post(f"/desk/{ORG}/spending/{number}/withdraw", {"reason": "不要了"},
                            status=409)
        # then it is refused, in Chinese, and the request stays approved.
        assert "只有申请人或会计可以撤回" in page
    assert 'class="stage status-approved"' in browser(village, project, "liu").get(
        f"/desk/{ORG}/spending/{number}")
    # The accountant withdraws a duplicate that someone else asked for.
    duplicate = asked(village, 80_000)
    wang = browser(village, project, "wang")
    wang.get(f"/desk/{ORG}/spending/{duplicate}")
    page = wang.follow(f"/desk/{ORG}/spending/{duplicate}/withdraw", {"reason": "重复申请"})
    assert 'class="stage status-withdrawn"' in page


def test_the_aggregate_lets_only_the_asker_or_a_bookkeeper_withdraw() -> None:
    request = SpendingRequest.request(
        org=ORG, number="S2026-0001", on=date(2026, 11, 20), today=date(2026, 11, 22),
        payee="五金店", purpose="灯具", amount=80_000, account="513", fund_source="collective",
        grant=None, matter=None, receipt_count=1, receipt_digests=[], actor="liu",
        finance_lead_max=100_000, committees_max=1_000_000)
    request.collect_events()
    with pytest.raises(NotAnApprover) as refused:
        request.withdraw(reason="不要了", actor="zhou", roles={"committee"})
    assert refused.value.context == {"request": "S2026-0001", "actor": "zhou"}
    assert request.collect_events() == []
    request.withdraw(reason="重复申请", actor="wang", roles={"accountant"})
    [withdrawn] = request.collect_events()
    assert isinstance(withdrawn, SpendingRequest.Withdrawn) and withdrawn.actor == "wang"


@pytest.mark.parametrize(("message", "words"), [
    ("S2026-0003 still needs approval by committee and supervisor; caiwu holds none of these "
     "roles here", "S2026-0003 还须由两委成员、监委会成员审批；您在本村不担任这些角色。"),
    ("S2026-0003 is pending, not approved",
     "S2026-0003 尚未批准（待审批），只能支付已批准的申请。"),
    ("S2026-0001 was already paid by voucher 2026-03-0007",
     "S2026-0001 已经支付过了（凭证 2026-03-0007）。"),
    ("no matter M2026-0009", "没有事项 M2026-0009。"),
    ("account 513 is not in the budget of matter M2026-0001 (153)",
     "科目 513 不在事项 M2026-0001 的预算之内（预算科目：153）。"),
])
def test_the_spending_sentences_are_said_in_chinese(app: Flask, message: str, words: str):
    with app.test_request_context("/desk/"):
        assert said_of("spending_state", message, 409) == words


def test_a_ladder_the_village_cannot_fill_says_so_on_the_request(village, project):
    # Given a village with two committee members, liu asks for 5,000.00 (two committee members
    # and a supervisor approve; liu cannot approve his own request),
    number = asked(village, 500_000)
    page = browser(village, project, "zhao").get(f"/desk/{ORG}/spending/{number}")
    # then the page says only one committee member can approve where two are needed.
    assert "本村能审批的两委成员不够" in page and "还需 2 名，只有 1 名可以审批" in page
    # Once a third member is granted the role, the request can be filled, and nothing is said.
    make_user(village, "sun", (ORG, "committee"))
    project()
    page = browser(village, project, "zhao").get(f"/desk/{ORG}/spending/{number}")
    assert "能审批的" not in page
    # A request the finance lead alone approves, in a village with one finance lead, is fine.
    assert "能审批的" not in browser(village, project, "zhao").get(
        f"/desk/{ORG}/spending/{asked(village, 80_000)}")


def test_an_amount_with_commas_and_a_payment_in_a_closed_month_are_said_plainly(village,
                                                                               project):
    # Given an approved request of 800.00 and October closed,
    number = asked(village, 80_000)
    ledger = village.extensions["sunlight"].ledger
    ledger.spending.approve_spending(ORG, number, approver="fang")
    period = Period(2025, 1)
    while period <= Period(2026, 10):
        if period.month == 12:
            ledger.books.close_year(ORG, period.year, actor="wang")
        else:
            ledger.books.close_period(ORG, period, actor="wang")
        period = period.next()
    wang = browser(village, project, "wang")
    wang.get(f"/desk/{ORG}/spending/{number}")
    # when the accountant types 1,200.00 or pays on a day of October, then the page says how
    # to write an amount, or that October is closed, and nothing is paid.
    page = wang.post(f"/desk/{ORG}/spending/{number}/pay",
                     {"date": "2026-11-21", "amount": "1,200.00", "paid_from": "102"},
                     status=422)
    assert "不要逗号" in page and "未被接受" not in page
    page = wang.post(f"/desk/{ORG}/spending/{number}/pay",
                     {"date": "2026-10-30", "amount": "800.00", "paid_from": "102"},
                     status=422)
    assert "2026-10 已结账" in page and "未被接受" not in page
    assert ledger.spending.spending_request(ORG, number).status == "approved"


def test_a_payment_voucher_reversed_alone_is_refused_naming_its_request(village, project):
    # Given a request of 800.00 approved and paid from the bank,
    number = asked(village, 80_000)
    ledger = village.extensions["sunlight"].ledger
    ledger.spending.approve_spending(ORG, number, approver="fang")
    voucher = ledger.spending.pay_spending(ORG, number, on=date(2026, 11, 21), amount=80_000,
                                           paid_from="102", actor="wang").value.paid["voucher"]
    wang = browser(village, project, "wang")
    wang.get(f"/desk/{ORG}/vouchers/{voucher}")
    # when the accountant reverses the voucher on its page, then the page says why not
    page = wang.post(f"/desk/{ORG}/vouchers/{voucher}/reverse",
                     {"date": "2026-11-22", "reason": "付错了"}, status=409)
    assert f"是 支出申请 {number} 的付款凭证" in page and CHANGED not in page
    assert ledger.spending.spending_request(ORG, number).status == "paid"


def test_a_payment_with_no_receipt_is_warned_on_the_voucher_that_paid_it(village, project):
    # Given a request asked with no receipt, approved and paid from the bank
    ledger = village.extensions["sunlight"].ledger
    number = ledger.spending.request_spending(
        ORG, on=date(2026, 11, 20), payee="五金店", purpose="村部灯具", amount=40_000,
        account="51301", receipt_count=0, actor="liu").value.number
    ledger.spending.approve_spending(ORG, number, approver="fang")
    voucher = ledger.spending.pay_spending(ORG, number, on=date(2026, 11, 21), amount=40_000,
                                           paid_from="102", actor="wang").value.paid["voucher"]
    # When the accountant, an auditor or a supervisor opens the voucher
    page = browser(village, project, "wang").get(f"/desk/{ORG}/vouchers/{voucher}")
    # Then the white slip raised on the request shows there too
    assert 'id="voucher-warnings"' in page and "白条" in page
