"""Which days a statement may be of: from the day before the books start (their opening
balances are as of that day) on. A statement asked of an earlier day is refused (422 on the
field that named it) instead of answered with zeros that look like books; a day the desk chose
itself, when the reader named none, is moved to the books' first month instead.
"""

from __future__ import annotations

from datetime import date, timedelta

from api.common import invalid, require_org
from api.i18n import gettext as _
from ledger.books import Period
from projections.books.queries import BooksReader


def earliest(reader: BooksReader, org: str) -> date:
    """The first day a statement of these books may be of: the opening balances' day."""
    start = date.fromisoformat(str(require_org(reader, org)["books_start"])[:10])
    return start - timedelta(days=1)


def refuse_before_books(reader: BooksReader, org: str, day: date, field: str) -> None:
    """A 422 on `field` when `day` is before the books hold anything."""
    first = earliest(reader, org)
    if day < first:
        raise invalid(field, _("The books start on %(books_start)s: choose %(first)s or later.",
                               books_start=(first + timedelta(days=1)).isoformat(),
                               first=first.isoformat()))


def first_month(reader: BooksReader, org: str, chosen: Period) -> Period:
    """The desk's own choice of month (today's), or the books' first month if it is earlier."""
    start = earliest(reader, org) + timedelta(days=1)
    return max(chosen, Period.of(start))
