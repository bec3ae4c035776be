"""Reversal (红字冲销): a posted voucher is corrected by a red-ink copy that names it, once."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.books import (
    AlreadyReversed,
    Books,
    DateOutOfRange,
    InvalidVoucherLine,
    Line,
    NotReversible,
    Period,
    PeriodClosed,
    Voucher,
    VoucherDraft,
    VoucherNotFound,
)

ORIGINAL_LINES = (Line("102", debit=500000, memo="农商行"), Line("501", credit=300000),
                  Line("504", credit=200000))


@pytest.fixture
def original(post):
    """2025-03-0001: a posted voucher of 5,000.00 yuan."""
    return post(date(2025, 3, 10), *ORIGINAL_LINES, summary="收发包款").value


def reverse(ledger, ref="2025-03-0001", on=date(2025, 3, 20), reason="金额记错", actor="会计"):
    return ledger.books.reverse_voucher("v1", ref, on=on, reason=reason, actor=actor)


def events_after(ledger, head):
    return [ledger.mapper.to_domain_event(n)
            for n in ledger.recorder.select_notifications(start=head + 1, limit=100)]


def test_a_reversal_posts_the_original_lines_in_red_ink_on_the_same_sides(village, original):
    reversal = reverse(village).value

    assert reversal.kind == "reversal"
    assert reversal.number == "2025-03-0002"
    assert reversal.date == date(2025, 3, 20)
    assert reversal.line_items == (
        Line("102", debit=-500000, memo="农商行"), Line("501", credit=-300000),
        Line("504", credit=-200000))
    assert reversal.summary == "冲销2025-03-0001：收发包款"


def test_a_reversal_and_the_original_name_each_other(village, original):
    head = village.log_head()

    reverse(village, reason="  金额记错 ", actor="出纳")

    entered, posted, reversed_ = events_after(village, head)
    assert type(entered) is Books.VoucherEntered
    assert (entered.number, entered.kind, entered.reverses) == (
        "2025-03-0002", "reversal", "2025-03-0001")
    assert entered.amounts == {"102": -500000, "501": 300000, "504": 200000}
    assert type(posted) is Voucher.Posted
    assert (posted.reverses, posted.reason) == ("2025-03-0001", "金额记错")
    assert type(reversed_) is Voucher.Reversed
    assert reversed_.originator_id == original.id
    assert (reversed_.reversal_number, reversed_.reason, reversed_.actor) == (
        "2025-03-0002", "金额记错", "出纳")
    stored = village.books.voucher("v1", "2025-03-0001")
    assert (stored.reversed_by, stored.reversal_reason) == ("2025-03-0002", "金额记错")


def test_a_reversal_brings_the_balances_back_to_zero(village, original):
    reverse(village)
    assert village.books.of("v1").balances == {"102": 0, "501": 0, "504": 0}


def test_a_reversal_takes_the_next_number_of_the_month_it_is_dated_in(village, original, post):
    post(date(2025, 4, 1), Line("101", debit=1), Line("504", credit=1))
    assert reverse(village, on=date(2025, 4, 2)).value.number == "2025-04-0002"


def test_a_voucher_is_reversed_once(village, original):
    reverse(village)
    head = village.log_head()

    with pytest.raises(AlreadyReversed) as err:
        reverse(village, reason="再冲一次")
    assert err.value.context == {"number": "2025-03-0001", "reversed_by": "2025-03-0002"}
    assert village.log_head() == head


def test_a_reversal_cannot_itself_be_reversed(village, original):
    reverse(village)
    with pytest.raises(NotReversible) as err:
        reverse(village, ref="2025-03-0002")
    assert err.value.context == {"number": "2025-03-0002", "kind": "reversal"}


def test_a_closing_voucher_cannot_be_reversed(village, post, close_months):
    post(date(2025, 6, 1), Line("102", debit=100), Line("501", credit=100))
    close_months(Period(2025, 1), Period(2025, 11))
    village.books.close_year("v1", 2025, actor="会计")
    closing = village.books.voucher("v1", "2025-12-0001")
    assert closing.kind == "closing"

    with pytest.raises(NotReversible) as err:
        reverse(village, ref="2025-12-0001", on=date(2026, 1, 5))
    assert err.value.context == {"number": "2025-12-0001", "kind": "closing"}


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reversal_needs_a_reason(village, original, reason):
    head = village.log_head()
    with pytest.raises(InvalidVoucherLine) as err:
        reverse(village, reason=reason)
    assert err.value.field == "reason"
    assert village.log_head() == head


def test_a_reason_longer_than_200_characters_is_refused(village, original):
    with pytest.raises(InvalidVoucherLine) as err:
        reverse(village, reason="因" * 201)
    assert err.value.field == "reason"


def test_a_reversal_dated_before_the_original_is_refused(village, original):
    with pytest.raises(DateOutOfRange) as err:
        reverse(village, on=date(2025, 3, 9))
    assert err.value.field == "date"
    assert reverse(village, on=date(2025, 3, 10)).value.date == date(2025, 3, 10)


def test_a_reversal_dated_in_the_future_is_refused(village, original):
    with pytest.raises(DateOutOfRange) as err:
        reverse(village, on=date(2026, 11, 23))
    assert err.value.field == "date"


def test_a_reversal_dated_in_a_closed_month_is_refused_but_one_in_an_open_month_is_not(
    village, original, close_months
):
    close_months(Period(2025, 1), Period(2025, 3))
    with pytest.raises(PeriodClosed) as err:
        reverse(village, on=date(2025, 3, 31))
    assert err.value.field == "date"

    reversal = reverse(village, on=date(2025, 4, 1)).value
    assert (reversal.number, reversal.reverses) == ("2025-04-0001", "2025-03-0001")


def test_reversing_a_voucher_that_does_not_exist_is_not_found(village, original):
    for ref in ["2025-03-0009", "not-a-number", "00000000-0000-0000-0000-000000000000"]:
        with pytest.raises(VoucherNotFound):
            reverse(village, ref=ref)


def test_a_voucher_of_another_organization_cannot_be_reversed(village, original):
    village.books.register_organization(code="v2", name_zh="二村", kind="village_collective",
                                        books_start=date(2025, 1, 1), actor="会计")
    with pytest.raises(VoucherNotFound):
        village.books.reverse_voucher("v2", "2025-03-0001", on=date(2025, 3, 20), reason="错",
                                      actor="会计")
    with pytest.raises(VoucherNotFound):
        village.books.reverse_voucher("v2", str(original.id), on=date(2025, 3, 20), reason="错",
                                      actor="会计")


# -- the voucher aggregate itself ------------------------------------------------------------


def test_a_reversal_voucher_with_black_ink_lines_is_refused():
    draft = VoucherDraft(date(2025, 3, 20), "冲销", ORIGINAL_LINES, kind="reversal")
    with pytest.raises(InvalidVoucherLine) as err:
        Voucher.post(org="v1", number="2025-03-0002", draft=draft, actor="会计",
                     reverses="2025-03-0001", reason="错")
    assert err.value.field == "lines[0].debit"
    assert err.value.message == "a reversal line is negative"


def test_marking_a_voucher_reversed_twice_is_refused():
    draft = VoucherDraft(date(2025, 3, 10), "收发包款", ORIGINAL_LINES)
    voucher = Voucher.post(org="v1", number="2025-03-0001", draft=draft, actor="会计")
    reversal = Voucher.post(org="v1", number="2025-03-0002", actor="会计",
                            draft=voucher.reversal_draft(date(2025, 3, 20), "错"),
                            reverses="2025-03-0001", reason="错")
    voucher.mark_reversed(reversal, "错", "会计")

    with pytest.raises(AlreadyReversed):
        voucher.mark_reversed(reversal, "错", "会计")
    with pytest.raises(AlreadyReversed):
        voucher.reversal_draft(date(2025, 3, 21), "错")
    assert [type(e) for e in voucher.collect_events()] == [Voucher.Posted, Voucher.Reversed]
