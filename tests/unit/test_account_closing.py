"""Closing accounts: with a reason, the whole subtree, once; never an account the year-end
close needs or one holding a balance (its sub-accounts' included); no posting to it after."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.books import (
    AccountAlreadyClosed,
    AccountClosed,
    AccountInUse,
    AccountNotFound,
    Books,
    InvalidAccount,
    Line,
    VoucherDraft,
)
from tests.unit.test_accounts import TODAY, enter, open_sub

# -- closing accounts ------------------------------------------------------------------------


def test_closing_an_account_closes_it_with_the_reason_and_actor(books):
    codes = books.close_account("134", reason="  无公益性生物资产 ", actor="出纳")

    [event] = books.collect_events()
    assert codes == ["134"]
    assert type(event) is Books.AccountsClosed
    assert (event.codes, event.reason, event.actor) == (["134"], "无公益性生物资产", "出纳")
    assert books.account("134").closed


def test_closing_an_account_closes_its_whole_subtree(books):
    open_sub(books, "501", "50101", "甲")
    open_sub(books, "50101", "5010101", "甲一")
    open_sub(books, "501", "50102", "乙")

    assert books.close_account("501", reason="不再经营", actor="会计") == [
        "501", "50101", "5010101", "50102"]
    assert all(books.account(c).closed for c in ["501", "50101", "5010101", "50102"])
    assert not books.account("502").closed


def test_closing_a_parent_names_only_the_sub_accounts_still_open(books):
    open_sub(books, "501", "50101", "甲")
    open_sub(books, "501", "50102", "乙")
    books.close_account("50101", reason="停业", actor="会计")
    books.collect_events()

    books.close_account("501", reason="不再经营", actor="会计")
    [event] = books.collect_events()
    assert event.codes == ["501", "50102"]


@pytest.mark.parametrize("reason", ["", "   "])
def test_closing_an_account_needs_a_reason(books, reason):
    with pytest.raises(InvalidAccount) as err:
        books.close_account("134", reason=reason, actor="会计")
    assert err.value.field == "reason"
    assert books.collect_events() == []


def test_an_account_is_closed_once(books):
    books.close_account("134", reason="无", actor="会计")
    with pytest.raises(AccountAlreadyClosed) as err:
        books.close_account("134", reason="无", actor="会计")
    assert err.value.context == {"code": "134"}


@pytest.mark.parametrize("code", ["321", "322", "32201"])
def test_the_accounts_the_year_end_close_needs_cannot_be_closed(books, code):
    with pytest.raises(InvalidAccount) as err:
        books.close_account(code, reason="不用", actor="会计")
    assert err.value.field == "code"
    assert not books.account(code).closed


def test_an_unknown_account_cannot_be_closed(books):
    with pytest.raises(AccountNotFound):
        books.close_account("999", reason="不用", actor="会计")


def test_an_account_with_a_balance_cannot_be_closed(books):
    enter(books, Line("101", debit=12345), Line("301", credit=12345))
    with pytest.raises(AccountInUse) as err:
        books.close_account("101", reason="不再使用现金", actor="会计")
    assert err.value.context == {"code": "101", "account": "101", "balance": "123.45"}
    assert not books.account("101").closed


def test_an_account_whose_sub_accounts_hold_a_balance_cannot_be_closed(books):
    open_sub(books, "112", "11201", "张三")
    enter(books, Line("11201", debit=500), Line("102", credit=500))
    with pytest.raises(AccountInUse) as err:
        books.close_account("112", reason="清理", actor="会计")
    assert err.value.context == {"code": "112", "account": "11201", "balance": "5.00"}


def test_an_account_whose_balance_was_transferred_to_zero_can_be_closed(books):
    enter(books, Line("101", debit=12345), Line("301", credit=12345))
    enter(books, Line("102", debit=12345), Line("101", credit=12345))
    assert books.close_account("101", reason="现金存入银行", actor="会计") == ["101"]


def test_a_parent_whose_sub_accounts_hold_offsetting_balances_cannot_be_closed(books):
    open_sub(books, "112", "11201", "张三")
    open_sub(books, "112", "11202", "李四")
    enter(books, Line("11201", debit=100), Line("11202", credit=100))
    with pytest.raises(AccountInUse):
        books.close_account("112", reason="清理", actor="会计")


def test_posting_to_a_closed_account_is_refused_naming_the_line(books):
    books.close_account("134", reason="无公益性生物资产", actor="会计")
    books.collect_events()
    draft = VoucherDraft(date(2025, 1, 5), "记账", (Line("102", debit=100),
                                                    Line("134", credit=100)))
    with pytest.raises(AccountClosed) as err:
        books.enter_voucher(draft, today=TODAY, actor="会计")
    assert err.value.field == "lines[1].account"
    assert err.value.context == {"account": "134"}
    assert books.collect_events() == []


def test_posting_to_a_sub_account_of_a_closed_parent_is_refused(books):
    open_sub(books, "501", "50101", "甲")
    books.close_account("501", reason="不再经营", actor="会计")
    with pytest.raises(AccountClosed) as err:
        enter(books, Line("50101", debit=100), Line("102", credit=100))
    assert err.value.field == "lines[0].account"


def test_opening_and_closing_accounts_through_the_ledger_records_the_actor(village):
    village.books.open_account("v1", parent="501", code="50101", name_zh="发包收入", actor="会计甲")
    outcome = village.books.close_account("v1", "50101", reason="合并", actor="会计乙")

    assert outcome.value.account("50101").closed
    events = [village.mapper.to_domain_event(n)
              for n in village.recorder.select_notifications(start=3, limit=10)]
    assert [(type(e), e.actor) for e in events] == [
        (Books.SubAccountOpened, "会计甲"), (Books.AccountsClosed, "会计乙")]
