"""The centre's administrator at /desk/admin (机构与用户) in Chromium against the real `sunlight
serve`, at a desk (1366×900) and on a phone (390×844): from the desk's home to the page, a
village registered, a user created whose password is shown once and opens /login, a role
granted with its reason; the phone's page never scrolls sideways. Screenshots go to
tests/artifacts/desk-admin/."""

from __future__ import annotations

import os

import pytest
import requests
from playwright.sync_api import expect

from tests.e2e.browser import ARTIFACTS, assert_no_horizontal_scroll, save_screenshot
from tests.e2e.conftest import Server
from tests.e2e.test_reports_browser import screens  # noqa: F401

pytestmark = pytest.mark.e2e
PASSWORD = "a long password"


@pytest.fixture
def unstarted_server(unstarted_server: Server) -> Server:
    """On a port given to this run (SUNLIGHT_E2E_PORT), else on a free one."""
    if port := os.environ.get("SUNLIGHT_E2E_PORT"):
        unstarted_server.port = int(port)
    return unstarted_server


def provision(server: Server) -> None:
    """站长 (zhan), an administrator whose password the test knows."""
    headers = {"Authorization": f"Bearer {server.token}"}
    for path, body in (("/users", {"login": "zhan", "display_name": "农经站站长",
                                   "password": PASSWORD}),
                       ("/orgs/*/roles", {"login": "zhan", "role": "admin", "reason": "e2e"})):
        done = requests.post(f"{server.url}/api/v1{path}", json=body, headers=headers,
                             timeout=30)
        assert done.status_code == 201, done.text


def test_the_admin_registers_a_village_and_its_accountant(server: Server,
                                                           screens) -> None:  # noqa: F811
    provision(server)
    (ARTIFACTS / "desk-admin").mkdir(parents=True, exist_ok=True)
    desk, phone = screens["desk"], screens["phone"]
    desk.goto(f"{server.url}/login?next=/desk/")
    desk.fill("input[name=login]", "zhan")
    desk.fill("input[name=password]", PASSWORD)
    desk.get_by_role("button", name="登录").click()
    desk.locator("#admin-desk a").click()
    expect(desk.locator("h1")).to_have_text("机构与用户")

    desk.fill("#org-code", "dongshan")
    desk.fill("#org-name_zh", "东山村股份经济合作社")
    desk.fill("#org-books_start", "2025-01-01")
    desk.get_by_role("button", name="登记机构").click()
    expect(desk.locator("p.notice")).to_contain_text("已登记，代码 dongshan")
    expect(desk.locator("#org-dongshan")).to_contain_text("村集体科目表")

    desk.fill("#user-login", "xiaoli")
    desk.fill("#user-display_name", "李会计")
    desk.locator("#user-button").click()
    expect(desk.locator("#new-user")).to_contain_text("只显示这一次")
    password = desk.locator("#new-password").inner_text()
    save_screenshot(desk, "desk-admin/password-once-1366")
    desk.get_by_role("link", name="已记下，返回本页").click()

    desk.select_option("#grant-login", "xiaoli")
    desk.select_option("#grant-role-select", "accountant")
    desk.select_option("#grant-org", "dongshan")
    desk.get_by_role("button", name="授予角色").click()
    expect(desk.locator("#grant-reason-error")).to_contain_text("请写明理由")
    desk.fill("#grant-reason", "镇农经站聘任")
    desk.get_by_role("button", name="授予角色").click()
    expect(desk.locator("p.notice")).to_contain_text("已授予 xiaoli")
    expect(desk.locator("#user-xiaoli")).to_contain_text("会计")
    save_screenshot(desk, "desk-admin/admin-1366")

    phone.goto(f"{server.url}/login?next=/desk/admin")
    phone.fill("input[name=login]", "zhan")
    phone.fill("input[name=password]", PASSWORD)
    phone.get_by_role("button", name="登录").click()
    expect(phone.locator("h1")).to_have_text("机构与用户")
    assert_no_horizontal_scroll(phone)
    save_screenshot(phone, "desk-admin/admin-390")

    # The new accountant signs in with the password shown once, and finds the village's desk.
    phone.context.clear_cookies()
    phone.goto(f"{server.url}/login?next=/desk/")
    phone.fill("input[name=login]", "xiaoli")
    phone.fill("input[name=password]", password)
    phone.get_by_role("button", name="登录").click()
    expect(phone.locator("#org-dongshan")).to_contain_text("东山村股份经济合作社")
    expect(phone.locator("nav.desk")).not_to_contain_text("机构与用户")
