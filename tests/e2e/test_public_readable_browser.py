"""An elderly villager on a 390×844 phone, against the real `sunlight serve` with the demo
village: the village page leads with the newest published month (September, not the corrected
August); the balance sheet's plain summary is on the first screen; no public page scrolls
sideways; and axe-core, injected from the pinned axe-playwright-python package, finds no serious
or critical violation on any public page — in ordinary and in large type. Screenshots go to
tests/artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import (
    DEVICE_SCALE_FACTOR,
    LOCALE,
    _browser,
    assert_no_horizontal_scroll,
    save_screenshot,
)
from tests.e2e.conftest import Server
from tests.e2e.test_village_page import ORG, demo_server  # noqa: F401

pytestmark = pytest.mark.e2e

SERIOUS = {"serious", "critical"}


@pytest.fixture
def phone390(request: pytest.FixtureRequest) -> Page:
    context = _browser(request.config).new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=DEVICE_SCALE_FACTOR,
        locale=LOCALE, is_mobile=True, has_touch=True)
    request.addfinalizer(context.close)
    return context.new_page()


def serious_violations(page: Page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]
            if v.get("impact") in SERIOUS]


def test_the_public_pages_read_well_on_a_phone(demo_server: Server,  # noqa: F811
                                               phone390: Page) -> None:
    phone390.goto(f"{demo_server.url}/{ORG}/")
    expect(phone390.locator("#newest")).to_have_text("最新公开：2026年9月")
    assert phone390.locator("#newest").bounding_box()["y"] < 844  # type: ignore[index]
    assert_no_horizontal_scroll(phone390)
    assert serious_violations(phone390) == []
    save_screenshot(phone390, "readable-village")

    links = phone390.locator("ul.cards a")
    pages = {links.nth(i).inner_text(): links.nth(i).get_attribute("href")
             for i in range(links.count())}
    for title, href in pages.items():
        phone390.goto(f"{demo_server.url}{href}")
        assert_no_horizontal_scroll(phone390)
        assert serious_violations(phone390) == [], title
        # every download is a finger's height to tap (A3 was 26 x 24 px)
        downloads = phone390.locator("#downloads + p a").all()
        assert "资产负债表" not in title or downloads, title
        for link in downloads:
            box = link.bounding_box()
            assert box is not None and box["height"] >= 40, (title, link.inner_text(), box)
        if "资产负债表" in title:
            summary = phone390.locator("dl.statement-summary")
            expect(summary).to_contain_text("村里现有的钱")
            box = summary.bounding_box()
            assert box is not None and box["y"] < 844, box  # on the first screen
            save_screenshot(phone390, "readable-balance-sheet")


def test_large_type_is_remembered_and_still_reads_well(demo_server: Server,  # noqa: F811
                                                       phone390: Page) -> None:
    phone390.goto(f"{demo_server.url}/{ORG}/?text=large")
    phone390.goto(f"{demo_server.url}/{ORG}/")  # remembered without the query
    size = phone390.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    phone390.goto(f"{demo_server.url}/{ORG}/?text=normal")
    normal = phone390.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size > normal, (size, normal)
    phone390.goto(f"{demo_server.url}/{ORG}/?text=large")
    links = phone390.locator("ul.cards a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    for href in [f"/{ORG}/", *hrefs]:
        phone390.goto(f"{demo_server.url}{href}")
        assert_no_horizontal_scroll(phone390)
        assert serious_violations(phone390) == [], href
        # An amount is one line, never 1,356,469. over 78 (seen on a phone whose browser
        # enlarges text): the cards keep every amount unbroken.
        broken = phone390.evaluate("""() => [...document.querySelectorAll('table.lines td.num .v')]
            .filter(v => v.textContent.trim() && (getComputedStyle(v).whiteSpace !== 'nowrap'
                                                  || v.getClientRects().length > 1))
            .map(v => v.textContent.trim())""")
        assert broken == [], (href, broken[:5])
    phone390.goto(f"{demo_server.url}/{ORG}/")
    save_screenshot(phone390, "readable-large-type")
