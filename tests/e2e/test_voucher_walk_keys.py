"""What a township accountant's keyboard walk of the voucher form found (1366×900, Chromium).

常用凭证 by keyboard alone: Enter in the template's name saves the template. Before, the form's
Enter-walk took it for a grid field it did not know and sent the cursor back to the date, and
nothing was saved (the form's default button, 记账, is disabled while a template has no amounts).

An account cell whose text names no account (wxyz) is said at once,
beside the cell, and nothing posts; before, Enter moved on with the cell blank of any name and
the voucher came back from the server only after 记账.

Amounts typed with a Chinese input method still on (860。50, １２００) count as meant; Tab
leaves the date for the summary."""

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


def test_an_account_that_names_nothing_is_said_beside_its_cell(server: Server, screens):  # noqa: F811
    from playwright.sync_api import expect
    provision(server)
    page = screens["desk"]
    sign_in(page, server)
    page.goto(f"{server.url}/desk/{ORG}/vouchers/new")
    page.locator("#date").focus()
    keys(page, "Enter", "支付现金", "Enter", "0", "Enter", "wxyz", "Enter", "100", "Enter",
         "Enter", "Enter", "101", "Enter", "Enter", "Equal")
    expect(page.locator("#line-2-credit")).to_have_value("100.00")
    name = page.locator("#line-1-account ~ .account-name")
    expect(name).to_have_text("请选择可以记账的科目（末级科目）。")
    expect(page.locator("#line-1-account")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#difference")).to_have_text("请选择可以记账的科目（末级科目）。")
    expect(page.locator("#post")).to_be_disabled()
    page.locator("#line-1-account").fill("")
    page.locator("#line-1-account").focus()
    keys(page, "kcxj", "Enter")  # 库存现金 by its initials
    expect(name).to_have_text("库存现金")
    expect(page.locator("#line-1-account")).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#difference")).to_have_text("借贷平衡")
    expect(page.locator("#post")).to_be_enabled()


def test_amounts_typed_with_a_chinese_input_method_still_balance(server: Server, screens):  # noqa: F811
    """860。50 and １２００ (an IME left on after the summary) count in the totals and post."""
    from playwright.sync_api import expect
    provision(server)
    page = screens["desk"]
    sign_in(page, server)
    page.goto(f"{server.url}/desk/{ORG}/vouchers/new")
    page.locator("#date").focus()
    keys(page, "Enter", "支付办公费", "Enter", "1", "Enter", "glf", "Enter", "860。50", "Enter",
         "Enter", "Enter", "glf", "Enter", "１２００", "Enter", "Enter", "Enter", "yhck", "Enter",
         "Enter", "Equal")
    expect(page.locator("#debit-total")).to_have_text("2,060.50")
    expect(page.locator("#line-3-credit")).to_have_value("2060.50")
    expect(page.locator("#difference")).to_have_text("借贷平衡")
    page.keyboard.press("Control+Enter")
    expect(page.locator("p.notice")).to_contain_text("已记账")


def test_tab_leaves_the_date_for_the_summary(server: Server, screens):  # noqa: F811
    """The hint says Tab or Enter moves to the next cell; from the date, Tab did not (it walked
    the date's year, month and day), and a summary typed after it went into the date."""
    from playwright.sync_api import expect
    provision(server)
    page = screens["desk"]
    sign_in(page, server)
    page.goto(f"{server.url}/desk/{ORG}/vouchers/new")
    day = page.locator("#date").input_value()
    page.locator("#date").focus()
    keys(page, "Tab")
    expect(page.locator("#summary")).to_be_focused()
    keys(page, "支付电费", "Tab", "2", "Tab")
    expect(page.locator("#summary")).to_have_value("支付电费")
    expect(page.locator("#attachments")).to_have_value("2")
    expect(page.locator("#line-1-account")).to_be_focused()
    expect(page.locator("#date")).to_have_value(day)


def test_initials_found_only_through_the_parent_wait_for_a_choice(server: Server, screens):  # noqa: F811
    """glf, 管理费用's initials, finds only its sub-accounts once it has some: Enter chose the
    first unseen (a printer repair booked as 干部报酬); now the list waits for the arrow keys."""
    import requests
    from playwright.sync_api import expect
    provision(server)
    headers = {"Authorization": f"Bearer {server.token}"}
    for path, body in ((f"/orgs/{ORG}/roles", {"login": "e2e", "role": "accountant",
                                                "reason": "e2e"}),
                       (f"/orgs/{ORG}/accounts", {"parent": "513", "code": "51301",
                                                  "name_zh": "干部报酬"}),
                       (f"/orgs/{ORG}/accounts", {"parent": "513", "code": "51302",
                                                  "name_zh": "办公费"})):
        done = requests.post(f"{server.url}/api/v1{path}", json=body, headers=headers,
                             timeout=30)
        assert done.status_code == 201, done.text
    page = screens["desk"]
    sign_in(page, server)
    page.goto(f"{server.url}/desk/{ORG}/vouchers/new")
    page.locator("#date").focus()
    keys(page, "Enter", "修理打印机", "Enter", "1", "Enter", "glf", "Enter")
    expect(page.locator("#line-1-account")).to_have_value("glf")
    expect(page.locator("#line-1-account")).to_be_focused()
    expect(page.locator("#account-picker li.hint")).to_have_text("有几个明细科目：请用 ↑ ↓ 选一个")
    expect(page.locator("#account-picker li[aria-selected=true]")).to_have_count(0)
    for key in ("ArrowDown", "ArrowDown", "Enter"):
        page.keyboard.press(key)
    expect(page.locator("#line-1-account")).to_have_value("51302")
    expect(page.locator("#line-1-debit")).to_be_focused()


def test_accounts_that_fit_alike_wait_and_initials_inside_a_name_find_it(
        server: Server, screens):  # noqa: F811
    """513, the code of 管理费用 an accountant knows by heart, fits each of its sub-accounts
    alike: Enter booked the first (干部报酬) unseen; now the list waits for the arrows. zj found
    在建工程's sub-account first and Enter took it for 折旧; xj (现金) found nothing."""
    import requests
    from playwright.sync_api import expect
    provision(server)
    headers = {"Authorization": f"Bearer {server.token}"}
    for path, body in ((f"/orgs/{ORG}/roles", {"login": "e2e", "role": "accountant",
                                                "reason": "e2e"}),
                       (f"/orgs/{ORG}/accounts", {"parent": "513", "code": "51301",
                                                  "name_zh": "干部报酬"}),
                       (f"/orgs/{ORG}/accounts", {"parent": "513", "code": "51302",
                                                  "name_zh": "折旧费"}),
                       (f"/orgs/{ORG}/accounts", {"parent": "153", "code": "15301",
                                                  "name_zh": "东路修缮工程"}),
                       (f"/orgs/{ORG}/accounts", {"parent": "503", "code": "50301",
                                                  "name_zh": "村级组织运转经费补助"})):
        done = requests.post(f"{server.url}/api/v1{path}", json=body, headers=headers,
                             timeout=30)
        assert done.status_code == 201, done.text
    page = screens["desk"]
    sign_in(page, server)
    page.goto(f"{server.url}/desk/{ORG}/vouchers/new")
    page.locator("#date").focus()
    keys(page, "Enter", "计提折旧", "Enter", "1", "Enter", "513", "Enter")
    cell = page.locator("#line-1-account")
    expect(cell).to_have_value("513")
    expect(page.locator("#account-picker li.hint")).to_have_text("有几个科目相符：请用 ↑ ↓ 选一个")
    expect(page.locator("#account-picker li[aria-selected=true]")).to_have_count(0)
    # zj: 折旧费 by its own initials, and the accumulated-depreciation accounts (ljzj) by theirs,
    # before 东路修缮工程 (found through 在建工程, zjgc): several fit alike, so it waits too.
    cell.fill("")
    keys(page, "zj")
    expect(page.locator("#account-picker li[role=option]").first).not_to_have_text(
        "15301 东路修缮工程")
    keys(page, "Enter")
    expect(cell).to_have_value("zj")
    cell.fill("")
    keys(page, "xj", "Enter")  # 库存现金, kcxj
    expect(cell).to_have_value("101")
    # zjf spells 折旧费 whole, and is only inside 村级组织运转经费补助's cjzzyzjfbz: Enter takes
    # 折旧费 (it listed the subsidy first and took nothing)
    cell.fill("")
    keys(page, "zjf")
    expect(page.locator("#account-picker li[role=option]").first).to_have_text("51302 折旧费")
    keys(page, "Enter")
    expect(cell).to_have_value("51302")


def test_a_refused_voucher_comes_back_with_the_cursor_on_the_field_in_error(
        server: Server, screens):  # noqa: F811
    """Refused by the server (a day before the books start), the page came back with the
    cursor nowhere: the fourth Tab reached 退出. It starts on the date now."""
    from playwright.sync_api import expect
    provision(server)
    page = screens["desk"]
    sign_in(page, server)
    page.goto(f"{server.url}/desk/{ORG}/vouchers/new")
    page.locator("#date").fill("2000-01-03")
    page.locator("#summary").focus()
    keys(page, "补记旧账", "Enter", "1", "Enter", "yhck", "Enter", "100", "Enter", "Enter",
         "Enter", "jysr", "Enter", "Enter", "Equal")
    page.keyboard.press("Control+Enter")
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#date")).to_be_focused()
    expect(page.locator("#line-1-account")).to_have_value("102")
