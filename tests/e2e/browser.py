"""A phone-sized headless Chromium for tests of the pages villagers open on their phones.

Debian's chromium (`apt-get install -y chromium`) driven by Python Playwright; `playwright install`
is never run (it downloads a browser of its own, which these machines cannot fetch). Without
chromium or playwright the browser tests skip, unless SUNLIGHT_REQUIRE_BROWSER=1 (CI sets it),
in which case they fail.

Use it from a test module by importing the fixture and helpers:

    from tests.e2e.browser import assert_no_horizontal_scroll, phone, save_screenshot

    def test_page(phone: Page) -> None:  # noqa: F811  (the parameter is the imported fixture)
        phone.goto(url)

One browser is started for the whole run, on first use, and closed when pytest finishes; each
test gets a fresh browser context (no cookies or storage carried over) and page.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 360, "height": 740}
DEVICE_SCALE_FACTOR = 2
LOCALE = "zh-CN"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"  # tests/artifacts
INSTALL_HINT = (
    "install Debian's chromium and Python Playwright: "
    "`apt-get update && apt-get install -y chromium fonts-noto-cjk` and "
    "`.venv/bin/pip install -e '.[test]'` (do NOT run `playwright install`)"
)

_started: dict[str, Any] = {}  # the one Playwright and Browser of this pytest run


def browser_required() -> bool:
    return os.environ.get("SUNLIGHT_REQUIRE_BROWSER") == "1"


def missing(reason: str) -> NoReturn:
    """Skip the test, or fail it when SUNLIGHT_REQUIRE_BROWSER=1."""
    if browser_required():
        pytest.fail(f"{reason} (SUNLIGHT_REQUIRE_BROWSER=1); {INSTALL_HINT}", pytrace=False)
    pytest.skip(f"{reason}; {INSTALL_HINT}")


def _browser(config: pytest.Config) -> Browser:
    if "browser" in _started:
        return _started["browser"]
    if not (os.access(CHROMIUM, os.X_OK) or shutil.which("chromium")):
        missing(f"no chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Python Playwright is not installed")
    playwright: Playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                             headless=True)
    except Exception as error:
        playwright.stop()
        missing(f"chromium at {CHROMIUM} did not start: {error}")
    _started.update(playwright=playwright, browser=browser)
    config.add_cleanup(_stop)
    return browser


def _stop() -> None:
    browser, playwright = _started.pop("browser", None), _started.pop("playwright", None)
    if browser is not None:
        browser.close()
    if playwright is not None:
        playwright.stop()


@pytest.fixture
def phone(request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page in Debian's headless chromium, sized and set up like a villager's phone:
    360×740 CSS pixels at device scale factor 2, locale zh-CN, touch."""
    context = _browser(request.config).new_context(
        viewport=VIEWPORT, device_scale_factor=DEVICE_SCALE_FACTOR, locale=LOCALE,
        is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def save_screenshot(page: Page, name: str) -> Path:
    """A full-page PNG of the page at tests/artifacts/<name>.png (overwritten); its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_no_horizontal_scroll(page: Page) -> None:
    """The page fits the phone's width: nothing makes it scroll sideways.

    The phone is emulated as a mobile browser, which lays out a page without
    `<meta name="viewport" content="width=device-width, initial-scale=1">` at 980 px and zooms
    out, and widens the layout viewport of a page whose content overflows; so the window must
    also be exactly the phone's width, or the first check would pass on a page shown tiny.
    """
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, (
        f"the page scrolls sideways: scrollWidth {scroll_width} > innerWidth {inner_width}")
    phone_width = (page.viewport_size or VIEWPORT)["width"]
    assert inner_width == phone_width, (
        f"window.innerWidth is {inner_width}, not the phone's {phone_width} CSS px: the page "
        f"lacks a width=device-width viewport meta tag, or something in it is too wide")
