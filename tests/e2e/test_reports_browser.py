"""The accountant keeps the books in the browser against the real `sunlight serve`, at a desk
(1366×900) and on a phone (390×844): from her desk to the trial balance of January, from an
account to its detail ledger, whose lines link to their vouchers; the trial balance downloaded
as .xlsx and read back (numbers, not text); January closed from the periods page after its
checklist. Screenshots of each page go to tests/artifacts/."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from ledger.kernel.clock import china_today
from tests.e2e.browser import (
    DEVICE_SCALE_FACTOR,
    LOCALE,
    _browser,
    assert_no_horizontal_scroll,
    save_screenshot,
)
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e

ORG = "e2e-books"
PASSWORD = "a long password"
YEAR = china_today().year - 1  # a year whose months have all ended
JANUARY = f"{YEAR}-01"
VOUCHERS = [
    {"date": f"{JANUARY}-05", "summary": "收取一组发包款",
     "lines": [{"account": "102", "debit": "12345.60"}, {"account": "501", "credit": "12345.60"}]},
    {"date": f"{JANUARY}-09", "summary": "支付干部报酬",
     "attachments": 1,
     "lines": [{"account": "513", "debit": "1200.00"}, {"account": "102", "credit": "1200.00"}]},
]


def provision(server: Server) -> list[str]:
    """The village, its accountant (kuaiji), and January's two vouchers; their ids."""
    headers = {"Authorization": f"Bearer {server.token}"}

    def post(path: str, body: dict) -> dict:
        done = requests.post(f"{server.url}/api/v1{path}", json=body, headers=headers,
                             timeout=30)
        assert done.status_code == 201, done.text
        return done.json()

    post("/orgs", {"code": ORG, "name_zh": "阳光账簿村股份经济合作社",
                   "kind": "village_collective", "books_start": f"{YEAR}-01-01"})
    post("/users", {"login": "kuaiji", "display_name": "王会计", "password": PASSWORD})
    for login in ("kuaiji", "e2e"):
        post(f"/orgs/{ORG}/roles", {"login": login, "role": "accountant", "reason": "e2e"})
    return [post(f"/orgs/{ORG}/vouchers", body)["id"] for body in VOUCHERS]


@pytest.fixture
def screens(request: pytest.FixtureRequest) -> Iterator[dict[str, Page]]:
    """A desktop window and a phone, each a fresh context of the one headless chromium."""
    browser = _browser(request.config)
    desk = browser.new_context(viewport={"width": 1366, "height": 900}, locale=LOCALE,
                               accept_downloads=True)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale=LOCALE,
                                device_scale_factor=DEVICE_SCALE_FACTOR, is_mobile=True,
                                has_touch=True)
    try:
        yield {"desk": desk.new_page(), "phone": phone.new_page()}
    finally:
        desk.close()
        phone.close()


def sign_in(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/login?next=/desk/")
    page.fill("input[name=login]", "kuaiji")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_have_text("我的工作台")


def trial_balance_to_ledger(page: Page, server: Server, ids: list[str], name: str) -> None:
    """From the desk to January's trial balance, then to the bank's ledger; its voucher links."""
    page.locator(f"#books-{ORG}").click()
    expect(page.locator("h1")).to_contain_text("科目余额表")
    page.fill("#period", JANUARY)
    page.get_by_role("button", name="显示").click()
    expect(page.locator("#balanced")).to_have_class("pass")
    bank = page.locator("#trial-balance tr", has=page.locator("a", has_text="102"))
    expect(bank).to_contain_text("12,345.60")
    expect(bank).to_contain_text("11,145.60")
    save_screenshot(page, f"reports-trial-balance-{name}")
    bank.get_by_role("link", name="102").click()
    expect(page.locator("h1")).to_contain_text("明细账")
    expect(page.locator("#ledger")).to_contain_text("支付干部报酬")
    hrefs = [link.get_attribute("href") for link in page.locator("#ledger a.voucher").all()]
    assert hrefs == [f"/desk/{ORG}/vouchers/{ref}" for ref in ids]
    save_screenshot(page, f"reports-ledger-{name}")


def test_the_books_at_a_desk_and_on_a_phone(server: Server, screens: dict[str, Page]) -> None:
    ids = provision(server)
    desk, phone = screens["desk"], screens["phone"]

    sign_in(desk, server)
    trial_balance_to_ledger(desk, server, ids, "desk")
    # The voucher the link opens is the one the JSON API addresses by that id.
    answer = requests.get(f"{server.url}/api/v1/orgs/{ORG}/vouchers/{ids[1]}",
                          headers={"Authorization": f"Bearer {server.token}"}, timeout=30)
    assert answer.json()["summary"] == "支付干部报酬"

    for link, shot in (("资产负债表", "balance-sheet"), ("收益及收益分配表", "income-statement")):
        desk.get_by_role("link", name=link).click()
        expect(desk.locator("h1")).to_contain_text(link)
        save_screenshot(desk, f"reports-{shot}-desk")
    desk.get_by_role("link", name="科目余额表").click()
    desk.fill("#period", JANUARY)
    desk.get_by_role("button", name="显示").click()
    with desk.expect_download() as download:
        desk.locator("#download-xlsx").click()
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=7)}
    assert rows["102"][4].value == 12345.6 and rows["102"][5].value == 1200  # numbers
    assert rows["102"][4].number_format == "#,##0.00"
    assert sheet["A2"].value == "编制单位：阳光账簿村股份经济合作社"

    sign_in(phone, server)
    trial_balance_to_ledger(phone, server, ids, "phone")
    assert_no_horizontal_scroll(phone)
    for link, shot in (("资产负债表", "balance-sheet"), ("收益及收益分配表", "income-statement")):
        phone.get_by_role("link", name=link).click()
        expect(phone.locator("h1")).to_contain_text(link)
        assert_no_horizontal_scroll(phone)
        # Each amount is read as one number, never broken across lines (1,324,140.0 | 4).
        wrapping = phone.locator("table.statement td.num").evaluate_all(
            "cells => cells.filter(c => getComputedStyle(c).whiteSpace !== 'nowrap').length")
        assert wrapping == 0
        save_screenshot(phone, f"reports-{shot}-phone")
    # Months after January leave the distribution rows blank: the blank keeps its column, so
    # the year's figure stays under 本年累计数 and is not read as the months'.
    phone.goto(f"{server.url}/desk/{ORG}/reports/income-statement?from={YEAR}-02&to={YEAR}-03")
    expect(phone.locator("#whole-year-rows")).to_be_visible()
    hidden = phone.locator("table.statement td").evaluate_all(
        "cells => cells.filter(c => getComputedStyle(c).display === 'none').length")
    assert hidden == 0
    save_screenshot(phone, "reports-income-statement-months-phone")

    # January is closed from the periods page, after its checklist.
    desk.get_by_role("link", name="会计期间").click()
    expect(desk.locator("#next-open")).to_have_text(JANUARY)
    for check in ("ended", "warnings", "cash", "balanced"):
        expect(desk.locator(f"#check-{check}")).to_have_class("pass")
    save_screenshot(desk, "periods-desk")
    desk.get_by_role("button", name=f"结账 {JANUARY}").click()
    expect(desk.locator("p.notice")).to_contain_text(f"{JANUARY} 已结账")
    expect(desk.locator("#next-open")).to_have_text(f"{YEAR}-02")
    expect(desk.locator("#closures")).to_contain_text(JANUARY)

    phone.get_by_role("link", name="会计期间").click()
    expect(phone.locator("#next-open")).to_have_text(f"{YEAR}-02")
    expect(phone.locator("#closures")).to_contain_text("王会计")  # by name, login on hover
    assert_no_horizontal_scroll(phone)
    save_screenshot(phone, "periods-phone")
