"""The register read model's tables, and what every handler of it shares: each row is a function
of the events alone (their fields and timestamps, never the clock), every change dated, so that
the roll and the shares can be read as they stood on any day.
"""

from __future__ import annotations

import json
from typing import Any

from projections.db import Handlers, Sql

DDL = (
    # Each aggregate's first event names its organization; later ones carry only its id.
    """CREATE TABLE IF NOT EXISTS register_sources (
        id TEXT PRIMARY KEY, org TEXT NOT NULL, aggregate TEXT NOT NULL, ref TEXT NOT NULL,
        opened_at TEXT NOT NULL, opened_by TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS register_households (
        org TEXT NOT NULL, number TEXT NOT NULL, address TEXT NOT NULL,
        registered_on TEXT NOT NULL, recorded_at TEXT NOT NULL, recorded_by TEXT NOT NULL,
        PRIMARY KEY (org, number))""",
    """CREATE TABLE IF NOT EXISTS register_members (
        org TEXT NOT NULL, number TEXT NOT NULL, name TEXT NOT NULL, sex TEXT NOT NULL,
        born TEXT NOT NULL, id_sealed TEXT NOT NULL, id_masked TEXT NOT NULL,
        phone_sealed TEXT NOT NULL, phone_masked TEXT NOT NULL, confirmed_on TEXT NOT NULL,
        basis TEXT NOT NULL, resolution TEXT NOT NULL, resolution_date TEXT,
        ended_on TEXT, ended_basis TEXT NOT NULL, document TEXT NOT NULL,
        end_resolution TEXT NOT NULL, end_resolution_date TEXT, PRIMARY KEY (org, number))""",
    # A member's households, one interval [since_on, until_on) each; the last one stays open.
    """CREATE TABLE IF NOT EXISTS register_memberships (
        org TEXT NOT NULL, member TEXT NOT NULL, seq INTEGER NOT NULL, household TEXT NOT NULL,
        since_on TEXT NOT NULL, until_on TEXT, reason TEXT NOT NULL,
        PRIMARY KEY (org, member, seq))""",
    "CREATE INDEX IF NOT EXISTS register_memberships_by_household "
    "ON register_memberships (org, household)",
    # From since_on the household's head is `head` ("" for none), until a later row says else.
    """CREATE TABLE IF NOT EXISTS register_heads (
        org TEXT NOT NULL, household TEXT NOT NULL, seq INTEGER NOT NULL, head TEXT NOT NULL,
        since_on TEXT NOT NULL, PRIMARY KEY (org, household, seq))""",
    """CREATE TABLE IF NOT EXISTS register_member_history (
        org TEXT NOT NULL, member TEXT NOT NULL, seq INTEGER NOT NULL, changed_on TEXT NOT NULL,
        change TEXT NOT NULL, detail TEXT NOT NULL, recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL, PRIMARY KEY (org, member, seq))""",
    """CREATE TABLE IF NOT EXISTS register_share_registers (
        org TEXT PRIMARY KEY, holding TEXT NOT NULL, quantified_on TEXT,
        resolution TEXT NOT NULL, resolution_date TEXT, quantified_at TEXT, quantified_by TEXT)""",
    """CREATE TABLE IF NOT EXISTS register_share_classes (
        org TEXT NOT NULL, code TEXT NOT NULL, seq INTEGER NOT NULL, name_zh TEXT NOT NULL,
        basis TEXT NOT NULL, per_person INTEGER NOT NULL, cap_percent INTEGER NOT NULL,
        PRIMARY KEY (org, code))""",
    # Every change of a holding as a signed, dated row: the quantification's allocations
    # (movement NULL) and both legs of each movement. A balance on a day is a sum up to it.
    """CREATE TABLE IF NOT EXISTS register_share_entries (
        org TEXT NOT NULL, seq INTEGER NOT NULL, effective_on TEXT NOT NULL,
        holder TEXT NOT NULL, share_class TEXT NOT NULL, quantity BIGINT NOT NULL,
        movement INTEGER, PRIMARY KEY (org, seq))""",
    "CREATE INDEX IF NOT EXISTS register_share_entries_by_day "
    "ON register_share_entries (org, effective_on)",
    """CREATE TABLE IF NOT EXISTS register_share_movements (
        org TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, moved_on TEXT NOT NULL,
        source TEXT NOT NULL, target TEXT NOT NULL, target_name TEXT NOT NULL,
        share_class TEXT NOT NULL, quantity BIGINT NOT NULL, basis TEXT NOT NULL,
        price BIGINT NOT NULL, recorded_at TEXT NOT NULL, recorded_by TEXT NOT NULL,
        PRIMARY KEY (org, seq))""",
    """CREATE TABLE IF NOT EXISTS register_outside_holders (
        org TEXT NOT NULL, holder TEXT NOT NULL, name TEXT NOT NULL,
        PRIMARY KEY (org, holder))""",
    """CREATE TABLE IF NOT EXISTS register_accounts (
        org TEXT NOT NULL, member TEXT NOT NULL, exit_notified TEXT, exit_effective TEXT,
        exit_document TEXT NOT NULL, PRIMARY KEY (org, member))""",
    """CREATE TABLE IF NOT EXISTS register_contributions (
        org TEXT NOT NULL, member TEXT NOT NULL, seq INTEGER NOT NULL, made_on TEXT NOT NULL,
        form TEXT NOT NULL, amount BIGINT NOT NULL, share_capital BIGINT NOT NULL,
        account TEXT NOT NULL, description TEXT NOT NULL,
        voucher TEXT NOT NULL, recorded_at TEXT NOT NULL, recorded_by TEXT NOT NULL,
        PRIMARY KEY (org, member, seq))""",
    """CREATE TABLE IF NOT EXISTS register_reserve_shares (
        org TEXT NOT NULL, member TEXT NOT NULL, year INTEGER NOT NULL, amount BIGINT NOT NULL,
        recorded_at TEXT NOT NULL, recorded_by TEXT NOT NULL, PRIMARY KEY (org, member, year))""",
    """CREATE TABLE IF NOT EXISTS register_trades (
        org TEXT NOT NULL, year INTEGER NOT NULL, seq INTEGER NOT NULL, traded_on TEXT NOT NULL,
        member TEXT NOT NULL, counterparty TEXT NOT NULL, direction TEXT NOT NULL,
        product TEXT NOT NULL, quantity TEXT NOT NULL, unit TEXT NOT NULL,
        amount BIGINT NOT NULL, voucher TEXT NOT NULL, recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL, PRIMARY KEY (org, year, seq))""",
    "CREATE INDEX IF NOT EXISTS register_trades_by_member ON register_trades (org, member)",
)
TABLES = ("register_sources", "register_households", "register_members",
          "register_memberships", "register_heads", "register_member_history",
          "register_share_registers", "register_share_classes", "register_share_entries",
          "register_share_movements", "register_outside_holders", "register_accounts",
          "register_contributions", "register_reserve_shares", "register_trades")
PERSONAL = ("id_sealed", "id_masked", "phone_sealed", "phone_masked")
HANDLERS = Handlers()


def when(event: Any) -> str:
    return event.timestamp.isoformat()


def iso_day(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def insert(sql: Sql, table: str, **row: Any) -> None:
    sql.execute(f"INSERT INTO {table} ({', '.join(row)}) "
                f"VALUES ({', '.join(':' + name for name in row)})", row)


def next_seq(sql: Sql, table: str, **key: Any) -> int:
    """The next number of a row under `key`, so a rebuild numbers them the same; MAX over the
    primary key's index, because a register's entries run to tens of thousands."""
    condition = " AND ".join(f"{name} = :{name}" for name in key)
    last = sql.execute(f"SELECT MAX(seq) AS n FROM {table} WHERE {condition}", key).scalar()
    return int(last or 0) + 1


def record_opened(sql: Sql, e: Any, aggregate: str, ref: str) -> None:
    insert(sql, "register_sources", id=str(e.originator_id), org=e.org, aggregate=aggregate,
            ref=ref, opened_at=when(e), opened_by=e.actor)


def source_of(sql: Sql, e: Any) -> dict[str, Any]:
    row = sql.execute("SELECT org, ref FROM register_sources WHERE id = :id",
                      {"id": str(e.originator_id)}).one()
    if row is None:
        raise LookupError(f"{type(e).__qualname__} of {e.originator_id}, never opened")
    return row


def add_history(sql: Sql, e: Any, org: str, member: str, on: str, change: str,
             **detail: Any) -> None:
    insert(sql, "register_member_history", org=org, member=member,
            seq=next_seq(sql, "register_member_history", org=org, member=member),
            changed_on=on, change=change,
            detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
            recorded_at=when(e), recorded_by=e.actor)


def set_head(sql: Sql, org: str, household: str, head: str, on: str) -> None:
    insert(sql, "register_heads", org=org, household=household,
            seq=next_seq(sql, "register_heads", org=org, household=household), head=head,
            since_on=on)


def headed_by(sql: Sql, org: str, member: str) -> list[str]:
    """The households `member` heads now, by the last head recorded for each, as the roll
    itself keeps it."""
    return [row["household"] for row in sql.execute(
        "SELECT h.household FROM register_heads h WHERE h.org = :org AND h.head = :member "
        "AND h.seq = (SELECT MAX(l.seq) FROM register_heads l WHERE l.org = h.org "
        "AND l.household = h.household) ORDER BY h.household",
        {"org": org, "member": member}).all()]
