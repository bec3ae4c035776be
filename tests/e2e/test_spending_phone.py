"""The accountant on a 360-px phone, against the real `sunlight serve`: signs in, opens the
spending page from the desk, asks for money through the form, and sees the request waiting for
the finance lead, who then signs in on the same phone and approves it. Every page fits the
phone's width."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import Page, expect

from ledger.kernel.clock import china_today
from tests.e2e.browser import assert_no_horizontal_scroll, save_screenshot
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e

ORG = "e2e-village"
PASSWORD = "a long password"


def provision(server: Server) -> None:
    """The village, its accountant and its finance lead, made through the API as an admin."""
    headers = {"Authorization": f"Bearer {server.token}"}

    def post(path: str, body: dict[str, str]) -> None:
        done = requests.post(f"{server.url}/api/v1{path}", json=body, headers=headers,
                             timeout=30)
        assert done.status_code == 201, done.text

    post("/orgs", {"code": ORG, "name_zh": "阳光测试村股份经济合作社",
                   "kind": "village_collective", "books_start": f"{china_today().year - 1}-01-01"})
    for login, name, role in (("kuaiji", "王会计", "accountant"),
                              ("caiwu", "李财务", "finance_lead")):
        post("/users", {"login": login, "display_name": name, "password": PASSWORD})
        post(f"/orgs/{ORG}/roles", {"login": login, "role": role, "reason": "e2e"})


def sign_in(phone: Page, server: Server, login: str) -> None:
    phone.goto(f"{server.url}/login?next=/desk/")
    phone.fill("input[name=login]", login)
    phone.fill("input[name=password]", PASSWORD)
    phone.get_by_role("button", name="登录").click()
    expect(phone.locator("h1")).to_have_text("我的工作台")


def test_the_accountant_asks_for_money_on_a_phone(server: Server, phone: Page) -> None:
    provision(server)
    sign_in(phone, server, "kuaiji")
    phone.locator(f"#spending-{ORG}").click()
    expect(phone.locator("h1")).to_have_text("支出")
    # Dated today as the books count days: in China.
    expect(phone.locator("#request-date")).to_have_value(china_today().isoformat())
    assert_no_horizontal_scroll(phone)

    phone.fill("#request-payee", "县五金公司")
    phone.fill("#request-purpose", "村部水管维修材料")
    phone.fill("#request-amount", "860.50")
    phone.select_option("#request-account", "514")
    phone.fill("#request-receipt_count", "2")
    phone.get_by_role("button", name="提交申请").click()

    expect(phone.locator("p.notice")).to_contain_text("申请已记录")
    expect(phone.locator("h1")).to_contain_text("县五金公司")
    expect(phone.locator("p .stage")).to_have_text("待审批")
    expect(phone.locator("dl.facts")).to_contain_text("860.50")
    expect(phone.locator("ul.ladder")).to_contain_text("财务负责人：0 / 1")
    expect(phone.get_by_role("button", name="同意")).to_have_count(0)  # not the asker's to give
    assert_no_horizontal_scroll(phone)
    save_screenshot(phone, "spending-request")
    request_url = phone.url.split("?")[0]

    phone.get_by_role("button", name="退出").click()
    sign_in(phone, server, "caiwu")
    phone.locator(f"#spending-{ORG}").click()
    todo = phone.locator("#to-do")
    expect(todo).to_contain_text("县五金公司")
    assert_no_horizontal_scroll(phone)
    save_screenshot(phone, "spending-list")
    todo.get_by_role("link").first.click()
    assert phone.url == request_url
    phone.fill("#approve-note", "同意，请按单据支付")
    phone.get_by_role("button", name="同意").click()
    expect(phone.locator("p .stage")).to_have_text("已批准")
    expect(phone.locator("#approvals")).to_contain_text("同意，请按单据支付")
    assert_no_horizontal_scroll(phone)
