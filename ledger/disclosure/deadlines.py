"""When a disclosure is late (应公开未公开): every period of the village's cadence that ended
since its books began owes the kinds REQUIRED_KINDS names, each due by the setting's day of the
month after the period ends; one not published by that day is overdue from the day after.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from ledger.disclosure.periods import DisclosurePeriod, ended_since, parse_period

# What each cadence owes per period (../shared/domain §6, §11): the finances item by item
# (收支明细) every period; the year also its accounts, the balance sheet and income statement,
# which carry the assets, receivables and payables the 2011 rules list.
REQUIRED_KINDS: dict[str, tuple[str, ...]] = {
    "month": ("income_expenditure",),
    "quarter": ("income_expenditure",),
    "year": ("income_expenditure", "balance_sheet", "income_statement"),
}


@dataclass(frozen=True)
class Owed:
    """One disclosure a period owes: its kind and the last day it may be published."""

    period: DisclosurePeriod
    kind: str
    deadline: date


def deadline_of(period: DisclosurePeriod, day: int) -> date:
    """The `day`th of the month after `period` ends (the 15th of November for October)."""
    return (period.end + timedelta(days=1)).replace(day=day)


def owed(cadence: str, books_start: date, today: date, deadline_day: int,
         published: Collection[tuple[str, str]]) -> list[Owed]:
    """Oldest first, every (kind, period) not in `published` whose deadline passed before
    `today`; a period still within its deadline owes nothing yet."""
    late: list[Owed] = []
    for label in ended_since(cadence, books_start, today):
        period = parse_period(label)
        deadline = deadline_of(period, deadline_day)
        if deadline >= today:
            continue
        late += [Owed(period, kind, deadline) for kind in REQUIRED_KINDS[cadence]
                 if (kind, label) not in published]
    return late
