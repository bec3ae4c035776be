"""Questions asked of the books read model about year-end distributions: the plans of an
organization, one plan with every holder's line, one holder's line, the holders still unpaid, and
the line a household (or an outside heir) finds with its number and the short code on its
payment slip.

Amounts are int fen; holders come in the register's order (household 2 before household 10).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ledger.distribution import holder_order, lookup_key
from projections.books.view import BooksView
from projections.db import Sql

PLAN_KEYS = ("number", "year", "record_date", "matter", "status", "holders", "voucher",
             "posted_on", "cancel_reason", "plan_disclosure", "plan_disclosed_on",
             "result_disclosure", "result_disclosed_on", "drafted_by", "drafted_at")
LOOKED_UP = ("household", "outside", "member")
SURPLUS = "cooperative_surplus"  # a cooperative's plan: its members look their lines up too
LINE_KEYS = ("holder", "kind", "name", "shares", "amount", "paid_voucher", "paid_on",
             "paid_from", "payee", "first_member", "members")


def _plan(row: dict[str, Any]) -> dict[str, Any]:
    plan = {key: row[key] for key in PLAN_KEYS}
    for key in ("terms", "figures", "collective", "accounts"):
        plan[key] = json.loads(row[key])
    return plan


def _line(row: dict[str, Any], *, with_code: bool = False) -> dict[str, Any]:
    line = {key: row[key] for key in LINE_KEYS}
    line["paid"] = row["paid_voucher"] is not None
    if row.get("trade") is not None:  # a cooperative's member: what the surplus weighed (Art. 44)
        line.update(trade=row["trade"], weight=row["weight"], trade_return=row["return_amount"],
                    remaining=row["remaining"])
    if with_code:
        line["code"] = row["code"]
    return line


class DistributionReader:
    """Reads within one transaction, so every answer reflects the same position of the log."""

    def __init__(self, sql: Sql, view: BooksView) -> None:
        self.sql = sql
        self._view = view

    def position(self) -> int:
        return self._view.position_in(self.sql)

    def distributions(self, org: str, year: int | None = None) -> list[dict[str, Any]]:
        """Every plan of the organization (or of one year), newest first."""
        condition = "org = :org" + ("" if year is None else " AND year = :year")
        rows = self.sql.execute(
            f"SELECT * FROM books_distributions WHERE {condition} ORDER BY year DESC, "
            "number DESC", {"org": org, "year": year}).all()
        return [_plan(row) for row in rows]

    def distribution(self, org: str, number: str, *, with_codes: bool = False,
                     ) -> dict[str, Any] | None:
        """One plan with its figures and every holder's line, the paid and the unpaid totals."""
        row = self.sql.execute("SELECT * FROM books_distributions WHERE org = :org AND "
                               "number = :number", {"org": org, "number": number}).one()
        if row is None:
            return None
        plan = _plan(row)
        lines = [_line(line, with_code=with_codes) for line in self.sql.execute(
            "SELECT * FROM books_distribution_lines WHERE distribution_id = :id ORDER BY seq",
            {"id": row["id"]}).all()]
        lines.sort(key=lambda line: holder_order(line["holder"]))
        plan["lines"] = lines
        plan["paid_total"] = sum(line["amount"] for line in lines if line["paid"])
        plan["unpaid_total"] = sum(line["amount"] for line in lines if not line["paid"])
        plan["unpaid_holders"] = sum(1 for line in lines if not line["paid"] and line["amount"])
        return plan

    def holder(self, org: str, number: str, holder: str) -> dict[str, Any] | None:
        row = self.sql.execute(
            "SELECT l.* FROM books_distribution_lines l JOIN books_distributions d ON "
            "d.id = l.distribution_id WHERE d.org = :org AND d.number = :number AND "
            "l.holder = :holder", {"org": org, "number": number, "holder": holder}).one()
        return None if row is None else _line(row)

    def holder_history(self, org: str, holder: str) -> list[dict[str, Any]]:
        """Every distribution a holder had a line in, newest first, cancelled plans left out."""
        rows = self.sql.execute(
            "SELECT l.*, d.number, d.year, d.status FROM books_distribution_lines l JOIN "
            "books_distributions d ON d.id = l.distribution_id WHERE l.org = :org AND "
            "l.holder = :holder AND d.status <> 'cancelled' ORDER BY d.year DESC, d.number DESC",
            {"org": org, "holder": holder}).all()
        return [_line(row) | {"number": row["number"], "year": row["year"],
                              "status": row["status"]} for row in rows]

    def lookup(self, org: str, number: str, household: str, code: str,
               ) -> dict[str, Any] | None:
        """A household's own line, found by its number and the code on its payment slip; an
        outside heir's (外部继承人) by the number on theirs, the same way; a cooperative's
        member's, by the member's number. The number is read as the slip prints it or as typed
        (lookup_key: "1", "001" and "００１" alike), a number typed exactly as stored first.
        Only a line whose code matches is an answer, and none when two would (a household and
        an heir of the same number and code, in a plan drafted before codes were drawn apart)."""
        if not code:
            return None
        rows = self.sql.execute(
            "SELECT l.*, d.terms FROM books_distribution_lines l JOIN books_distributions d "
            "ON d.id = l.distribution_id WHERE d.org = :org AND d.number = :number AND "
            "l.code = :code AND d.status <> 'cancelled'",
            {"org": org, "number": number, "code": code}).all()
        typed = "".join(household.split())
        key = lookup_key(typed)
        found = [row for row in rows if _looked_up(row, key)]
        exact = [row for row in found if str(row["holder"]).partition(":")[2] == typed]
        chosen = exact if len(exact) == 1 else found
        return _line(chosen[0]) if len(chosen) == 1 else None


def _looked_up(row: dict[str, Any], key: str) -> bool:
    """A household's, an outside heir's or (in a cooperative's plan) a member's line whose
    number reads as `key`."""
    kind, _, ref = str(row["holder"]).partition(":")
    if kind == "member" and json.loads(row["terms"]).get("scheme") != SURPLUS:
        return False
    return kind in LOOKED_UP and lookup_key(ref) == key


class DistributionQueries:
    """Opens readers on the books read model; a method called here reads in its own snapshot."""

    def __init__(self, view: BooksView) -> None:
        self.view = view

    @contextmanager
    def read(self) -> Iterator[DistributionReader]:
        with self.view.sql() as sql:
            yield DistributionReader(sql, self.view)

    def __getattr__(self, name: str) -> Any:
        method = getattr(DistributionReader, name)

        def in_own_snapshot(*args: Any, **kwargs: Any) -> Any:
            with self.read() as reader:
                return method(reader, *args, **kwargs)

        return in_own_snapshot
