"""Questions asked of the books read model about spending and income under democratic decision:
matters and their budgets, spending requests and who approved them, receipts, grants, warnings.

Every answer is a plain function of the rows of one snapshot; amounts are int fen, and lists come
newest first with their total count. A list's rows are its single rows without their nested
lists (a matter's meetings, budget lines and payments; a grant's spending), except a request's
approvals and a warning's acknowledgements, which say where each one stands.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from projections.books.queries import Page
from projections.books.view import BooksView
from projections.db import Sql

Rows = tuple[list[dict[str, Any]], int]
SPENT = "COALESCE((SELECT SUM(c.amount) FROM {table} c WHERE c.{parent} = {alias}.id), 0)"
MATTERS = ("SELECT m.*, " + SPENT.format(table="books_matter_charges", parent="matter_id",
                                          alias="m") + " AS spent FROM books_matters m")
GRANTS = ("SELECT g.*, " + SPENT.format(table="books_grant_spending", parent="grant_id",
                                        alias="g") + " AS spent FROM books_grants g")
REQUESTS = (
    "SELECT r.*, a.name_zh AS account_name, m.title AS matter_title, m.resolution_no AS "
    "matter_resolution_no, g.name AS grant_name FROM books_spending_requests r "
    "LEFT JOIN books_accounts a ON a.org = r.org AND a.code = r.account "
    "LEFT JOIN books_matters m ON m.org = r.org AND m.number = r.matter "
    "LEFT JOIN books_grants g ON g.org = r.org AND g.number = r.grant_no")
MATTER_KEYS = ("number", "title", "category", "description", "proposed_by", "proposed_by_login",
               "date", "status", "budget_total", "resolution_no", "stop_reason",
               "resolution_disclosure", "result_disclosure", "carried_out_date",
               "carried_out_summary")
REQUEST_KEYS = ("number", "date", "payee", "purpose", "amount", "account", "account_name",
                "fund_source", "matter", "matter_title", "receipt_count", "level", "status",
                "rejected_by", "closing_reason", "requested_by", "requested_at", "paid_voucher",
                "paid_date", "paid_amount", "paid_from", "grant_name")
RECEIPT_KEYS = ("number", "date", "category", "payer", "amount", "relates_to", "account",
                "paid_into", "voucher", "summary", "issued_by")
GRANT_KEYS = ("number", "date", "kind", "name", "grantor", "amount", "account", "paid_into",
              "voucher", "matter")
NEWEST = "date DESC, number DESC"


def _where(org: str, alias: str = "", **filters: Any) -> tuple[str, dict[str, Any]]:
    """`org = :org AND column = :column ...` for the filters given (None leaves one out)."""
    given = {name: value for name, value in filters.items() if value is not None}
    condition = " AND ".join(f"{alias}{name} = :{name}" for name in ("org", *given))
    return condition, {"org": org, **given}


def _in(values: Iterable[str], prefix: str) -> tuple[str, dict[str, str]]:
    params = {f"{prefix}{i}": value for i, value in enumerate(values)}
    return ", ".join(":" + key for key in params) or "NULL", params


class SpendingReader:
    """Reads within one transaction, so every answer reflects the same position of the log."""

    def __init__(self, sql: Sql, view: BooksView) -> None:
        self.sql = sql
        self._view = view

    def position(self) -> int:
        return self._view.position_in(self.sql)

    def _page(self, select: str, table: str, condition: str, params: dict[str, Any],
              page: Page, order: str = NEWEST) -> Rows:
        """One page of `select` (a query over `table`) and the count of all its rows."""
        total = self.sql.execute(f"SELECT COUNT(*) AS n FROM {table} WHERE {condition}",
                                 params).scalar()
        rows = self.sql.execute(f"{select} WHERE {condition} ORDER BY {order} "
                                "LIMIT :limit OFFSET :offset",
                                params | {"limit": page.size, "offset": page.offset}).all()
        return rows, int(total or 0)

    # -- matters (事项) ---------------------------------------------------------------------

    def matters(self, org: str, page: Page, status: str | None = None) -> Rows:
        condition, params = _where(org, status=status)
        rows, total = self._page(MATTERS, "books_matters", condition, params, page)
        return [self._matter_row(row) for row in rows], total

    def matter(self, org: str, number: str) -> dict[str, Any] | None:
        row = self.sql.execute(f"{MATTERS} WHERE org = :org AND number = :number",
                               {"org": org, "number": number}).one()
        if row is None:
            return None
        matter = self._matter_row(row)
        meetings = self.sql.execute(
            "SELECT m.step, m.date, m.body, m.entitled, m.present, m.votes_for, "
            "m.votes_against, m.abstain, m.minutes, m.passed, m.reason, "
            "a.votes_for AS additional_votes_for, a.votes_against AS additional_votes_against "
            "FROM books_matter_meetings m LEFT JOIN books_meeting_additional_votes a "
            "ON a.matter_id = m.matter_id AND a.seq = m.seq WHERE m.matter_id = :id "
            "ORDER BY m.seq", {"id": row["id"]}).all()
        # A cooperative's additional votes (Art. 22) only where cast: a village's keys unchanged.
        matter["meetings"] = [
            {k: v for k, v in meeting.items() if v is not None or not k.startswith("additional")}
            | {"passed": bool(meeting["passed"])} for meeting in meetings]
        matter["budget_lines"] = self._budget_lines(row["id"])
        payments = self.sql.execute(
            "SELECT c.request, c.voucher, c.account, c.amount, v.date, r.payee "
            "FROM books_matter_charges c "
            "LEFT JOIN books_vouchers v ON v.org = :org AND v.number = c.voucher "
            "LEFT JOIN books_spending_requests r ON r.org = :org AND r.number = c.request "
            "WHERE c.matter_id = :id ORDER BY c.seq", {"org": org, "id": row["id"]}).all()
        matter["payments"] = [payment | {"amount": int(payment["amount"])}
                              for payment in payments]
        return matter

    def budget_vs_actual(self, org: str) -> list[dict[str, Any]]:
        """Each matter with a budget: what was decided against what was paid, line by line."""
        rows = self.sql.execute(f"{MATTERS} WHERE org = :org AND budget_total > 0 "
                                f"ORDER BY {NEWEST}", {"org": org}).all()
        return [{key: matter[key] for key in ("number", "title", "status", "budget_total",
                                              "spent", "remaining")}
                | {"lines": self._budget_lines(row["id"])}
                for row in rows for matter in [self._matter_row(row)]]

    def _budget_lines(self, matter_id: str) -> list[dict[str, Any]]:
        rows = self.sql.execute(
            "SELECT b.line_no, b.account, b.item, b.amount, COALESCE(SUM(c.amount), 0) AS spent "
            "FROM books_budget_lines b LEFT JOIN books_matter_charges c "
            "ON c.matter_id = b.matter_id AND c.line_no = b.line_no WHERE b.matter_id = :id "
            "GROUP BY b.line_no, b.account, b.item, b.amount ORDER BY b.line_no",
            {"id": matter_id}).all()
        return [{"no": row["line_no"], "account": row["account"], "item": row["item"],
                 "amount": int(row["amount"]), "spent": int(row["spent"]),
                 "remaining": int(row["amount"]) - int(row["spent"])} for row in rows]

    @staticmethod
    def _matter_row(row: dict[str, Any]) -> dict[str, Any]:
        spent = int(row["spent"])
        return {key: row[key] for key in MATTER_KEYS} | {
            "reserved": bool(row["reserved"]), "steps": json.loads(row["steps"]),
            "rules": json.loads(row["rules"]), "budget_total": int(row["budget_total"]),
            "spent": spent, "remaining": int(row["budget_total"]) - spent}

    # -- spending requests (支出申请) -------------------------------------------------------

    def spending_requests(self, org: str, page: Page, status: str | None = None,
                          matter: str | None = None) -> Rows:
        condition, params = _where(org, "r.", status=status, matter=matter)
        table = "books_spending_requests r"
        rows, total = self._page(f"SELECT r.id FROM {table}", table, condition, params, page,
                                 "r.date DESC, r.number DESC")
        listed, ids = _in([row["id"] for row in rows], "p")
        return self._requests(f"WHERE r.id IN ({listed}) ORDER BY r.date DESC, "
                              "r.number DESC", ids), total

    def spending_request(self, org: str, number: str) -> dict[str, Any] | None:
        rows = self._requests("WHERE r.org = :org AND r.number = :number",
                              {"org": org, "number": number})
        return rows[0] if rows else None

    def payment_of_voucher(self, org: str, voucher_number: str) -> dict[str, Any] | None:
        """The request the voucher paid, or None when it paid none."""
        return self.requests_paid_by(org, [voucher_number]).get(voucher_number)

    def requests_paid_by(self, org: str, vouchers: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The requests paid by these vouchers, by voucher number."""
        found: dict[str, dict[str, Any]] = {}
        numbers = sorted(set(vouchers))
        for start in range(0, len(numbers), 500):
            listed, params = _in(numbers[start:start + 500], "v")
            for row in self._requests(f"WHERE r.org = :org AND r.paid_voucher IN ({listed})",
                                      params | {"org": org}):
                found[row["paid_voucher"]] = row
        return found

    def pending_for(self, org: str, roles: set[str], login: str) -> list[dict[str, Any]]:
        """Pending requests that still need one of `roles`, and that `login` neither asked for
        nor approved already: an approver's to-do list, newest first, with what is missing."""
        rows = self._requests("WHERE r.org = :org AND r.status = 'pending' "
                              "ORDER BY r.date DESC, r.number DESC", {"org": org})
        todo = []
        for row in rows:
            counts = [approval["role"] for approval in row["approvals"]]
            missing = {role: n - counts.count(role) for role, n in row["needs"].items()
                       if counts.count(role) < n}
            if (set(missing) & roles and login != row["requested_by"]
                    and login not in {approval["by"] for approval in row["approvals"]}):
                todo.append(row | {"missing": missing})
        return todo

    def _requests(self, clause: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        rows = self.sql.execute(f"{REQUESTS} {clause}", params).all()
        if not rows:
            return []
        listed, ids = _in([row["id"] for row in rows], "r")
        approvals: dict[str, list[dict[str, Any]]] = {row["id"]: [] for row in rows}
        for approval in self.sql.execute(
                "SELECT request_id, approver, role, note, at FROM books_approvals "
                f"WHERE request_id IN ({listed}) ORDER BY request_id, seq", ids).all():
            approvals[approval["request_id"]].append(
                {"by": approval["approver"], "role": approval["role"],
                 "note": approval["note"], "at": approval["at"]})
        return [{key: row[key] for key in REQUEST_KEYS} | {
            "amount": int(row["amount"]), "grant": row["grant_no"],
            "resolution_no": row["matter_resolution_no"] or "",
            "receipt_digests": json.loads(row["receipt_digests"]),
            "needs": json.loads(row["needs"]), "approvals": approvals[row["id"]],
            "paid_amount": None if row["paid_amount"] is None else int(row["paid_amount"]),
        } for row in rows]

    # -- receipts (收款收据) and grants (专项资金) -----------------------------------------

    def receipts(self, org: str, page: Page, year: int | None = None) -> Rows:
        condition, params = _where(org)
        if year is not None:
            condition += " AND date >= :start AND date <= :end"
            params |= {"start": f"{year:04d}-01-01", "end": f"{year:04d}-12-31"}
        rows, total = self._page("SELECT * FROM books_receipts", "books_receipts", condition,
                                 params, page)
        return [self._receipt_row(row) for row in rows], total

    def receipt(self, org: str, number: str) -> dict[str, Any] | None:
        row = self.sql.execute("SELECT * FROM books_receipts WHERE org = :org AND "
                               "number = :number", {"org": org, "number": number}).one()
        return None if row is None else self._receipt_row(row)

    @staticmethod
    def _receipt_row(row: dict[str, Any]) -> dict[str, Any]:
        return {key: row[key] for key in RECEIPT_KEYS} | {"amount": int(row["amount"])}

    def grants(self, org: str, page: Page) -> Rows:
        condition, params = _where(org)
        rows, total = self._page(GRANTS, "books_grants", condition, params, page)
        return [self._grant_row(row) for row in rows], total

    def grant(self, org: str, number: str) -> dict[str, Any] | None:
        row = self.sql.execute(f"{GRANTS} WHERE org = :org AND number = :number",
                               {"org": org, "number": number}).one()
        if row is None:
            return None
        spending = self.sql.execute(
            "SELECT s.request, s.voucher, s.amount, v.date FROM books_grant_spending s "
            "LEFT JOIN books_vouchers v ON v.org = :org AND v.number = s.voucher "
            "WHERE s.grant_id = :id ORDER BY s.seq", {"org": org, "id": row["id"]}).all()
        return self._grant_row(row) | {"spending": [
            item | {"amount": int(item["amount"])} for item in spending]}

    @staticmethod
    def _grant_row(row: dict[str, Any]) -> dict[str, Any]:
        amount, spent = int(row["amount"]), int(row["spent"])
        return {key: row[key] for key in GRANT_KEYS} | {
            "amount": amount, "spent": spent, "unspent": amount - spent,
            "purpose_accounts": json.loads(row["purpose_accounts"])}

    # -- warnings (预警) --------------------------------------------------------------------

    def warnings(self, org: str, page: Page, open_only: bool = False,
                 kind: str | None = None, key: str | None = None) -> Rows:
        """`key`: those about one voucher or request (a posting's warnings are keyed by its
        voucher's number)."""
        condition, params = _where(org, kind=kind, ref_key=key)
        if open_only:
            condition += " AND acks = 0"
        rows, total = self._page("SELECT * FROM books_warnings", "books_warnings", condition,
                                 params, page, "date DESC, raised_at DESC, id")
        return self._warning_rows(rows), total

    def warning(self, org: str, id: str) -> dict[str, Any] | None:
        rows = self.sql.execute("SELECT * FROM books_warnings WHERE org = :org AND id = :id",
                                {"org": org, "id": id}).all()
        return self._warning_rows(rows)[0] if rows else None

    def _warning_rows(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        listed, ids = _in([row["id"] for row in rows], "w")
        acks: dict[str, list[dict[str, Any]]] = {row["id"]: [] for row in rows}
        for ack in self.sql.execute(
                "SELECT warning_id, acknowledged_by, reason, at FROM books_warning_acks "
                f"WHERE warning_id IN ({listed}) ORDER BY warning_id, seq", ids).all():
            acks[ack["warning_id"]].append({"by": ack["acknowledged_by"],
                                            "reason": ack["reason"], "at": ack["at"]})
        return [{"id": row["id"], "kind": row["kind"], "key": row["ref_key"],
                 "date": row["date"], "message": row["message"],
                 "trigger": json.loads(row["trigger_data"]), "raised_by": row["raised_by"],
                 "raised_at": row["raised_at"], "acknowledgements": acks[row["id"]],
                 "acknowledged": bool(acks[row["id"]])} for row in rows]


class SpendingQueries:
    """Opens readers on the books read model; a method called here reads in its own snapshot."""

    def __init__(self, view: BooksView) -> None:
        self.view = view

    @contextmanager
    def read(self) -> Iterator[SpendingReader]:
        with self.view.sql() as sql:
            yield SpendingReader(sql, self.view)

    def __getattr__(self, name: str) -> Any:
        method = getattr(SpendingReader, name)

        def in_own_snapshot(*args: Any, **kwargs: Any) -> Any:
            with self.read() as reader:
                return method(reader, *args, **kwargs)

        return in_own_snapshot
