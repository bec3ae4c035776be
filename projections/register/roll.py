"""The member roll projected: households, members and their heads, each change dated, with the
member's own history; ID-card and phone numbers only in the sealed and masked forms the events
carry.
"""

from __future__ import annotations

from ledger.register import MemberRoll
from projections.db import Sql
from projections.register.tables import (
    HANDLERS,
    PERSONAL,
    add_history,
    headed_by,
    insert,
    iso_day,
    next_seq,
    record_opened,
    set_head,
    source_of,
    when,
)

# -- the member roll ----------------------------------------------------------------------------


@HANDLERS.on(MemberRoll.Opened)
def _roll_opened(sql: Sql, e: MemberRoll.Opened, position: int) -> None:
    record_opened(sql, e, "member_roll", e.kind)


@HANDLERS.on(MemberRoll.HouseholdRegistered)
def _household_registered(sql: Sql, e: MemberRoll.HouseholdRegistered, position: int) -> None:
    insert(sql, "register_households", org=source_of(sql, e)["org"], number=e.number,
            address=e.address, registered_on=e.on.isoformat(), recorded_at=when(e),
            recorded_by=e.actor)


@HANDLERS.on(MemberRoll.MemberConfirmed)
def _member_confirmed(sql: Sql, e: MemberRoll.MemberConfirmed, position: int) -> None:
    org, on = source_of(sql, e)["org"], e.on.isoformat()
    insert(sql, "register_members", org=org, number=e.number, name=e.name, sex=e.sex,
            born=e.born.isoformat(), **{name: getattr(e, name) for name in PERSONAL},
            confirmed_on=on, basis=e.basis, resolution=e.resolution,
            resolution_date=iso_day(e.resolution_date), ended_on=None, ended_basis="",
            document="", end_resolution="", end_resolution_date=None)
    insert(sql, "register_memberships", org=org, member=e.number, seq=1,
            household=e.household, since_on=on, until_on=None, reason=e.basis)
    if e.head:
        set_head(sql, org, e.household, e.number, on)
    add_history(sql, e, org, e.number, on, "confirmed", basis=e.basis, household=e.household,
             head=e.head, resolution=e.resolution, resolution_date=iso_day(e.resolution_date))


@HANDLERS.on(MemberRoll.MemberEnded)
def _member_ended(sql: Sql, e: MemberRoll.MemberEnded, position: int) -> None:
    org, on = source_of(sql, e)["org"], e.on.isoformat()
    sql.execute("UPDATE register_members SET ended_on = :on, ended_basis = :basis, "
                "document = :document, end_resolution = :resolution, "
                "end_resolution_date = :resolution_date WHERE org = :org AND number = :number",
                {"on": on, "basis": e.basis, "document": e.document,
                 "resolution": e.resolution, "resolution_date": iso_day(e.resolution_date),
                 "org": org, "number": e.number})
    # A household loses its head with the head's membership, from the day it ends.
    for household in headed_by(sql, org, e.number):
        set_head(sql, org, household, "", on)
    add_history(sql, e, org, e.number, on, "ended", basis=e.basis, document=e.document,
             resolution=e.resolution, resolution_date=iso_day(e.resolution_date))


@HANDLERS.on(MemberRoll.MemberMoved)
def _member_moved(sql: Sql, e: MemberRoll.MemberMoved, position: int) -> None:
    org, on = source_of(sql, e)["org"], e.on.isoformat()
    seq = next_seq(sql, "register_memberships", org=org, member=e.number)
    previous = sql.execute("SELECT household FROM register_memberships WHERE org = :org AND "
                           "member = :member AND seq = :seq",
                           {"org": org, "member": e.number, "seq": seq - 1}).scalar()
    sql.execute("UPDATE register_memberships SET until_on = :on WHERE org = :org AND "
                "member = :member AND seq = :seq",
                {"on": on, "org": org, "member": e.number, "seq": seq - 1})
    insert(sql, "register_memberships", org=org, member=e.number, seq=seq,
            household=e.household, since_on=on, until_on=None, reason=e.reason)
    if previous in headed_by(sql, org, e.number):
        set_head(sql, org, previous, "", on)
    if e.head:
        set_head(sql, org, e.household, e.number, on)
    add_history(sql, e, org, e.number, on, "moved", household=e.household,
             from_household=previous, reason=e.reason, head=e.head)


@HANDLERS.on(MemberRoll.HouseholdHeadChanged)
def _head_changed(sql: Sql, e: MemberRoll.HouseholdHeadChanged, position: int) -> None:
    org, on = source_of(sql, e)["org"], e.on.isoformat()
    set_head(sql, org, e.household, e.head, on)
    add_history(sql, e, org, e.head, on, "head", household=e.household)


@HANDLERS.on(MemberRoll.MemberDetailsCorrected)
def _details_corrected(sql: Sql, e: MemberRoll.MemberDetailsCorrected, position: int) -> None:
    org = source_of(sql, e)["org"]
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
    add_history(sql, e, org, e.number, e.timestamp.date().isoformat(), "corrected",
             fields=sorted(e.changes), reason=e.reason)
