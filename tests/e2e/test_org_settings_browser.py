"""An organization's local rules (本机构规则设置) in Chromium against the real `sunlight serve`, at
a desk (1366×900) and on a phone (390×844): the centre administrator goes from /desk/admin's list
to a village's rules, changes the cash limit with a reason and is told what changed; the phone's
page never scrolls sideways. Screenshots go to tests/artifacts/org-settings/."""

from __future__ import annotations

import os

import pytest
import requests
from playwright.sync_api import expect

from tests.e2e.browser import ARTIFACTS, assert_no_horizontal_scroll, save_screenshot
from tests.e2e.conftest import Server
from tests.e2e.test_admin_desk_browser import PASSWORD, provision
from tests.e2e.test_reports_browser import screens  # noqa: F401

pytestmark = pytest.mark.e2e


@pytest.fixture
def unstarted_server(unstarted_server: Server) -> Server:
    """On a port given to this run (SUNLIGHT_E2E_PORT), else on a free one."""
    if port := os.environ.get("SUNLIGHT_E2E_PORT"):
        unstarted_server.port = int(port)
    return unstarted_server


def test_the_admin_changes_a_villages_cash_limit(server: Server, screens) -> None:  # noqa: F811
    provision(server)
    done = requests.post(f"{server.url}/api/v1/orgs", timeout=30,
                         headers={"Authorization": f"Bearer {server.token}"},
                         json={"code": "dongshan", "name_zh": "东山村股份经济合作社",
                               "kind": "village_collective", "books_start": "2025-01-01"})
    assert done.status_code == 201, done.text
    (ARTIFACTS / "org-settings").mkdir(parents=True, exist_ok=True)
    desk, phone = screens["desk"], screens["phone"]
    desk.goto(f"{server.url}/login?next=/desk/admin")
    desk.fill("input[name=login]", "zhan")
    desk.fill("input[name=password]", PASSWORD)
    desk.get_by_role("button", name="登录").click()
    desk.locator("#settings-dongshan").click()
    expect(desk.locator("h1")).to_contain_text("本机构规则设置")
    desk.fill("#setting-cash_limit", "8000.00")
    desk.get_by_role("button", name="保存").click()
    expect(desk.locator("#settings-reason-error")).to_contain_text("理由")
    desk.fill("#setting-reason", "乡镇农经站通知提高限额")
    desk.get_by_role("button", name="保存").click()
    expect(desk.locator("p.notice")).to_contain_text("现金限额 5,000.00 → 8,000.00")
    save_screenshot(desk, "org-settings/settings-1366")

    phone.goto(f"{server.url}/login?next=/desk/dongshan/settings")
    phone.fill("input[name=login]", "zhan")
    phone.fill("input[name=password]", PASSWORD)
    phone.get_by_role("button", name="登录").click()
    expect(phone.locator("h1")).to_contain_text("本机构规则设置")
    assert_no_horizontal_scroll(phone)
    save_screenshot(phone, "org-settings/settings-390")
