"""The accountant at a desk (1366×900) and on a phone (390×844), against the real `sunlight serve`:
signs in, enters a three-line voucher with the keyboard alone after the first field, finding
管理费用 by its pinyin initials, posts it with Ctrl+Enter (a fresh voucher opens on the same date),
finds it in the month's list, and reverses it with a reason; keeps a voucher without amounts as
a template (常用凭证) and starts the next one from it. Screenshots to tests/artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
import requests

from ledger.kernel.clock import china_today
from tests.e2e.browser import _browser, assert_no_horizontal_scroll, save_screenshot
from tests.e2e.conftest import Server

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

ORG = "e2e-village"
PASSWORD = "a long password"
SCREENS = {"desk": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def provision(server: Server) -> None:
    """The village and its accountant 王会计, made through the API as an admin."""
    headers = {"Authorization": f"Bearer {server.token}"}

    def post(path: str, body: dict[str, str]) -> None:
        done = requests.post(f"{server.url}/api/v1{path}", json=body, headers=headers,
                             timeout=30)
        assert done.status_code == 201, done.text

    post("/orgs", {"code": ORG, "name_zh": "阳光测试村股份经济合作社",
                   "kind": "village_collective", "books_start": f"{china_today().year - 1}-01-01"})
    post("/users", {"login": "kuaiji", "display_name": "王会计", "password": PASSWORD})
    post(f"/orgs/{ORG}/roles", {"login": "kuaiji", "role": "accountant", "reason": "e2e"})


@pytest.fixture
def screens(request: pytest.FixtureRequest) -> Iterator[dict[str, Page]]:
    """A page per screen size, each in a browser context of its own (its own sign-in)."""
    browser = _browser(request.config)
    contexts = {name: browser.new_context(viewport=size, locale="zh-CN",
                                          is_mobile=name == "phone", has_touch=name == "phone")
                for name, size in SCREENS.items()}
    try:
        yield {name: context.new_page() for name, context in contexts.items()}
    finally:
        for context in contexts.values():
            context.close()


def sign_in(page: Page, server: Server) -> None:
    from playwright.sync_api import expect
    page.goto(f"{server.url}/login?next=/desk/")
    page.fill("input[name=login]", "kuaiji")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_have_text("我的工作台")


def keys(page: Page, *presses: str) -> None:
    """Types text, or presses a key where the item is a key name (Tab, Enter, Control+d)."""
    for press in presses:
        if press in ("Tab", "Enter", "Equal", "Control+d", "Control+Enter") or "+" in press:
            page.keyboard.press("=" if press == "Equal" else press)
        else:
            page.keyboard.type(press)


def enter_voucher(page: Page, summary: str) -> None:
    """After the date, the first field, everything by keyboard: three lines, 管理费用 found by
    its initials, the credit filled with the difference, posted by Ctrl+Enter."""
    from playwright.sync_api import expect
    # The keys are the script's: typed before it ran (a busy machine, a page reached by a
    # click), Enter on the date would submit the empty form. Its keyboard hint shows it ran.
    expect(page.locator("#keys")).to_be_visible()
    page.locator("#date").focus()
    # Enter leaves the date (Tab too: test_voucher_walk_keys.py).
    keys(page, "Enter", summary, "Tab", "2", "Tab",
         "glf", "Enter", "1200", "Enter", "Enter", "Control+d", "Enter",   # 513 管理费用
         "qtzc", "Enter", "300.50", "Enter", "Enter", "Enter")              # 515 其他支出
    expect(page.locator("#line-1-account")).to_have_value("513")
    expect(page.locator("#line-1-memo")).to_have_value(summary)
    expect(page.locator("#difference")).to_contain_text("1,500.50")
    expect(page.locator("#post")).to_be_disabled()  # no submit while unbalanced
    keys(page, "yhck", "Enter", "Enter", "Equal")                           # 102 银行存款
    expect(page.locator("#line-3-credit")).to_have_value("1500.50")
    expect(page.locator("#difference")).to_have_text("借贷平衡")
    expect(page.locator("#post")).to_be_enabled()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_accountant_posts_finds_and_reverses_a_voucher(server: Server, screens, screen):
    from playwright.sync_api import expect
    provision(server)
    page = screens[screen]
    sign_in(page, server)
    page.locator(f"#new-voucher-{ORG}").click()
    expect(page.locator("h1")).to_have_text("录入凭证")
    today = china_today().isoformat()
    expect(page.locator("#date")).to_have_value(today)
    summary = f"支付村部电费和办公用品（{screen}）"
    enter_voucher(page, summary)
    save_screenshot(page, f"voucher-entry-{screen}")
    assert_no_horizontal_scroll(page)

    page.keyboard.press("Control+Enter")
    number = f"{today[:7]}-0001"
    expect(page.locator("p.notice")).to_have_text(f"凭证 {number} 已记账。")
    expect(page.locator("#date")).to_have_value(today)  # the next voucher, the same day
    expect(page.locator("#summary")).to_have_value("")

    page.get_by_role("link", name="凭证", exact=True).click()
    row = page.locator(f"#v-{number}")
    expect(row).to_contain_text(summary)
    expect(row).to_contain_text("1,500.50")
    expect(row).to_contain_text("王会计")
    assert_no_horizontal_scroll(page)
    save_screenshot(page, f"voucher-list-{screen}")

    row.get_by_role("link", name=number).click()
    expect(page.locator("h1")).to_have_text(f"记账凭证 {number}")
    expect(page.locator("dl.facts")).to_contain_text("壹仟伍佰元伍角整")
    expect(page.locator("#voucher-lines")).to_contain_text("513 管理费用")
    page.fill("#reverse-reason", "发票开错，重开后另记")
    page.get_by_role("button", name="冲销", exact=True).click()
    reversal = f"{today[:7]}-0002"
    expect(page.locator("p.notice")).to_have_text(f"凭证已由 {reversal} 红字冲销。")
    expect(page.locator("#reversal")).to_contain_text("发票开错，重开后另记")
    expect(page.locator("#reverse-form")).to_have_count(0)
    assert_no_horizontal_scroll(page)
    save_screenshot(page, f"voucher-reversed-{screen}")

    page.locator("#reversal a").click()
    expect(page.locator("#voucher-lines")).to_contain_text("-1,500.50")
    save_screenshot(page, f"voucher-reversal-{screen}")


def test_a_template_is_saved_without_amounts_and_starts_the_next_voucher(server: Server, screens):
    from playwright.sync_api import expect
    provision(server)
    page = screens["desk"]
    sign_in(page, server)
    page.locator(f"#new-voucher-{ORG}").click()
    expect(page.locator("#keys")).to_be_visible()  # the script's keys, once it has run
    page.locator("#date").focus()
    keys(page, "Enter", "支付村部电费", "Tab", "1", "Tab", "glf", "Enter", "Enter", "Enter",
         "电费", "Enter", "yhck", "Enter")
    expect(page.locator("#post")).to_be_disabled()  # no amounts yet: nothing to post
    page.locator("details.save-template summary").click()
    page.fill("#template_name", "电费")
    page.get_by_role("button", name="保存常用凭证").click()
    expect(page.locator("p.notice")).to_have_text("常用凭证已保存。")
    page.goto(f"{server.url}/desk/{ORG}/vouchers/new")
    page.get_by_role("link", name="电费", exact=True).click()
    expect(page.locator("#summary")).to_have_value("支付村部电费")
    expect(page.locator("#line-1-account")).to_have_value("513")
    expect(page.locator("#line-1-memo")).to_have_value("电费")
    expect(page.locator("#line-2-account")).to_have_value("102")
    expect(page.locator("#keys")).to_be_visible()
    page.locator("#line-1-debit").focus()
    keys(page, "86.40", "Enter", "Enter", "Enter", "Enter", "Enter", "Equal")
    expect(page.locator("#line-2-credit")).to_have_value("86.40")
    save_screenshot(page, "voucher-from-template-desk")
    page.keyboard.press("Control+Enter")
    number = f"{china_today().isoformat()[:7]}-0001"
    expect(page.locator("p.notice")).to_have_text(f"凭证 {number} 已记账。")


def test_without_javascript_the_form_is_checked_by_the_server(server: Server, request):
    """Scripts off: the grid is a plain form; an unbalanced voucher comes back as typed with the
    difference named, a wrong amount beside its cell, in Chinese; then corrected, it posts."""
    from playwright.sync_api import expect
    provision(server)
    context = _browser(request.config).new_context(viewport=SCREENS["desk"], locale="zh-CN",
                                                   java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, server)
        page.goto(f"{server.url}/desk/{ORG}/vouchers/new")
        expect(page.locator("#keys")).to_be_hidden()  # the keys need the script
        page.fill("#summary", "收取门面房租")
        page.fill("#line-1-account", "102")
        page.fill("#line-1-debit", "3,000")
        page.fill("#line-2-account", "投资收益")  # a name: 502
        page.fill("#line-2-credit", "2500")
        page.fill("#line-3-account", "qtsr")  # initials: 504 其他收入
        page.fill("#line-3-credit", "5O0")
        page.get_by_role("button", name="记账", exact=True).click()
        expect(page.locator("#line-3-credit-error")).to_contain_text("金额以元为单位")
        expect(page.locator("#line-3-credit")).to_have_value("5O0")
        expect(page.locator("#line-3-account")).to_have_value("504")  # qtsr, taken as 其他收入
        expect(page.locator(".error-summary")).to_be_visible()
        save_screenshot(page, "voucher-entry-refused-nojs-desk")
        page.fill("#line-3-credit", "400")
        page.get_by_role("button", name="记账", exact=True).click()
        expect(page.locator("#lines-error")).to_have_text(
            "借方合计 3,000.00 与贷方合计 2,900.00 相差 100.00。")
        page.fill("#line-3-credit", "500")
        page.get_by_role("button", name="记账", exact=True).click()
        expect(page.locator("p.notice")).to_contain_text("已记账")
        expect(page.locator("#voucher-lines")).to_contain_text("502 投资收益")
        expect(page.locator("#voucher-lines")).to_contain_text("504 其他收入")
    finally:
        context.close()
