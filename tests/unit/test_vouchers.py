"""Vouchers: their own rules, the books' rules for posting them, numbering (opening balances:
test_opening_balances.py)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from ledger.books import (
    MAX_LINES,
    AccountNotLeaf,
    Books,
    DateOutOfRange,
    InvalidVoucherLine,
    Line,
    Period,
    PeriodClosed,
    UnbalancedVoucher,
    UnknownAccount,
    Voucher,
    VoucherDraft,
    voucher_id,
)
from ledger.kernel.money import MAX_FEN

TODAY = date(2026, 11, 22)
DIGEST = "a" * 64


def draft(*lines, day=date(2025, 1, 5), summary="收发包款", **fields):
    return VoucherDraft(date=day, summary=summary, lines=tuple(lines), **fields)


def sale(amount=500000, day=date(2025, 1, 5), **fields):
    return draft(Line("102", debit=amount), Line("501", credit=amount), day=day, **fields)


def refused(error, voucher):
    with pytest.raises(error) as err:
        voucher.check()
    return err.value


# -- the voucher's own rules ----------------------------------------------------------------


def test_a_balanced_voucher_with_one_side_per_line_passes_its_checks():
    sale().check()
    draft(Line("102", debit=300), Line("501", credit=100), Line("504", credit=200)).check()


@pytest.mark.parametrize("lines", [(), (Line("102", debit=100),)])
def test_a_voucher_has_at_least_two_lines(lines):
    assert refused(InvalidVoucherLine, draft(*lines)).field == "lines"


def test_a_voucher_has_at_most_200_lines():
    many = [Line("102", debit=1)] * MAX_LINES
    assert refused(InvalidVoucherLine, draft(*many, Line("501", credit=MAX_LINES))).field \
        == "lines"
    draft(*many[:-1], Line("501", credit=MAX_LINES - 1)).check()


def test_a_line_with_both_a_debit_and_a_credit_is_refused():
    voucher = draft(Line("102", debit=100), Line("501", debit=50, credit=150))
    assert refused(InvalidVoucherLine, voucher).field == "lines[1]"


def test_a_line_with_neither_a_debit_nor_a_credit_is_refused():
    voucher = draft(Line("102", debit=100), Line("501", credit=100), Line("504"))
    assert refused(InvalidVoucherLine, voucher).field == "lines[2]"


def test_a_negative_debit_is_refused():
    voucher = draft(Line("102", debit=-100), Line("501", credit=-100))
    error = refused(InvalidVoucherLine, voucher)
    assert error.field == "lines[0].debit"
    assert error.message == "must be greater than zero"


def test_a_negative_credit_is_refused():
    voucher = draft(Line("501", debit=100), Line("102", credit=200), Line("504", credit=-100))
    assert refused(InvalidVoucherLine, voucher).field == "lines[2].credit"


def test_an_amount_above_the_largest_amount_is_refused():
    voucher = draft(Line("102", debit=MAX_FEN + 1), Line("501", credit=MAX_FEN + 1))
    assert refused(InvalidVoucherLine, voucher).field == "lines[0]"
    draft(Line("102", debit=MAX_FEN), Line("501", credit=MAX_FEN)).check()


def test_a_voucher_whose_debits_differ_from_its_credits_is_refused():
    voucher = draft(Line("102", debit=10000), Line("501", credit=9999))
    error = refused(UnbalancedVoucher, voucher)
    assert error.field == "lines"
    assert error.context == {"debit_total": "100.00", "credit_total": "99.99"}


def test_a_voucher_balanced_across_several_lines_on_each_side_is_accepted():
    draft(Line("101", debit=150), Line("102", debit=50),
          Line("501", credit=120), Line("504", credit=80)).check()


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ((Line("102", debit=0.5), Line("501", credit=0.5)), "lines[0].debit"),
        ((Line("102", debit=100), Line("501", credit=100.0)), "lines[1].credit"),
        ((Line("102", debit=True), Line("501", credit=1)), "lines[0].debit"),
        ((Line("102", debit="100"), Line("501", credit=100)), "lines[0].debit"),
    ],
)
def test_a_line_amount_that_is_not_an_integer_number_of_fen_is_refused(lines, field):
    assert refused(InvalidVoucherLine, draft(*lines)).field == field


@pytest.mark.parametrize("summary", ["", "   ", "摘" * 201])
def test_a_voucher_needs_a_summary_of_at_most_200_characters(summary):
    assert refused(InvalidVoucherLine, sale(summary=summary)).field == "summary"


def test_a_summary_of_200_characters_is_accepted():
    sale(summary="摘" * 200).check()


def test_a_line_memo_longer_than_200_characters_is_refused():
    voucher = draft(Line("102", debit=100), Line("501", credit=100, memo="备" * 201))
    assert refused(InvalidVoucherLine, voucher).field == "lines[1].memo"


@pytest.mark.parametrize("attachments", [-1, 10000])
def test_attachments_are_counted_from_0_to_9999(attachments):
    assert refused(InvalidVoucherLine, sale(attachments=attachments)).field == "attachments"
    sale(attachments=9999).check()


@pytest.mark.parametrize(
    "digest", ["A" * 64, "a" * 63, "a" * 65, "g" * 64, "", " " + "a" * 63],
)
def test_a_receipt_digest_is_64_lowercase_hexadecimal_characters(digest):
    voucher = sale(receipt_digests=("b" * 64, digest))
    assert refused(InvalidVoucherLine, voucher).field == "receipt_digests[1]"


def test_a_receipt_digest_followed_by_a_newline_is_refused():
    voucher = sale(receipt_digests=(DIGEST, DIGEST + "\n"))
    assert refused(InvalidVoucherLine, voucher).field == "receipt_digests[1]"


def test_the_same_receipt_is_not_listed_twice():
    voucher = sale(receipt_digests=(DIGEST, "b" * 64, DIGEST))
    assert refused(InvalidVoucherLine, voucher).field == "receipt_digests"


def test_at_most_50_receipts_are_listed():
    digests = tuple(f"{i:064x}" for i in range(51))
    assert refused(InvalidVoucherLine, sale(receipt_digests=digests)).field == "receipt_digests"
    sale(receipt_digests=digests[:50]).check()


@pytest.mark.parametrize("kind", ["reversal", "closing", "adjusting", ""])
def test_an_accountant_writes_only_regular_or_opening_vouchers(kind):
    assert refused(InvalidVoucherLine, sale(kind=kind)).field == "kind"
    sale(kind="opening").check()


# -- entering a voucher in the books ---------------------------------------------------------


def test_entering_a_voucher_numbers_it_and_records_the_net_amount_per_account(books):
    voucher = draft(Line("101", debit=200), Line("102", debit=300),
                    Line("501", credit=400), Line("101", credit=100))

    number = books.enter_voucher(voucher, today=TODAY, actor="出纳")

    [event] = books.collect_events()
    assert number == "2025-01-0001"
    assert type(event) is Books.VoucherEntered
    assert (event.number, event.date, event.kind, event.reverses, event.actor) == (
        "2025-01-0001", date(2025, 1, 5), "regular", None, "出纳")
    assert event.amounts == {"101": 100, "102": 300, "501": -400}
    assert books.balances == {"101": 100, "102": 300, "501": -400}


def test_a_voucher_naming_an_account_not_in_the_chart_is_refused(books):
    voucher = draft(Line("102", debit=100), Line("599", credit=100))
    with pytest.raises(UnknownAccount) as err:
        books.enter_voucher(voucher, today=TODAY, actor="会计")
    assert err.value.field == "lines[1].account"
    assert err.value.context == {"account": "599"}
    assert books.collect_events() == []


def test_a_voucher_posting_to_an_account_with_sub_accounts_is_refused(books):
    voucher = draft(Line("322", debit=100), Line("102", credit=100))
    with pytest.raises(AccountNotLeaf) as err:
        books.enter_voucher(voucher, today=TODAY, actor="会计")
    assert err.value.field == "lines[0].account"
    assert err.value.context == {"account": "322", "sub_accounts": ["32201", "32202"]}


def test_a_voucher_posting_to_a_new_parent_is_refused_naming_its_sub_accounts(books):
    books.open_sub_account(parent="501", code="50102", name_zh="乙", name_en="", actor="会计")
    books.open_sub_account(parent="501", code="50101", name_zh="甲", name_en="", actor="会计")
    with pytest.raises(AccountNotLeaf) as err:
        books.enter_voucher(sale(), today=TODAY, actor="会计")
    assert err.value.field == "lines[1].account"
    assert err.value.context["sub_accounts"] == ["50101", "50102"]
    assert books.enter_voucher(
        draft(Line("102", debit=1), Line("50101", credit=1)), today=TODAY, actor="会计"
    ) == "2025-01-0001"


def test_a_voucher_dated_before_the_books_start_is_refused(books):
    with pytest.raises(DateOutOfRange) as err:
        books.enter_voucher(sale(day=date(2024, 12, 31)), today=TODAY, actor="会计")
    assert err.value.field == "date"
    assert err.value.context == {"books_start": "2025-01-01"}
    assert books.enter_voucher(sale(day=date(2025, 1, 1)), today=TODAY, actor="会计") \
        == "2025-01-0001"


def test_a_voucher_dated_in_the_future_is_refused(books):
    with pytest.raises(DateOutOfRange) as err:
        books.enter_voucher(sale(day=date(2026, 11, 23)), today=TODAY, actor="会计")
    assert err.value.field == "date"
    assert err.value.context == {"today": "2026-11-22"}
    assert books.enter_voucher(sale(day=TODAY), today=TODAY, actor="会计") == "2026-11-0001"


def test_a_voucher_dated_in_a_closed_month_is_refused(books):
    books.close_period(Period(2025, 1), today=TODAY, actor="会计")
    with pytest.raises(PeriodClosed) as err:
        books.enter_voucher(sale(day=date(2025, 1, 31)), today=TODAY, actor="会计")
    assert err.value.field == "date"
    assert err.value.context == {"period": "2025-01", "closed_through": "2025-01"}
    assert books.enter_voucher(sale(day=date(2025, 2, 1)), today=TODAY, actor="会计") \
        == "2025-02-0001"


# -- numbering -------------------------------------------------------------------------------


def test_numbers_run_without_gaps_within_a_month_and_restart_each_month(books):
    days = [date(2025, 1, 5), date(2025, 1, 31), date(2025, 2, 1), date(2025, 1, 2),
            date(2025, 2, 28), date(2026, 1, 1)]
    numbers = [books.enter_voucher(sale(day=day), today=TODAY, actor="会计") for day in days]
    assert numbers == ["2025-01-0001", "2025-01-0002", "2025-02-0001", "2025-01-0003",
                       "2025-02-0002", "2026-01-0001"]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{4}", number) for number in numbers)


def test_a_voucher_id_derives_from_its_organization_and_number():
    assert voucher_id("v1", "2025-01-0001") == voucher_id("v1", "2025-01-0001")
    assert voucher_id("v1", "2025-01-0001") != voucher_id("v1", "2025-01-0002")
    assert voucher_id("v1", "2025-01-0001") != voucher_id("v2", "2025-01-0001")


def test_posting_through_the_ledger_writes_the_books_entry_and_the_voucher_together(village):
    voucher = draft(Line("102", debit=500000, memo="农商行"), Line("501", credit=500000),
                    attachments=2, receipt_digests=(DIGEST,))

    outcome = village.books.post_voucher("v1", voucher, actor="出纳")

    posted = outcome.value
    assert posted.id == voucher_id("v1", "2025-01-0001")
    assert outcome.position == village.log_head() == 4
    events = [village.mapper.to_domain_event(n)
              for n in village.recorder.select_notifications(start=3, limit=10)]
    assert [type(e) for e in events] == [Books.VoucherEntered, Voucher.Posted]
    entered, created = events
    assert entered.number == created.number == "2025-01-0001"
    assert (created.org, created.date, created.kind, created.summary) == (
        "v1", date(2025, 1, 5), "regular", "收发包款")
    assert created.lines == [
        {"account": "102", "debit": 500000, "credit": 0, "memo": "农商行"},
        {"account": "501", "debit": 0, "credit": 500000, "memo": ""},
    ]
    assert (created.attachments, created.receipt_digests) == (2, [DIGEST])
    assert (created.reverses, created.reason, created.actor) == (None, None, "出纳")
    assert posted.posted_by == "出纳"
    assert village.books.voucher("v1", "2025-01-0001").id == posted.id
    assert village.books.voucher("v1", str(posted.id)).number == "2025-01-0001"


def test_a_refused_voucher_writes_nothing_and_takes_no_number(village):
    head = village.log_head()
    with pytest.raises(UnbalancedVoucher):
        village.books.post_voucher("v1", draft(Line("102", debit=2), Line("501", credit=1)),
                                   actor="会计")
    with pytest.raises(UnknownAccount):
        village.books.post_voucher("v1", draft(Line("102", debit=1), Line("599", credit=1)),
                                   actor="会计")
    assert village.log_head() == head
    assert village.books.post_voucher("v1", sale(), actor="会计").value.number == "2025-01-0001"


def test_numbering_stays_gap_free_when_the_books_are_read_back_from_a_snapshot(village):
    numbers = [village.books.post_voucher("v1", sale(amount=i + 1), actor="会计").value.number
               for i in range(105)]

    assert numbers == [f"2025-01-{i:04d}" for i in range(1, 106)]
    snapshots = list(village.snapshots.get(Books.id_for("v1")))
    assert [s.originator_version for s in snapshots] == [100]
    assert village.books.post_voucher("v1", sale(), actor="会计").value.number == "2025-01-0106"
    books = village.books.of("v1")
    assert books.version == 107
    assert books.books_start == date(2025, 1, 1)
    assert books.balances["102"] == sum(range(1, 106)) + 500000


def test_a_voucher_that_moves_no_balance_is_refused() -> None:
    # 51302 debited and credited 100.00: nothing changes but both turnover columns swell.
    with pytest.raises(InvalidVoucherLine) as caught:
        draft(Line("51302", debit=10_000), Line("51302", credit=10_000)).check()
    assert caught.value.field == "lines"
    with pytest.raises(InvalidVoucherLine):
        draft(Line("102", debit=10_000), Line("501", credit=10_000),
              Line("501", debit=10_000), Line("102", credit=10_000)).check()


def test_an_account_on_both_sides_that_still_moves_is_kept() -> None:
    # A bank slip booked gross: 1,000.00 of rent in, a 5.00 fee out of the same account.
    draft(Line("102", debit=100_000), Line("501", credit=100_000),
          Line("513", debit=500), Line("102", credit=500)).check()
    # One member's current account to another's: one account, two balances moved.
    draft(Line("113", debit=2_000, party="member:0001"),
          Line("113", credit=2_000, party="member:0002")).check()
