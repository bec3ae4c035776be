"""The cooperative's accountant at the desk (1366×900) on the real `sunlight serve`: signs in,
records a sale of fertilizer to a member on the trade form, finds it on that member's account
page, and previews the 2025 surplus plan, in which the member's return by trade has grown by the
sale, as Art. 44 splits it. The books are set up through the application; screenshots to
tests/artifacts/.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

import pytest

from infra.keys import personal_data_cipher
from infra.storage import Storage
from ledger.application import Ledger
from ledger.books import Line, VoucherDraft
from ledger.kernel.clock import china_today
from projections.runner import open_ledger
from tests.conftest import Clock
from tests.e2e.browser import _browser, save_screenshot
from tests.e2e.conftest import Server

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

ORG = "c1"
PASSWORD = "a long password"
MEMBERS = (("0001", "张大山", 1_000_000), ("0002", "李秀英", 500_000), ("0003", "王建国", 500_000))
# Fruit the members sold the cooperative in 2025 (0003 sold none), and what it sold outside.
SOLD = {"0001": 800_000, "0002": 1_200_000}
OUTSIDE, COST, EXPENSES = 5_000_000, 2_000_000, 200_000
SALE = 100_000  # the fertilizer the accountant sells 0003 on the desk


def returns(net_income: int, trade: dict[str, int]) -> dict[str, int]:
    """Art. 44 again: 10 % to 盈余公积 (half up), ⌈60 %⌉ of the rest back by trade, split by
    largest remainder, ties to the lower member number."""
    reserve = int((Decimal(net_income) / 10).quantize(Decimal(1), ROUND_HALF_UP))
    total = int((Decimal(net_income - reserve) * Decimal("0.6")).quantize(Decimal(1),
                                                                           ROUND_CEILING))
    whole = sum(trade.values())
    got = {m: total * v // whole for m, v in trade.items()}
    order = sorted(trade, key=lambda m: (-(total * trade[m] % whole), m))
    for m in order[:total - sum(got.values())]:
        got[m] += 1
    return got


def money(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}"


@pytest.fixture
def coop(server: Server, storage: Storage) -> Iterator[Ledger]:
    """东村果品专业合作社 in the server's database: three members who put in money in January
    2025, two of whom sold it fruit; fruit sold outside, its cost, expenses; kuaiji keeps it."""
    clock = Clock()
    clock.today = china_today()
    ledger = open_ledger(storage, clock=clock, cipher=personal_data_cipher(storage))
    ledger.books.register_organization(code=ORG, name_zh="东村果品专业合作社",
                                       kind="farmers_cooperative", books_start=date(2025, 1, 1),
                                       actor="e2e")
    for number, name, fen in MEMBERS:
        ledger.register.confirm_member(ORG, number=number, name=name, sex="male",
                                       born=date(1970, 1, 1), household="",
                                       on=date(2025, 1, 5), basis="admitted", actor="e2e")
        ledger.member_accounts.record_contribution(ORG, number, on=date(2025, 1, 6),
                                                   form="money", amount=fen, account="102",
                                                   actor="kuaiji")
    for number, fen in SOLD.items():
        ledger.member_accounts.record_trade(ORG, on=date(2025, 7, 10), member=number,
                                            direction="sold_to_cooperative", product="黄桃",
                                            quantity="1000", unit="公斤", amount=fen,
                                            settlement="102", actor="kuaiji")
    ledger.member_accounts.record_trade(ORG, on=date(2025, 8, 1), counterparty="城关水果批发市场",
                                        direction="bought_from_cooperative", product="黄桃",
                                        quantity="5000", unit="公斤", amount=OUTSIDE,
                                        settlement="102", actor="kuaiji")
    for summary, debit, credit, fen in (("结转销售成本", "52102", "121", COST),
                                        ("支付管理费用", "522", "102", EXPENSES)):
        ledger.books.post_voucher(ORG, VoucherDraft(
            date=date(2025, 9, 30), summary=summary,
            lines=(Line(debit, debit=fen), Line(credit, credit=fen))), actor="kuaiji")
    ledger.identity.create_user(login="kuaiji", display_name="王会计", password=PASSWORD,
                                actor="e2e")
    ledger.identity.grant_role("kuaiji", org=ORG, role="accountant", reason="e2e", actor="e2e")
    try:
        yield ledger
    finally:
        ledger.close()


@pytest.fixture
def desk(request: pytest.FixtureRequest) -> Iterator[Page]:
    context = _browser(request.config).new_context(viewport={"width": 1366, "height": 900},
                                                   locale="zh-CN")
    try:
        yield context.new_page()
    finally:
        context.close()


def sign_in(page: Page, server: Server) -> None:
    from playwright.sync_api import expect
    page.goto(f"{server.url}/login?next=/desk/")
    page.fill("input[name=login]", "kuaiji")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_have_text("我的工作台")


def caught_up(page: Page, selector: str, seconds: float = 20) -> None:
    """Reloads until the read models show what was just written."""
    deadline = time.monotonic() + seconds
    while not page.locator(selector).count():
        assert time.monotonic() < deadline, f"{selector} never appeared on {page.url}"
        time.sleep(0.3)
        page.reload()


def preview_return(page: Page, server: Server) -> str:
    """The 2025 plan previewed from the desk (年终收益分配, then a new plan); member 0003's
    return by trade as it reads."""
    from playwright.sync_api import expect
    page.goto(f"{server.url}/desk/")
    page.locator(f"#distributions-{ORG}").click()
    page.locator("#new-distribution").click()
    expect(page.locator("#draft-year")).to_have_value("2025")
    page.get_by_role("button", name="预览").click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("预览：尚未写入账簿")
    # Member number, name, trade, returned by trade, remaining share, amount.
    return preview.locator("#h-0003 td").nth(3).inner_text().strip()


def test_a_sale_to_a_member_shows_in_the_account_and_in_the_surplus_return(server, coop, desk):
    from playwright.sync_api import expect
    net_income = OUTSIDE - COST - EXPENSES
    before = returns(net_income, dict(SOLD))
    after = returns(net_income + SALE, {**SOLD, "0003": SALE})
    sign_in(desk, server)

    assert preview_return(desk, server) == "0.00" and "0003" not in before
    save_screenshot(desk, "cooperative-desk-preview-before")

    # From the desk: the cooperative's trade book, then a new trade.
    desk.goto(f"{server.url}/desk/")
    desk.locator(f"#trades-{ORG}").click()
    desk.locator("#new-trade").click()
    expect(desk).to_have_url(re.compile(f"/desk/{ORG}/trades/new"))
    desk.fill("#trade-on", "2025-12-15")
    desk.select_option("#trade-member", "0003")
    desk.check("input[name=direction][value=bought_from_cooperative]")
    desk.fill("#trade-product", "有机肥")
    desk.fill("#trade-quantity", "625")
    desk.fill("#trade-unit", "公斤")
    desk.fill("#trade-amount", "1000.00")
    desk.select_option("#trade-settlement", "101")
    save_screenshot(desk, "cooperative-desk-trade-form")
    desk.locator("#trade-form button[type=submit]").click()

    # Recorded and posted, the desk opens the member's account, where the sale is listed.
    expect(desk).to_have_url(re.compile(f"/desk/{ORG}/member-accounts/0003"))
    expect(desk.locator("p.notice")).to_be_visible()
    caught_up(desk, "main:has-text('有机肥')")
    expect(desk.locator("h1")).to_contain_text("王建国")
    expect(desk.locator("main")).to_contain_text(money(SALE))
    save_screenshot(desk, "cooperative-desk-member-account")

    assert preview_return(desk, server) == money(after["0003"])
    save_screenshot(desk, "cooperative-desk-preview-after")
