"""Who holds what on a record date, and who is paid a holder's amount later.

Every class counts share for share. The organization's own holding counts only in the collective
class (集体股); what it holds of the other classes is the pool new members are given from, which
earns nothing. A member who has died or left since the record date is still the holder of that
day's amount; it is paid to the household the register last placed the member in.
"""

from __future__ import annotations

from datetime import date

from ledger.distribution.allocation import Holding, holder_order
from ledger.distribution.distributions import Distribution
from ledger.register import MemberRoll, ShareRegister

ORG = "org"
KINDS = {"household": "household", "member": "member", "outside": "outside"}


def holdings_on(register: ShareRegister, on: date) -> list[Holding]:
    """Each holder's shares of every class on `on`, holders with none left out."""
    found: list[Holding] = []
    for holder, by_class in register.entries.items():
        if holder == ORG:
            kind = "collective"
            classes = [c for c in by_class if register.classes[c].basis == "collective"]
        else:
            kind = KINDS.get(holder.partition(":")[0], "member")
            classes = list(by_class)
        shares = sum(register.balance(holder, c, on) for c in classes)
        if shares:
            found.append(Holding(holder, shares, kind))
    return found


def moved_since(register: ShareRegister, distribution: Distribution) -> list[str]:
    """The holders whose shares on the plan's record date are no longer the plan's: a movement
    recorded after the plan was drafted but dated on or before its record date. Each as
    "holder planned→now"; none for a plan that still matches the register."""
    now = {h.holder: h.shares for h in holdings_on(register, distribution.record_date)}
    planned = {str(line["holder"]): int(line["shares"]) for line in distribution.lines}
    if distribution.collective is not None:
        planned[str(distribution.collective["holder"])] = int(distribution.collective["shares"])
    return [f"{holder} {planned.get(holder, 0)}→{now.get(holder, 0)}"
            for holder in sorted(set(now) | set(planned))
            if planned.get(holder, 0) != now.get(holder, 0)]


def name_of(holder: str, roll: MemberRoll, register: ShareRegister) -> str:
    """The name a holder's line is read by: a household's head, a member, an outside heir."""
    kind, _, ref = holder.partition(":")
    if kind == "household":
        household = roll.households.get(ref)
        head = roll.members.get(household.head) if household and household.head else None
        return head.name if head is not None else ""
    if kind == "member":
        person = roll.members.get(ref)
        return person.name if person is not None else ""
    return register.outside_names.get(holder, "")


def household_members(holder: str, roll: MemberRoll) -> dict[str, str | int]:
    """For a household line with no head recorded, what it is read by instead: its first
    member in the register's order (by member number) and how many members it has, as the
    register stands at drafting (as a head's name is taken). Nothing for any other line, or a
    household with nobody left in it; a plan drafted before this was kept has neither key."""
    kind, _, ref = holder.partition(":")
    household = roll.households.get(ref) if kind == "household" else None
    if household is None or (household.head and household.head in roll.members):
        return {}
    numbers = sorted((p.number for p in roll.members.values()
                      if p.ended_on is None and p.household == ref), key=holder_order)
    if not numbers:
        return {}
    return {"first_member": roll.members[numbers[0]].name, "members": len(numbers)}


def payee_of(holder: str, roll: MemberRoll, distribution: Distribution) -> str:
    """Who receives the holder's amount: the holder, or for a member who has since died or
    left, the household the register last placed them in."""
    kind, _, ref = holder.partition(":")
    if kind != "member":
        return holder
    person = roll.members.get(ref)
    if person is None or person.ended_on is None or person.ended_on <= distribution.record_date:
        return holder
    return f"household:{person.household}" if person.household else holder
