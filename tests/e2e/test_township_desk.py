"""The township centre in Chromium against the real `sunlight serve`, at a desktop's 1366×900
and a phone's 390×844: the accountant of two villages signs in and lands on the list of her
villages, one tap from each; the draft form's title follows the period as she types it; the
supervisor finds the spending waiting for his approval on his home, its asker named and its
amount grouped. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import Page, expect

from ledger.kernel.clock import china_today
from tests.e2e.browser import assert_no_horizontal_scroll, save_screenshot
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e

PASSWORD = "a long password"
VILLAGES = (("dong-village", "东村股份经济合作社"), ("xi-village", "西村股份经济合作社"))
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def provision(server: Server) -> None:
    """Two villages kept by 王会计 (kuaiji); 张监督 (jiandu) supervises the first."""
    headers = {"Authorization": f"Bearer {server.token}"}

    def post(path: str, body: dict[str, str]) -> None:
        done = requests.post(f"{server.url}/api/v1{path}", json=body, headers=headers,
                             timeout=30)
        assert done.status_code == 201, done.text

    for login, name in (("kuaiji", "王会计"), ("jiandu", "张监督")):
        post("/users", {"login": login, "display_name": name, "password": PASSWORD})
    for code, name in VILLAGES:
        post("/orgs", {"code": code, "name_zh": name, "kind": "village_collective",
                       "books_start": f"{china_today().year - 1}-01-01"})
        post(f"/orgs/{code}/roles", {"login": "kuaiji", "role": "accountant", "reason": "代理记账"})
    post(f"/orgs/{VILLAGES[0][0]}/roles", {"login": "jiandu", "role": "supervisor",
                                           "reason": "e2e"})


def sign_in(page: Page, server: Server, login: str) -> None:
    page.goto(f"{server.url}/login")  # no next: the desk is where the day starts
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_have_text("我的工作台")
    assert page.url == f"{server.url}/desk/"


def test_the_township_centre_at_a_desk_and_on_a_phone(server: Server, phone: Page) -> None:
    provision(server)
    dong = VILLAGES[0][0]
    phone.set_viewport_size(DESKTOP)
    sign_in(phone, server, "kuaiji")
    rows = phone.locator("table.villages tbody tr")
    expect(rows).to_have_count(2)
    expect(phone.locator(f"#village-{dong}")).to_contain_text("东村股份经济合作社")
    save_screenshot(phone, "township-home-1366")

    # One tap to a village's own desk, and one to any other from there.
    phone.get_by_role("link", name="东村股份经济合作社").click()
    expect(phone.locator(f"#org-{dong}")).to_be_visible()
    expect(phone.locator("nav.villages")).to_contain_text("西村股份经济合作社")
    save_screenshot(phone, "village-desk-1366")
    phone.goto(f"{server.url}/desk/")

    # One tap to a village's work: its spending page, where she asks for 5,000.00.
    phone.locator(f"#village-{dong} a[href$='/spending']").click()
    expect(phone.locator("h1")).to_have_text("支出")
    phone.fill("#request-payee", "县路桥公司")
    phone.fill("#request-purpose", "村道修补")
    phone.fill("#request-amount", "5000.00")
    phone.select_option("#request-account", "514")
    phone.get_by_role("button", name="提交申请").click()
    expect(phone.locator("dl.facts")).to_contain_text("5,000.00")

    # The draft's proposed title follows the period as it is typed.
    phone.goto(f"{server.url}/desk/{dong}/disclosures/new")
    phone.fill("#period", f"{china_today().year - 1}-03")
    expect(phone.locator("#title")).to_have_value(f"{china_today().year - 1}年3月财务收支明细")
    phone.fill("#title", "三月份收支公开")  # her own title is hers to keep
    phone.fill("#period", f"{china_today().year - 1}-04")
    expect(phone.locator("#title")).to_have_value("三月份收支公开")

    phone.set_viewport_size(PHONE)
    phone.goto(f"{server.url}/desk/")
    assert_no_horizontal_scroll(phone)
    save_screenshot(phone, "township-home-390")
    phone.goto(f"{server.url}/desk/?org={dong}")
    assert_no_horizontal_scroll(phone)
    save_screenshot(phone, "village-desk-390")

    phone.get_by_role("button", name="退出").click()
    sign_in(phone, server, "jiandu")
    waiting = phone.locator(f"#approve-{dong}")
    expect(waiting).to_contain_text("县路桥公司")
    expect(waiting).to_contain_text("5,000.00")
    assert_no_horizontal_scroll(phone)
    save_screenshot(phone, "supervisor-home-390")
    waiting.get_by_role("link").first.click()
    expect(phone.locator("dl.facts")).to_contain_text("王会计")  # a name, not kuaiji
    assert_no_horizontal_scroll(phone)
    save_screenshot(phone, "supervisor-request-390")
