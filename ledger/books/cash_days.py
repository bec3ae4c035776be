"""Cash on hand day by day, over the days of the months still open: a voucher dated back among
days already posted changes the till on its own day and on every later one, so the cash rules
(never below zero, never above the limit) are held on those days, not on the sum of every
posting whatever its date. A closed month takes no posting, so its days are let go.
"""

from __future__ import annotations

from datetime import date

from ledger.books.accounts import is_within


def record(days: dict[str, int], amounts: dict[str, int], cash: str, on: date) -> None:
    """A voucher's net debit to cash on hand, kept against its day."""
    moved = sum(amount for code, amount in amounts.items() if is_within(code, cash))
    if moved:
        day = on.isoformat()
        days[day] = days.get(day, 0) + moved


def let_go(days: dict[str, int], closed_through: str) -> None:
    """The days of the months closed through `closed_through` (YYYY-MM), no longer posted to."""
    for day in [day for day in days if day[:7] <= closed_through]:
        del days[day]


def ends_of_days(balance: int, days: dict[str, int], on: date) -> list[tuple[date, int]]:
    """Cash at the end of `on` and of each later day it moved, from today's `balance` (every
    posting): `on`'s is the balance less what moved after it."""
    first = on.isoformat()
    later = sorted(day for day in days if day > first)
    at = balance - sum(days[day] for day in later)
    ends = [(on, at)]
    for day in later:
        at += days[day]
        ends.append((date.fromisoformat(day), at))
    return ends
