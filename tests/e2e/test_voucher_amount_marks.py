"""The voucher form in a browser marks an amount the books cannot read (a third decimal, a
letter) on its own cell and says why beside the totals, so the disabled post button is never
a riddle; once the amount is right the mark goes and the voucher may be posted."""

from __future__ import annotations

import pytest

from tests.e2e.browser import _browser
from tests.e2e.conftest import Server
from tests.e2e.test_voucher_desk_browser import ORG, provision, sign_in

pytestmark = pytest.mark.e2e


def test_an_amount_the_books_cannot_read_is_marked_where_it_is(server: Server,
                                                                request: pytest.FixtureRequest):
    from playwright.sync_api import expect
    provision(server)
    context = _browser(request.config).new_context(viewport={"width": 1366, "height": 900},
                                                   locale="zh-CN")
    try:
        page = context.new_page()
        sign_in(page, server)
        page.goto(f"{server.url}/desk/{ORG}/vouchers/new")
        # Given an accountant who types 12.345 as a debit
        page.fill("#summary", "支付路灯电费")
        page.fill("[name=line-1-account]", "514")
        page.fill("[name=line-1-debit]", "12.345")
        page.fill("[name=line-2-account]", "102")
        page.fill("[name=line-2-credit]", "12.35")
        # Then that cell is marked, the reason is beside the totals, and nothing can be posted
        expect(page.locator("[name=line-1-debit]")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("[name=line-2-credit]")).not_to_have_attribute("aria-invalid", "true")
        expect(page.locator("#difference")).to_contain_text("有金额无法识别")
        expect(page.locator("#post")).to_be_disabled()
        # When she corrects it, the mark goes and the voucher may be posted
        page.fill("[name=line-1-debit]", "12.35")
        expect(page.locator("[name=line-1-debit]")).not_to_have_attribute("aria-invalid", "true")
        expect(page.locator("#difference")).to_have_text("借贷平衡")
        expect(page.locator("#post")).to_be_enabled()
    finally:
        context.close()
