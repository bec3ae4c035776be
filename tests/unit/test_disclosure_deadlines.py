"""The disclosure deadline rule (应公开未公开): a period owes its kinds by the setting's day of the
month after it ends; nothing is late on or before that day, and what is published is not owed."""

from __future__ import annotations

from datetime import date

from ledger.disclosure import deadline_of, owed, parse_period

BOOKS_START = date(2026, 10, 1)


def late(cadence: str, today: date, day: int = 15,
         published: set[tuple[str, str]] | None = None) -> list[tuple[str, str, str]]:
    return [(o.kind, o.period.label, o.deadline.isoformat())
            for o in owed(cadence, BOOKS_START, today, day, published or set())]


def test_a_month_is_due_by_the_15th_of_the_next_and_a_quarter_or_year_likewise() -> None:
    assert deadline_of(parse_period("2026-10"), 15) == date(2026, 11, 15)
    assert deadline_of(parse_period("2026-12"), 15) == date(2027, 1, 15)
    assert deadline_of(parse_period("2026-Q3"), 15) == date(2026, 10, 15)
    assert deadline_of(parse_period("2026"), 20) == date(2027, 1, 20)


def test_october_is_late_only_after_its_deadline() -> None:
    # given books from October 2026, nothing published
    assert late("month", date(2026, 11, 1)) == []  # ended, not yet due
    assert late("month", date(2026, 11, 15)) == []  # the deadline day itself is still in time
    assert late("month", date(2026, 11, 16)) == [
        ("income_expenditure", "2026-10", "2026-11-15")]


def test_a_published_period_owes_nothing() -> None:
    assert late("month", date(2026, 12, 20), published={("income_expenditure", "2026-10")}) == [
        ("income_expenditure", "2026-11", "2026-12-15")]
    # another kind for the period does not stand in for the 收支明细
    assert late("month", date(2026, 11, 16), published={("balance_sheet", "2026-10")}) != []


def test_the_setting_moves_the_deadline() -> None:
    assert late("month", date(2026, 11, 20), day=25) == []
    assert late("month", date(2026, 11, 26), day=25) == [
        ("income_expenditure", "2026-10", "2026-11-25")]


def test_a_year_owes_its_accounts_too_and_a_quarter_its_收支明细() -> None:
    start = date(2025, 1, 1)
    kinds = [(o.kind, o.period.label) for o in owed("year", start, date(2026, 1, 16), 15, set())]
    assert kinds == [("income_expenditure", "2025"), ("balance_sheet", "2025"),
                     ("income_statement", "2025")]
    quarters = [o.period.label for o in owed("quarter", start, date(2025, 10, 16), 15, set())]
    assert quarters == ["2025-Q1", "2025-Q2", "2025-Q3"]


def test_a_period_outside_the_years_the_books_can_hold_is_refused_in_every_form() -> None:
    import pytest

    from ledger.disclosure import InvalidDisclosure, parse_period

    for label in ("0000-01", "0000-Q1", "1979-12", "3000-Q4"):
        with pytest.raises(InvalidDisclosure):
            parse_period(label)
    assert parse_period("1980-01").start.isoformat() == "1980-01-01"
