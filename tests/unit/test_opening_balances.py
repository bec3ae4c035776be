"""Opening balances (期初余额): posted once, on the day the books start; reversed only within the
books' first month, after which new ones may be posted."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.books import (
    DateOutOfRange,
    Line,
    OpeningBalancesExist,
)
from tests.unit.test_vouchers import TODAY, draft

# -- opening balances ------------------------------------------------------------------------


def opening(day=date(2025, 1, 1), amount=1000000):
    return draft(Line("102", debit=amount), Line("301", credit=amount), day=day,
                 summary="期初余额", kind="opening")


def test_opening_balances_are_posted_on_the_day_the_books_start(books):
    number = books.enter_voucher(opening(), today=TODAY, actor="会计")

    [event] = books.collect_events()
    assert (event.kind, event.number, event.date) == ("opening", "2025-01-0001",
                                                       date(2025, 1, 1))
    assert books.opening_voucher == number


@pytest.mark.parametrize("day", [date(2025, 1, 2), date(2025, 3, 1)])
def test_opening_balances_dated_after_the_books_start_are_refused(books, day):
    with pytest.raises(DateOutOfRange) as err:
        books.enter_voucher(opening(day=day), today=TODAY, actor="会计")
    assert err.value.field == "date"
    assert books.collect_events() == []


def test_opening_balances_are_posted_once(books):
    books.enter_voucher(opening(), today=TODAY, actor="会计")
    with pytest.raises(OpeningBalancesExist) as err:
        books.enter_voucher(opening(amount=5), today=TODAY, actor="会计")
    assert err.value.context == {"number": "2025-01-0001"}


def test_after_the_opening_voucher_is_reversed_new_opening_balances_may_be_posted(village):
    village.books.post_voucher("v1", opening(), actor="会计")
    with pytest.raises(OpeningBalancesExist):
        village.books.post_voucher("v1", opening(amount=900000), actor="会计")

    village.books.reverse_voucher("v1", "2025-01-0001", on=date(2025, 1, 1), reason="期初数错误",
                                  actor="会计")
    outcome = village.books.post_voucher("v1", opening(amount=900000), actor="会计")

    assert outcome.value.number == "2025-01-0003"
    assert outcome.value.kind == "opening"
    books = village.books.of("v1")
    assert books.opening_voucher == "2025-01-0003"
    assert books.balances["102"] == 900000


def test_the_opening_voucher_is_reversed_only_within_the_month_the_books_start(village):
    village.books.post_voucher("v1", opening(), actor="会计")
    head = village.log_head()

    with pytest.raises(DateOutOfRange) as err:
        village.books.reverse_voucher("v1", "2025-01-0001", on=date(2025, 2, 1),
                                      reason="期初数错误",
                                      actor="会计")
    assert err.value.field == "date"
    assert village.log_head() == head

    reversal = village.books.reverse_voucher("v1", "2025-01-0001", on=date(2025, 1, 31),
                                             reason="期初数错误", actor="会计").value
    assert reversal.number == "2025-01-0002"
    assert village.books.of("v1").opening_voucher is None


def test_a_regular_voucher_is_reversed_in_any_open_month_after_it(village, post):
    post(date(2025, 1, 5), Line("102", debit=100), Line("501", credit=100))
    reversal = village.books.reverse_voucher("v1", "2025-01-0001", on=date(2025, 2, 1), reason="错",
                                             actor="会计").value
    assert reversal.number == "2025-02-0001"
