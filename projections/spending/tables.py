"""Spending and income under democratic decision, as rows of the books read model: matters (事项)
with their meetings and budget lines, spending requests (支出申请) with their approvals, receipts
(收款收据), earmarked grants (专项资金) and warnings (预警).

They are written in the books' own transaction, at its tracking position, because a disclosure's
lines show each payment's request, approvers and resolution and are rebuilt from the books view
alone; every row is a function of the events only (their fields and timestamps, never the clock).
"""

from __future__ import annotations

import json
from typing import Any

from ledger.books import RedFlag
from ledger.spending import (
    APPROVED,
    CARRIED_OUT,
    PAID,
    PASSED,
    PENDING,
    REJECTED,
    RESOLUTION_DISCLOSED,
    RESULT_DISCLOSED,
    STOPPED,
    WITHDRAWN,
    Grant,
    Matter,
    Receipt,
    SpendingRequest,
)
from projections.db import Handlers, Sql

DDL = (
    """CREATE TABLE IF NOT EXISTS books_matters (
        id TEXT PRIMARY KEY, org TEXT NOT NULL, number TEXT NOT NULL, date TEXT NOT NULL,
        title TEXT NOT NULL, category TEXT NOT NULL, description TEXT NOT NULL,
        proposed_by TEXT NOT NULL, proposed_by_login TEXT NOT NULL, proposed_at TEXT NOT NULL,
        status TEXT NOT NULL, reserved SMALLINT NOT NULL, steps TEXT NOT NULL,
        rules TEXT NOT NULL, budget_total BIGINT NOT NULL, resolution_no TEXT NOT NULL,
        stop_reason TEXT NOT NULL, resolution_disclosure TEXT NOT NULL,
        result_disclosure TEXT NOT NULL, carried_out_date TEXT, carried_out_summary TEXT NOT NULL,
        UNIQUE (org, number))""",
    "CREATE INDEX IF NOT EXISTS books_matters_by_status ON books_matters (org, status, date)",
    "CREATE INDEX IF NOT EXISTS books_matters_by_date ON books_matters (org, date, number)",
    """CREATE TABLE IF NOT EXISTS books_matter_meetings (
        matter_id TEXT NOT NULL, seq INTEGER NOT NULL, step TEXT NOT NULL, date TEXT NOT NULL,
        body TEXT NOT NULL, entitled INTEGER NOT NULL, present INTEGER NOT NULL,
        votes_for INTEGER NOT NULL, votes_against INTEGER NOT NULL, abstain INTEGER NOT NULL,
        minutes TEXT NOT NULL, passed SMALLINT NOT NULL, reason TEXT NOT NULL,
        recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL, PRIMARY KEY (matter_id, seq))""",
    # A cooperative's additional votes cast at a meeting (2017 Law Art. 22), apart so that a
    # village's meeting rows keep their shape.
    """CREATE TABLE IF NOT EXISTS books_meeting_additional_votes (
        matter_id TEXT NOT NULL, seq INTEGER NOT NULL, votes_for INTEGER NOT NULL,
        votes_against INTEGER NOT NULL, PRIMARY KEY (matter_id, seq))""",
    """CREATE TABLE IF NOT EXISTS books_budget_lines (
        matter_id TEXT NOT NULL, line_no INTEGER NOT NULL, account TEXT NOT NULL,
        item TEXT NOT NULL, amount BIGINT NOT NULL, PRIMARY KEY (matter_id, line_no))""",
    """CREATE TABLE IF NOT EXISTS books_matter_charges (
        matter_id TEXT NOT NULL, seq INTEGER NOT NULL, request TEXT NOT NULL,
        voucher TEXT NOT NULL, account TEXT NOT NULL, line_no INTEGER, amount BIGINT NOT NULL,
        PRIMARY KEY (matter_id, seq))""",
    """CREATE TABLE IF NOT EXISTS books_spending_requests (
        id TEXT PRIMARY KEY, org TEXT NOT NULL, number TEXT NOT NULL, date TEXT NOT NULL,
        payee TEXT NOT NULL, purpose TEXT NOT NULL, amount BIGINT NOT NULL,
        account TEXT NOT NULL, fund_source TEXT NOT NULL, grant_no TEXT, matter TEXT,
        receipt_count INTEGER NOT NULL, receipt_digests TEXT NOT NULL, level TEXT NOT NULL,
        needs TEXT NOT NULL, status TEXT NOT NULL, rejected_by TEXT NOT NULL,
        closing_reason TEXT NOT NULL, requested_by TEXT NOT NULL, requested_at TEXT NOT NULL,
        paid_voucher TEXT, paid_date TEXT, paid_amount BIGINT, paid_from TEXT,
        UNIQUE (org, number))""",
    """CREATE INDEX IF NOT EXISTS books_spending_by_status
        ON books_spending_requests (org, status, date)""",
    "CREATE INDEX IF NOT EXISTS books_spending_by_date ON books_spending_requests (org, date)",
    """CREATE INDEX IF NOT EXISTS books_spending_by_matter
        ON books_spending_requests (org, matter)""",
    """CREATE INDEX IF NOT EXISTS books_spending_by_voucher
        ON books_spending_requests (org, paid_voucher)""",
    """CREATE TABLE IF NOT EXISTS books_approvals (
        request_id TEXT NOT NULL, seq INTEGER NOT NULL, approver TEXT NOT NULL,
        role TEXT NOT NULL, note TEXT NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (request_id, seq))""",
    """CREATE TABLE IF NOT EXISTS books_receipts (
        id TEXT PRIMARY KEY, org TEXT NOT NULL, number TEXT NOT NULL, date TEXT NOT NULL,
        category TEXT NOT NULL, payer TEXT NOT NULL, amount BIGINT NOT NULL,
        relates_to TEXT NOT NULL, account TEXT NOT NULL, paid_into TEXT NOT NULL,
        voucher TEXT NOT NULL, summary TEXT NOT NULL, issued_by TEXT NOT NULL,
        issued_at TEXT NOT NULL, UNIQUE (org, number))""",
    "CREATE INDEX IF NOT EXISTS books_receipts_by_date ON books_receipts (org, date, number)",
    """CREATE TABLE IF NOT EXISTS books_grants (
        id TEXT PRIMARY KEY, org TEXT NOT NULL, number TEXT NOT NULL, date TEXT NOT NULL,
        kind TEXT NOT NULL, name TEXT NOT NULL, grantor TEXT NOT NULL, amount BIGINT NOT NULL,
        account TEXT NOT NULL, paid_into TEXT NOT NULL, voucher TEXT NOT NULL, matter TEXT,
        purpose_accounts TEXT NOT NULL, received_by TEXT NOT NULL, received_at TEXT NOT NULL,
        UNIQUE (org, number))""",
    "CREATE INDEX IF NOT EXISTS books_grants_by_date ON books_grants (org, date, number)",
    """CREATE TABLE IF NOT EXISTS books_grant_spending (
        grant_id TEXT NOT NULL, seq INTEGER NOT NULL, request TEXT NOT NULL,
        voucher TEXT NOT NULL, amount BIGINT NOT NULL, PRIMARY KEY (grant_id, seq))""",
    """CREATE TABLE IF NOT EXISTS books_warnings (
        id TEXT PRIMARY KEY, org TEXT NOT NULL, kind TEXT NOT NULL, ref_key TEXT NOT NULL,
        date TEXT NOT NULL, message TEXT NOT NULL, trigger_data TEXT NOT NULL,
        raised_by TEXT NOT NULL, raised_at TEXT NOT NULL, acks INTEGER NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS books_warnings_by_date ON books_warnings (org, date, kind)",
    "CREATE INDEX IF NOT EXISTS books_warnings_open ON books_warnings (org, acks, date)",
    """CREATE TABLE IF NOT EXISTS books_warning_acks (
        warning_id TEXT NOT NULL, seq INTEGER NOT NULL, acknowledged_by TEXT NOT NULL,
        reason TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (warning_id, seq))""",
)
TABLES = ("books_matters", "books_matter_meetings", "books_meeting_additional_votes",
          "books_budget_lines", "books_matter_charges",
          "books_spending_requests", "books_approvals", "books_receipts", "books_grants",
          "books_grant_spending", "books_warnings", "books_warning_acks")

HANDLERS = Handlers()
COUNTS = ("entitled", "present", "votes_for", "votes_against", "abstain")


def _when(event: Any) -> str:
    return event.timestamp.isoformat()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _insert(sql: Sql, table: str, **row: Any) -> None:
    sql.execute(f"INSERT INTO {table} ({', '.join(row)}) "
                f"VALUES ({', '.join(':' + name for name in row)})", row)


def _update(sql: Sql, table: str, e: Any, **columns: Any) -> None:
    assignments = ", ".join(f"{name} = :{name}" for name in columns)
    sql.execute(f"UPDATE {table} SET {assignments} WHERE id = :id",
                {**columns, "id": str(e.originator_id)})


def _next_seq(sql: Sql, table: str, parent: str, e: Any) -> int:
    """The next number of a child row: its parent's children so far, plus one."""
    count = sql.execute(f"SELECT COUNT(*) AS n FROM {table} WHERE {parent} = :id",
                        {"id": str(e.originator_id)}).scalar()
    return int(count or 0) + 1


# -- matters ------------------------------------------------------------------------------------


@HANDLERS.on(Matter.Proposed)
def _matter_proposed(sql: Sql, e: Matter.Proposed, position: int) -> None:
    mid = str(e.originator_id)
    _insert(sql, "books_matters", id=mid, org=e.org, number=e.number, date=e.date.isoformat(),
            title=e.title, category=e.category, description=e.description,
            proposed_by=e.proposed_by, proposed_by_login=e.actor, proposed_at=_when(e),
            status="proposed", reserved=int(e.reserved), steps=_json(e.steps),
            rules=_json(e.rules), budget_total=e.budget_total, resolution_no="",
            stop_reason="", resolution_disclosure="", result_disclosure="",
            carried_out_date=None, carried_out_summary="")
    for i, line in enumerate(e.budget_lines):
        _insert(sql, "books_budget_lines", matter_id=mid, line_no=i + 1,
                account=line["account"], item=line["item"], amount=line["amount"])


def _meeting(sql: Sql, e: Any, passed: bool, reason: str) -> None:
    meeting = e.meeting
    seq = _next_seq(sql, "books_matter_meetings", "matter_id", e)
    _insert(sql, "books_matter_meetings", matter_id=str(e.originator_id), seq=seq,
            step=meeting["step"], date=meeting["date"], body=meeting["body"],
            **{name: int(meeting[name]) for name in COUNTS},
            minutes=meeting.get("minutes", ""), passed=int(passed), reason=reason,
            recorded_by=e.actor, recorded_at=_when(e))
    if "additional_votes_for" in meeting:
        _insert(sql, "books_meeting_additional_votes", matter_id=str(e.originator_id), seq=seq,
                votes_for=int(meeting["additional_votes_for"]),
                votes_against=int(meeting["additional_votes_against"]))


@HANDLERS.on(Matter.Deliberated)
@HANDLERS.on(Matter.Reviewed)
@HANDLERS.on(Matter.Decided)
def _meeting_passed(sql: Sql, e: Any, position: int) -> None:
    _meeting(sql, e, True, "")
    _update(sql, "books_matters", e, status=PASSED[e.meeting["step"]],
            resolution_no=getattr(e, "resolution_no", ""))


@HANDLERS.on(Matter.Stopped)
def _matter_stopped(sql: Sql, e: Matter.Stopped, position: int) -> None:
    _meeting(sql, e, False, e.reason)
    _update(sql, "books_matters", e, status=STOPPED, stop_reason=e.reason)


@HANDLERS.on(Matter.Charged)
def _matter_charged(sql: Sql, e: Matter.Charged, position: int) -> None:
    _insert(sql, "books_matter_charges", matter_id=str(e.originator_id),
            seq=_next_seq(sql, "books_matter_charges", "matter_id", e), request=e.request,
            voucher=e.voucher, account=e.account,
            line_no=None if e.line is None else e.line + 1, amount=e.amount)


@HANDLERS.on(Matter.ResolutionDisclosed)
def _resolution_disclosed(sql: Sql, e: Matter.ResolutionDisclosed, position: int) -> None:
    _update(sql, "books_matters", e, status=RESOLUTION_DISCLOSED,
            resolution_disclosure=e.disclosure)


@HANDLERS.on(Matter.CarriedOut)
def _carried_out(sql: Sql, e: Matter.CarriedOut, position: int) -> None:
    _update(sql, "books_matters", e, status=CARRIED_OUT, carried_out_date=e.date.isoformat(),
            carried_out_summary=e.summary)


@HANDLERS.on(Matter.ResultDisclosed)
def _result_disclosed(sql: Sql, e: Matter.ResultDisclosed, position: int) -> None:
    _update(sql, "books_matters", e, status=RESULT_DISCLOSED, result_disclosure=e.disclosure)


# -- spending requests --------------------------------------------------------------------------


@HANDLERS.on(SpendingRequest.Requested)
def _requested(sql: Sql, e: SpendingRequest.Requested, position: int) -> None:
    _insert(sql, "books_spending_requests", id=str(e.originator_id), org=e.org,
            number=e.number, date=e.date.isoformat(), payee=e.payee, purpose=e.purpose,
            amount=e.amount, account=e.account, fund_source=e.fund_source, grant_no=e.grant,
            matter=e.matter, receipt_count=e.receipt_count,
            receipt_digests=_json(e.receipt_digests), level=e.level, needs=_json(e.needs),
            status=PENDING, rejected_by="", closing_reason="", requested_by=e.actor,
            requested_at=_when(e))


@HANDLERS.on(SpendingRequest.Approved)
def _approved(sql: Sql, e: SpendingRequest.Approved, position: int) -> None:
    rid = str(e.originator_id)
    _insert(sql, "books_approvals", request_id=rid,
            seq=_next_seq(sql, "books_approvals", "request_id", e), approver=e.actor,
            role=e.role, note=e.note, at=_when(e))
    needs = json.loads(sql.execute("SELECT needs FROM books_spending_requests WHERE id = :id",
                                   {"id": rid}).scalar())
    counts = {row["role"]: int(row["n"]) for row in sql.execute(
        "SELECT role, COUNT(*) AS n FROM books_approvals WHERE request_id = :id GROUP BY role",
        {"id": rid}).all()}
    if all(counts.get(role, 0) >= n for role, n in needs.items()):
        _update(sql, "books_spending_requests", e, status=APPROVED)


@HANDLERS.on(SpendingRequest.Rejected)
def _rejected(sql: Sql, e: SpendingRequest.Rejected, position: int) -> None:
    _update(sql, "books_spending_requests", e, status=REJECTED, rejected_by=e.actor,
            closing_reason=e.reason)


@HANDLERS.on(SpendingRequest.Withdrawn)
def _withdrawn(sql: Sql, e: SpendingRequest.Withdrawn, position: int) -> None:
    _update(sql, "books_spending_requests", e, status=WITHDRAWN, closing_reason=e.reason)


@HANDLERS.on(SpendingRequest.ReceiptsAttached)
def _receipts_attached(sql: Sql, e: SpendingRequest.ReceiptsAttached, position: int) -> None:
    row = sql.execute("SELECT receipt_count, receipt_digests FROM books_spending_requests "
                      "WHERE id = :id", {"id": str(e.originator_id)}).one()
    if row is None:
        raise LookupError(f"receipts attached to unknown request {e.originator_id}")
    _update(sql, "books_spending_requests", e, receipt_count=row["receipt_count"] + e.count,
            receipt_digests=_json(json.loads(row["receipt_digests"]) + list(e.digests)))


@HANDLERS.on(SpendingRequest.Paid)
def _paid(sql: Sql, e: SpendingRequest.Paid, position: int) -> None:
    _update(sql, "books_spending_requests", e, status=PAID, paid_voucher=e.voucher,
            paid_date=e.date.isoformat(), paid_amount=e.amount, paid_from=e.paid_from)


# -- income: receipts and grants; warnings ------------------------------------------------------


@HANDLERS.on(Receipt.Issued)
def _receipt_issued(sql: Sql, e: Receipt.Issued, position: int) -> None:
    _insert(sql, "books_receipts", id=str(e.originator_id), org=e.org, number=e.number,
            date=e.date.isoformat(), category=e.category, payer=e.payer, amount=e.amount,
            relates_to=e.relates_to, account=e.account, paid_into=e.paid_into,
            voucher=e.voucher, summary=e.summary, issued_by=e.actor, issued_at=_when(e))


@HANDLERS.on(Grant.Received)
def _grant_received(sql: Sql, e: Grant.Received, position: int) -> None:
    _insert(sql, "books_grants", id=str(e.originator_id), org=e.org, number=e.number,
            date=e.date.isoformat(), kind=e.kind, name=e.name, grantor=e.grantor,
            amount=e.amount, account=e.account, paid_into=e.paid_into, voucher=e.voucher,
            matter=e.matter, purpose_accounts=_json(e.purpose_accounts), received_by=e.actor,
            received_at=_when(e))


@HANDLERS.on(Grant.Spent)
def _grant_spent(sql: Sql, e: Grant.Spent, position: int) -> None:
    _insert(sql, "books_grant_spending", grant_id=str(e.originator_id),
            seq=_next_seq(sql, "books_grant_spending", "grant_id", e), request=e.request,
            voucher=e.voucher, amount=e.amount)


@HANDLERS.on(RedFlag.Raised)
def _warning_raised(sql: Sql, e: RedFlag.Raised, position: int) -> None:
    _insert(sql, "books_warnings", id=str(e.originator_id), org=e.org, kind=e.kind,
            ref_key=e.key, date=e.date.isoformat(), message=e.message,
            trigger_data=_json(e.trigger), raised_by=e.actor, raised_at=_when(e), acks=0)


@HANDLERS.on(RedFlag.Acknowledged)
def _warning_acknowledged(sql: Sql, e: RedFlag.Acknowledged, position: int) -> None:
    seq = _next_seq(sql, "books_warning_acks", "warning_id", e)
    _insert(sql, "books_warning_acks", warning_id=str(e.originator_id), seq=seq,
            acknowledged_by=e.actor, reason=e.reason, at=_when(e))
    _update(sql, "books_warnings", e, acks=seq)
