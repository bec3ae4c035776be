"""Closing months: in order, once, after they end; December closes with the year."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.books import Books, Period, PeriodAlreadyClosed, PeriodNotClosable
from ledger.kernel.chart import get_chart

TODAY = date(2026, 11, 22)


def test_closing_a_month_that_has_ended_records_it_and_who_closed_it(books):
    books.close_period(Period(2025, 1), today=date(2025, 2, 1), actor="会计")

    [event] = books.collect_events()
    assert type(event) is Books.PeriodClosed
    assert (event.period, event.actor) == ("2025-01", "会计")
    assert books.closed_through == "2025-01"
    assert books.is_closed(Period(2025, 1)) and not books.is_closed(Period(2025, 2))
    assert books.next_open_period() == Period(2025, 2)


def test_months_close_in_order(books):
    books.close_period(Period(2025, 1), today=TODAY, actor="会计")
    books.collect_events()

    with pytest.raises(PeriodNotClosable) as err:
        books.close_period(Period(2025, 3), today=TODAY, actor="会计")
    assert err.value.context == {"period": "2025-03", "next_open": "2025-02"}
    assert books.collect_events() == []

    books.close_period(Period(2025, 2), today=TODAY, actor="会计")
    books.close_period(Period(2025, 3), today=TODAY, actor="会计")
    assert [e.period for e in books.collect_events()] == ["2025-02", "2025-03"]


def test_a_closed_month_is_closed_once(books):
    books.close_period(Period(2025, 1), today=TODAY, actor="会计")
    books.close_period(Period(2025, 2), today=TODAY, actor="会计")

    for period in ["2025-02", "2025-01"]:
        with pytest.raises(PeriodAlreadyClosed) as err:
            books.close_period(Period.parse(period), today=TODAY, actor="会计")
        assert err.value.context == {"period": period}


def test_a_month_that_has_not_ended_cannot_close(books):
    with pytest.raises(PeriodNotClosable) as err:
        books.close_period(Period(2025, 1), today=date(2025, 1, 31), actor="会计")
    assert err.value.context == {"period": "2025-01"}
    assert books.collect_events() == []

    books.close_period(Period(2025, 1), today=date(2025, 2, 1), actor="会计")
    assert books.closed_through == "2025-01"


def test_december_closes_only_with_the_year(books):
    for month in range(1, 12):
        books.close_period(Period(2025, month), today=TODAY, actor="会计")
    books.collect_events()

    with pytest.raises(PeriodNotClosable, match="year-end close") as err:
        books.close_period(Period(2025, 12), today=TODAY, actor="会计")
    assert err.value.context == {"period": "2025-12"}
    assert books.collect_events() == []


def test_the_next_year_waits_for_the_year_end_close(books):
    for month in range(1, 12):
        books.close_period(Period(2025, month), today=TODAY, actor="会计")
    with pytest.raises(PeriodNotClosable) as err:
        books.close_period(Period(2026, 1), today=TODAY, actor="会计")
    assert err.value.context["next_open"] == "2025-12"


def test_a_month_before_the_books_start_cannot_close():
    books = Books.open(org="v1", chart=get_chart("mof-2023-village"),
                       books_start=date(2025, 3, 15), actor="会计")
    with pytest.raises(PeriodNotClosable) as err:
        books.close_period(Period(2025, 2), today=TODAY, actor="会计")
    assert err.value.context == {"period": "2025-02"}

    books.close_period(Period(2025, 3), today=TODAY, actor="会计")
    assert books.closed_through == "2025-03"


def test_closing_a_month_through_the_ledger_uses_the_ledgers_clock(village, clock):
    clock.today = date(2025, 1, 31)
    with pytest.raises(PeriodNotClosable):
        village.books.close_period("v1", Period(2025, 1), actor="会计")

    clock.today = date(2025, 2, 1)
    outcome = village.books.close_period("v1", Period(2025, 1), actor="会计")
    assert outcome.value.closed_through == "2025-01"
