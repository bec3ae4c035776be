"""The spending desk driven as a browser drives it: a request made through the form, approved up
the ladder by its approvers, paid by the accountant; refusals shown on the page with nothing
written; warnings read by all and acknowledged with a reason. On SQLite and on PostgreSQL."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import Flask

from projections.books.queries import Page
from tests.api.conftest import make_user
from tests.api.desk_browser import Browser, browser, field

ORG = "v1"



@pytest.fixture
def village(app, client, org, project) -> Flask:
    """v1 where wang keeps the books; fang is its finance lead, liu and zhou sit on the village
    committee, zhao on the supervision committee, and shen audits it."""
    make_user(app, "fang", (ORG, "finance_lead"))
    make_user(app, "liu", (ORG, "committee"))
    make_user(app, "zhou", (ORG, "committee"))
    make_user(app, "zhao", (ORG, "supervisor"))
    make_user(app, "shen", (ORG, "auditor"))
    project()
    return app


def request_form(page: str, **typed: str) -> dict[str, str]:
    """The new-request form as the page filled it in, with `typed` typed over it."""
    names = ("date", "payee", "purpose", "amount", "grant", "matter", "receipt_count", "key")
    return {**{name: field(page, name) for name in names}, "account": "51301",
            "fund_source": "collective", **typed}


def status_of_page(page: str) -> str:
    return re.search(r'<p><span class="stage status-(\w+)">', page).group(1)


def number_of(location: str) -> str:
    return re.search(r"/spending/(S[0-9-]+)", location).group(1)


def test_a_request_is_approved_up_the_ladder_and_paid(village, project):
    wang = browser(village, project, "wang")
    desk = wang.get("/desk/")
    assert f'href="/desk/{ORG}/spending"' in desk and f'href="/desk/{ORG}/warnings"' in desk
    page = wang.get(f"/desk/{ORG}/spending")
    assert field(page, "date") == "2026-11-22"  # today
    assert '<option value="51301"' in page and '<option value="513"' not in page  # leaves only
    assert '<option value="101"' not in page  # money is paid from, not spent on
    location = wang.post(f"/desk/{ORG}/spending", request_form(
        page, payee="县路桥公司", purpose="村道修补", amount="5000.00", receipt_count="2"))
    assert "done=requested" in location
    number = number_of(location)
    page = wang.get(location)
    assert status_of_page(page) == "pending" and "县路桥公司" in page and "5,000.00" in page
    assert "两委成员：0 / 2" in page and "监委会成员：0 / 1" in page  # what the ladder needs
    assert "/approve" not in page and f"/desk/{ORG}/spending/{number}/withdraw" in page
    assert "/pay" not in page

    for login, left in (("liu", "两委成员：1 / 2"), ("zhou", "两委成员：2 / 2"),
                        ("zhao", "监委会成员：1 / 1")):
        approver = browser(village, project, login)
        todo = approver.get(f"/desk/{ORG}/spending")
        assert f'id="s-{number}"' in re.search(r'<section id="to-do">(.*?)</section>', todo,
                                               re.S).group(1)
        approver.get(f"/desk/{ORG}/spending/{number}")
        page = approver.follow(f"/desk/{ORG}/spending/{number}/approve",
                               {"note": f"{login} 同意"})
        assert left in page and f"{login} 同意" in page
        assert f"/spending/{number}/approve" not in page  # approved once, by each
    assert status_of_page(page) == "approved"

    page = wang.get(f"/desk/{ORG}/spending/{number}")
    assert field(page, "amount") == "5000.00" and field(page, "date") == "2026-11-22"
    assert "不超过批准的5,000.00元。" in page  # the hint, as the desk shows money
    assert '<option value="101"' in page and '<option value="102"' in page
    page = wang.post(f"/desk/{ORG}/spending/{number}/pay",
                     {"date": "2026-11-22", "amount": "5000.01", "paid_from": "102"},
                     status=409)
    assert "5,000.01 超过了批准的 5,000.00。" in page
    assert field(page, "amount") == "5000.01"  # what was typed stays
    page = wang.follow(f"/desk/{ORG}/spending/{number}/pay",
                       {"date": "2026-11-22", "amount": "5000.00", "paid_from": "102"})
    assert status_of_page(page) == "paid" and "/pay" not in page
    assert "102 银行存款" in page  # the account paid from, named
    assert re.search(r"凭证 2026-11-\d{4}", page)
    ledger = village.extensions["sunlight"].ledger
    assert ledger.spending.spending_request(ORG, number).paid["amount"] == 500_000


def test_the_person_who_asked_cannot_approve_and_nothing_is_written(village, project,
                                                                    log_head):
    fang = browser(village, project, "fang")
    page = fang.get(f"/desk/{ORG}/spending")
    number = number_of(fang.post(f"/desk/{ORG}/spending", request_form(
        page, payee="五金店", purpose="水管", amount="300.00")))
    page = fang.get(f"/desk/{ORG}/spending/{number}")
    assert f"/spending/{number}/approve" not in page  # not offered to the one who asked
    head = log_head()
    page = fang.post(f"/desk/{ORG}/spending/{number}/approve", {"note": "我自己批"}, status=409)
    assert "申请人不能审批自己的申请。" in page
    assert 'class="error-summary"' in page and status_of_page(page) == "pending"
    assert log_head() == head
    assert village.extensions["sunlight"].ledger.spending.spending_request(ORG,
                                                                           number).approvals == []
    # The finance lead's own 300.00 goes a rung up, where the two committees and a supervisor
    # approve it (the village's only finance lead would otherwise wait for ever).
    assert "两委成员：0 / 2" in page and "财务负责人：" not in page
    assert "本申请由财务负责人本人提出，按上一级审批" in page
    for login in ("liu", "zhou", "zhao"):
        approver = browser(village, project, login)
        approver.get(f"/desk/{ORG}/spending/{number}")
        page = approver.follow(f"/desk/{ORG}/spending/{number}/approve")
    assert status_of_page(page) == "approved"
    # The finance lead of someone else's request approves it alone.
    wang = browser(village, project, "wang")
    other = number_of(wang.post(f"/desk/{ORG}/spending", request_form(
        wang.get(f"/desk/{ORG}/spending"), payee="五金店", purpose="阀门", amount="200.00")))
    page = wang.get(f"/desk/{ORG}/spending/{other}")
    assert "财务负责人：0 / 1" in page and 'id="raised"' not in page
    # A supervisor is no approver of a request the finance lead alone approves.
    zhao = browser(village, project, "zhao")
    assert f"/spending/{other}/approve" not in zhao.get(f"/desk/{ORG}/spending/{other}")
    fang.get(f"/desk/{ORG}/spending/{other}")
    assert status_of_page(fang.follow(f"/desk/{ORG}/spending/{other}/approve")) == "approved"


def test_a_refused_request_keeps_what_was_typed(village, project):
    wang = browser(village, project, "wang")
    page = wang.get(f"/desk/{ORG}/spending")
    form = request_form(page, payee="水泥厂", purpose="村道硬化", amount="12.345")
    page = wang.post(f"/desk/{ORG}/spending", form, status=422)
    assert 'id="request-amount-error"' in page and "金额最多两位小数。" in page
    assert field(page, "payee") == "水泥厂" and field(page, "amount") == "12.345"
    assert field(page, "key") == form["key"]
    assert re.search(r'<option value="51301" selected', page)
    page = wang.post(f"/desk/{ORG}/spending", {**form, "amount": "48000.00"}, status=422)
    assert re.search(r'id="request-matter-error">超过 10,000.00 的支出需要关联一个', page)
    assert field(page, "purpose") == "村道硬化" and 'aria-invalid="true"' in page
    project()
    assert village.extensions["sunlight"].spending.spending_requests(ORG, Page(1, 10))[1] == 0
    # A double-tapped button asks once.
    form = {**form, "amount": "480.00", "csrf_token": wang.csrf}
    first = wang.client.post(f"/desk/{ORG}/spending", data=form)
    again = wang.client.post(f"/desk/{ORG}/spending", data=form)
    assert first.status_code == again.status_code == 303
    assert number_of(first.headers["Location"]) == number_of(again.headers["Location"])
    project()
    assert village.extensions["sunlight"].spending.spending_requests(ORG, Page(1, 10))[1] == 1
    # The auditor reads, but asks for nothing.
    shen = browser(village, project, "shen")
    page = shen.get(f"/desk/{ORG}/spending")
    assert 'action="/desk/v1/spending"' not in page
    shen.post(f"/desk/{ORG}/spending", form, status=403)


def test_a_request_is_rejected_with_a_reason_or_withdrawn(village, project):
    wang = browser(village, project, "wang")
    form = request_form(wang.get(f"/desk/{ORG}/spending"), payee="石料厂", purpose="石子",
                        amount="2400.00")
    rejected = number_of(wang.post(f"/desk/{ORG}/spending", form))
    withdrawn = number_of(wang.post(f"/desk/{ORG}/spending", {**form, "key": ""}))
    zhou = browser(village, project, "zhou")
    zhou.get(f"/desk/{ORG}/spending/{rejected}")
    page = zhou.post(f"/desk/{ORG}/spending/{rejected}/reject", {"reason": ""}, status=422)
    assert 'id="reject-reason-error">此项必填。' in page and status_of_page(page) == "pending"
    page = zhou.follow(f"/desk/{ORG}/spending/{rejected}/reject", {"reason": "价格偏高，重新询价"})
    assert status_of_page(page) == "rejected" and "价格偏高，重新询价" in page
    assert "/approve" not in page and "/withdraw" not in page
    # The accountant is no approver; withdrawing needs a reason too, and closes the request.
    wang.post(f"/desk/{ORG}/spending/{withdrawn}/approve", status=403)
    page = wang.follow(f"/desk/{ORG}/spending/{withdrawn}/withdraw", {"reason": "重复申请"})
    assert status_of_page(page) == "withdrawn" and "重复申请" in page
    listed = wang.get(f"/desk/{ORG}/spending?status=withdrawn")
    assert f'id="s-{withdrawn}"' in listed and f'id="s-{rejected}"' not in listed


def paid_without_receipt(app: Flask) -> str:
    """A payment with no receipt attached: the books raise a 白条 warning."""
    ledger = app.extensions["sunlight"].ledger
    number = ledger.spending.request_spending(ORG, on=date(2026, 11, 20), payee="张三",
                                              purpose="误工补贴",
                                              amount=30_000, account="51301",
                                              actor="wang").value.number
    ledger.spending.approve_spending(ORG, number, approver="fang")
    ledger.spending.pay_spending(ORG, number, on=date(2026, 11, 21), amount=30_000, paid_from="102",
                                 actor="wang")
    return number


def test_warnings_are_read_by_the_auditor_and_acknowledged_with_a_reason(village, project):
    number = paid_without_receipt(village)
    shen = browser(village, project, "shen")
    page = shen.get(f"/desk/{ORG}/warnings")
    # the warning's sentence in Chinese; the ledger's English one is not shown on the desk
    assert "无票据支付" in page and "付款时未附票据（白条）" in page
    assert "paid with no receipt attached" not in page
    assert f'href="/desk/{ORG}/spending/{number}"' in page  # what triggered it
    assert "/acknowledge" not in page  # auditors read only
    ref = re.search(r'<article class="warning open" id="w-([0-9a-f-]{36})"', page).group(1)
    shen.post(f"/desk/{ORG}/warnings/{ref}/acknowledge", {"reason": "看过了"}, status=403)

    zhao = browser(village, project, "zhao")
    page = zhao.get(f"/desk/{ORG}/warnings")
    assert f'action="/desk/{ORG}/warnings/{ref}/acknowledge"' in page
    page = zhao.post(f"/desk/{ORG}/warnings/{ref}/acknowledge", {"reason": " "}, status=422)
    assert f'id="{ref}-reason-error">此项必填。<' in page
    location = zhao.post(f"/desk/{ORG}/warnings/{ref}/acknowledge",
                         {"reason": "收据已补，见凭证附件"})
    assert "done=acknowledged" in location
    page = zhao.get(location)
    assert "收据已补，见凭证附件" in page and 'class="warning open"' not in page
    assert f'action="/desk/{ORG}/warnings/{ref}/acknowledge"' not in page  # zhao has done so
    assert "收据已补，见凭证附件" in shen.get(f"/desk/{ORG}/warnings")
    assert "Acknowledged by" in shen.get(f"/desk/{ORG}/warnings?lang=en")


def test_english_on_request_unknown_requests_and_signing_in_first(village, project):
    wang = browser(village, project, "wang")
    page = wang.get(f"/desk/{ORG}/spending?lang=en")
    assert "New spending request" in page and "Send the request" in page
    wang.get(f"/desk/{ORG}/spending/S2026-9999", status=404)
    stranger = Browser(village, project)
    stranger.get(f"/desk/{ORG}/warnings", status=303)
    assert stranger.client.get(f"/desk/{ORG}/warnings").headers["Location"] == (
        f"/login?next=/desk/{ORG}/warnings")


def test_a_committee_member_whose_rung_is_full_is_told_why_there_is_no_approve(village,
                                                                               project):
    # Given a request needing two committee members, and both have approved
    make_user(village, "qian", (ORG, "committee"))
    ledger = village.extensions["sunlight"].ledger
    number = ledger.spending.request_spending(
        ORG, on=date(2026, 11, 20), payee="县路桥公司", purpose="村道修补", amount=500_000,
        account="51301", receipt_count=2, actor="wang").value.number
    for login in ("liu", "zhou"):
        ledger.spending.approve_spending(ORG, number, approver=login)
    # When a third committee member opens it
    page = browser(village, project, "qian").get(f"/desk/{ORG}/spending/{number}")
    # Then the page says why there is only 驳回 for them
    assert 'id="form-approve"' not in page and 'id="form-reject"' in page
    assert "无需您再同意" in page
