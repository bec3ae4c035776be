"""Accounting periods: calendar months written YYYY-MM, in order across years."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.books import Period


def test_a_period_is_parsed_from_and_written_as_yyyy_mm():
    period = Period.parse("2025-03")
    assert (period.year, period.month) == (2025, 3)
    assert str(period) == "2025-03"


def test_a_period_is_the_month_of_a_day():
    assert Period.of(date(2024, 2, 29)) == Period(2024, 2)


@pytest.mark.parametrize(
    "text", ["2025-3", "2025-13", "2025-00", "25-03", "2025/03", "2025-03-01", "", "03-2025",
             " 2025-03"],
)
def test_text_that_is_not_yyyy_mm_is_refused(text):
    with pytest.raises(ValueError, match="YYYY-MM"):
        Period.parse(text)


def test_a_missing_period_is_refused():
    with pytest.raises(ValueError, match="YYYY-MM"):
        Period.parse(None)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["2025-03\n", "２０２５-03", "2025-0٣"])
def test_a_period_with_a_trailing_newline_or_non_ascii_digits_is_refused(text):
    with pytest.raises(ValueError, match="YYYY-MM"):
        Period.parse(text)


@pytest.mark.parametrize(
    ("period", "following"),
    [(Period(2025, 3), Period(2025, 4)), (Period(2025, 12), Period(2026, 1)),
     (Period(1999, 12), Period(2000, 1))],
)
def test_the_next_period_follows_across_years_and_previous_goes_back(period, following):
    assert period.next() == following
    assert following.previous() == period


def test_periods_are_ordered_by_year_then_month():
    assert Period(2025, 12) < Period(2026, 1) < Period(2026, 2)
    assert sorted([Period(2026, 1), Period(2025, 11), Period(2025, 2)]) == [
        Period(2025, 2), Period(2025, 11), Period(2026, 1)]


@pytest.mark.parametrize(
    ("period", "first", "last"),
    [
        (Period(2024, 2), date(2024, 2, 1), date(2024, 2, 29)),  # leap year
        (Period(2025, 2), date(2025, 2, 1), date(2025, 2, 28)),
        (Period(2000, 2), date(2000, 2, 1), date(2000, 2, 29)),  # divisible by 400
        (Period(2100, 2), date(2100, 2, 1), date(2100, 2, 28)),  # divisible by 100 only
        (Period(2025, 4), date(2025, 4, 1), date(2025, 4, 30)),
        (Period(2025, 12), date(2025, 12, 1), date(2025, 12, 31)),
    ],
)
def test_a_period_runs_from_its_first_to_its_last_day(period, first, last):
    assert period.first_day == first
    assert period.last_day == last


@given(st.integers(min_value=1980, max_value=2200), st.integers(min_value=1, max_value=12))
def test_consecutive_periods_leave_no_day_between_them(year, month):
    period = Period(year, month)
    assert period.next().previous() == period
    assert period.next().first_day == period.last_day + timedelta(days=1)
    assert Period.parse(str(period)) == period
