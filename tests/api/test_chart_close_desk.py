"""Closing an account (停用) from the desk's chart of accounts: the accountant's form beside each
account, the same ledger command as POST /api/v1/orgs/<org>/accounts/<code>/close. An account
at zero closes and shows 已停用; one with a balance left (its sub-accounts' included), one the
year-end close posts to, one closed already and a blank reason are refused in Chinese beside the
form (422, 409) with nothing written; a closed account takes no posting from the voucher form;
a reader of the books sees no close form, and their post is refused."""

from __future__ import annotations

import re

import pytest

from tests.api.conftest import make_user
from tests.api.desk_browser import browser, field
from tests.api.test_voucher_desk import error_beside, form

ORG = "v1"
CHART = f"/desk/{ORG}/accounts"


def close_url(code: str) -> str:
    return f"{CHART}/{code}/close"


def row_of(page: str, code: str) -> str:
    found = re.search(rf'<tr id="account-{code}".*?</tr>', page, re.S)
    assert found, f"no row {code}"
    return found.group(0)


def key_of(page: str, code: str) -> str:
    """The close form's own key (a double tap closes once)."""
    return field(row_of(page, code), "key")


def closed_in_books(client, code: str) -> bool:
    accounts = client.get(f"/api/v1/orgs/{ORG}/accounts?page_size=500").get_json()["items"]
    return next(a for a in accounts if a["code"] == code)["closed"]


@pytest.fixture
def books(client, org):
    """v1 with cash and bank brought in, and 11201 张三 owing 300.00."""
    assert client.post(f"/api/v1/orgs/{ORG}/accounts", json={
        "parent": "112", "code": "11201", "name_zh": "张三"}).status_code == 201
    for body in (
            {"date": "2025-01-01", "kind": "opening", "summary": "期初余额",
             "lines": [{"account": "101", "debit": "800.00"},
                       {"account": "102", "debit": "20000.00"},
                       {"account": "301", "credit": "20800.00"}]},
            {"date": "2025-01-10", "summary": "借给张三",
             "lines": [{"account": "11201", "debit": "300.00"},
                       {"account": "102", "credit": "300.00"}]}):
        response = client.post(f"/api/v1/orgs/{ORG}/vouchers", json=body)
        assert response.status_code == 201, response.get_json()
    return client


def test_an_account_at_zero_is_closed_with_a_reason_and_shown_closed(app, books, project):
    wang = browser(app, project, "wang")
    page = wang.get(f"{CHART}?date=2025-01-31")
    # The form's address keeps the day the chart was read at, and the chart comes back to it.
    action = f'action="{close_url("134")}?date=2025-01-31"'
    assert action in row_of(page, "134")
    location = wang.post(f"{close_url('134')}?date=2025-01-31",
                         {"reason": "本村无公益性生物资产", "key": key_of(page, "134")})
    assert "done=closed" in location and "after=" in location and "code=134" in location
    assert "date=2025-01-31" in location
    page = wang.get(location)
    assert "科目 134 已停用。" in page
    row = row_of(page, "134")
    assert 'class="level-1 opened closed"' in row and "已停用" in row
    assert "close-account" not in row  # closed once: no form any more
    assert closed_in_books(books, "134")


def test_a_double_tap_closes_once(app, books, project, log_head):
    wang = browser(app, project, "wang")
    page = wang.get(CHART)
    sent = {"reason": "无", "key": key_of(page, "134")}
    first = wang.post(close_url("134"), sent)
    head = log_head()
    assert wang.post(close_url("134"), sent) == first  # the same answer, nothing more written
    assert log_head() == head


@pytest.mark.parametrize(("code", "status", "said"), [
    ("101", 409, "科目 101 还有借方余额 800.00，请先转入其他科目，再停用。"),
    ("112", 409, "科目 11201 还有借方余额 300.00，请先转入其他科目，再停用。"),
    ("321", 422, "年终结账要记入科目 321，不能停用。"),
])
def test_a_refused_close_is_said_beside_its_form_and_nothing_is_written(
        app, books, project, log_head, code, status, said):
    wang = browser(app, project, "wang")
    page = wang.get(CHART)
    key = key_of(page, code) if code != "321" else "0" * 32
    head = log_head()
    refused = wang.post(close_url(code), {"reason": "不再使用", "key": key}, status=status)
    assert error_beside(refused, f"close-{code}-account") == said
    if code != "321":  # which has no form: the refusal of a forged post is said in its place
        assert f'<details id="close-{code}" open>' in refused  # the form stays open, as typed
        assert field(row_of(refused, code), "reason") == "不再使用"
    assert log_head() == head and not closed_in_books(books, code)
    assert field(refused, "code") == "11101"  # the sub-account form still proposes its code


def test_the_accounts_the_year_end_close_needs_offer_no_close_form(app, books, project):
    page = browser(app, project, "wang").get(CHART)
    for code in ("321", "322", "32201"):
        row = row_of(page, code)
        assert "close-account" not in row and "年终结账需要" in row


def test_a_blank_reason_is_asked_for_beside_its_field(app, books, project, log_head):
    wang = browser(app, project, "wang")
    page = wang.get(CHART)
    head = log_head()
    refused = wang.post(close_url("134"), {"reason": "  ", "key": key_of(page, "134")},
                        status=422)
    assert error_beside(refused, "close-134-reason") == "请写明停用这个科目的理由。"
    assert 'aria-invalid="true" aria-describedby="close-134-reason-error"' in refused
    assert log_head() == head


def test_an_account_is_closed_once(app, books, project, log_head):
    wang = browser(app, project, "wang")
    page = wang.get(CHART)
    key = key_of(page, "134")
    wang.post(close_url("134"), {"reason": "无", "key": key})
    head = log_head()
    refused = wang.post(close_url("134"), {"reason": "再停一次", "key": "1" * 32}, status=409)
    assert error_beside(refused, "close-134-account") == "科目 134 已经停用。"
    assert log_head() == head


def test_a_closed_account_takes_no_posting_from_the_voucher_form(app, books, project, log_head):
    wang = browser(app, project, "wang")
    page = wang.get(CHART)
    wang.get(wang.post(close_url("134"), {"reason": "本村无公益性生物资产",
                                          "key": key_of(page, "134")}))
    head = log_head()
    refused = wang.post(f"/desk/{ORG}/vouchers/new", form(
        "2026-11-20", "购入树苗", ("134", "500.00", "", ""), ("102", "", "500.00", "")),
        status=422)
    assert error_beside(refused, "line-1-account") == "科目 134 已停用，不能再记账。"
    assert '<option value="134">' not in refused  # nor does the picker offer it
    assert '<option value="133">' in refused
    assert log_head() == head


def test_a_reader_of_the_books_sees_no_close_form_and_cannot_close(app, books, project,
                                                                     log_head):
    make_user(app, "shen", (ORG, "auditor"))
    shen = browser(app, project, "shen")
    page = shen.get(CHART)
    assert "close-account" not in page and "停用…" not in page
    assert "800.00" in row_of(page, "101")  # the balances are theirs to read
    head = log_head()
    shen.post(close_url("134"), {"reason": "无", "key": "2" * 32}, status=403)
    assert log_head() == head and not closed_in_books(books, "134")
