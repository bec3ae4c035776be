"""A villager on a 360-px phone, against the real `sunlight serve` with the demo village: reads the
village page, opens a disclosure, asks a question that stays hidden until the supervision
committee screens it through the API, then sees it. Both pages fit the phone's width."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.e2e.browser import assert_no_horizontal_scroll, save_screenshot
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e

ORG = "sunlight-village"
TITLE = "2026年9月财务收支明细"
QUESTION = "第一行的租金是哪个月的？收据能看吗？"
PHONE = "13900001111"


@pytest.fixture
def demo_server(unstarted_server: Server, request: pytest.FixtureRequest) -> Server:
    """`sunlight serve` on books holding the demo village, loaded before the server starts."""
    done = unstarted_server.run("demo", "load")
    assert done.returncode == 0, done.stdout + done.stderr
    return request.getfixturevalue("server")


def supervisor_token(server: Server) -> str:
    done = server.run("tokens", "create", "jiandu", "--label", "e2e")
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_a_villager_reads_asks_and_sees_the_screened_question(demo_server: Server,
                                                              phone: Page) -> None:
    phone.goto(f"{demo_server.url}/{ORG}/")
    expect(phone.locator("h1")).to_contain_text("阳光村股份经济合作社")
    expect(phone.locator("svg.chart")).to_have_count(2)
    assert_no_horizontal_scroll(phone)
    save_screenshot(phone, "village-page")

    phone.locator("ul.cards").get_by_role("link", name=TITLE, exact=True).click()
    expect(phone.locator("h1")).to_have_text(TITLE)
    ref = re.search(r"/disclosures/([0-9a-f-]{36})$", phone.url).group(1)  # type: ignore[union-attr]
    # The month's movements are a compact list; a tap on a line opens its details.
    first_line = phone.locator("ol.moves li").first
    first_line.locator("summary").click()
    expect(first_line).to_contain_text("金额（大写）")
    assert_no_horizontal_scroll(phone)
    save_screenshot(phone, "village-month-lines")

    # The check a villager answers at a glance: the sum of the two numbers in its label.
    first, second = map(int, re.findall(r"[0-9]+", phone.locator("label[for=q-challenge]")
                                        .inner_text())[:2])
    phone.select_option("#q-line", "1")
    phone.fill("#q-text", QUESTION)
    phone.fill("#q-name", "赵六")
    phone.fill("#q-phone", PHONE)
    phone.fill("#q-challenge", str(first + second))
    phone.get_by_role("button", name="提交问题").click()
    expect(phone.locator("p.notice")).to_contain_text("村务监督委员会审核后")
    assert QUESTION not in phone.content()
    assert phone.context.cookies() == [] or all(
        cookie["name"] == "lang" for cookie in phone.context.cookies())

    token = supervisor_token(demo_server)
    headers = {"Authorization": f"Bearer {token}"}
    listed = requests.get(f"{demo_server.url}/api/v1/orgs/{ORG}/questions",
                          params={"disclosure": ref}, headers=headers, timeout=30)
    assert listed.status_code == 200, listed.text
    [asked] = [q for q in listed.json()["items"] if q["text"] == QUESTION]
    assert asked["status"] == "pending" and asked["has_phone"] is True
    screened = requests.post(
        f"{demo_server.url}/api/v1/orgs/{ORG}/questions/{asked['id']}/screening",
        params={"wait": "true"}, json={"visible": True}, headers=headers, timeout=30)
    assert screened.status_code == 200, screened.text

    phone.reload()
    shown = phone.locator(f"#q-{asked['id']}")
    expect(shown).to_contain_text(QUESTION)
    expect(shown).to_contain_text("赵*")  # masked by the read model: one star per hidden character
    page = phone.content()
    assert PHONE not in page and "赵六" not in page
    assert_no_horizontal_scroll(phone)
    save_screenshot(phone, "disclosure-page")
