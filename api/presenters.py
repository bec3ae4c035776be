"""Turn aggregates (what a command returns) and read-model rows (what a query returns) into the
same response shapes, so a POST answers exactly what a later GET of the resource shows.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ledger.books import Books
from ledger.organizations import Organization
from ledger.periods import Period
from ledger.vouchers import Voucher


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
