"""The year-end close's arithmetic on the books aggregate alone, for any balances: afterwards
every swept account is zero and 32201 holds their net total; 321 takes only the close's
entries and opening balances."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.books import (
    Books,
    InvalidAccount,
    Line,
    Period,
    VoucherDraft,
)
from ledger.kernel.chart import get_chart
from tests.unit.test_year_end import DISTRIBUTIONS, PL

# -- the arithmetic, on the books aggregate alone ----------------------------------------------


def close_all(books: Books, year: int) -> list[tuple[VoucherDraft, str]]:
    for month in range(1, 12):
        books.close_period(Period(year, month), today=date(year + 1, 1, 1), actor="会计")
    return books.close_year(year, today=date(year + 1, 1, 1), actor="会计")


postings = st.lists(
    st.tuples(st.sampled_from(PL + DISTRIBUTIONS),
              st.integers(min_value=-10**9, max_value=10**9).filter(bool)),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(postings)
def test_after_the_close_swept_accounts_are_zero_and_32201_holds_their_net_total(entries):
    books = Books.open(org="v1", chart=get_chart("mof-2023-village"),
                       books_start=date(2025, 1, 1), actor="会计")
    for code, amount in entries:
        line = Line(code, debit=amount) if amount > 0 else Line(code, credit=-amount)
        counter = Line("102", credit=amount) if amount > 0 else Line("102", debit=-amount)
        books.enter_voucher(VoucherDraft(date(2025, 6, 1), "记账", (line, counter)),
                            today=date(2026, 1, 1), actor="会计")

    entered = close_all(books, 2025)

    expected = sum(amount for _, amount in entries)
    for code in {code for code, _ in entries}:
        assert books.balances[code] == 0
    assert books.balances.get("32201", 0) == expected
    for draft, number in entered:
        assert (draft.date, draft.kind) == (date(2025, 12, 31), "closing")
        assert number.startswith("2025-12-")
        assert len(draft.lines) >= 2
        assert sum(line.debit for line in draft.lines) == sum(line.credit
                                                                for line in draft.lines)
        assert all((line.debit > 0) != (line.credit > 0) for line in draft.lines)


def test_321_takes_only_the_closes_entries_and_opening_balances(books_321):
    books = books_321
    with pytest.raises(InvalidAccount) as err:
        books.enter_voucher(VoucherDraft(date(2025, 6, 1), "调整", (
            Line("321", debit=100), Line("102", credit=100))), today=date(2026, 1, 1),
            actor="会计")
    assert err.value.field == "lines[0].account"
    # Books that start mid-year bring the year's result so far in their opening balances.
    books.enter_voucher(VoucherDraft(date(2025, 1, 1), "期初", (
        Line("102", debit=100), Line("321", credit=100)), kind="opening"),
        today=date(2026, 1, 1), actor="会计")
    close_all(books, 2025)
    assert books.balances["321"] == 0 and books.balances["32201"] == -100


@pytest.fixture
def books_321() -> Books:
    return Books.open(org="v1", chart=get_chart("mof-2023-village"),
                      books_start=date(2025, 1, 1), actor="会计")
