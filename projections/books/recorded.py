"""The books as they had been recorded at a moment (按记录时点): the same reports, from only the
vouchers posted by then, whatever their dates, and the vouchers entered afterwards into the days
a report covers. An auditor reads what the books said on a day and what was added to that past
since (补记), which the books as they are now do not tell apart.

Rule: a voucher counts when its Posted event's timestamp is at or before the moment. The sums are
read from the lines, not from the running totals, which hold every voucher posted: an audit
question that costs the organization's lines, where the daily reports cost its accounts.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from projections.books.queries import BooksReader

LISTED = 100  # the vouchers recorded later that a report lists (it counts them all)


def stamp(moment: datetime) -> str:
    """The moment as the vouchers' `posted_at` is written (the library's UTC timestamps in ISO
    form), so that the text comparison is the comparison of the moments."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class RecordedReader(BooksReader):
    """A reader of the books as recorded at `moment`: the sums a report reads leave out every
    voucher posted after it; the rest (accounts, settings) is read as it is."""

    def __init__(self, reader: BooksReader, moment: datetime) -> None:
        super().__init__(reader.sql, reader._view)
        self.moment = moment
        self.bound = stamp(moment)

    def account_totals(self, org: str, day: date) -> dict[str, tuple[int, int, int]]:
        rows = self.sql.execute(
            """SELECT l.account, SUM(l.debit) AS debit, SUM(l.credit) AS credit,
                SUM(CASE WHEN l.kind = 'closing' THEN l.debit - l.credit ELSE 0 END) AS closing
            FROM books_lines l JOIN books_vouchers v ON v.id = l.voucher_id
            WHERE l.org = :org AND l.as_of <= :day AND v.posted_at <= :bound
            GROUP BY l.account ORDER BY l.account""",
            {"org": org, "day": day.isoformat(), "bound": self.bound}).all()
        return {row["account"]: (int(row["debit"]), int(row["credit"]), int(row["closing"]))
                for row in rows}

    def party_totals(self, org: str, prefix: str, day: date,
                     ) -> dict[tuple[str, str], tuple[int, int]]:
        rows = self.sql.execute(
            """SELECT p.account, p.party, SUM(p.debit) AS debit, SUM(p.credit) AS credit
            FROM books_line_parties p
            JOIN books_vouchers v ON v.org = p.org AND v.number = p.voucher
            WHERE p.org = :org AND p.account LIKE :prefix AND p.as_of <= :day
                AND v.posted_at <= :bound
            GROUP BY p.account, p.party ORDER BY p.account, p.party""",
            {"org": org, "prefix": prefix + "%", "day": day.isoformat(),
             "bound": self.bound}).all()
        return {(row["account"], row["party"]): (int(row["debit"]), int(row["credit"]))
                for row in rows}

    def recorded_later(self, org: str, end: date) -> dict[str, Any]:
        """The vouchers posted after the moment with a line counted by `end` (what a report of
        the books as they are now holds beyond this one): how many, and the first LISTED of
        them in the order they were posted."""
        where = ("FROM books_vouchers v WHERE v.org = :org AND v.posted_at > :bound AND EXISTS "
                 "(SELECT 1 FROM books_lines l WHERE l.voucher_id = v.id AND l.as_of <= :end)")
        params = {"org": org, "bound": self.bound, "end": end.isoformat()}
        count = self.sql.execute(f"SELECT COUNT(*) AS n {where}", params).scalar()
        rows = self.sql.execute(
            "SELECT v.number, v.date, v.kind, v.summary, v.debit_total, v.posted_by, "
            f"v.posted_at, v.reverses {where} ORDER BY v.position LIMIT :limit",
            params | {"limit": LISTED}).all()
        return {"count": int(count or 0), "vouchers": rows}
