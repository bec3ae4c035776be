"""A member of the fruit cooperative on a 390×844 phone, against the real `sunlight serve` with
the demo: the cooperative's page and each of its disclosures (the 2025 surplus plan and result,
whose member list carries trade, its return and the remaining share beside each amount) never
scroll sideways, in ordinary and in large type, and axe-core finds no serious or critical
violation. The figures a phone drops from the columns are still on the page, under the name.
Screenshots go to tests/artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from demo.cooperative import COOP_ORG
from tests.e2e.browser import assert_no_horizontal_scroll, save_screenshot
from tests.e2e.conftest import Server
from tests.e2e.test_public_readable_browser import phone390, serious_violations  # noqa: F401
from tests.e2e.test_village_page import demo_server  # noqa: F401

pytestmark = pytest.mark.e2e


def disclosure_links(page: Page, base: str) -> list[str]:
    page.goto(f"{base}/{COOP_ORG}/")
    links = page.locator("ul.cards a")
    return [str(links.nth(i).get_attribute("href")) for i in range(links.count())]


@pytest.mark.parametrize("text", ["normal", "large"])
def test_the_cooperatives_member_list_fits_a_phone(demo_server: Server,  # noqa: F811
                                                   phone390: Page,  # noqa: F811
                                                   text: str) -> None:
    # Given the demo cooperative's published plan and result, read in this type size
    phone390.goto(f"{demo_server.url}/{COOP_ORG}/?text={text}")
    hrefs = disclosure_links(phone390, demo_server.url)
    assert len(hrefs) >= 2, hrefs
    for href in [f"/{COOP_ORG}/", *hrefs]:
        # When the member opens each page
        phone390.goto(f"{demo_server.url}{href}")
        # Then nothing scrolls sideways and axe finds nothing serious
        assert_no_horizontal_scroll(phone390)
        assert serious_violations(phone390) == [], href
        members = phone390.locator("table.members")
        if members.count():
            # and the first member's trade figures are on the screen, under the name
            first = phone390.locator("table.members tbody tr").first
            expect(first.locator(".breakdown")).to_be_visible()
            expect(first.locator("td.c-trade")).to_be_hidden()
            save_screenshot(phone390, f"cooperative-members-{text}")
