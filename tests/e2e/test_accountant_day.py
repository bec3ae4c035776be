"""An accountant's day in the demo village, as one story, against the real `sunlight serve` with
the demo loaded, at a desk (1366×900) and on a phone (390×844): 王会计 signs in; enters a
three-line voucher with the keyboard alone after the date, finding each account by its pinyin
initials; finds it in the month's list and in the trial balance (its amounts in its accounts'
rows); opens the ledger from the trial balance and the voucher from a ledger line; reverses it
with a reason, after which the month's figures are back where they were; downloads the trial
balance as .xlsx and reads it back (numbers, not text); closes the next month from the periods
page. Each page's screenshot: tests/artifacts/accountant-day-<size>-<step>.png."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect

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

ORG = "sunlight-village"
SIZES = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}
SUMMARY = "购买村委会办公用品和保洁用品"
# The voucher: 51302 办公费 (bgf) and 51401 环境卫生 (hjws) paid from 10201 农商银行基本户 (nsyh).
OFFICE, OTHER, BANK = "51302", "51401", "10201"
MONTH_DEBIT, MONTH_CREDIT, CLOSING_DEBIT, CLOSING_CREDIT = 4, 5, 8, 9  # trial balance columns


@pytest.fixture
def demo_server(unstarted_server: Server, request: pytest.FixtureRequest) -> Server:
    """`sunlight serve` on books holding the demo village, loaded before the server starts; the
    demo accountant's one-time password is kept from what `demo load` printed."""
    done = unstarted_server.run("demo", "load")
    assert done.returncode == 0, done.stdout + done.stderr
    found = re.search(r"accountant\s+kuaiji\s+password (\S+)", done.stdout)
    assert found, done.stdout
    server: Server = request.getfixturevalue("server")
    server.env["E2E_KUAIJI_PASSWORD"] = found.group(1)
    return server


@pytest.fixture(params=list(SIZES))
def screen(request: pytest.FixtureRequest) -> Iterator[tuple[str, Page]]:
    """A window of the size, in a fresh context of the one headless chromium; a phone is
    emulated as one (touch, mobile layout)."""
    size = request.param
    phone = size == "390"
    context = _browser(request.config).new_context(
        viewport=SIZES[size], locale=LOCALE, accept_downloads=True, is_mobile=phone,
        has_touch=phone, device_scale_factor=DEVICE_SCALE_FACTOR if phone else 1)
    try:
        yield size, context.new_page()
    finally:
        context.close()


def fen(text: str) -> int:
    """An amount as the page shows it (1,160.50; blank for none) in fen."""
    cleaned = text.strip().replace(",", "")
    return int(Decimal(cleaned or "0") * 100)


class Walk:
    """The page, and a screenshot of each step (fitting the phone's width when on one)."""

    def __init__(self, page: Page, size: str, server: Server) -> None:
        self.page, self.size, self.server, self.step = page, size, server, 0

    def shot(self, name: str) -> None:
        # Its stylesheets too: a long page is in the DOM (and its checks pass) before they apply.
        self.page.wait_for_load_state("load")
        if self.size == "390":
            assert_no_horizontal_scroll(self.page)
        self.step += 1
        save_screenshot(self.page, f"accountant-day-{self.size}-{self.step:02d}-{name}")

    def row(self, code: str) -> Locator:
        """The trial balance's row of one account (its code a link of exactly that text)."""
        link = self.page.get_by_role("link", name=code, exact=True)
        return self.page.locator("#trial-balance tbody tr").filter(has=link)

    def cell(self, code: str, column: int) -> int:
        return fen(self.row(code).locator("td").nth(column).inner_text())

    def trial_balance(self, month: str) -> None:
        """From her desk to the books, which open on the trial balance; then the month's."""
        self.page.locator("nav.desk").get_by_role("link", name="我的工作台").click()
        self.page.locator(f"#books-{ORG}").click()
        self.page.fill("#period", month)
        self.page.get_by_role("button", name="显示").click()
        expect(self.page.locator("h1")).to_contain_text(month)
        expect(self.page.locator("#balanced")).to_have_class("pass")


def keys(page: Page, *presses: str) -> None:
    """Types text, or presses a key where the item names one (Tab, Enter, Control+d, =)."""
    for press in presses:
        if press in ("Tab", "Enter", "=") or "+" in press:
            page.keyboard.press(press)
        else:
            page.keyboard.type(press)


def sign_in(walk: Walk) -> None:
    page = walk.page
    page.goto(f"{walk.server.url}/login")
    page.fill("input[name=login]", "kuaiji")
    page.fill("input[name=password]", walk.server.env["E2E_KUAIJI_PASSWORD"])
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_have_text("我的工作台")
    expect(page.locator(f"#org-{ORG}")).to_contain_text("阳光村股份经济合作社")
    walk.shot("desk")


def post_voucher(walk: Walk) -> str:
    """The voucher, by keyboard after the date; its number, from the notice once posted."""
    page = walk.page
    page.locator(f"#new-voucher-{ORG}").click()
    expect(page.locator("h1")).to_have_text("录入凭证")
    expect(page.locator("#date")).to_have_value(china_today().isoformat())
    # The keys are the script's: typed before it ran (a busy machine), Enter on the date
    # would submit the empty form. Its keyboard hint shows once it has.
    expect(page.locator("#keys")).to_be_visible()
    page.locator("#date").focus()
    # Enter, not Tab, leaves the date: Tab walks through the date's own year, month and day.
    keys(page, "Enter", SUMMARY, "Tab", "3", "Tab",
         "bgf", "Enter", "860", "Enter", "Enter", "Control+d", "Enter",
         "hjws", "Enter", "300.50", "Enter", "Enter", "垃圾袋和扫帚", "Enter",
         "nsyh", "Enter", "Enter", "=")
    for line, code in enumerate((OFFICE, OTHER, BANK), start=1):
        expect(page.locator(f"#line-{line}-account")).to_have_value(code)
    expect(page.locator("#line-1-memo")).to_have_value(SUMMARY)
    expect(page.locator("#line-3-credit")).to_have_value("1160.50")
    expect(page.locator("#difference")).to_have_text("借贷平衡")
    walk.shot("voucher-entry")
    page.keyboard.press("Control+Enter")
    notice = page.locator("p.notice")
    expect(notice).to_have_text(re.compile(r"^凭证 \d{4}-\d{2}-\d{4} 已记账。$"))
    number = re.findall(r"\d{4}-\d{2}-\d{4}", notice.inner_text())[0]
    expect(page.locator("#summary")).to_have_value("")  # a fresh voucher waits,
    expect(page.locator("#summary")).to_be_focused()  # on the same day: its summary first
    return number


def find_in_list(walk: Walk, number: str) -> None:
    page = walk.page
    page.get_by_role("link", name="凭证", exact=True).click()
    row = page.locator(f"#v-{number}")
    for shown in (SUMMARY, "1,160.50", "王会计"):
        expect(row).to_contain_text(shown)
    walk.shot("voucher-list")


def see_in_trial_balance(walk: Walk, month: str) -> dict[str, int]:
    """The voucher's amounts in the month's columns of its accounts' rows; the closing
    figures of those rows, for after the reversal."""
    walk.trial_balance(month)
    assert walk.cell(OFFICE, MONTH_DEBIT) == 86000
    assert walk.cell(OTHER, MONTH_DEBIT) == 30050
    assert walk.cell(BANK, MONTH_CREDIT) == 116050
    walk.shot("trial-balance")
    return {OFFICE: walk.cell(OFFICE, CLOSING_DEBIT), OTHER: walk.cell(OTHER, CLOSING_DEBIT),
            BANK: walk.cell(BANK, CLOSING_DEBIT)}


def ledger_to_voucher(walk: Walk, number: str) -> None:
    """From the office costs' row of the trial balance to their ledger, and from its line to
    the voucher."""
    page = walk.page
    walk.row(OFFICE).get_by_role("link", name=OFFICE, exact=True).click()
    expect(page.locator("h1")).to_contain_text(f"明细账 {OFFICE} 办公费")
    line = page.locator("#ledger tbody tr").filter(
        has=page.get_by_role("link", name=number, exact=True))
    expect(line).to_contain_text(SUMMARY)
    expect(line).to_contain_text("860.00")
    walk.shot("ledger")
    line.get_by_role("link", name=number).click()
    expect(page.locator("h1")).to_have_text(f"记账凭证 {number}")
    expect(page.locator("dl.facts")).to_contain_text("壹仟壹佰陆拾元伍角整")
    expect(page.locator("#voucher-lines")).to_contain_text(f"{OFFICE} 管理费用—办公费")
    walk.shot("voucher")


def reverse(walk: Walk) -> str:
    """Reversed in red ink with a reason; the reversal's number."""
    page = walk.page
    page.fill("#reverse-reason", "办公用品已退货，冲销原凭证")
    page.get_by_role("button", name="冲销", exact=True).click()
    notice = page.locator("p.notice")
    expect(notice).to_have_text(re.compile(r"^凭证已由 \d{4}-\d{2}-\d{4} 红字冲销。$"))
    expect(page.locator("#reversal")).to_contain_text("办公用品已退货")
    expect(page.locator("#reverse-form")).to_have_count(0)
    walk.shot("voucher-reversed")
    return re.findall(r"\d{4}-\d{2}-\d{4}", notice.inner_text())[0]


def net_is_back(walk: Walk, month: str, posted: dict[str, int]) -> None:
    """After the reversal the month's columns hold nothing of the voucher, and each closing
    figure is the one before it was posted."""
    walk.trial_balance(month)
    for code, column in ((OFFICE, MONTH_DEBIT), (OTHER, MONTH_DEBIT), (BANK, MONTH_CREDIT)):
        assert walk.cell(code, column) == 0, code
    assert walk.cell(OFFICE, CLOSING_DEBIT) == posted[OFFICE] - 86000
    assert walk.cell(OTHER, CLOSING_DEBIT) == posted[OTHER] - 30050
    assert walk.cell(BANK, CLOSING_DEBIT) == posted[BANK] + 116050
    walk.shot("trial-balance-reversed")


def download_xlsx(walk: Walk) -> None:
    """The trial balance as shown, in a workbook whose amounts are numbers."""
    page = walk.page
    with page.expect_download() as download:
        page.locator("#download-xlsx").click()
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=7)}
    assert sheet["A2"].value == "编制单位：阳光村股份经济合作社"
    for code in (OFFICE, OTHER, BANK):
        closing = rows[code][CLOSING_DEBIT]
        assert isinstance(closing.value, int | float), (code, closing.value)
        assert round(closing.value * 100) == walk.cell(code, CLOSING_DEBIT)
        assert closing.number_format == "#,##0.00"


def close_next_month(walk: Walk) -> None:
    """The next open month closes from the periods page, after its checklist; a failed check
    is looked at and confirmed, as the page asks."""
    page = walk.page
    page.get_by_role("link", name="会计期间", exact=True).click()
    month = page.locator("#next-open").inner_text()
    expect(page.locator("#check-ended")).to_have_class("pass")
    expect(page.locator("#check-balanced")).to_have_class("pass")
    walk.shot("periods")
    failed = page.locator("#checklist li.fail").count()  # the demo's warnings wait, unconfirmed
    expect(page.locator("#confirm")).to_have_count(1 if failed else 0)
    if failed:
        page.locator("#confirm").check()
    page.get_by_role("button", name=f"结账 {month}").click()
    expect(page.locator("p.notice")).to_contain_text(f"{month} 已结账")
    expect(page.locator("#closures")).to_contain_text(month)
    expect(page.locator("#next-open")).not_to_have_text(month)
    walk.shot("period-closed")


def test_an_accountants_day(demo_server: Server, screen: tuple[str, Page]) -> None:
    size, page = screen
    walk = Walk(page, size, demo_server)
    month = china_today().isoformat()[:7]
    sign_in(walk)
    number = post_voucher(walk)
    find_in_list(walk, number)
    posted = see_in_trial_balance(walk, month)
    ledger_to_voucher(walk, number)
    reversal = reverse(walk)
    assert reversal != number
    net_is_back(walk, month, posted)
    download_xlsx(walk)
    close_next_month(walk)
