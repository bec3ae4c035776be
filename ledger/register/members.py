"""The member roll (成员名册): households (户) and the people confirmed as members, each change
dated and with its basis. Membership begins and ends only for the reasons the law names; study,
military service, migrant work, divorce and imprisonment never end it (Art. 18).

ID-card and phone numbers arrive sealed (ledger/personal.py) with their masked form beside them,
so the roll can be shown to every reader without ever holding a number in the clear.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from ledger.kernel.aggregate import LedgerAggregate, stable_id
from ledger.kernel.topics import stored_as
from ledger.register.errors import (
    HouseholdNotFound,
    InvalidMember,
    MemberNotFound,
    MembershipNotEnded,
    MemberStateError,
)
from ledger.register.membership_rules import (
    CONFIRM_BASES,
    END_BASES,
    NEEDS_DOCUMENT,
    NEEDS_RESOLUTION,
    NOT_ENDING,
    SEXES,
    check_day,
    checked_resolution,
    text,
)


@dataclass
class Person:
    number: str
    name: str
    sex: str
    born: date
    id_sealed: str
    id_masked: str
    phone_sealed: str
    phone_masked: str
    household: str
    confirmed_on: date
    basis: str
    ended_on: date | None = None
    ended_basis: str = ""
    moves: list[tuple[date, str]] = field(default_factory=list)  # (from, household)

    def __deepcopy__(self, memo: dict[int, Any]) -> Person:
        # The repository copies the roll out of its cache for every command; every field but
        # the list of moves is immutable, so a shallow copy of each person is a deep one.
        twin = object.__new__(Person)
        twin.__dict__.update(self.__dict__, moves=list(self.moves))
        return twin

    def active_on(self, day: date) -> bool:
        return self.confirmed_on <= day and (self.ended_on is None or day < self.ended_on)

    def household_on(self, day: date) -> str:
        current = ""
        for since, household in sorted(self.moves):
            if since <= day:
                current = household
        return current


@dataclass
class Household:
    number: str
    registered_on: date
    address: str
    head: str = ""

    def __deepcopy__(self, memo: dict[int, Any]) -> Household:
        twin = object.__new__(Household)
        twin.__dict__.update(self.__dict__)  # its fields are immutable values
        return twin


@stored_as("ledger.members")
class MemberRoll(LedgerAggregate):
    class Opened(LedgerAggregate.Created):
        org: str
        kind: str

    class HouseholdRegistered(LedgerAggregate.Event):
        number: str
        on: date
        address: str

        def apply(self, roll: MemberRoll) -> None:
            roll.households[self.number] = Household(self.number, self.on, self.address)

    class MemberConfirmed(LedgerAggregate.Event):
        number: str
        name: str
        sex: str
        born: date
        id_sealed: str
        id_masked: str
        phone_sealed: str
        phone_masked: str
        household: str
        head: bool
        on: date
        basis: str
        resolution: str
        resolution_date: date | None

        def apply(self, roll: MemberRoll) -> None:
            roll.members[self.number] = Person(
                self.number, self.name, self.sex, self.born, self.id_sealed, self.id_masked,
                self.phone_sealed, self.phone_masked, self.household, self.on, self.basis,
                moves=[(self.on, self.household)])
            if self.head:
                roll.households[self.household].head = self.number

    class MemberEnded(LedgerAggregate.Event):
        number: str
        on: date
        basis: str
        document: str
        resolution: str
        resolution_date: date | None

        def apply(self, roll: MemberRoll) -> None:
            person = roll.members[self.number]
            person.ended_on = self.on
            person.ended_basis = self.basis
            for household in roll.households.values():
                if household.head == self.number:
                    household.head = ""

    class MemberMoved(LedgerAggregate.Event):
        number: str
        household: str
        on: date
        reason: str
        head: bool

        def apply(self, roll: MemberRoll) -> None:
            person = roll.members[self.number]
            old = roll.households.get(person.household)
            if old is not None and old.head == self.number:
                old.head = ""
            person.household = self.household
            person.moves.append((self.on, self.household))
            if self.head:
                roll.households[self.household].head = self.number

    class HouseholdHeadChanged(LedgerAggregate.Event):
        household: str
        head: str
        on: date

        def apply(self, roll: MemberRoll) -> None:
            roll.households[self.household].head = self.head

    class MemberDetailsCorrected(LedgerAggregate.Event):
        number: str
        changes: dict[str, str]
        reason: str

        def apply(self, roll: MemberRoll) -> None:
            person = roll.members[self.number]
            for name, value in self.changes.items():
                setattr(person, name, date.fromisoformat(value) if name == "born" else value)

    def __init__(self, org: str, kind: str, actor: str) -> None:
        self.org = org
        self.kind = kind
        self.households: dict[str, Household] = {}
        self.members: dict[str, Person] = {}

    @staticmethod
    def id_for(org: str) -> UUID:
        return stable_id("member-roll", org)

    @classmethod
    def open(cls, *, org: str, kind: str, actor: str) -> MemberRoll:
        return cls._create(cls.Opened, id=cls.id_for(org), org=org, kind=kind, actor=actor)

    # -- reading ------------------------------------------------------------------------------

    def member(self, number: str) -> Person:
        try:
            return self.members[number]
        except KeyError:
            raise MemberNotFound(f"no member {number}", member=number) from None

    def household(self, number: str) -> Household:
        try:
            return self.households[number]
        except KeyError:
            raise HouseholdNotFound(f"no household {number}", household=number) from None

    def active_in(self, household: str, day: date) -> list[str]:
        return [p.number for p in self.members.values()
                if p.active_on(day) and p.household_on(day) == household]

    def next_member_number(self) -> str:
        numbers = [int(n) for n in self.members if n.isdigit()]
        return f"{max(numbers, default=0) + 1:04d}"

    # -- commands -----------------------------------------------------------------------------

    def register_household(self, *, number: str, on: date, address: str, actor: str) -> None:
        number = text(number, "household", limit=20)
        if number in self.households:
            raise MemberStateError(f"household {number} is already registered",
                                   field="household", household=number)
        check_day(on, "registered_on")
        self.trigger_event(self.HouseholdRegistered, number=number, on=on,
                           address=text(address, "address", required=False), actor=actor)

    def confirm(self, *, number: str, name: str, sex: str, born: date, id_sealed: str,
                id_masked: str, phone_sealed: str, phone_masked: str, household: str,
                head: bool, on: date, basis: str, resolution: str,
                resolution_date: date | None, actor: str) -> None:
        number = text(number, "number", limit=20)
        if number in self.members:
            raise MemberStateError(f"member {number} is already on the roll", field="number",
                                   member=number)
        bases = CONFIRM_BASES[self.kind]
        if basis not in bases:
            raise InvalidMember(f"one of {', '.join(bases)}", field="basis")
        if sex not in SEXES:
            raise InvalidMember("female or male", field="sex")
        check_day(born, "born")
        check_day(on, "confirmed_on")
        if on < born:
            raise InvalidMember("confirmed before being born", field="confirmed_on")
        resolution = checked_resolution(basis in NEEDS_RESOLUTION, resolution, resolution_date)
        if self.kind == "village_collective" or household:
            self._check_household_open(household, on, "household")
        if head and self.households[household].head:
            raise MemberStateError(
                f"household {household} has a head, {self.households[household].head}; "
                "change the head instead", field="head", household=household)
        self.trigger_event(
            self.MemberConfirmed, number=number, name=text(name, "name", limit=50), sex=sex,
            born=born, id_sealed=id_sealed, id_masked=id_masked, phone_sealed=phone_sealed,
            phone_masked=phone_masked, household=household, head=head, on=on, basis=basis,
            resolution=resolution, resolution_date=resolution_date, actor=actor)

    def end(self, number: str, *, on: date, basis: str, document: str, resolution: str,
            resolution_date: date | None, actor: str) -> None:
        if basis in NOT_ENDING:
            raise MembershipNotEnded(
                f"{NOT_ENDING[basis]}不丧失成员身份（《农村集体经济组织法》第十八条）: "
                f"{basis.replace('_', ' ')} does not end membership", field="basis",
                basis=basis)
        bases = END_BASES[self.kind]
        if basis not in bases:
            raise InvalidMember(f"one of {', '.join(bases)}", field="basis")
        person = self.member(number)
        if person.ended_on is not None:
            raise MemberStateError(f"member {number} left on {person.ended_on.isoformat()}",
                                   member=number)
        check_day(on, "ended_on")
        if on < person.confirmed_on:
            raise InvalidMember("ends before it was confirmed", field="ended_on")
        document = text(document, "document", required=basis in NEEDS_DOCUMENT)
        resolution = checked_resolution(False, resolution, resolution_date)
        self.trigger_event(self.MemberEnded, number=number, on=on, basis=basis,
                           document=document, resolution=resolution,
                           resolution_date=resolution_date, actor=actor)

    def move(self, number: str, *, household: str, on: date, reason: str, head: bool,
             actor: str) -> None:
        person = self.member(number)
        if person.ended_on is not None:
            raise MemberStateError(f"member {number} is no longer a member", member=number)
        if household == person.household:
            raise MemberStateError(f"member {number} is in household {household} already",
                                   field="household")
        self._check_household_open(household, on, "household")
        if on < max(since for since, _ in person.moves):
            raise InvalidMember("before the member's last change of household", field="on")
        if head and self.households[household].head:
            raise MemberStateError(f"household {household} has a head", field="head")
        self.trigger_event(self.MemberMoved, number=number, household=household, on=on,
                           reason=text(reason, "reason"), head=head, actor=actor)

    def change_head(self, household: str, *, head: str, on: date, actor: str) -> None:
        self.household(household)
        person = self.member(head)
        if not person.active_on(on) or person.household != household:
            raise MemberStateError(f"member {head} is not a member of household {household}",
                                   field="head")
        self.trigger_event(self.HouseholdHeadChanged, household=household, head=head, on=on,
                           actor=actor)

    def correct(self, number: str, *, changes: dict[str, str], reason: str,
                actor: str) -> None:
        self.member(number)
        allowed = {"name", "sex", "born", "id_sealed", "id_masked", "phone_sealed",
                   "phone_masked"}
        if not changes or not set(changes) <= allowed:
            raise InvalidMember("name, sex, born, id_number or phone", field="changes")
        if "sex" in changes and changes["sex"] not in SEXES:
            raise InvalidMember("female or male", field="sex")
        if "name" in changes:
            changes = {**changes, "name": text(changes["name"], "name", limit=50)}
        self.trigger_event(self.MemberDetailsCorrected, number=number, changes=dict(changes),
                           reason=text(reason, "reason"), actor=actor)

    def _check_household_open(self, household: str, on: date, field_name: str) -> None:
        found = self.households.get(household)
        if found is None:
            raise HouseholdNotFound(f"no household {household}; register it first",
                                    field=field_name, household=household)
        if on < found.registered_on:
            raise InvalidMember(f"household {household} was registered on "
                                f"{found.registered_on.isoformat()}", field=field_name)
