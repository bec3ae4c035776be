"""常用凭证 by keyboard alone: on the voucher form, Enter in the template's name saves the
template, as Enter saves everywhere else on the desk. Before, the form's Enter-walk took it for a
grid field it did not know and sent the cursor back to the date, and nothing was saved (the
form's default button, 记账, is disabled while a template has no amounts)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Server
from tests.e2e.test_voucher_desk_browser import ORG, keys, provision, screens, sign_in  # noqa: F401

pytestmark = pytest.mark.e2e


def test_enter_in_the_template_name_saves_the_template(server: Server, screens):  # noqa: F811
    from playwright.sync_api import expect
    provision(server)
    page = screens["desk"]
    sign_in(page, server)
    page.goto(f"{server.url}/desk/{ORG}/vouchers/new")
    page.locator("#date").focus()
    keys(page, "Enter", "收取房租", "Enter", "1", "Enter", "yhck", "Enter", "Enter", "Enter",
         "Enter", "jysr", "Enter")
    page.locator("details.save-template summary").focus()
    keys(page, "Enter", "Tab")  # opens the details; the name is the next field
    expect(page.locator("#template_name")).to_be_focused()
    keys(page, "收房租", "Enter")
    expect(page.locator("p.notice")).to_have_text("常用凭证已保存。")
    page.get_by_role("link", name="收房租", exact=True).click()
    expect(page.locator("#summary")).to_have_value("收取房租")
    expect(page.locator("#line-1-account")).to_have_value("102")
    expect(page.locator("#line-2-account")).to_have_value("501")
