"""Which days a statement may be of: from the day before the books start (their opening
balances are as of that day) on. A statement asked of an earlier day is refused — a rule of the
books, not of the address's shape: 422 `date_out_of_range` naming the field — instead of
answered with zeros that look like books; a day the desk chose itself, when the reader named
none, is moved to the books' first month instead.
"""

from __future__ import annotations

from datetime import date, timedelta

from api.common import require_org
from ledger.books import DateOutOfRange, Period
from projections.books.queries import BooksReader


def earliest(reader: BooksReader, org: str) -> date:
    """The first day a statement of these books may be of: the opening balances' day."""
    start = date.fromisoformat(str(require_org(reader, org)["books_start"])[:10])
    return start - timedelta(days=1)


def refuse_before_books(reader: BooksReader, org: str, day: date, field: str) -> None:
    """DateOutOfRange on `field` when `day` is before the books hold anything (said in Chinese
    on the desk by api/refusals.py)."""
    first = earliest(reader, org)
    if day < first:
        start = (first + timedelta(days=1)).isoformat()
        raise DateOutOfRange(f"the books start on {start}; a statement is of {first} or later",
                             field=field, books_start=start, first=first.isoformat())


def first_month(reader: BooksReader, org: str, chosen: Period) -> Period:
    """The desk's own choice of month (today's), or the books' first month if it is earlier."""
    start = earliest(reader, org) + timedelta(days=1)
    return max(chosen, Period.of(start))
