"""The accountant's year-end distribution on the real `sunlight serve`, at a desk (1366×900) and
on a phone (390×844): signs in, opens 年终收益分配 from the desk, fills the plan, previews every
household's amount (nothing written), drafts it, reviews the holders and sees why it cannot be
posted yet; the test then publishes the plan's disclosure and records the members' meeting eleven
days later through the application with a moved clock; the accountant posts the plan, pays two
households in cash, and opens their payment slips. Screenshots to tests/artifacts/."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest

from infra.keys import personal_data_cipher
from infra.storage import Storage
from ledger.application import Ledger
from ledger.books import Line, VoucherDraft
from ledger.kernel.clock import china_today
from projections.runner import open_ledger
from tests.conftest import Clock
from tests.e2e.browser import _browser, assert_no_horizontal_scroll, save_screenshot
from tests.e2e.conftest import Server
from tests.registers import ORG, village_with_shares

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

PASSWORD = "a long password"
SCREENS = {"desk": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def books(server: Server, storage: Storage) -> Iterator[tuple[Ledger, Clock]]:
    """东村 in the server's database, through the application: households 001 (85 shares), 002
    (80) and 003 (35); 2025 earned 80,000.00; kuaiji keeps the books, jiandu supervises."""
    clock = Clock()
    clock.today = china_today()
    ledger = open_ledger(storage, clock=clock, cipher=personal_data_cipher(storage))
    village_with_shares(ledger, matter_steps="decide")
    ledger.books.open_account(ORG, parent="211", code="21102", name_zh="应付收益分配",
                              name_en="Distributions payable", actor="kuaiji")
    for day, debit, credit, fen in (("2025-03-01", "102", "501", 10_000_000),
                                    ("2025-06-01", "101", "102", 500_000),
                                    ("2025-09-01", "513", "102", 2_000_000)):
        ledger.books.post_voucher(ORG, VoucherDraft(
            date=date.fromisoformat(day), summary="业务",
            lines=(Line(debit, debit=fen), Line(credit, credit=fen))), actor="kuaiji")
    for login, name, role in (("kuaiji", "王会计", "accountant"),
                              ("jiandu", "李监督", "supervisor")):
        ledger.identity.create_user(login=login, display_name=name, password=PASSWORD,
                                    actor="e2e")
        ledger.identity.grant_role(login, org=ORG, role=role, reason="e2e", actor="e2e")
    ledger.spending.propose_matter(ORG, on=clock.today, title="2025年度收益分配",
                                   category="distribution", description="",
                                   proposed_by="party_branch", budget_total=0, budget_lines=[],
                                   actor="kuaiji")
    try:
        yield ledger, clock
    finally:
        ledger.close()


def disclose_and_decide(ledger: Ledger, clock: Clock, number: str) -> None:
    """What the disclosure desk and the matter's page would do: the plan published today, the
    members' meeting held eleven days later (the clock moved there)."""
    ref = str(ledger.disclosure.draft_disclosure(
        ORG, kind="distribution", period="2025", title="2025年度收益分配方案",
        inputs={"distribution": number, "stage": "plan"}, content=json.dumps({"lines": []}),
        position=ledger.log_head(), actor="kuaiji").value.id)
    ledger.disclosure.submit_disclosure(ORG, ref, panel=["jiandu"], actor="kuaiji")
    ledger.disclosure.sign_disclosure(ORG, ref, member="jiandu")
    ledger.disclosure.publish_disclosure(ORG, ref, actor="kuaiji")
    clock.today += timedelta(days=11)
    matter = ledger.distribution.distribution(ORG, number).matter
    assert ledger.spending.hold_meeting(
        ORG, matter, step="decide", on=clock.today, body="members_meeting", entitled=6,
        present=6, votes_for=6, resolution_no="东村决〔2026〕1号", actor="kuaiji").value.decided


@pytest.fixture
def screens(request: pytest.FixtureRequest) -> Iterator[dict[str, Page]]:
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


def caught_up(page: Page, selector: str, seconds: float = 20) -> None:
    """Reloads until the server's read models show what the application wrote behind its back
    (the projection process catches up within a moment)."""
    deadline = time.monotonic() + seconds
    while not page.locator(selector).count():
        assert time.monotonic() < deadline, f"{selector} never appeared on {page.url}"
        time.sleep(0.3)
        page.reload()


def shoot(pages: dict[str, Page], name: str) -> None:
    """The same page at both widths: nothing scrolls sideways on the phone."""
    for screen, page in pages.items():
        if screen == "phone":
            assert_no_horizontal_scroll(page)
        save_screenshot(page, f"distribution-desk-{name}-{screen}")


def test_the_accountant_drafts_posts_and_pays_a_distribution(server, books, screens) -> None:
    from playwright.sync_api import expect
    ledger, clock = books
    desk, phone = screens["desk"], screens["phone"]
    for page in screens.values():
        sign_in(page, server)

    desk.get_by_role("link", name="年终收益分配").first.click()
    expect(desk.locator("h1")).to_have_text("年终收益分配")
    desk.get_by_role("link", name="新建收益分配方案").click()
    expect(desk.locator("#draft-year")).to_have_value("2025")
    desk.fill("#draft-reserve_rate", "0.30")
    desk.fill("#draft-per_share", "100.00")
    desk.select_option("#draft-matter", label=desk.locator("#draft-matter option").nth(1)
                       .inner_text())
    head = ledger.log_head()
    desk.get_by_role("button", name="预览").click()
    preview = desk.locator("#preview")
    expect(preview).to_contain_text("预览：尚未写入账簿")
    expect(preview.locator("#h-001")).to_contain_text("8,500.00")
    expect(preview.locator("#h-003")).to_contain_text("3,500.00")
    assert ledger.log_head() == head  # a preview writes nothing
    save_screenshot(desk, "distribution-desk-preview-desk")

    desk.get_by_role("button", name="起草").click()
    expect(desk.locator("h1")).to_have_text("收益分配方案 2025-1")
    expect(desk.locator("p.notice")).to_contain_text("方案已起草")
    expect(desk.locator("#h-002")).to_contain_text("8,000.00")
    expect(desk.locator("#post-button")).to_be_disabled()
    expect(desk.locator("#why-not-post")).to_contain_text("满10日后经成员大会表决通过方可过账")
    phone.goto(desk.url)
    shoot({"desk": desk, "phone": phone}, "drafted")

    disclose_and_decide(ledger, clock, "2025-1")
    caught_up(desk, "#post-button:enabled")
    desk.locator("#post-button").click()
    expect(desk.locator("p.notice")).to_contain_text("已过账")
    expect(desk.locator(".stage.status-posted").first).to_be_visible()

    desk.check("#tick-001")
    desk.check("#tick-003")
    desk.select_option("#pay-paid_from", "102")
    desk.get_by_role("button", name="支付并记账").click()
    expect(desk.locator("p.notice")).to_contain_text("已支付")
    expect(desk.locator("#h-001")).to_contain_text("已发放")
    expect(desk.locator("#h-002")).to_contain_text("未发")
    expect(desk.locator("#h-003")).to_contain_text("已发放")
    assert ledger.distribution.distribution(ORG, "2025-1").unpaid() == {
        "household:002": 800_000}
    phone.goto(desk.url)
    shoot({"desk": desk, "phone": phone}, "paid")

    desk.get_by_role("link", name="打印发放通知单").click()
    slip = desk.locator("#slip-001")
    expect(slip).to_contain_text("捌仟伍佰元整")
    code = ledger.distribution.distribution(ORG, "2025-1").line_of("household:001")["code"]
    expect(slip).to_contain_text(code)
    phone.goto(desk.url)
    shoot({"desk": desk, "phone": phone}, "slips")
