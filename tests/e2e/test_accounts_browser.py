"""The accountant opens a sub-account (明细科目) from the chart of accounts in the browser, against
the real `sunlight serve`, at a desk (1366×900) and on a phone (390×844): from her desk's menu to
the chart, the next free code proposed for the parent she picks, the new account shown in the
chart; the phone's page never scrolls sideways. Screenshots go to tests/artifacts/desk-accounts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import ARTIFACTS, assert_no_horizontal_scroll, save_screenshot
from tests.e2e.conftest import Server
from tests.e2e.test_reports_browser import ORG, YEAR, screens, sign_in  # noqa: F401

pytestmark = pytest.mark.e2e


def provision(server: Server) -> None:
    import requests

    headers = {"Authorization": f"Bearer {server.token}"}
    for path, body in (
            ("/orgs", {"code": ORG, "name_zh": "阳光账簿村股份经济合作社",
                       "kind": "village_collective", "books_start": f"{YEAR}-01-01"}),
            ("/users", {"login": "kuaiji", "display_name": "王会计",
                        "password": "a long password"}),
            (f"/orgs/{ORG}/roles", {"login": "kuaiji", "role": "accountant", "reason": "e2e"}),
            (f"/orgs/{ORG}/roles", {"login": "e2e", "role": "accountant", "reason": "e2e"}),
            (f"/orgs/{ORG}/accounts", {"parent": "501", "code": "50101", "name_zh": "发包收入"})):
        done = requests.post(f"{server.url}/api/v1{path}", json=body, headers=headers,
                             timeout=30)
        assert done.status_code == 201, done.text


def test_a_sub_account_is_opened_from_the_chart(server: Server, screens) -> None:  # noqa: F811
    provision(server)
    (ARTIFACTS / "desk-accounts").mkdir(parents=True, exist_ok=True)
    desk, phone = screens["desk"], screens["phone"]
    sign_in(desk, server)
    desk.locator(f"#accounts-{ORG}").click()
    expect(desk.locator("h1")).to_have_text("科目表")
    desk.select_option("#parent", "501")
    expect(desk.locator("#code")).to_have_value("50102")  # proposed by account_code.js
    desk.select_option("#parent", "513")
    expect(desk.locator("#code")).to_have_value("51301")
    desk.fill("#name_zh", "干部报酬")
    desk.get_by_role("button", name="开设明细科目").click()
    expect(desk.locator("p.notice")).to_contain_text("明细科目 51301 已开设")
    expect(desk.locator("#account-51301")).to_contain_text("干部报酬")
    expect(desk.locator("#code")).to_have_value("51302")  # its next sibling is offered
    save_screenshot(desk, "desk-accounts/chart-desk")

    sign_in(phone, server)
    phone.goto(f"{server.url}/desk/{ORG}/accounts")
    expect(phone.locator("#account-51301")).to_contain_text("末级，可以记账")
    phone.fill("#code", "51300")
    phone.select_option("#parent", "513")
    phone.fill("#name_zh", "误开")
    phone.get_by_role("button", name="开设明细科目").click()
    expect(phone.locator("#open-code-error")).to_contain_text("不使用 00")
    assert_no_horizontal_scroll(phone)
    save_screenshot(phone, "desk-accounts/chart-phone-refused")
    phone.goto(f"{server.url}/desk/{ORG}/accounts")
    assert_no_horizontal_scroll(phone)
    save_screenshot(phone, "desk-accounts/chart-phone")
