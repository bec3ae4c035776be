"""The voucher pages driven as a browser without scripts drives them: the entry form posted as
typed, every mistake named beside its field in Chinese, nothing written; the list by month and
its search; a voucher's page and its reversal; the printed 记账凭证; saved templates (the typo
guard and opening balances: test_voucher_desk_guards.py)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from api.books.account_picker import find, initials, postable
from api.books.voucher_forms import typed
from projections.books.queries import Page
from projections.runner import catch_up_all
from tests.api.conftest import make_user
from tests.api.desk_browser import Browser, browser, field

ORG = "v1"
NEW = f"/desk/{ORG}/vouchers/new"


def form(day: str = "2026-11-20", summary: str = "支付十一月干部报酬",
         *lines: tuple[str, str, str, str]) -> dict[str, str]:
    """The entry form as typed: lines of (account, debit, credit, memo)."""
    lines = lines or (("51301", "1200.00", "", "村主任"), ("51301", "800.00", "", "会计"),
                      ("102", "", "2000.00", ""))
    data = {"date": day, "summary": summary, "attachments": "2"}
    for n, (account, debit, credit, memo) in enumerate(lines, start=1):
        data |= {f"line-{n}-account": account, f"line-{n}-debit": debit,
                 f"line-{n}-credit": credit, f"line-{n}-memo": memo}
    return data


def error_beside(page: str, name: str) -> str:
    found = re.search(rf'<span class="error" id="{re.escape(name)}-error">([^<]*)</span>', page)
    assert found, f"no error beside {name}"
    return found.group(1)


@pytest.fixture
def wang(app, org, project) -> Browser:
    """wang keeps v1's books (accounts 50101 发包收入 and 51301 干部报酬 opened)."""
    return browser(app, project, "wang")


def vouchers_in(app) -> int:
    """How many vouchers the books hold, once the read models have caught up."""
    services = app.extensions["sunlight"]
    catch_up_all(services.ledger, services.views)
    return services.queries.vouchers(ORG, Page(1, 100))[1]


# -- the picker's rules ----------------------------------------------------------------------

def test_accounts_are_found_by_code_name_or_pinyin_initials():
    rows = [{"code": "513", "name_zh": "管理费用", "leaf": 0, "closed": 0},
            {"code": "51301", "name_zh": "干部报酬", "leaf": 1, "closed": 0},
            {"code": "51302", "name_zh": "办公费", "leaf": 1, "closed": 1},
            {"code": "102", "name_zh": "银行存款", "leaf": 1, "closed": 0}]
    offered = postable(rows)
    assert [a["code"] for a in offered] == ["51301", "102"]  # leaf and open only
    assert initials("管理费用") == "glfy" and initials("2号机井") == "2hjj"
    assert [a["code"] for a in find(offered, "gbbc")] == ["51301"]
    assert [a["code"] for a in find(offered, "银行")] == ["102"]
    assert [a["code"] for a in find(offered, "10")] == ["102"]
    # 管理费用 has sub-accounts, where lines are posted: its name or initials offer them
    assert [a["code"] for a in find(offered, "glf")] == ["51301"]
    assert [a["code"] for a in find(offered, "管理费用")] == ["51301"]
    assert [a["code"] for a in find(offered, "gbbc")] == ["51301"]


# -- entry -----------------------------------------------------------------------------------

def test_a_voucher_typed_into_the_form_is_posted_and_shown(app, wang):
    page = wang.get(NEW)
    assert field(page, "date") == "2026-11-22" and 'id="voucher-accounts"' in page
    assert '"initials": "gbbc"' in page  # the picker's accounts, 干部报酬 by its initials

    location = wang.post(NEW, form())
    assert location.startswith(f"/desk/{ORG}/vouchers/2026-11-0001?")
    shown = wang.get(location)
    assert "凭证 2026-11-0001 已记账。" in shown
    for seen in ("支付十一月干部报酬", "管理费用—干部报酬", "1,200.00", "2,000.00",
                 "贰仟元整", "村主任", "wang"):
        assert seen in shown, seen


def test_ctrl_enter_posts_and_opens_a_fresh_voucher_on_the_same_date(wang):
    wang.get(NEW)
    location = wang.post(NEW, {**form(), "next": "1"})
    assert location.startswith(f"{NEW}?") and "date=2026-11-20" in location
    fresh = wang.get(location)
    assert field(fresh, "date") == "2026-11-20" and field(fresh, "summary") == ""
    assert "凭证 2026-11-0001 已记账。" in fresh


def test_every_mistake_is_named_beside_its_field_and_nothing_is_written(app, wang):
    wang.get(NEW)
    page = wang.post(NEW, form("2026-13-01", "", ("999", "12.x", "", ""),
                               ("51301", "5.00", "5.00", ""), ("102", "", "", "")), status=422)
    assert error_beside(page, "date") == "日期应形如 2026-11-22。"
    assert error_beside(page, "summary") == "凭证需要摘要。"
    assert error_beside(page, "line-1-account").startswith("请选择可以记账的科目")
    assert error_beside(page, "line-1-debit").startswith("金额以元为单位")
    assert error_beside(page, "line-2-credit") == "一行只填借方或贷方金额，不能都填。"
    assert error_beside(page, "line-3-debit") == "请填写这一行的借方或贷方金额。"
    assert 'value="12.x"' in page  # shown back as typed
    assert vouchers_in(app) == 0


def test_an_unbalanced_voucher_is_refused_with_the_difference(app, wang):
    wang.get(NEW)
    page = wang.post(NEW, form("2026-11-20", "付电费", ("51301", "100.00", "", ""),
                               ("102", "", "90.00", "")), status=422)
    assert error_beside(page, "lines") == "借方合计 100.00 与贷方合计 90.00 相差 10.00。"
    assert vouchers_in(app) == 0


def test_the_ledgers_refusal_is_put_beside_its_field_in_chinese(app, wang):
    wang.get(NEW)
    page = wang.post(NEW, form("2026-11-30"), status=422)  # after 2026-11-22, the clock's today
    assert "不能晚于今天" in error_beside(page, "date")
    assert vouchers_in(app) == 0


def test_a_voucher_dated_in_a_closed_month_is_refused_beside_the_date(app, client, wang):
    assert client.post(f"/api/v1/orgs/{ORG}/periods/2025-01/close").status_code == 200
    wang.get(NEW)
    page = wang.post(NEW, form("2025-01-20"), status=422)
    assert error_beside(page, "date") == "2025-01 已结账，请把凭证记在未结账的月份。"
    assert 'value="2025-01-20"' in page and vouchers_in(app) == 0


def test_an_account_with_sub_accounts_is_refused_beside_its_cell(app, wang):
    wang.get(NEW)
    page = wang.post(NEW, form("2026-11-20", "付报酬", ("513", "50.00", "", ""),
                               ("102", "", "50.00", "")), status=422)
    assert error_beside(page, "line-1-account").startswith("请选择可以记账的科目")
    assert vouchers_in(app) == 0


def test_an_account_typed_by_its_initials_is_taken_when_only_one_fits(app, wang):
    wang.get(NEW)
    location = wang.post(NEW, form("2026-11-20", "付报酬", ("gbbc", "50.00", "", ""),
                                   ("yhck", "", "50.00", "")))
    assert "管理费用—干部报酬" in wang.get(location) and vouchers_in(app) == 1


def test_without_the_script_a_line_is_added_by_the_server(wang):
    wang.get(NEW)
    data = form()
    data["line-4-account"] = "102"
    page = wang.post(NEW, {**data, "add": "1"}, status=200)
    assert 'name="line-5-account"' in page and 'name="line-6-account"' not in page


def test_the_form_fields_are_read_in_the_grids_order_and_blank_rows_dropped():
    from werkzeug.datastructures import MultiDict
    read = typed(MultiDict([("line-10-account", "102"), ("line-2-account", "51301"),
                            ("line-3-memo", ""), ("key", "not hex")]))
    assert [line["account"] for line in read.lines] == ["51301", "102"]
    assert re.fullmatch(r"[0-9a-f]{32}", read.key)


# -- the list, one voucher, reversal ---------------------------------------------------------

@pytest.fixture
def posted(app, wang) -> Browser:
    wang.get(NEW)
    wang.post(NEW, form())
    wang.get(NEW)
    wang.post(NEW, form("2026-11-21", "收取一组发包款", ("102", "5000.00", "", ""),
                        ("50101", "", "5000.00", "一组"),))
    wang.get(NEW)
    wang.post(NEW, form("2026-10-09", "十月报酬", ("51301", "300.00", "", ""),
                        ("102", "", "300.00", "")))
    return wang


def test_the_list_shows_a_month_and_finds_by_summary_account_and_amount(app, posted):
    page = posted.get(f"/desk/{ORG}/vouchers")  # the clock's month, 2026-11
    assert "2026-11-0001" in page and "2026-11-0002" in page and "2026-10-0001" not in page
    assert "5,000.00" in page and "wang" in page
    found = posted.get(f"/desk/{ORG}/vouchers?month=all&q=报酬")
    assert "2026-11-0001" in found and "2026-10-0001" in found and "2026-11-0002" not in found
    found = posted.get(f"/desk/{ORG}/vouchers?month=all&account=501")
    assert "2026-11-0002" in found and "2026-11-0001" not in found
    by_name = posted.get(f"/desk/{ORG}/vouchers?month=all&account=glfy")  # 管理费用, 513
    assert "2026-11-0001" in by_name and "2026-10-0001" in by_name
    assert "2026-11-0002" not in by_name and 'value="513 管理费用"' in by_name
    assert "没有找到凭证" in posted.get(f"/desk/{ORG}/vouchers?month=all&account=zzzz")
    found = posted.get(f"/desk/{ORG}/vouchers?month=all&amount=1,200.00")
    assert "2026-11-0001" in found and "2026-11-0002" not in found
    nothing = posted.get(f"/desk/{ORG}/vouchers?month=all&party=member:0001")
    assert "没有找到凭证" in nothing


def test_a_voucher_is_reversed_with_a_reason_and_both_say_so(app, posted):
    page = posted.get(f"/desk/{ORG}/vouchers/2026-11-0002")
    assert 'id="reverse-form"' in page
    refused = posted.post(f"/desk/{ORG}/vouchers/2026-11-0002/reverse",
                          {"reason": " ", "date": "2026-11-22"}, status=422)
    assert error_beside(refused, "reverse-reason") == "请说明冲销的原因。"

    location = posted.post(f"/desk/{ORG}/vouchers/2026-11-0002/reverse",
                           {"reason": "金额记错", "date": "2026-11-22", "key": "a" * 32})
    original = posted.get(location)
    assert "凭证已由 2026-11-0003 红字冲销。" in original
    assert 'href="/desk/v1/vouchers/2026-11-0003"' in original
    assert "金额记错" in original and 'id="reverse-form"' not in original
    reversal = posted.get(f"/desk/{ORG}/vouchers/2026-11-0003")
    assert "-5,000.00" in reversal and "2026-11-0002" in reversal
    listed = posted.get(f"/desk/{ORG}/vouchers")
    assert "冲销 2026-11-0002" in listed and "已被 2026-11-0003 冲销" in listed

    again = posted.post(f"/desk/{ORG}/vouchers/2026-11-0002/reverse",
                        {"reason": "再冲一次", "date": "2026-11-22"}, status=409)
    assert "2026-11-0003" in again


def test_a_reader_sees_vouchers_but_neither_enters_nor_reverses_them(app, posted, project):
    make_user(app, "zhao", (ORG, "supervisor"))
    zhao = browser(app, project, "zhao")
    page = zhao.get(f"/desk/{ORG}/vouchers/2026-11-0001")
    assert 'id="reverse-form"' not in page
    zhao.get(NEW, status=403)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_print_is_a_voucher_with_the_total_in_capital_numerals(app, posted, tmp_path):
    # Filed with the receipts, it is Chinese whatever language the reader picked.
    response = posted.client.get(f"/desk/{ORG}/vouchers/2026-11-0001/voucher.pdf?lang=en")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = tmp_path / "v.pdf"
    pdf.write_bytes(response.data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    compact = re.sub(r"\s+", "", text)  # the title is letter-spaced: 记 账 凭 证
    for seen in ("记账凭证", "2026-11-0001", "合计（大写）：贰仟元整", "¥2,000.00",
                 "51301干部报酬", "附单据2张", "制单：wang"):
        assert seen in compact, seen


# -- templates -------------------------------------------------------------------------------

def test_a_template_is_saved_from_the_form_and_starts_a_voucher(app, wang):
    wang.get(NEW)
    data = form("2026-11-20", "支付村部电费", ("gbbc", "", "", "电费"), ("102", "", "", ""))
    location = wang.post(f"/desk/{ORG}/voucher-templates", {**data, "template_name": "电费"})
    page = wang.get(location)
    assert "常用凭证已保存。" in page
    assert f'href="{NEW}?template=%E7%94%B5%E8%B4%B9' in page  # 电费, offered from now on
    assert field(page, "summary") == "支付村部电费" and field(page, "line-1-memo") == "电费"
    assert field(page, "line-1-account") == "51301"  # typed by its initials, kept by its code
    assert vouchers_in(app) == 0  # a template posts nothing

    refused = wang.post(f"/desk/{ORG}/voucher-templates", {**data, "template_name": ""},
                        status=422)
    assert error_beside(refused, "template_name")

    wang.get(NEW)
    dropped = wang.get(wang.post(f"/desk/{ORG}/voucher-templates/drop",
                                 {"template_name": "电费"}))
    assert "常用凭证已删除。" in dropped and "template=%E7%94%B5%E8%B4%B9" not in dropped


def test_a_voucher_shows_the_receipt_behind_it(app, client, wang):
    body = {"date": "2026-11-05", "category": "contracting_leasing", "payer": "张三",
            "amount": "12000.00", "paid_into": "102", "relates_to": "2026", "account": "50101"}
    receipt = client.post(f"/api/v1/orgs/{ORG}/receipts", json=body)
    assert receipt.status_code == 201, receipt.get_json()
    number = receipt.get_json()["voucher"]
    page = wang.get(f"/desk/{ORG}/vouchers/{number}")
    assert "收款收据" in page and "R2026-0001" in page and "张三" in page and "12,000.00" in page


def test_a_form_sent_twice_posts_one_voucher(app, wang):
    wang.get(NEW)
    data = {**form(), "key": "b" * 32}
    first = wang.post(NEW, data)
    again = wang.post(NEW, data)
    assert first.split("?")[0] == again.split("?")[0] == f"/desk/{ORG}/vouchers/2026-11-0001"
    assert vouchers_in(app) == 1


def test_a_voucher_that_does_not_exist_is_a_page_saying_so(wang):
    page = wang.get(f"/desk/{ORG}/vouchers/2026-11-0099", status=404)
    assert "<h1>" in page and "2026-11-0099" in page
    wang.get(f"/desk/{ORG}/vouchers/2026-11-0099/voucher.pdf", status=404)


def test_a_voucher_shows_the_spending_request_it_paid(app, client, wang):
    from tests.api.spending_kit import paid
    from tests.api.test_matters_api import office_holders
    people = office_holders(app, ORG)
    payment = paid(client, people, day="2026-11-06")
    page = wang.get(f"/desk/{ORG}/vouchers/{payment['paid_voucher']}")
    assert "支出申请" in page
    assert f'href="/desk/{ORG}/spending/{payment["number"]}"' in page


def test_the_list_opens_on_the_newest_month_with_vouchers(app, wang, clock):
    # Given October's voucher only, and the clock in November (nothing posted yet this month)
    wang.get(NEW)
    wang.post(NEW, form("2026-10-09", "十月报酬", ("51301", "300.00", "", ""),
                        ("102", "", "300.00", "")))
    # when the list is opened with no month asked, then it shows October, not an empty November
    page = wang.get(f"/desk/{ORG}/vouchers")
    assert "2026-10-0001" in page and "没有找到凭证" not in page
    assert '<option value="2026-10" selected' in re.sub(r"\s+", " ", page)
    # and a month asked for is shown, even when empty
    assert "没有找到凭证" in wang.get(f"/desk/{ORG}/vouchers?month=2026-11")


def test_a_voucher_that_moves_no_balance_is_refused_in_words_and_nothing_posts(app, wang):
    # 51301 debited and credited 100.00: the trial balance's turnover swells, nothing moves.
    wang.get(NEW)
    page = wang.post(NEW, form("2026-11-20", "调整", ("51301", "100.00", "", ""),
                               ("51301", "", "100.00", "")), status=422)
    assert "这张凭证不改变任何科目的余额" in page
    assert vouchers_in(app) == 0


def test_the_same_voucher_typed_again_is_asked_about_once(app, wang):
    # Given 2026-11-0001 posted
    wang.get(NEW)
    wang.post(NEW, {**form(), "key": "c" * 32})
    # When the same day, summary and lines are typed again (a new form)
    wang.get(NEW)
    page = wang.post(NEW, {**form(), "key": "d" * 32}, status=422)
    # Then nothing is posted and the page names the voucher it repeats, with a box to confirm
    assert "凭证 2026-11-0001 的日期、摘要和分录与这张完全相同" in page
    assert 'name="confirm_twin" value="2026-11-0001"' in page and vouchers_in(app) == 1
    # and once confirmed as a second one, it is posted
    location = wang.post(NEW, {**form(), "key": "d" * 32, "confirm_twin": "2026-11-0001"})
    assert location.split("?")[0] == f"/desk/{ORG}/vouchers/2026-11-0002"
    # while another amount is no twin
    wang.get(NEW)
    other = form("2026-11-20", "支付十一月干部报酬", ("51301", "1200.00", "", ""),
                 ("102", "", "1200.00", ""))
    assert wang.post(NEW, {**other, "key": "e" * 32}).split("?")[0].endswith("2026-11-0003")
