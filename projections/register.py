"""The register read model: the member roll, the share register and cooperative member accounts
and trade, kept as dated history so that the roll and the shares can be read as they stood on any
day. Every row is a function of the events alone (their fields and timestamps, never the clock),
and ID-card and phone numbers are held only in the sealed and masked forms the events carry.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from ledger.member_accounts import MemberAccount
from ledger.members import MemberRoll
from ledger.shares import ShareRegister
from ledger.trades import TradeBook
from projections.db import Handlers, ReadModel, Sql, ViewProjection, on_both_databases

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
        form TEXT NOT NULL, amount BIGINT NOT NULL, description TEXT NOT NULL,
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


def _when(event: Any) -> str:
    return event.timestamp.isoformat()


def _day(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def _insert(sql: Sql, table: str, **row: Any) -> None:
    sql.execute(f"INSERT INTO {table} ({', '.join(row)}) "
                f"VALUES ({', '.join(':' + name for name in row)})", row)


def _next_seq(sql: Sql, table: str, **key: Any) -> int:
    """The next number of a row under `key`, so a rebuild numbers them the same; MAX over the
    primary key's index, because a register's entries run to tens of thousands."""
    condition = " AND ".join(f"{name} = :{name}" for name in key)
    last = sql.execute(f"SELECT MAX(seq) AS n FROM {table} WHERE {condition}", key).scalar()
    return int(last or 0) + 1


def _opened(sql: Sql, e: Any, aggregate: str, ref: str) -> None:
    _insert(sql, "register_sources", id=str(e.originator_id), org=e.org, aggregate=aggregate,
            ref=ref, opened_at=_when(e), opened_by=e.actor)


def _source(sql: Sql, e: Any) -> dict[str, Any]:
    row = sql.execute("SELECT org, ref FROM register_sources WHERE id = :id",
                      {"id": str(e.originator_id)}).one()
    if row is None:
        raise LookupError(f"{type(e).__qualname__} of {e.originator_id}, never opened")
    return row


def _history(sql: Sql, e: Any, org: str, member: str, on: str, change: str,
             **detail: Any) -> None:
    _insert(sql, "register_member_history", org=org, member=member,
            seq=_next_seq(sql, "register_member_history", org=org, member=member),
            changed_on=on, change=change,
            detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
            recorded_at=_when(e), recorded_by=e.actor)


def _set_head(sql: Sql, org: str, household: str, head: str, on: str) -> None:
    _insert(sql, "register_heads", org=org, household=household,
            seq=_next_seq(sql, "register_heads", org=org, household=household), head=head,
            since_on=on)


def _headed_by(sql: Sql, org: str, member: str) -> list[str]:
    """The households `member` heads now, by the last head recorded for each, as the roll
    itself keeps it."""
    return [row["household"] for row in sql.execute(
        "SELECT h.household FROM register_heads h WHERE h.org = :org AND h.head = :member "
        "AND h.seq = (SELECT MAX(l.seq) FROM register_heads l WHERE l.org = h.org "
        "AND l.household = h.household) ORDER BY h.household",
        {"org": org, "member": member}).all()]


# -- the member roll ----------------------------------------------------------------------------


@HANDLERS.on(MemberRoll.Opened)
def _roll_opened(sql: Sql, e: MemberRoll.Opened, position: int) -> None:
    _opened(sql, e, "member_roll", e.kind)


@HANDLERS.on(MemberRoll.HouseholdRegistered)
def _household_registered(sql: Sql, e: MemberRoll.HouseholdRegistered, position: int) -> None:
    _insert(sql, "register_households", org=_source(sql, e)["org"], number=e.number,
            address=e.address, registered_on=e.on.isoformat(), recorded_at=_when(e),
            recorded_by=e.actor)


@HANDLERS.on(MemberRoll.MemberConfirmed)
def _member_confirmed(sql: Sql, e: MemberRoll.MemberConfirmed, position: int) -> None:
    org, on = _source(sql, e)["org"], e.on.isoformat()
    _insert(sql, "register_members", org=org, number=e.number, name=e.name, sex=e.sex,
            born=e.born.isoformat(), **{name: getattr(e, name) for name in PERSONAL},
            confirmed_on=on, basis=e.basis, resolution=e.resolution,
            resolution_date=_day(e.resolution_date), ended_on=None, ended_basis="",
            document="", end_resolution="", end_resolution_date=None)
    _insert(sql, "register_memberships", org=org, member=e.number, seq=1,
            household=e.household, since_on=on, until_on=None, reason=e.basis)
    if e.head:
        _set_head(sql, org, e.household, e.number, on)
    _history(sql, e, org, e.number, on, "confirmed", basis=e.basis, household=e.household,
             head=e.head, resolution=e.resolution, resolution_date=_day(e.resolution_date))


@HANDLERS.on(MemberRoll.MemberEnded)
def _member_ended(sql: Sql, e: MemberRoll.MemberEnded, position: int) -> None:
    org, on = _source(sql, e)["org"], e.on.isoformat()
    sql.execute("UPDATE register_members SET ended_on = :on, ended_basis = :basis, "
                "document = :document, end_resolution = :resolution, "
                "end_resolution_date = :resolution_date WHERE org = :org AND number = :number",
                {"on": on, "basis": e.basis, "document": e.document,
                 "resolution": e.resolution, "resolution_date": _day(e.resolution_date),
                 "org": org, "number": e.number})
    # A household loses its head with the head's membership, from the day it ends.
    for household in _headed_by(sql, org, e.number):
        _set_head(sql, org, household, "", on)
    _history(sql, e, org, e.number, on, "ended", basis=e.basis, document=e.document,
             resolution=e.resolution, resolution_date=_day(e.resolution_date))


@HANDLERS.on(MemberRoll.MemberMoved)
def _member_moved(sql: Sql, e: MemberRoll.MemberMoved, position: int) -> None:
    org, on = _source(sql, e)["org"], e.on.isoformat()
    seq = _next_seq(sql, "register_memberships", org=org, member=e.number)
    previous = sql.execute("SELECT household FROM register_memberships WHERE org = :org AND "
                           "member = :member AND seq = :seq",
                           {"org": org, "member": e.number, "seq": seq - 1}).scalar()
    sql.execute("UPDATE register_memberships SET until_on = :on WHERE org = :org AND "
                "member = :member AND seq = :seq",
                {"on": on, "org": org, "member": e.number, "seq": seq - 1})
    _insert(sql, "register_memberships", org=org, member=e.number, seq=seq,
            household=e.household, since_on=on, until_on=None, reason=e.reason)
    if previous in _headed_by(sql, org, e.number):
        _set_head(sql, org, previous, "", on)
    if e.head:
        _set_head(sql, org, e.household, e.number, on)
    _history(sql, e, org, e.number, on, "moved", household=e.household,
             from_household=previous, reason=e.reason, head=e.head)


@HANDLERS.on(MemberRoll.HouseholdHeadChanged)
def _head_changed(sql: Sql, e: MemberRoll.HouseholdHeadChanged, position: int) -> None:
    org, on = _source(sql, e)["org"], e.on.isoformat()
    _set_head(sql, org, e.household, e.head, on)
    _history(sql, e, org, e.head, on, "head", household=e.household)


@HANDLERS.on(MemberRoll.MemberDetailsCorrected)
def _details_corrected(sql: Sql, e: MemberRoll.MemberDetailsCorrected, position: int) -> None:
    org = _source(sql, e)["org"]
    # The keys become column names below: only the roll's own correctable fields pass.
    allowed = {"name", "sex", "born", *PERSONAL}
    changes = {name: value for name, value in sorted(e.changes.items()) if name in allowed}
    if changes:
        assignments = ", ".join(f"{name} = :{name}" for name in changes)
        sql.execute(f"UPDATE register_members SET {assignments} "
                    "WHERE org = :org AND number = :number",
                    {**changes, "org": org, "number": e.number})
    # A correction mends the record rather than changing the member, so it has no day of its
    # own: it is dated the day it was recorded, and lists which fields changed, never values.
    _history(sql, e, org, e.number, e.timestamp.date().isoformat(), "corrected",
             fields=sorted(e.changes), reason=e.reason)


# -- the share register ---------------------------------------------------------------------------


@HANDLERS.on(ShareRegister.Opened)
def _register_opened(sql: Sql, e: ShareRegister.Opened, position: int) -> None:
    _opened(sql, e, "share_register", "")
    _insert(sql, "register_share_registers", org=e.org, holding="", quantified_on=None,
            resolution="", resolution_date=None, quantified_at=None, quantified_by=None)


@HANDLERS.on(ShareRegister.ClassDefined)
def _class_defined(sql: Sql, e: ShareRegister.ClassDefined, position: int) -> None:
    org = _source(sql, e)["org"]
    _insert(sql, "register_share_classes", org=org, code=e.code,
            seq=_next_seq(sql, "register_share_classes", org=org), name_zh=e.name_zh,
            basis=e.basis, per_person=e.per_person, cap_percent=e.cap_percent)


def _entry(sql: Sql, org: str, on: str, holder: str, share_class: str, quantity: int,
           movement: int | None) -> None:
    _insert(sql, "register_share_entries", org=org,
            seq=_next_seq(sql, "register_share_entries", org=org), effective_on=on,
            holder=holder, share_class=share_class, quantity=quantity, movement=movement)


@HANDLERS.on(ShareRegister.Quantified)
def _quantified(sql: Sql, e: ShareRegister.Quantified, position: int) -> None:
    org, on = _source(sql, e)["org"], e.on.isoformat()
    sql.execute("UPDATE register_share_registers SET holding = :holding, quantified_on = :on, "
                "resolution = :resolution, resolution_date = :resolution_date, "
                "quantified_at = :at, quantified_by = :by WHERE org = :org",
                {"holding": e.holding, "on": on, "resolution": e.resolution,
                 "resolution_date": _day(e.resolution_date), "at": _when(e), "by": e.actor,
                 "org": org})
    first = _next_seq(sql, "register_share_entries", org=org)
    sql.executemany(
        "INSERT INTO register_share_entries VALUES (:org, :seq, :on, :holder, :share_class, "
        ":quantity, NULL)",
        [{"org": org, "seq": first + i, "on": on, "holder": str(row["holder"]),
          "share_class": str(row["share_class"]), "quantity": int(row["quantity"])}
         for i, row in enumerate(e.allocations)])


@HANDLERS.on(ShareRegister.Moved)
def _moved(sql: Sql, e: ShareRegister.Moved, position: int) -> None:
    org, on = _source(sql, e)["org"], e.on.isoformat()
    seq = _next_seq(sql, "register_share_movements", org=org)
    _insert(sql, "register_share_movements", org=org, seq=seq, kind=e.kind, moved_on=on,
            source=e.source, target=e.target, target_name=e.target_name,
            share_class=e.share_class, quantity=e.quantity, basis=e.basis, price=e.price,
            recorded_at=_when(e), recorded_by=e.actor)
    _entry(sql, org, on, e.source, e.share_class, -e.quantity, seq)
    _entry(sql, org, on, e.target, e.share_class, e.quantity, seq)
    if e.target_name:
        sql.execute("INSERT INTO register_outside_holders VALUES (:org, :holder, :name) "
                    "ON CONFLICT (org, holder) DO UPDATE SET name = excluded.name",
                    {"org": org, "holder": e.target, "name": e.target_name})


# -- cooperative member accounts and trade ------------------------------------------------------


@HANDLERS.on(MemberAccount.Opened)
def _account_opened(sql: Sql, e: MemberAccount.Opened, position: int) -> None:
    _opened(sql, e, "member_account", e.member)
    _insert(sql, "register_accounts", org=e.org, member=e.member, exit_notified=None,
            exit_effective=None, exit_document="")


@HANDLERS.on(MemberAccount.ContributionMade)
def _contribution(sql: Sql, e: MemberAccount.ContributionMade, position: int) -> None:
    source = _source(sql, e)
    org, member = source["org"], source["ref"]
    _insert(sql, "register_contributions", org=org, member=member,
            seq=_next_seq(sql, "register_contributions", org=org, member=member),
            made_on=e.on.isoformat(), form=e.form, amount=e.amount, description=e.description,
            voucher=e.voucher, recorded_at=_when(e), recorded_by=e.actor)


@HANDLERS.on(MemberAccount.ReserveShareQuantified)
def _reserve_share(sql: Sql, e: MemberAccount.ReserveShareQuantified, position: int) -> None:
    source = _source(sql, e)
    _insert(sql, "register_reserve_shares", org=source["org"], member=source["ref"],
            year=e.year, amount=e.amount, recorded_at=_when(e), recorded_by=e.actor)


@HANDLERS.on(MemberAccount.ExitNotified)
def _exit_notified(sql: Sql, e: MemberAccount.ExitNotified, position: int) -> None:
    source = _source(sql, e)
    sql.execute("UPDATE register_accounts SET exit_notified = :on, exit_effective = :effective, "
                "exit_document = :document WHERE org = :org AND member = :member",
                {"on": e.on.isoformat(), "effective": e.effective.isoformat(),
                 "document": e.document, "org": source["org"], "member": source["ref"]})


@HANDLERS.on(TradeBook.Opened)
def _trade_book_opened(sql: Sql, e: TradeBook.Opened, position: int) -> None:
    _opened(sql, e, "trade_book", str(e.year))


@HANDLERS.on(TradeBook.TradeRecorded)
def _trade(sql: Sql, e: TradeBook.TradeRecorded, position: int) -> None:
    source = _source(sql, e)
    org, year = source["org"], int(source["ref"])
    _insert(sql, "register_trades", org=org, year=year,
            seq=_next_seq(sql, "register_trades", org=org, year=year),
            traded_on=e.on.isoformat(), member=e.member, counterparty=e.counterparty,
            direction=e.direction, product=e.product, quantity=e.quantity, unit=e.unit,
            amount=e.amount, voucher=e.voucher, recorded_at=_when(e), recorded_by=e.actor)


class RegisterView(ReadModel):
    name: ClassVar[str] = "register"
    tables: ClassVar[tuple[str, ...]] = TABLES
    ddl: ClassVar[tuple[str, ...]] = DDL
    handlers: ClassVar[Handlers] = HANDLERS


class RegisterProjection(ViewProjection[RegisterView]):
    name = "register"
    views = on_both_databases(RegisterView)
