"""Turn aggregates (what a command returns) and read-model rows (what a query returns) into the
same response shapes, so a POST answers exactly what a later GET of the resource shows.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ledger.books import Books, Organization, Period, RedFlag, Voucher
from ledger.spending import STOPPED, Grant, Matter, Receipt, SpendingRequest


def organization_from_aggregate(org: Organization) -> dict[str, Any]:
    return {"code": org.code, "name_zh": org.name_zh, "name_en": org.name_en, "kind": org.kind,
            "chart": org.chart, "books_start": org.books_start,
            "registered_by": org.registered_by, "closed_through": None, "closed_year": None}


def account_from_books(books: Books, code: str) -> dict[str, Any]:
    account = books.account(code)
    return {"code": account.code, "parent": account.parent, "level": account.level,
            "name_zh": account.name_zh, "name_en": account.name_en,
            "category": account.category, "normal_balance": account.normal_balance,
            "leaf": account.leaf, "closed": account.closed}


def account_from_row(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "leaf": bool(row["leaf"]), "closed": bool(row["closed"])}


def _line(line_no: int, line: dict[str, Any]) -> dict[str, Any]:
    # A line has one side; the other is shown as absent rather than as a zero amount.
    return {"line_no": line_no, "account": line["account"], "debit": line["debit"] or None,
            "credit": line["credit"] or None, "memo": line["memo"]}


def voucher_from_aggregate(voucher: Voucher) -> dict[str, Any]:
    return {
        "id": str(voucher.id), "number": voucher.number, "date": voucher.date,
        "period": str(Period.of(voucher.date)), "kind": voucher.kind,
        "summary": voucher.summary,
        "lines": [_line(i + 1, line) for i, line in enumerate(voucher.lines)],
        "debit_total": sum(line["debit"] for line in voucher.lines),
        "credit_total": sum(line["credit"] for line in voucher.lines),
        "attachments": voucher.attachments, "receipt_digests": voucher.receipt_digests,
        "reverses": voucher.reverses, "reason": voucher.reason,
        "reversed_by": voucher.reversed_by, "reversal_reason": voucher.reversal_reason,
        "posted_by": voucher.posted_by, "posted_at": voucher.created_on.isoformat(),
    }


def voucher_from_row(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "date": date.fromisoformat(row["date"]),
            "lines": [_line(line["line_no"], line) for line in row["lines"]]}


def organization_from_row(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "books_start": date.fromisoformat(row["books_start"])}


def period_closed(books: Books) -> dict[str, Any]:
    return {"period": books.closed_through, "closed_through": books.closed_through}


def year_closed(books: Books) -> dict[str, Any]:
    year = books.closed_year
    return {"year": year, "closed_through": books.closed_through,
            "closing_vouchers": books.closing_vouchers.get(str(year), [])}


def periods_from_rows(org: dict[str, Any], closures: list[dict[str, Any]]) -> dict[str, Any]:
    closed = org["closed_through"]
    next_open = Period.parse(closed).next() if closed else Period.parse(org["books_start"][:7])
    return {"closed_through": closed, "closed_year": org["closed_year"],
            "next_open": str(next_open),
            "closures": [{**c, "year_end": bool(c["year_end"])} for c in closures]}


# -- spending and income under democratic decision ----------------------------------------------
# A write answers from the aggregate; what only the read models keep (who proposed a matter, the
# payments charged to it or to a grant, who rejected a request, who raised a warning) is left
# out of a write's answer rather than guessed.

def matter_from_aggregate(matter: Matter) -> dict[str, Any]:
    stopped = matter.status == STOPPED
    last = len(matter.meetings) - 1
    return {
        "number": matter.number, "title": matter.title, "category": matter.category,
        "description": matter.description, "proposed_by": matter.proposed_by,
        "date": matter.date, "status": matter.status, "reserved": matter.reserved,
        "steps": matter.steps, "rules": matter.rules, "next_step": matter.next_step,
        "budget_total": matter.budget_total,
        "spent": matter.spent, "remaining": matter.remaining,
        "resolution_no": matter.resolution_no, "stop_reason": matter.stop_reason,
        "resolution_disclosure": matter.resolution_disclosure,
        "meetings": [{**meeting, "passed": not (stopped and i == last),
                      "reason": matter.stop_reason if stopped and i == last else ""}
                     for i, meeting in enumerate(matter.meetings)],
        "budget_lines": [{"no": i + 1, **line, "spent": spent,
                          "remaining": line["amount"] - spent}
                         for i, (line, spent) in enumerate(zip(matter.budget_lines,
                                                               matter.spent_by_line,
                                                               strict=True))],
    }


def spending_from_aggregate(spending: SpendingRequest) -> dict[str, Any]:
    paid = spending.paid or {}
    return {
        "number": spending.number, "date": spending.date, "payee": spending.payee,
        "purpose": spending.purpose, "amount": spending.amount, "account": spending.account,
        "fund_source": spending.fund_source, "grant": spending.grant, "matter": spending.matter,
        "receipt_count": spending.receipt_count, "receipt_digests": spending.receipt_digests,
        "level": spending.level, "needs": spending.needs, "approvals": spending.approvals,
        "status": spending.status, "closing_reason": spending.closing_reason,
        "requested_by": spending.requested_by,
        "requested_at": spending.created_on.isoformat(),
        "paid_voucher": paid.get("voucher"), "paid_date": paid.get("date"),
        "paid_amount": paid.get("amount"), "paid_from": paid.get("paid_from"),
    }


def receipt_from_aggregate(receipt: Receipt) -> dict[str, Any]:
    return {"number": receipt.number, "date": receipt.date, "category": receipt.category,
            "payer": receipt.payer, "amount": receipt.amount, "relates_to": receipt.relates_to,
            "account": receipt.account, "paid_into": receipt.paid_into,
            "voucher": receipt.voucher, "summary": receipt.summary,
            "issued_by": receipt.issued_by}


def grant_from_aggregate(grant: Grant) -> dict[str, Any]:
    return {"number": grant.number, "date": grant.date, "kind": grant.kind, "name": grant.name,
            "grantor": grant.grantor, "amount": grant.amount, "spent": grant.spent,
            "unspent": grant.unspent, "account": grant.account, "paid_into": grant.paid_into,
            "voucher": grant.voucher, "matter": grant.matter,
            "purpose_accounts": grant.purpose_accounts}


def warning_from_aggregate(flag: RedFlag) -> dict[str, Any]:
    return {"id": str(flag.id), "kind": flag.kind, "key": flag.key, "date": flag.date,
            "message": flag.message, "trigger": flag.trigger,
            "raised_at": flag.created_on.isoformat(),
            "acknowledgements": flag.acknowledgements,
            "acknowledged": bool(flag.acknowledgements)}
