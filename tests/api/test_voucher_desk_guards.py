"""The voucher entry form's guards, as a browser without scripts drives it: an amount at the
organization's typo guard is posted only once confirmed (a setting; the JSON API never asks), and
opening balances (期初余额) are posted through the form once, on the day the books start."""

from __future__ import annotations

import re

import pytest

from projections.books.queries import Page
from tests.api.desk_browser import Browser, browser, field
from tests.api.test_voucher_desk import NEW, ORG, error_beside, form, vouchers_in


@pytest.fixture
def wang(app, org, project) -> Browser:
    """wang keeps v1's books (accounts 50101 发包收入 and 51301 干部报酬 opened)."""
    return browser(app, project, "wang")


def test_an_amount_at_the_typo_guard_is_posted_only_once_confirmed(app, wang):
    wang.get(NEW)
    typo = form("2026-11-20", "收取发包款", ("102", "1234567890123.00", "", ""),
                ("50101", "", "1234567890123.00", ""))
    page = wang.post(NEW, typo, status=422)
    assert error_beside(page, "line-1-debit") == "金额较大，请核对"
    assert ("金额 1,234,567,890,123.00 达到或超过 100,000,000.00，请核对是否多输了位数；"
            "确认无误请勾选“确认金额无误”后再次记账。") in page
    assert 'href="#confirm_amounts"' in page  # the summary's link goes to the box
    assert "line-2-credit-error" in page and "确认金额无误" in page
    confirm = re.search(r'name="confirm_amounts" value="([^"]+)"', page)
    assert confirm and vouchers_in(app) == 0
    other = {**typo, "line-1-debit": "2234567890123.00", "line-2-credit": "2234567890123.00"}
    wang.post(NEW, {**other, "confirm_amounts": confirm.group(1)}, status=422)  # not these
    location = wang.post(NEW, {**typo, "confirm_amounts": confirm.group(1)})
    assert "1,234,567,890,123.00" in wang.get(location) and vouchers_in(app) == 1
    wang.get(NEW)
    below = form("2026-11-20", "收取发包款", ("102", "99999999.99", "", ""),
                 ("50101", "", "99999999.99", ""))
    assert wang.post(NEW, below).startswith(f"/desk/{ORG}/vouchers/")  # below: no question


def test_the_typo_guard_is_a_setting_and_the_api_never_asks(app, client, wang):
    big = {"date": "2026-11-20", "summary": "收取发包款", "lines": [
        {"account": "102", "debit": "1234567890123.00"},
        {"account": "50101", "credit": "1234567890123.00"}]}
    assert client.post(f"/api/v1/orgs/{ORG}/vouchers", json=big).status_code == 201
    changed = client.put(f"/api/v1/orgs/{ORG}/settings", json={
        "voucher_confirm_from": "1000.00", "reason": "村里的账都是小额"})
    assert changed.get_json()["voucher_confirm_from"] == "1000.00"
    wang.get(NEW)
    page = wang.post(NEW, form("2026-11-20", "付电费", ("51301", "1000.00", "", ""),
                               ("102", "", "1000.00", "")), status=422)
    assert error_beside(page, "line-1-debit") == "金额较大，请核对"
    assert "金额 1,000.00 达到或超过 1,000.00" in page
    client.put(f"/api/v1/orgs/{ORG}/settings", json={"voucher_confirm_from": "0.00",
                                                     "reason": "不再提示"})
    wang.get(NEW)
    assert wang.post(NEW, form("2026-11-20", "付电费", ("51301", "1000.00", "", ""),
                               ("102", "", "1000.00", ""))).startswith(f"/desk/{ORG}/vouchers/")


# -- opening balances (期初余额) ------------------------------------------------------------------

OPENING = (("102", "80000.00", "", ""), ("301", "", "80000.00", ""))


def test_opening_balances_are_posted_through_the_form_once(app, wang):
    page = wang.get(NEW)
    assert '<option value="opening">期初余额</option>' in page
    assert f'href="{NEW}?kind=opening"' in page
    page = wang.get(f"{NEW}?kind=opening")
    assert field(page, "date") == "2025-01-01"  # the day the books start
    assert '<option value="opening" selected>' in page

    wrong_day = wang.post(NEW, {**form("2025-01-02", "期初余额", *OPENING), "kind": "opening"},
                          status=422)
    assert error_beside(wrong_day, "date") == "期初余额凭证的日期应为建账日 2025-01-01。"
    assert vouchers_in(app) == 0

    location = wang.post(NEW, {**form("2025-01-01", "期初余额", *OPENING), "kind": "opening"})
    assert "done=posted" in location
    page = wang.get(location)
    assert "期初余额" in page and "80,000.00" in page
    services = app.extensions["sunlight"]
    rows, _total = services.queries.vouchers(ORG, Page(1, 10))
    assert [row["kind"] for row in rows] == ["opening"]

    page = wang.get(NEW)  # the books now have their opening balances: no longer offered
    assert 'name="kind"' not in page
    again = wang.post(NEW, {**form("2025-01-01", "期初余额", *OPENING), "kind": "opening"},
                      status=409)
    assert error_beside(again, "kind").startswith("期初余额已由凭证 2025-01-0001 录入")
    assert vouchers_in(app) == 1
