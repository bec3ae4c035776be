"""The accountant reads the chart of accounts' balances at a month's end and closes (停用) an
account from it, in Chromium against the real `sunlight serve`, at a desk (1366×900) and on a
phone (390×844): a balance left is refused in Chinese beside the form, an account at zero is
closed and shown 已停用; the phone's page never scrolls sideways. Screenshots go to
tests/artifacts/chart-close/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import ARTIFACTS, assert_no_horizontal_scroll, save_screenshot
from tests.e2e.conftest import Server
from tests.e2e.test_reports_browser import ORG, YEAR, screens, sign_in  # noqa: F401

pytestmark = pytest.mark.e2e
END = f"{YEAR}-02-28"


def provision(server: Server) -> None:
    """The village from January 1, its accountant kuaiji, cash and bank brought in, 张三 owing
    300.00 and 李四 having paid 150.00 too much (a credit balance on a receivable)."""
    import requests

    headers = {"Authorization": f"Bearer {server.token}"}
    for path, body in (
            ("/orgs", {"code": ORG, "name_zh": "阳光账簿村股份经济合作社",
                       "kind": "village_collective", "books_start": f"{YEAR}-01-01"}),
            ("/users", {"login": "kuaiji", "display_name": "王会计",
                        "password": "a long password"}),
            (f"/orgs/{ORG}/roles", {"login": "kuaiji", "role": "accountant", "reason": "e2e"}),
            (f"/orgs/{ORG}/roles", {"login": "e2e", "role": "accountant", "reason": "e2e"}),
            (f"/orgs/{ORG}/accounts", {"parent": "112", "code": "11201", "name_zh": "张三"}),
            (f"/orgs/{ORG}/accounts", {"parent": "112", "code": "11202", "name_zh": "李四"}),
            (f"/orgs/{ORG}/vouchers", {
                "date": f"{YEAR}-01-01", "kind": "opening", "summary": "期初余额",
                "lines": [{"account": "101", "debit": "800.00"},
                          {"account": "102", "debit": "20000.00"},
                          {"account": "301", "credit": "20800.00"}]}),
            (f"/orgs/{ORG}/vouchers", {
                "date": f"{YEAR}-01-10", "summary": "借给张三",
                "lines": [{"account": "11201", "debit": "300.00"},
                          {"account": "102", "credit": "300.00"}]}),
            (f"/orgs/{ORG}/vouchers", {
                "date": f"{YEAR}-02-15", "summary": "李四多还",
                "lines": [{"account": "102", "debit": "150.00"},
                          {"account": "11202", "credit": "150.00"}]})):
        done = requests.post(f"{server.url}/api/v1{path}", json=body, headers=headers,
                             timeout=30)
        assert done.status_code == 201, done.text


def test_the_chart_shows_balances_and_closes_an_account(server: Server,
                                                        screens) -> None:  # noqa: F811
    provision(server)
    (ARTIFACTS / "chart-close").mkdir(parents=True, exist_ok=True)
    desk, phone = screens["desk"], screens["phone"]
    sign_in(desk, server)
    desk.locator(f"#accounts-{ORG}").click()
    expect(desk.locator("h1")).to_have_text("科目表")
    # Tab leaves the date for the next control, and Shift+Tab comes back, as in any other
    # field, not walking the date's year, month and day (desk_keys.js, on every desk page).
    desk.focus("#date")
    desk.keyboard.press("Tab")
    expect(desk.locator("#balance-day button")).to_be_focused()
    desk.keyboard.press("Shift+Tab")
    expect(desk.locator("#date")).to_be_focused()
    desk.keyboard.press("Shift+Tab")
    expect(desk.locator("#date")).not_to_be_focused()
    desk.fill("#date", END)
    desk.locator("#balance-day").get_by_role("button", name="显示").click()
    expect(desk.locator("#account-101 td.balance")).to_contain_text("800.00 借")
    expect(desk.locator("#account-112 td.balance")).to_contain_text("150.00 借")
    expect(desk.locator("#account-11202 td.balance")).to_contain_text("150.00 贷")
    expect(desk.locator("#account-11202 td.balance")).to_contain_text("与方向相反")

    desk.locator("#close-101 summary").click()
    desk.fill("#reason-101", "现金全部存入银行")
    desk.get_by_role("button", name="停用科目 101").click()
    expect(desk.locator("#close-101-account-error")).to_have_text(
        "科目 101 还有借方余额 800.00，请先转入其他科目，再停用。")
    desk.locator("#close-134 summary").click()
    desk.fill("#reason-134", "本村无公益性生物资产")
    desk.get_by_role("button", name="停用科目 134").click()
    expect(desk.locator("p.notice")).to_contain_text("科目 134 已停用")
    expect(desk.locator("#account-134")).to_contain_text("已停用")
    expect(desk.locator("#close-134")).to_have_count(0)
    expect(desk.locator("#date")).to_have_value(END)  # still the day chosen
    expect(desk.locator("#code")).not_to_have_value("")  # the sub-account form as it was
    save_screenshot(desk, "chart-close/chart-desk")

    sign_in(phone, server)
    phone.goto(f"{server.url}/desk/{ORG}/accounts?date={END}")
    expect(phone.locator("#account-11201 td.balance")).to_contain_text("300.00 借")
    assert_no_horizontal_scroll(phone)
    phone.locator("#close-112 summary").click()
    phone.fill("#reason-112", "往来清理完毕")
    phone.get_by_role("button", name="停用科目 112").click()
    expect(phone.locator("#close-112-account-error")).to_contain_text("科目 11201 还有借方余额")
    expect(phone.locator("#close-112")).to_have_attribute("open", "")
    expect(phone.locator("#date")).to_have_value(END)
    assert_no_horizontal_scroll(phone)
    phone.locator("#account-112").scroll_into_view_if_needed()
    save_screenshot(phone, "chart-close/chart-phone-refused")
