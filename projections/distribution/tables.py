"""The year-end distributions as rows of the books read model: each plan with its figures, and a
row per holder with what the holder was given and when it was paid (for a household with no
head recorded, its first member and how many it has, when the plan's events hold them). A
cooperative's line also keeps the member's trade, weight, return by trade and remaining share
(NULL for a village's).

They are written in the books' own transaction, at its tracking position, because a disclosure
of a distribution is built from the books view alone, beside the statements of its year; every
row is a function of the events only.
"""

from __future__ import annotations

import json
from typing import Any

from ledger.distribution import PAID, Distribution
from projections.db import Handlers, Sql

DDL = (
    """CREATE TABLE IF NOT EXISTS books_distributions (
        id TEXT PRIMARY KEY, org TEXT NOT NULL, number TEXT NOT NULL, year INTEGER NOT NULL,
        record_date TEXT NOT NULL, matter TEXT NOT NULL, status TEXT NOT NULL,
        terms TEXT NOT NULL, figures TEXT NOT NULL, collective TEXT NOT NULL,
        holders INTEGER NOT NULL, voucher TEXT NOT NULL, posted_on TEXT,
        accounts TEXT NOT NULL, cancel_reason TEXT NOT NULL, plan_disclosure TEXT NOT NULL,
        plan_disclosed_on TEXT, result_disclosure TEXT NOT NULL, result_disclosed_on TEXT,
        drafted_by TEXT NOT NULL, drafted_at TEXT NOT NULL, UNIQUE (org, number))""",
    "CREATE INDEX IF NOT EXISTS books_distributions_by_year ON books_distributions (org, year)",
    """CREATE TABLE IF NOT EXISTS books_distribution_lines (
        distribution_id TEXT NOT NULL, seq INTEGER NOT NULL, org TEXT NOT NULL,
        holder TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, shares BIGINT NOT NULL,
        amount BIGINT NOT NULL, code TEXT NOT NULL, paid_voucher TEXT, paid_on TEXT,
        paid_from TEXT, payee TEXT, trade BIGINT, weight BIGINT, return_amount BIGINT,
        remaining BIGINT, first_member TEXT NOT NULL, members INTEGER NOT NULL,
        PRIMARY KEY (distribution_id, holder))""",
    """CREATE INDEX IF NOT EXISTS books_distribution_lines_in_order
        ON books_distribution_lines (distribution_id, seq)""",
    """CREATE INDEX IF NOT EXISTS books_distribution_lines_by_holder
        ON books_distribution_lines (org, holder)""",
)
# A cooperative line's extra keys (Art. 44) and the columns they are kept in.
COOPERATIVE_COLUMNS = (("trade", "trade"), ("weight", "weight"), ("return_amount", "return"),
                       ("remaining", "remaining"))
TABLES = ("books_distributions", "books_distribution_lines")
HANDLERS = Handlers()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _update(sql: Sql, e: Any, **columns: Any) -> None:
    assignments = ", ".join(f"{name} = :{name}" for name in columns)
    sql.execute(f"UPDATE books_distributions SET {assignments} WHERE id = :id",
                {**columns, "id": str(e.originator_id)})


@HANDLERS.on(Distribution.Drafted)
def _drafted(sql: Sql, e: Distribution.Drafted, position: int) -> None:
    did = str(e.originator_id)
    sql.execute(
        "INSERT INTO books_distributions (id, org, number, year, record_date, matter, status, "
        "terms, figures, collective, holders, voucher, posted_on, accounts, cancel_reason, "
        "plan_disclosure, plan_disclosed_on, result_disclosure, result_disclosed_on, "
        "drafted_by, drafted_at) VALUES (:id, :org, :number, :year, :record_date, :matter, "
        "'drafted', :terms, :figures, :collective, :holders, '', NULL, '{}', '', '', NULL, '', "
        "NULL, :drafted_by, :drafted_at)",
        {"id": did, "org": e.org, "number": e.number, "year": e.year,
         "record_date": e.record_date.isoformat(), "matter": e.matter, "terms": _json(e.terms),
         "figures": _json(e.figures), "collective": _json(e.collective),
         "holders": len(e.lines), "drafted_by": e.actor, "drafted_at": e.timestamp.isoformat()})
    sql.executemany(
        "INSERT INTO books_distribution_lines (distribution_id, seq, org, holder, kind, name, "
        "shares, amount, code, paid_voucher, paid_on, paid_from, payee, trade, weight, "
        "return_amount, remaining, first_member, members) VALUES (:distribution_id, :seq, :org, "
        ":holder, :kind, :name, :shares, :amount, :code, NULL, NULL, NULL, NULL, :trade, :weight, "
        ":return_amount, :remaining, :first_member, :members)",
        [{"distribution_id": did, "seq": i + 1, "org": e.org, "holder": line["holder"],
          "kind": line["kind"], "name": line.get("name", ""), "shares": int(line["shares"]),
          "amount": int(line["amount"]), "code": line.get("code", ""),
          # A headless household's first member and count; a plan drafted before they were
          # kept has neither, and reads as before (（户主未登记）).
          "first_member": line.get("first_member", ""), "members": int(line.get("members", 0)),
          **{column: None if line.get(key) is None else int(line[key])
             for column, key in COOPERATIVE_COLUMNS}}
         for i, line in enumerate(e.lines)])


@HANDLERS.on(Distribution.Cancelled)
def _cancelled(sql: Sql, e: Distribution.Cancelled, position: int) -> None:
    _update(sql, e, status="cancelled", cancel_reason=e.reason)


@HANDLERS.on(Distribution.Posted)
def _posted(sql: Sql, e: Distribution.Posted, position: int) -> None:
    _update(sql, e, status="posted", voucher=e.voucher, posted_on=e.date.isoformat(),
            accounts=_json(e.accounts))


@HANDLERS.on(Distribution.Disclosed)
def _disclosed(sql: Sql, e: Distribution.Disclosed, position: int) -> None:
    _update(sql, e, **{f"{e.stage}_disclosure": e.disclosure,
                       f"{e.stage}_disclosed_on": e.on.isoformat()})


@HANDLERS.on(Distribution.Paid)
def _paid(sql: Sql, e: Distribution.Paid, position: int) -> None:
    did = str(e.originator_id)
    sql.executemany(
        "UPDATE books_distribution_lines SET paid_voucher = :voucher, paid_on = :paid_on, "
        "paid_from = :paid_from, payee = :payee WHERE distribution_id = :id AND holder = :holder",
        [{"voucher": e.voucher, "paid_on": e.date.isoformat(), "paid_from": e.paid_from,
          "payee": str(paid["payee"]), "id": did, "holder": str(paid["holder"])}
         for paid in e.holders])
    unpaid = sql.execute(
        "SELECT COUNT(*) AS n FROM books_distribution_lines WHERE distribution_id = :id "
        "AND amount > 0 AND paid_voucher IS NULL", {"id": did}).scalar()
    if not unpaid:
        _update(sql, e, status=PAID)
