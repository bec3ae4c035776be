"""The share register projected as dated entries per holder and class, so that a movement
recorded later but dated earlier counts on its own day; and a cooperative's member accounts and
trade.
"""

from __future__ import annotations

from ledger.register import MemberAccount, ShareRegister, TradeBook
from projections.db import Sql
from projections.register.tables import (
    HANDLERS,
    insert,
    iso_day,
    next_seq,
    record_opened,
    source_of,
    when,
)

# -- the share register ---------------------------------------------------------------------------


@HANDLERS.on(ShareRegister.Opened)
def _register_opened(sql: Sql, e: ShareRegister.Opened, position: int) -> None:
    record_opened(sql, e, "share_register", "")
    insert(sql, "register_share_registers", org=e.org, holding="", quantified_on=None,
            resolution="", resolution_date=None, quantified_at=None, quantified_by=None)


@HANDLERS.on(ShareRegister.ClassDefined)
def _class_defined(sql: Sql, e: ShareRegister.ClassDefined, position: int) -> None:
    org = source_of(sql, e)["org"]
    insert(sql, "register_share_classes", org=org, code=e.code,
            seq=next_seq(sql, "register_share_classes", org=org), name_zh=e.name_zh,
            basis=e.basis, per_person=e.per_person, cap_percent=e.cap_percent)


def _entry(sql: Sql, org: str, on: str, holder: str, share_class: str, quantity: int,
           movement: int | None) -> None:
    insert(sql, "register_share_entries", org=org,
            seq=next_seq(sql, "register_share_entries", org=org), effective_on=on,
            holder=holder, share_class=share_class, quantity=quantity, movement=movement)


@HANDLERS.on(ShareRegister.Quantified)
def _quantified(sql: Sql, e: ShareRegister.Quantified, position: int) -> None:
    org, on = source_of(sql, e)["org"], e.on.isoformat()
    sql.execute("UPDATE register_share_registers SET holding = :holding, quantified_on = :on, "
                "resolution = :resolution, resolution_date = :resolution_date, "
                "quantified_at = :at, quantified_by = :by WHERE org = :org",
                {"holding": e.holding, "on": on, "resolution": e.resolution,
                 "resolution_date": iso_day(e.resolution_date), "at": when(e), "by": e.actor,
                 "org": org})
    first = next_seq(sql, "register_share_entries", org=org)
    sql.executemany(
        "INSERT INTO register_share_entries VALUES (:org, :seq, :on, :holder, :share_class, "
        ":quantity, NULL)",
        [{"org": org, "seq": first + i, "on": on, "holder": str(row["holder"]),
          "share_class": str(row["share_class"]), "quantity": int(row["quantity"])}
         for i, row in enumerate(e.allocations)])


@HANDLERS.on(ShareRegister.Moved)
def _moved(sql: Sql, e: ShareRegister.Moved, position: int) -> None:
    org, on = source_of(sql, e)["org"], e.on.isoformat()
    seq = next_seq(sql, "register_share_movements", org=org)
    insert(sql, "register_share_movements", org=org, seq=seq, kind=e.kind, moved_on=on,
            source=e.source, target=e.target, target_name=e.target_name,
            share_class=e.share_class, quantity=e.quantity, basis=e.basis, price=e.price,
            recorded_at=when(e), recorded_by=e.actor)
    _entry(sql, org, on, e.source, e.share_class, -e.quantity, seq)
    _entry(sql, org, on, e.target, e.share_class, e.quantity, seq)
    if e.target_name:
        sql.execute("INSERT INTO register_outside_holders VALUES (:org, :holder, :name) "
                    "ON CONFLICT (org, holder) DO UPDATE SET name = excluded.name",
                    {"org": org, "holder": e.target, "name": e.target_name})


# -- cooperative member accounts and trade ------------------------------------------------------


@HANDLERS.on(MemberAccount.Opened)
def _account_opened(sql: Sql, e: MemberAccount.Opened, position: int) -> None:
    record_opened(sql, e, "member_account", e.member)
    insert(sql, "register_accounts", org=e.org, member=e.member, exit_notified=None,
            exit_effective=None, exit_document="")


@HANDLERS.on(MemberAccount.ContributionMade)
def _contribution(sql: Sql, e: MemberAccount.ContributionMade, position: int) -> None:
    source = source_of(sql, e)
    org, member = source["org"], source["ref"]
    insert(sql, "register_contributions", org=org, member=member,
            seq=next_seq(sql, "register_contributions", org=org, member=member),
            made_on=e.on.isoformat(), form=e.form, amount=e.amount,
            share_capital=e.share_capital, account=e.account, description=e.description,
            voucher=e.voucher, recorded_at=when(e), recorded_by=e.actor)


@HANDLERS.on(MemberAccount.ReserveShareQuantified)
def _reserve_share(sql: Sql, e: MemberAccount.ReserveShareQuantified, position: int) -> None:
    source = source_of(sql, e)
    insert(sql, "register_reserve_shares", org=source["org"], member=source["ref"],
            year=e.year, amount=e.amount, recorded_at=when(e), recorded_by=e.actor)


@HANDLERS.on(MemberAccount.ExitNotified)
def _exit_notified(sql: Sql, e: MemberAccount.ExitNotified, position: int) -> None:
    source = source_of(sql, e)
    sql.execute("UPDATE register_accounts SET exit_notified = :on, exit_effective = :effective, "
                "exit_document = :document WHERE org = :org AND member = :member",
                {"on": e.on.isoformat(), "effective": e.effective.isoformat(),
                 "document": e.document, "org": source["org"], "member": source["ref"]})


@HANDLERS.on(TradeBook.Opened)
def _trade_book_opened(sql: Sql, e: TradeBook.Opened, position: int) -> None:
    record_opened(sql, e, "trade_book", str(e.year))


@HANDLERS.on(TradeBook.TradeRecorded)
def _trade(sql: Sql, e: TradeBook.TradeRecorded, position: int) -> None:
    source = source_of(sql, e)
    org, year = source["org"], int(source["ref"])
    insert(sql, "register_trades", org=org, year=year,
            seq=next_seq(sql, "register_trades", org=org, year=year),
            traded_on=e.on.isoformat(), member=e.member, counterparty=e.counterparty,
            direction=e.direction, product=e.product, quantity=e.quantity, unit=e.unit,
            amount=e.amount, voucher=e.voucher, recorded_at=when(e), recorded_by=e.actor)
