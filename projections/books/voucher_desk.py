"""What the accountant's voucher pages ask of the books read model: the vouchers of a month found
by summary, account, amount or party; what lies behind a voucher (the spending request it paid,
the receipt it recorded); a voucher the same as one being posted; the months that have vouchers;
the saved templates. Every answer is a
plain function of the rows of one snapshot, amounts in int fen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from projections.books import voucher_templates
from projections.books.queries import Page
from projections.books.view import BooksView
from projections.db import Sql

LISTED = ("v.id, v.number, v.date, v.kind, v.summary, v.debit_total, v.attachments, "
          "v.reverses, v.reason, v.reversed_by, v.reversal_reason, v.posted_by, v.posted_at")


@dataclass(frozen=True)
class Search:
    """What the list is narrowed to; an empty part narrows nothing."""

    period: str = ""  # 2026-10
    summary: str = ""  # a part of the summary
    account: str = ""  # a code, sub-accounts included (513 finds 51301)
    amount: int | None = None  # fen: the voucher's total or any one line's amount
    party: str = ""  # member:0012, household:003, or a part of it
    parties: tuple[str, ...] = ()  # whom a typed name means, found in the register


def _where(org: str, search: Search) -> tuple[str, dict[str, Any]]:
    where, params = ["v.org = :org"], {"org": org}
    if search.period:
        where.append("v.period = :period")
        params["period"] = search.period
    if search.summary:
        where.append("v.summary LIKE :summary")
        params["summary"] = f"%{_escaped(search.summary)}%"
    if search.account:
        where.append("EXISTS (SELECT 1 FROM books_lines l WHERE l.voucher_id = v.id "
                     "AND l.account LIKE :account)")
        params["account"] = f"{_escaped(search.account)}%"
    if search.amount is not None:
        # A reversal's lines are negative; the amount found is the one written on paper.
        where.append("(ABS(v.debit_total) = :amount OR EXISTS (SELECT 1 FROM books_lines l "
                     "WHERE l.voucher_id = v.id AND (ABS(l.debit) = :amount "
                     "OR ABS(l.credit) = :amount)))")
        params["amount"] = search.amount
    if search.party or search.parties:
        # The code as typed (0012 finds member:0012), or any of those a name means.
        named = {f"party{i}": party for i, party in enumerate(search.parties)}
        either = ["p.party LIKE :party"] + ([f"p.party IN ({', '.join(':' + k for k in named)})"]
                                           if named else [])
        where.append("EXISTS (SELECT 1 FROM books_line_parties p WHERE p.org = v.org "
                     f"AND p.voucher = v.number AND ({' OR '.join(either)}))")
        params |= {"party": f"%{_escaped(search.party)}%" if search.party else "", **named}
    return " AND ".join(where), params


def _escaped(text: str) -> str:
    """The text without LIKE's wildcards, so that a typed % or _ cannot widen the search (both
    are rare in a summary, an account code or a party)."""
    return text.replace("%", "").replace("_", "")


class VoucherDeskQueries:
    """Opens a snapshot of the books read model per question."""

    def __init__(self, view: BooksView) -> None:
        self.view = view

    def vouchers(self, org: str, search: Search, page: Page) -> tuple[list[dict[str, Any]], int]:
        """The vouchers found, by date and number, a page of them, and how many in all."""
        condition, params = _where(org, search)
        with self.view.sql() as sql:
            total = sql.execute(f"SELECT COUNT(*) AS n FROM books_vouchers v WHERE {condition}",
                                params).scalar()
            rows = sql.execute(
                f"SELECT {LISTED} FROM books_vouchers v WHERE {condition} "
                "ORDER BY v.date, v.seq LIMIT :limit OFFSET :offset",
                params | {"limit": page.size, "offset": page.offset}).all()
        return rows, int(total)

    def months(self, org: str) -> list[str]:
        """The months that have vouchers, newest first."""
        with self.view.sql() as sql:
            rows = sql.execute("SELECT DISTINCT period FROM books_vouchers WHERE org = :org "
                               "ORDER BY period DESC", {"org": org}).all()
        return [row["period"] for row in rows]

    def standing_opening(self, org: str) -> str | None:
        """The number of the opening-balances voucher that stands unreversed, if any."""
        with self.view.sql() as sql:
            row = sql.execute("SELECT number FROM books_vouchers WHERE org = :org AND "
                              "kind = 'opening' AND reversed_by IS NULL", {"org": org}).one()
        return row["number"] if row else None

    def behind(self, org: str, number: str) -> dict[str, list[dict[str, Any]]]:
        """The spending requests this voucher paid, the receipts it recorded, and the
        distributions it posted or paid households of."""
        with self.view.sql() as sql:
            return _behind(sql, org, number)

    def twin(self, org: str, day: str, summary: str,
             lines: list[tuple[str, int, int]]) -> str | None:
        """A voucher standing in the books (not reversed) with this day, summary and the same
        lines (account, debit, credit, in any order): the number of the first, or None."""
        with self.view.sql() as sql:
            numbers = [row["number"] for row in sql.execute(
                "SELECT number FROM books_vouchers WHERE org = :org AND date = :day AND "
                "summary = :summary AND reversed_by IS NULL AND reverses IS NULL "
                "ORDER BY seq", {"org": org, "day": day, "summary": summary}).all()]
            for number in numbers:
                held = sql.execute(
                    "SELECT l.account, l.debit, l.credit FROM books_lines l JOIN books_vouchers "
                    "v ON v.id = l.voucher_id WHERE v.org = :org AND v.number = :number",
                    {"org": org, "number": number}).all()
                if sorted((r["account"], r["debit"], r["credit"]) for r in held) == sorted(lines):
                    return str(number)
        return None

    def templates(self, org: str) -> list[dict[str, Any]]:
        with self.view.sql() as sql:
            return voucher_templates.templates(sql, org)


def _behind(sql: Sql, org: str, number: str) -> dict[str, list[dict[str, Any]]]:
    requests = sql.execute(
        "SELECT number, payee, purpose, amount FROM books_spending_requests "
        "WHERE org = :org AND paid_voucher = :number ORDER BY number",
        {"org": org, "number": number}).all()
    receipts = sql.execute(
        "SELECT number, payer, amount, category FROM books_receipts "
        "WHERE org = :org AND voucher = :number ORDER BY number",
        {"org": org, "number": number}).all()
    distributions = sql.execute(
        "SELECT number FROM books_distributions d WHERE org = :org AND (voucher = :number OR "
        "EXISTS (SELECT 1 FROM books_distribution_lines l WHERE l.distribution_id = d.id "
        "AND l.paid_voucher = :number)) ORDER BY number", {"org": org, "number": number}).all()
    return {"requests": requests, "receipts": receipts, "distributions": distributions}
