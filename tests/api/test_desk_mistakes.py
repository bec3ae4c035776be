"""An accountant's usual mistakes on the desk, each refused in Chinese beside the field that holds
it and with nothing written: a reversal dated before the voucher it reverses (the date it must
not precede named), an amount with a third decimal or more digits than the books keep (said as
such, not as "not an amount"); and a closed month shows who closed it by name, as the voucher
pages do, the login kept for the hover."""

from __future__ import annotations

import re

import pytest

from tests.api.desk_browser import Browser, browser, field
from tests.api.test_voucher_desk import NEW, ORG, error_beside, form, vouchers_in


@pytest.fixture
def wang(app, org, project) -> Browser:
    return browser(app, project, "wang")


def test_a_reversal_dated_before_its_voucher_names_that_date_beside_the_reversal_date(app, wang):
    # Given a voucher of 2026-11-21
    wang.get(NEW)
    wang.post(NEW, form("2026-11-21", "收取一组发包款", ("102", "5000.00", "", ""),
                        ("50101", "", "5000.00", "")))
    held = vouchers_in(app)
    # When the accountant reverses it with a reason, dated the day before
    refused = wang.post(f"/desk/{ORG}/vouchers/2026-11-0001/reverse",
                        {"reason": "金额记错", "date": "2026-11-20"}, status=422)
    # Then the date is refused for what it is, and nothing is written
    said = error_beside(refused, "reverse-date")
    assert said == "冲销日期不能早于被冲销凭证的日期（2026-11-21）。"
    assert vouchers_in(app) == held


def test_an_amount_with_a_third_decimal_or_too_many_digits_is_named_for_what_it_is(app, wang):
    # Given an accountant who typed 12.345 and fourteen digits
    wang.get(NEW)
    refused = wang.post(NEW, form("2026-11-20", "支付路灯电费",
                                  ("51301", "12.345", "", ""),
                                  ("102", "", "12345678901234", ""),
                                  ("102", "", "-3", "")), status=422)
    # Then each cell says what is wrong with it, and nothing is posted
    assert error_beside(refused, "line-1-debit") == "金额最多两位小数（记到分）。"
    assert error_beside(refused, "line-2-credit") == "金额过大：最多 9,999,999,999,999.99。"
    assert error_beside(refused, "line-3-credit") == "金额以元为单位，如 1234.50，须大于零。"
    assert vouchers_in(app) == 0


def test_a_closed_month_shows_who_closed_it_by_name(app, client, org, project):
    # Given an accountant registered as 李会计 (login lihua) who closes January 2025
    ledger = app.extensions["sunlight"].ledger
    ledger.identity.create_user(login="lihua", display_name="李会计", password="a long password",
                                actor="test")
    ledger.identity.grant_role("lihua", org=ORG, role="accountant", reason="test", actor="test")
    li = browser(app, project, "lihua")
    page = li.get(f"/desk/{ORG}/periods")
    location = li.post(f"/desk/{ORG}/periods/close",
                       {"period": "2025-01", "key": field(page, "key")})
    # Then the closed months list her name, her login on hover
    page = li.get(location)
    row = re.search(r'<td data-label="月份" translate="no">2025-01</td>\s*<td[^>]*>[^<]+</td>\s*'
                    r'<td[^>]*title="lihua"[^>]*>([^<]+)</td>', page)
    assert row and row.group(1) == "李会计"
