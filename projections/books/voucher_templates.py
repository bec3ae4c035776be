"""The saved voucher templates (常用凭证) as rows of the books read model, one per organization
and name, written from the events alone; a template saved again replaces its row, a dropped one
is deleted, so the rows are the templates the organization keeps now.
"""

from __future__ import annotations

import json
from typing import Any

from ledger.books import VoucherTemplates
from projections.db import Handlers, Sql

DDL = (
    """CREATE TABLE IF NOT EXISTS books_voucher_template_books (
        id TEXT PRIMARY KEY, org TEXT NOT NULL UNIQUE)""",
    """CREATE TABLE IF NOT EXISTS books_voucher_templates (
        org TEXT NOT NULL, name TEXT NOT NULL, summary TEXT NOT NULL, lines TEXT NOT NULL,
        saved_by TEXT NOT NULL, saved_at TEXT NOT NULL, PRIMARY KEY (org, name))""",
)
TABLES = ("books_voucher_template_books", "books_voucher_templates")

HANDLERS = Handlers()


def _org_of(sql: Sql, book_id: Any) -> str:
    org = sql.execute("SELECT org FROM books_voucher_template_books WHERE id = :id",
                      {"id": str(book_id)}).scalar()
    if org is None:
        raise LookupError(f"voucher templates {book_id} belong to no organization")
    return org


@HANDLERS.on(VoucherTemplates.Opened)
def _opened(sql: Sql, e: VoucherTemplates.Opened, position: int) -> None:
    sql.execute("INSERT INTO books_voucher_template_books VALUES (:id, :org)",
                {"id": str(e.originator_id), "org": e.org})


@HANDLERS.on(VoucherTemplates.Saved)
def _saved(sql: Sql, e: VoucherTemplates.Saved, position: int) -> None:
    org = _org_of(sql, e.originator_id)
    sql.execute("DELETE FROM books_voucher_templates WHERE org = :org AND name = :name",
                {"org": org, "name": e.name})
    sql.execute("INSERT INTO books_voucher_templates VALUES (:org, :name, :summary, :lines, "
                ":by, :at)", {"org": org, "name": e.name, "summary": e.summary,
                              "lines": json.dumps(e.lines, ensure_ascii=False),
                              "by": e.actor, "at": e.timestamp.isoformat()})


@HANDLERS.on(VoucherTemplates.Dropped)
def _dropped(sql: Sql, e: VoucherTemplates.Dropped, position: int) -> None:
    sql.execute("DELETE FROM books_voucher_templates WHERE org = :org AND name = :name",
                {"org": _org_of(sql, e.originator_id), "name": e.name})


def templates(sql: Sql, org: str) -> list[dict[str, Any]]:
    """The organization's templates by name, each with its lines as a list."""
    rows = sql.execute("SELECT name, summary, lines, saved_by, saved_at FROM "
                       "books_voucher_templates WHERE org = :org ORDER BY name",
                       {"org": org}).all()
    for row in rows:
        row["lines"] = json.loads(row["lines"])
    return rows
