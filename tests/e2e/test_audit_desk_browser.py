"""The township auditor, on a 390-px phone and at a desk, against the real `sunlight serve` with
the demo village: from their desk to 审计核验, where the village's chain is whole with as many
events as the API verifies, its signed checkpoints listed and each published disclosure's check
file verified; the page fits the phone. Screenshots go to tests/artifacts/audit-desk/."""

from __future__ import annotations

import requests
from playwright.sync_api import Page, expect

from tests.e2e.browser import ARTIFACTS, assert_no_horizontal_scroll, save_screenshot
from tests.e2e.conftest import Server
from tests.e2e.test_reports_browser import screens  # noqa: F401 - a fixture
from tests.e2e.test_village_page import ORG, demo_server, pytestmark  # noqa: F401

LOGIN, PASSWORD = "shenji-e2e", "a long password"


def provision_auditor(server: Server) -> dict[str, str]:
    """The township's auditor, made by the centre's admin over the API; the API's verification
    of the village's chain, in the auditor's name."""
    admin = {"Authorization": f"Bearer {server.token}"}
    for path, body in (("/users", {"login": LOGIN, "display_name": "乡审计员",
                                   "password": PASSWORD}),
                       (f"/orgs/{ORG}/roles", {"login": LOGIN, "role": "auditor",
                                               "reason": "乡镇审计"}),
                       (f"/orgs/{ORG}/roles", {"login": "e2e", "role": "auditor",
                                               "reason": "e2e"})):
        done = requests.post(f"{server.url}/api/v1{path}", json=body, headers=admin, timeout=30)
        assert done.status_code == 201, done.text
    answer = requests.get(f"{server.url}/api/v1/orgs/{ORG}/audit/verification", headers=admin,
                          timeout=300)
    assert answer.status_code == 200, answer.text
    return answer.json()


def to_the_audit_page(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/login?next=/desk/%3Forg%3D{ORG}")
    page.fill("input[name=login]", LOGIN)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.locator(f"#audit-{ORG}").click()
    expect(page.locator("h1")).to_have_text("审计核验")


def test_the_auditor_verifies_the_village_from_a_phone_and_a_desk(
        demo_server: Server, screens: dict[str, Page]) -> None:  # noqa: F811
    expected = provision_auditor(demo_server)
    assert expected["whole"] is True
    (ARTIFACTS / "audit-desk").mkdir(parents=True, exist_ok=True)
    for page, name in ((screens["phone"], "phone"), (screens["desk"], "desk")):
        to_the_audit_page(page, demo_server)
        expect(page.locator("#chain-verdict")).to_contain_text("完整")
        expect(page.locator("#chain-verdict")).not_to_contain_text("不完整")
        expect(page.locator("#chain-events")).to_have_text(str(expected["events"]))
        expect(page.locator("#chain-head")).to_have_text(expected["head"])
        expect(page.locator("#checkpoint-list li").first).to_contain_text("签名有效")
        items = page.locator("#disclosures li")
        assert items.count() > 0
        expect(page.locator("#disclosures li", has_text="核验包未通过")).to_have_count(0)
        if name == "phone":
            assert_no_horizontal_scroll(page)
        save_screenshot(page, f"audit-desk/audit-{name}")
