"""Accounts: the chart's 42 first-level accounts and sub-accounts under them (closing accounts:
test_account_closing.py)."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.books import (
    AccountClosed,
    AccountExists,
    AccountInUse,
    AccountNotFound,
    Books,
    InvalidAccount,
    Line,
    UnknownAccount,
    VoucherDraft,
)
from ledger.kernel.chart import get_chart

TODAY = date(2026, 11, 22)

FIRST_LEVEL = [
    "101", "102", "111", "112", "113", "121", "131", "132", "133", "134", "141", "151", "152",
    "153", "154", "161", "162", "171", "181",
    "201", "211", "212", "213", "214", "221", "231", "241",
    "301", "311", "321", "322",
    "401",
    "501", "502", "503", "504", "511", "512", "513", "514", "515", "521",
]
STANDARD_322 = ["32201", "32202", "3220201", "3220202", "3220203"]


def enter(books, *lines, day=date(2025, 1, 5)):
    return books.enter_voucher(VoucherDraft(day, "记账", tuple(lines)), today=TODAY, actor="会计")


def open_sub(books, parent, code, name_zh, actor="会计", name_en=""):
    return books.open_sub_account(parent=parent, code=code, name_zh=name_zh, name_en=name_en,
                                  actor=actor)


# -- the chart -------------------------------------------------------------------------------


def test_opening_the_books_records_the_chart_its_start_and_every_account():
    books = Books.open(org="v1", chart=get_chart("mof-2023-village"),
                       books_start=date(2025, 1, 1), actor="会计")

    [event] = books.collect_events()
    assert type(event) is Books.Opened
    assert event.originator_id == Books.id_for("v1")
    assert (event.org, event.chart, event.books_start, event.actor) == (
        "v1", "mof-2023-village", date(2025, 1, 1), "会计")
    assert [spec["code"] for spec in event.accounts] == FIRST_LEVEL + STANDARD_322


def test_the_books_hold_the_42_first_level_accounts_of_the_2023_village_chart(books):
    first_level = sorted(code for code in books.accounts if len(code) == 3)
    assert len(first_level) == 42
    assert first_level == FIRST_LEVEL
    assert all(books.account(code).parent is None for code in first_level)


@pytest.mark.parametrize(
    ("code", "name_zh", "category", "normal_balance"),
    [
        ("101", "库存现金", "asset", "debit"),
        ("152", "累计折旧", "asset", "credit"),
        ("231", "一事一议资金", "liability", "credit"),
        ("321", "本年收益", "equity", "credit"),
        ("401", "生产（劳务）成本", "cost", "debit"),
        ("501", "经营收入", "income", "credit"),
        ("502", "投资收益", "income", "credit"),
        ("511", "经营支出", "expense", "debit"),
        ("521", "所得税费用", "expense", "debit"),
    ],
)
def test_first_level_accounts_carry_their_name_category_and_normal_balance(
    books, code, name_zh, category, normal_balance
):
    account = books.account(code)
    assert (account.name_zh, account.category, account.normal_balance) == (
        name_zh, category, normal_balance)
    assert account.leaf and not account.closed and account.level == 1


def test_322_opens_with_the_standard_sub_accounts_undistributed_and_distributions(books):
    assert books.account("32201").name_zh == "未分配收益"
    assert books.account("32202").name_zh == "各项分配"
    assert [books.account(c).name_zh for c in STANDARD_322[2:]] == [
        "提取公积公益金", "向成员分配", "其他分配"]
    assert [books.account(c).parent for c in STANDARD_322] == [
        "322", "322", "32202", "32202", "32202"]
    assert [books.account(c).leaf for c in ["322", *STANDARD_322]] == [
        False, True, False, True, True, True]
    assert books.account("3220201").level == 3
    assert len(books.accounts) == 47


def test_an_account_not_in_the_books_is_not_found(books):
    with pytest.raises(AccountNotFound) as err:
        books.account("999")
    assert err.value.context == {"code": "999"}


# -- opening sub-accounts --------------------------------------------------------------------


def test_a_sub_account_is_opened_under_a_leaf_which_stops_being_a_leaf(books):
    code = open_sub(books, "501", "50101", "  农产品销售收入 ", actor="出纳",
                    name_en=" Sales of produce ")

    [event] = books.collect_events()
    assert code == "50101"
    assert type(event) is Books.SubAccountOpened
    assert (event.code, event.parent, event.name_zh, event.name_en, event.actor) == (
        "50101", "501", "农产品销售收入", "Sales of produce", "出纳")
    assert not books.account("501").leaf
    child = books.account("50101")
    assert (child.leaf, child.closed, child.parent, child.level) == (True, False, "501", 2)
    assert (child.category, child.normal_balance) == ("income", "credit")


def test_a_sub_account_may_itself_have_sub_accounts(books):
    open_sub(books, "501", "50101", "农产品销售收入")
    open_sub(books, "50101", "5010101", "粮食")

    assert books.account("5010101").parent == "50101"
    assert books.account("5010101").level == 3
    assert not books.account("50101").leaf


@pytest.mark.parametrize("code", ["", None])
def test_a_sub_account_needs_its_code(books, code):
    with pytest.raises(InvalidAccount) as err:
        open_sub(books, "501", code, "甲")
    assert err.value.field == "code"


@pytest.mark.parametrize("code", ["5011", "501011", "50201", "5010", "501ab", "50101 "])
def test_a_sub_account_code_is_the_parent_code_followed_by_two_digits(books, code):
    with pytest.raises(InvalidAccount) as err:
        open_sub(books, "501", code, "甲")
    assert err.value.field == "code"
    assert err.value.context["code"] == code
    assert books.collect_events() == []


def test_the_sub_account_digits_00_are_not_used(books):
    with pytest.raises(InvalidAccount) as err:
        open_sub(books, "501", "50100", "甲")
    assert err.value.field == "code"
    assert open_sub(books, "501", "50199", "甲") == "50199"


@pytest.mark.parametrize("code", ["501١٢", "５０１０１", "50101\n"])
def test_a_sub_account_code_with_non_ascii_digits_or_a_newline_is_refused(books, code):
    with pytest.raises(InvalidAccount) as err:
        open_sub(books, "501", code, "甲")
    assert err.value.field == "code"


def test_a_sub_account_code_is_used_once(books):
    open_sub(books, "501", "50101", "甲")
    with pytest.raises(AccountExists) as err:
        open_sub(books, "501", "50101", "乙")
    assert err.value.field == "code"
    assert err.value.context == {"code": "50101"}


def test_siblings_have_different_names_but_cousins_may_share_one(books):
    open_sub(books, "501", "50101", "发包收入")
    with pytest.raises(AccountExists) as err:
        open_sub(books, "501", "50102", " 发包收入 ")
    assert err.value.field == "name_zh"
    assert err.value.context == {"code": "50101"}

    assert open_sub(books, "504", "50401", "发包收入") == "50401"


def test_the_parent_must_exist(books):
    with pytest.raises(UnknownAccount) as err:
        open_sub(books, "999", "99901", "甲")
    assert err.value.field == "parent"
    assert err.value.context == {"parent": "999"}


def test_the_parent_must_be_open(books):
    books.close_account("134", reason="无公益性生物资产", actor="会计")
    with pytest.raises(AccountClosed) as err:
        open_sub(books, "134", "13401", "甲")
    assert err.value.field == "parent"


def test_an_account_that_has_taken_postings_takes_no_sub_accounts(books):
    enter(books, Line("102", debit=100), Line("501", credit=100))
    with pytest.raises(AccountInUse) as err:
        open_sub(books, "501", "50101", "甲")
    assert err.value.field == "parent"
    assert err.value.context == {"parent": "501"}


def test_an_account_whose_postings_cancel_out_still_takes_no_sub_accounts(books):
    enter(books, Line("102", debit=100), Line("501", credit=100))
    enter(books, Line("501", debit=100), Line("102", credit=100))
    assert books.balances["501"] == 0
    with pytest.raises(AccountInUse):
        open_sub(books, "501", "50101", "甲")


@pytest.mark.parametrize("parent", ["321", "32201"])
def test_the_accounts_the_year_end_close_posts_to_take_no_sub_accounts(books, parent):
    with pytest.raises(InvalidAccount) as err:
        open_sub(books, parent, f"{parent}01", "甲")
    assert err.value.field == "parent"
    assert err.value.context == {"parent": parent}


def test_322_and_the_distribution_items_take_new_sub_accounts(books):
    assert open_sub(books, "32202", "3220204", "弥补亏损") == "3220204"
    assert open_sub(books, "322", "32203", "其他") == "32203"


@pytest.mark.parametrize("name", ["", "   ", "科" * 41])
def test_a_sub_account_needs_a_chinese_name_of_at_most_40_characters(books, name):
    with pytest.raises(InvalidAccount) as err:
        open_sub(books, "501", "50101", name)
    assert err.value.field == "name_zh"


def test_a_chinese_name_of_40_characters_is_accepted(books):
    open_sub(books, "501", "50101", "科" * 40)
    assert books.account("50101").name_zh == "科" * 40


def test_an_english_name_longer_than_80_characters_is_refused(books):
    with pytest.raises(InvalidAccount) as err:
        open_sub(books, "501", "50101", "甲", name_en="x" * 81)
    assert err.value.field == "name_en"
