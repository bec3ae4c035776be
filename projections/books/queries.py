"""Questions asked of the books read model. Every answer is a plain function of the stored rows.

Lines are reported by their `as_of` day: the voucher's date, except for opening balances (and a
reversal of them), which count as of the day before the books start, the balances brought in.
Sums over days are read from the running totals (totals.py), never from the lines, so a report
costs the same in the books' first month and their tenth year; only a list of lines (a ledger
page) reads lines, those up to the end of its page, found in order through the index.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ledger.books import default_settings
from projections.books import totals
from projections.books.view import BooksView
from projections.db import Sql

VOUCHER_COLUMNS = (
    "id, number, date, period, kind, summary, attachments, receipt_digests, debit_total, "
    "credit_total, reverses, reason, reversed_by, reversal_reason, posted_by, posted_at, "
    "position"
)


@dataclass(frozen=True)
class Page:
    """One page of a list: the one way a list is cut into pages, for the API and the desk."""

    number: int
    size: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    def count(self, total: int) -> int:
        """How many pages `total` rows fill (none for an empty list)."""
        return (total + self.size - 1) // self.size

    @classmethod
    def asked(cls, text: str, size: int, *, last: int = 9_999) -> Page:
        """The page a link asked for (?page=), or the first when it asked for none or nonsense."""
        return cls(int(text) if text.isdigit() and 0 < int(text) <= last else 1, size)


@dataclass(frozen=True)
class Sums:
    """One leaf account's figures over a date range."""

    before: int  # net debit brought forward into the range
    debit: int
    credit: int
    closing_net: int  # net debit of the year-end closing vouchers within the range

    @property
    def after(self) -> int:
        return self.before + self.debit - self.credit


class BooksReader:
    """Reads within one transaction, so every answer reflects the same position of the log."""

    def __init__(self, sql: Sql, view: BooksView) -> None:
        self.sql = sql
        self._view = view

    def position(self) -> int:
        """The last event of the log that these rows include."""
        return self._view.position_in(self.sql)

    def organizations(self, page: Page, *, only: set[str] | None = None,
                      ) -> tuple[list[dict[str, Any]], int]:
        """All organizations, or only those named: a reader never learns of the others."""
        where, params = "", {"limit": page.size, "offset": page.offset}
        if only is not None:
            if not only:
                return [], 0
            codes = {f"c{i}": code for i, code in enumerate(sorted(only))}
            where = f"WHERE code IN ({', '.join(':' + key for key in codes)})"
            params |= codes
        total = self.sql.execute(f"SELECT COUNT(*) AS n FROM books_organizations {where}",
                                 params).scalar()
        rows = self.sql.execute(
            f"SELECT * FROM books_organizations {where} ORDER BY code "
            "LIMIT :limit OFFSET :offset", params).all()
        return rows, total

    def organization(self, code: str) -> dict[str, Any] | None:
        return self.sql.execute("SELECT * FROM books_organizations WHERE code = :code",
                           {"code": code}).one()

    def settings(self, org: str) -> dict[str, int | str]:
        """The organization's local rules: its kind's defaults, as changed by its settings
        events."""
        changed = self.sql.execute("SELECT changed FROM books_org_settings WHERE org = :org",
                                   {"org": org}).scalar()
        kind = self.sql.execute("SELECT kind FROM books_organizations WHERE code = :org",
                                {"org": org}).scalar()
        return {**default_settings(str(kind or "")), **json.loads(changed or "{}")}

    def accounts(self, org: str, page: Page) -> tuple[list[dict[str, Any]], int]:
        total = self.sql.execute("SELECT COUNT(*) AS n FROM books_accounts WHERE org = :org",
                            {"org": org}).scalar()
        rows = self.sql.execute(
            "SELECT * FROM books_accounts WHERE org = :org ORDER BY code "
            "LIMIT :limit OFFSET :offset",
            {"org": org, "limit": page.size, "offset": page.offset}).all()
        return rows, total

    def all_accounts(self, org: str) -> list[dict[str, Any]]:
        return self.sql.execute("SELECT * FROM books_accounts WHERE org = :org ORDER BY code",
                           {"org": org}).all()

    def account(self, org: str, code: str) -> dict[str, Any] | None:
        return self.sql.execute("SELECT * FROM books_accounts WHERE org = :org AND code = :code",
                           {"org": org, "code": code}).one()

    def vouchers(self, org: str, page: Page, *, period: str | None = None,
                 start: date | None = None, end: date | None = None,
                 ) -> tuple[list[dict[str, Any]], int]:
        where = ["org = :org"]
        params: dict[str, Any] = {"org": org}
        if period:
            where.append("period = :period")
            params["period"] = period
        if start:
            where.append("date >= :start")
            params["start"] = start.isoformat()
        if end:
            where.append("date <= :end")
            params["end"] = end.isoformat()
        condition = " AND ".join(where)
        total = self.sql.execute(f"SELECT COUNT(*) AS n FROM books_vouchers WHERE {condition}",
                            params).scalar()
        rows = self.sql.execute(
            f"SELECT {VOUCHER_COLUMNS} FROM books_vouchers WHERE {condition} "
            "ORDER BY date, seq LIMIT :limit OFFSET :offset",
            params | {"limit": page.size, "offset": page.offset}).all()
        self._attach_lines(self.sql, rows)
        return rows, total

    def voucher(self, org: str, ref: str) -> dict[str, Any] | None:
        column = "id" if len(ref) == 36 else "number"
        rows = self.sql.execute(
            f"SELECT {VOUCHER_COLUMNS} FROM books_vouchers "
            f"WHERE org = :org AND {column} = :ref", {"org": org, "ref": ref}).all()
        self._attach_lines(self.sql, rows)
        return rows[0] if rows else None

    @staticmethod
    def _attach_lines(sql: Any, vouchers: list[dict[str, Any]]) -> None:
        if not vouchers:
            return
        ids = {row["id"]: row for row in vouchers}
        params = {f"v{i}": vid for i, vid in enumerate(ids)}
        lines = sql.execute(
            "SELECT l.voucher_id, l.line_no, l.account, l.debit, l.credit, l.memo, p.party "
            "FROM books_lines l JOIN books_vouchers v ON v.id = l.voucher_id "
            "LEFT JOIN books_line_parties p ON p.org = v.org AND p.voucher = v.number "
            "AND p.line_no = l.line_no "
            f"WHERE l.voucher_id IN ({', '.join(':' + key for key in params)}) "
            "ORDER BY l.voucher_id, l.line_no", params).all()
        for row in vouchers:
            row["lines"] = []
            row["receipt_digests"] = json.loads(row["receipt_digests"])
        for line in lines:
            if line["party"] is None:
                del line["party"]  # a line with nobody named reads as it always did
            ids[line.pop("voucher_id")]["lines"].append(line)

    def sums(self, org: str, start: date, end: date) -> dict[str, Sums]:
        """Each leaf's figures over [start, end]: brought forward, debits, credits; read from
        the running totals (totals.py) at the day before `start` and at `end`."""
        before = self.account_totals(org, min(start - timedelta(days=1), end))
        after = self.account_totals(org, end)
        sums = {}
        for account, (debit, credit, closing) in after.items():
            debit_before, credit_before, closing_before = before.get(account, (0, 0, 0))
            sums[account] = Sums(debit_before - credit_before, debit - debit_before,
                                 credit - credit_before, closing - closing_before)
        return sums

    def account_totals(self, org: str, day: date) -> dict[str, tuple[int, int, int]]:
        """Each account's debits, credits and closing net debit with `as_of` <= `day`."""
        return totals.account_totals(self.sql, org, day)

    def party_totals(self, org: str, prefix: str, day: date,
                     ) -> dict[tuple[str, str], tuple[int, int]]:
        """Each (account, party) under `prefix`: debits and credits with `as_of` <= `day`."""
        return totals.party_totals(self.sql, org, prefix, day)

    def party_nets(self, org: str, prefix: str, start: date,
                   end: date) -> dict[tuple[str, str], tuple[int, int]]:
        """Each (leaf, party) of the accounts under `prefix` that named a party: its net debit
        brought into `start` and its net debit at `end`."""
        before = self.party_totals(org, prefix, min(start - timedelta(days=1), end))
        after = self.party_totals(org, prefix, end)
        nets = {}
        for key, (debit, credit) in after.items():
            debit_before, credit_before = before.get(key, (0, 0))
            nets[key] = (debit_before - credit_before, debit - credit)
        return nets

    def ledger_lines(self, org: str, account: str, start: date, end: date,
                     page: Page) -> tuple[list[dict[str, Any]], int]:
        """The lines of an account and its sub-accounts in [start, end], with the net debit
        accumulated within the range up to and including each line.

        A page reads only the lines up to its own last one, never the range's others: each
        account's lines come in the page's order from the index on (org, account, as_of, date,
        seq, line_no), and a parent's are merged from its accounts' streams (a compound SELECT
        ORDER BY ... LIMIT: SQLite's merge, PostgreSQL's Merge Append), so nothing sorts more
        than the lines up to the page's end; the count comes from the running totals. Page n
        thus costs n pages' lines (times the accounts, at worst), whatever the month holds."""
        # The account and those under it by name, so the index finds the range's lines of each:
        # a LIKE on the lines would walk every line the organization ever posted.
        codes = {f"a{i}": row["code"] for i, row in enumerate(self.sql.execute(
            "SELECT code FROM books_accounts WHERE org = :org AND code LIKE :prefix "
            "ORDER BY code", {"org": org, "prefix": account + "%"}).all())} or {"a0": account}
        params = {"org": org, **codes, "start": start.isoformat(), "end": end.isoformat(),
                  "reach": page.offset + page.size, "limit": page.size, "offset": page.offset}
        total = totals.line_count(self.sql, org, account, start, end)
        order = "as_of, date, seq, line_no"
        stream = ("SELECT as_of, date, seq, line_no, number, voucher_id, account, kind, memo, "
                  "debit, credit FROM books_lines WHERE org = :org AND account = :{key} "
                  "AND as_of >= :start AND as_of <= :end")
        if self.sql.postgres:
            # PostgreSQL merges LIMITed index scans (Merge Append); given bare ones it reads
            # and sorts every line of the range. SQLite merges bare ones without a sort, but
            # would sort each LIMITed one again.
            stream = f"SELECT * FROM ({stream} ORDER BY {order} LIMIT :reach) {{key}}"
        streams = " UNION ALL ".join(stream.format(key=key) for key in codes)
        rows = self.sql.execute(
            # The summary by a subquery of one row, not a join: SQLite's join probes the vouchers'
            # index a step more when an id is not its last, so a page's work would hang on ids.
            f"""SELECT l.date, l.number, l.voucher_id, l.line_no, l.account, l.kind,
                (SELECT v.summary FROM books_vouchers v WHERE v.id = l.voucher_id) AS summary,
                l.memo, l.debit, l.credit, l.accumulated
            FROM (SELECT m.*, SUM(m.debit - m.credit) OVER (ORDER BY {order}
                      ROWS UNBOUNDED PRECEDING) AS accumulated
                  FROM ({streams} ORDER BY {order} LIMIT :reach) m
                  ORDER BY {order} LIMIT :limit OFFSET :offset) l
            ORDER BY l.as_of, l.date, l.seq, l.line_no""", params).all()
        for row in rows:
            row["accumulated"] = int(row["accumulated"])
        return rows, total

    def party_balances(self, org: str, *, party: str | None = None,
                       on: date | None = None) -> list[dict[str, Any]]:
        """Each party's debits, credits and balance (net debit) by account, up to `on`, by the
        lines that name it; a reversal's negated lines take back what the original gave."""
        where, params = "p.org = :org", {"org": org}
        if party is not None:
            where += " AND p.party = :party"
            params["party"] = party
        if on is not None:
            where += " AND p.as_of <= :on"
            params["on"] = on.isoformat()
        rows = self.sql.execute(
            "SELECT p.party, p.account, a.name_zh AS account_name, SUM(p.debit) AS debit, "
            "SUM(p.credit) AS credit FROM books_line_parties p LEFT JOIN books_accounts a "
            f"ON a.org = p.org AND a.code = p.account WHERE {where} "
            "GROUP BY p.party, p.account, a.name_zh ORDER BY p.party, p.account", params).all()
        return [{"party": row["party"], "account": row["account"],
                 "account_name": row["account_name"] or "", "debit": int(row["debit"]),
                 "credit": int(row["credit"]), "balance": int(row["debit"]) - int(row["credit"])}
                for row in rows]

    def closures(self, org: str) -> list[dict[str, Any]]:
        return self.sql.execute("SELECT * FROM books_closures WHERE org = :org ORDER BY period",
                           {"org": org}).all()


class BooksQueries:
    """Opens readers on the books read model; a method called here reads in its own snapshot."""

    def __init__(self, view: BooksView) -> None:
        self.view = view

    @contextmanager
    def read(self) -> Iterator[BooksReader]:
        with self.view.sql() as sql:
            yield BooksReader(sql, self.view)

    def __getattr__(self, name: str) -> Any:
        method = getattr(BooksReader, name)

        def in_own_snapshot(*args: Any, **kwargs: Any) -> Any:
            with self.read() as reader:
                return method(reader, *args, **kwargs)

        return in_own_snapshot
