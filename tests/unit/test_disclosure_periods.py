"""What a disclosure period is, as small ledgers: given a label, then its span and its words in
a title, or the domain's error naming the field; given a cadence and a day, then the last period
that ended before it."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.disclosure import (
    InvalidDisclosure,
    ended_since,
    last_ended,
    parse_period,
    period_words,
)


@pytest.mark.parametrize(("label", "cadence", "start", "end", "words"), [
    ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29), "2024年2月"),
    ("2026-12", "month", date(2026, 12, 1), date(2026, 12, 31), "2026年12月"),
    ("2026-Q3", "quarter", date(2026, 7, 1), date(2026, 9, 30), "2026年第3季度"),
    ("2026-Q4", "quarter", date(2026, 10, 1), date(2026, 12, 31), "2026年第4季度"),
    ("2025", "year", date(2025, 1, 1), date(2025, 12, 31), "2025年度"),
])
def test_a_label_names_its_first_and_last_day(label: str, cadence: str, start: date,
                                               end: date, words: str) -> None:
    period = parse_period(label)
    assert (period.cadence, period.start, period.end) == (cadence, start, end)
    assert period_words(label) == words


@pytest.mark.parametrize("label", ["2026-13", "2026-Q5", "2026-q3", "26-10", "2026-1", "1900",
                                   "2026/10", " 2026-10", ""])
def test_anything_else_is_refused_on_the_period_field(label: str) -> None:
    with pytest.raises(InvalidDisclosure) as refused:
        parse_period(label)
    assert refused.value.field == "period"
    assert "2026-Q3" in refused.value.message
    assert period_words(label) == ""


@pytest.mark.parametrize(("cadence", "today", "last"), [
    ("month", date(2026, 11, 22), "2026-10"),
    ("month", date(2026, 1, 1), "2025-12"),
    ("quarter", date(2026, 11, 22), "2026-Q3"),
    ("quarter", date(2026, 2, 10), "2025-Q4"),
    ("year", date(2026, 11, 22), "2025"),
])
def test_the_last_period_of_a_cadence_ended_before_today(cadence: str, today: date,
                                                         last: str) -> None:
    assert last_ended(cadence, today) == last
    assert parse_period(last).end < today


@pytest.mark.parametrize(("cadence", "start", "owed"), [
    ("month", date(2026, 8, 15), ["2026-08", "2026-09", "2026-10"]),
    ("quarter", date(2026, 1, 1), ["2026-Q1", "2026-Q2", "2026-Q3"]),
    ("quarter", date(2026, 2, 1), ["2026-Q2", "2026-Q3"]),  # Q1 began before the books
    ("year", date(2025, 1, 1), ["2025"]),
    ("year", date(2025, 3, 1), []),
])
def test_the_periods_owed_are_those_begun_with_the_books_and_ended(
        cadence: str, start: date, owed: list[str]) -> None:
    assert ended_since(cadence, start, date(2026, 11, 22)) == owed
