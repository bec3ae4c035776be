"""The share register (股权登记簿): the income rights quantified to households or members, by
class (人口股, 劳龄股, 集体股 …). Shares are established once, by the initial quantification;
afterwards every movement takes from one holder what it gives to another, so no movement can
create or destroy a share, and no holder's balance goes below zero on any day.

A household-held register is frozen (增人不增股、减人不减股): births and deaths move nothing. A
per-person register gives each new member the per-person classes from the reserve held by the
organization, and takes them back when membership ends.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from uuid import UUID

from ledger.kernel.aggregate import LedgerAggregate, stable_id
from ledger.kernel.topics import stored_as
from ledger.register.errors import InvalidShares, SharesStateError
from ledger.register.members import MemberRoll
from ledger.register.membership_rules import text
from ledger.register.share_rules import (
    MAX_QUANTITY,
    ORG,
    Rules,
    ShareClass,
    check_caps,
    check_direction,
    check_holder_cap,
    check_movement,
    check_outside_allowed,
    whole,
)

BASES = ("per_person", "labour", "collective", "other")
HOLDINGS = ("household", "person")
CLASS_CODE = re.compile(r"[a-z][a-z0-9_]{0,29}")


@stored_as("ledger.shares")
class ShareRegister(LedgerAggregate):
    class_version = 2  # of its snapshots: the second keeps the record dates of distributions

    @staticmethod
    def upcast_v1_v2(state: dict[str, object]) -> None:
        state["record_dates"] = {}  # snapshots taken before any distribution was posted

    class Opened(LedgerAggregate.Created):
        org: str

    class ClassDefined(LedgerAggregate.Event):
        code: str
        name_zh: str
        basis: str
        per_person: int
        cap_percent: int

        def apply(self, register: ShareRegister) -> None:
            register.classes[self.code] = ShareClass(
                self.code, self.name_zh, self.basis, self.per_person, self.cap_percent)

    class Quantified(LedgerAggregate.Event):
        on: date
        holding: str
        resolution: str
        resolution_date: date | None
        allocations: list[dict[str, str | int]]  # holder, share_class, quantity

        def apply(self, register: ShareRegister) -> None:
            register.quantified_on = self.on
            register.holding = self.holding
            for row in self.allocations:
                register._add(str(row["holder"]), str(row["share_class"]), self.on,
                              int(row["quantity"]))

    class Moved(LedgerAggregate.Event):
        kind: str
        on: date
        source: str
        target: str
        target_name: str  # an outside holder's name; "" otherwise
        share_class: str
        quantity: int
        basis: str  # what the movement rests on: a contract, a will, a resolution number
        price: int  # fen paid, for a buy-back or a paid transfer; 0 otherwise

        def apply(self, register: ShareRegister) -> None:
            register._add(self.source, self.share_class, self.on, -self.quantity)
            register._add(self.target, self.share_class, self.on, self.quantity)
            if self.target_name:
                register.outside_names[self.target] = self.target_name

    class RecordDateFixed(LedgerAggregate.Event):
        distribution: str
        on: date

        def apply(self, register: ShareRegister) -> None:
            register.record_dates[self.distribution] = self.on

    def __init__(self, org: str, actor: str) -> None:
        self.org = org
        self.classes: dict[str, ShareClass] = {}
        self.quantified_on: date | None = None
        self.holding = ""
        # holder -> class -> [(effective day, signed quantity)], nested so a snapshot is JSON.
        self.entries: dict[str, dict[str, list[tuple[date, int]]]] = {}
        self.outside_names: dict[str, str] = {}
        # The record dates of distributions posted: the register up to them is what was paid on.
        self.record_dates: dict[str, date] = {}

    @staticmethod
    def id_for(org: str) -> UUID:
        return stable_id("share-register", org)

    @classmethod
    def open(cls, *, org: str, actor: str) -> ShareRegister:
        return cls._create(cls.Opened, id=cls.id_for(org), org=org, actor=actor)

    # -- reading ------------------------------------------------------------------------------

    def balance(self, holder: str, share_class: str, on: date | None = None) -> int:
        return sum(q for day, q in self.entries.get(holder, {}).get(share_class, ())
                   if on is None or day <= on)

    def holdings(self, holder: str) -> dict[str, int]:
        return {c: self.balance(holder, c) for c in self.entries.get(holder, {})}

    def totals(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for by_class in self.entries.values():
            for share_class, moves in by_class.items():
                totals[share_class] = totals.get(share_class, 0) + sum(q for _, q in moves)
        return totals

    def _add(self, holder: str, share_class: str, on: date, quantity: int) -> None:
        self.entries.setdefault(holder, {}).setdefault(share_class, []).append((on, quantity))

    # -- commands -----------------------------------------------------------------------------

    def define_class(self, *, code: str, name_zh: str, basis: str, per_person: int,
                     cap_percent: int, actor: str) -> None:
        if self.quantified_on is not None:
            raise SharesStateError("the shares are quantified; classes are fixed with them",
                                   field="code")
        if not CLASS_CODE.fullmatch(code or ""):
            raise InvalidShares("lowercase letters, digits and _, starting with a letter",
                                field="code")
        if code in self.classes:
            raise SharesStateError(f"class {code} is defined", field="code")
        if basis not in BASES:
            raise InvalidShares(f"one of {', '.join(BASES)}", field="basis")
        if not whole(per_person, 0, 10_000) or (per_person and basis != "per_person"):
            raise InvalidShares("0–10000, and only for a per_person class", field="per_person")
        if not whole(cap_percent, 0, 100):
            raise InvalidShares("a whole percentage from 0 (no cap) to 100", field="cap_percent")
        self.trigger_event(self.ClassDefined, code=code, name_zh=text(name_zh, "name_zh",
                                                                      limit=20),
                           basis=basis, per_person=per_person, cap_percent=cap_percent,
                           actor=actor)

    def quantify(self, *, on: date, holding: str, allocations: list[dict[str, str | int]],
                 resolution: str, resolution_date: date | None, roll: MemberRoll,
                 rules: Rules, actor: str) -> None:
        """The initial quantification (股份量化), approved by the members' meeting."""
        if self.quantified_on is not None:
            raise SharesStateError(f"quantified on {self.quantified_on.isoformat()}; later "
                                   "changes are movements", field="allocations")
        if holding not in HOLDINGS:
            raise InvalidShares(f"one of {', '.join(HOLDINGS)}", field="holding")
        if not allocations:
            raise InvalidShares("at least one holding", field="allocations")
        resolution = text(resolution, "resolution", limit=50)
        if resolution_date is None:
            raise InvalidShares("the date of the members' meeting resolution",
                                field="resolution_date")
        seen: set[tuple[str, str]] = set()
        for i, row in enumerate(allocations):
            where = f"allocations[{i}]"
            holder, share_class = str(row.get("holder", "")), str(row.get("share_class", ""))
            if share_class not in self.classes:
                raise InvalidShares(f"no class {share_class}", field=f"{where}.share_class")
            if not whole(row.get("quantity"), 1, MAX_QUANTITY):
                raise InvalidShares("a whole number above zero", field=f"{where}.quantity")
            self._check_holder(holder, on, roll, holding, f"{where}.holder", outside_ok=False)
            if self.classes[share_class].basis == "collective" and holder != ORG:
                raise InvalidShares("the collective share is held by the organization",
                                    field=f"{where}.holder")
            if (holder, share_class) in seen:
                raise InvalidShares("listed twice", field=where)
            seen.add((holder, share_class))
        check_caps(self.classes, allocations, rules)
        self.trigger_event(self.Quantified, on=on, holding=holding, resolution=resolution,
                           resolution_date=resolution_date,
                           allocations=[{"holder": str(r["holder"]),
                                         "share_class": str(r["share_class"]),
                                         "quantity": int(r["quantity"])} for r in allocations],
                           actor=actor)

    def move(self, *, kind: str, on: date, source: str, target: str, share_class: str,
             quantity: int, basis: str, price: int = 0, target_name: str = "",
             roll: MemberRoll, rules: Rules, actor: str) -> None:
        self._check_quantified(on)
        check_movement(self.classes, kind=kind, source=source, target=target,
                       share_class=share_class, quantity=quantity, price=price)
        basis = text(basis, "basis", required=kind in ("transfer", "inheritance", "buy_back"))
        self._check_holder(source, on, roll, self.holding, "source", outside_ok=True,
                           must_be_active=False)
        check_direction(kind, source, target)
        outside = target.startswith("outside:")
        if outside and target not in self.outside_names and \
                target != f"outside:{len(self.outside_names) + 1}":
            raise InvalidShares(f"no outside holder {target}", field="target")
        if outside:
            check_outside_allowed(kind, rules)
            # An outside holder is named once, when first entered.
            target_name = "" if target in self.outside_names else text(
                target_name, "target_name", limit=50)
        else:
            target_name = ""
            self._check_holder(target, on, roll, self.holding, "target", outside_ok=False)
        if kind == "inheritance":
            self._check_estate(source, on, roll)
        available = self._lowest_from(source, share_class, on)
        if available < quantity:
            raise SharesStateError(
                f"{source} holds {available} {self.classes[share_class].name_zh} from "
                f"{on.isoformat()} on, fewer than {quantity}", field="quantity",
                holder=source, holds=available)
        if target != ORG:
            grand = sum(self.totals().values())
            held = sum(self.holdings(target).values()) + quantity
            check_holder_cap(target, held, grand, rules)
        self.trigger_event(self.Moved, kind=kind, on=on, source=source, target=target,
                           target_name=target_name, share_class=share_class, quantity=quantity,
                           basis=basis, price=price, actor=actor)

    def follow_member(self, number: str, *, on: date, joined: bool, roll: MemberRoll,
                      rules: Rules, actor: str) -> None:
        """A per-person register gives a new member the per-person classes from the reserve,
        and takes them back when membership ends; a household-held register moves nothing."""
        if self.holding != "person" or self.quantified_on is None or on < self.quantified_on:
            return
        holder = f"member:{number}"
        for share_class in self._per_person_classes():
            if joined:
                self.move(kind="allocation", on=on, source=ORG, target=holder,
                          share_class=share_class.code, quantity=share_class.per_person,
                          basis="", roll=roll, rules=rules, actor=actor)
                continue
            held = self._lowest_from(holder, share_class.code, on)
            if held:
                self.move(kind="return", on=on, source=holder, target=ORG,
                          share_class=share_class.code, quantity=held, basis="", roll=roll,
                          rules=rules, actor=actor)

    # -- rules --------------------------------------------------------------------------------

    def _per_person_classes(self) -> Iterable[ShareClass]:
        return [c for c in self.classes.values() if c.basis == "per_person" and c.per_person]

    def fix_record_date(self, *, distribution: str, on: date, actor: str) -> None:
        """A distribution was posted on the register as it stood on `on`: from now on no movement
        may be dated on or before that day."""
        self.trigger_event(self.RecordDateFixed, distribution=distribution, on=on, actor=actor)

    def _check_quantified(self, on: date) -> None:
        fixed = [(day, number) for number, day in self.record_dates.items()
                 if on <= day]
        if fixed:
            day, number = max(fixed)
            raise SharesStateError(
                f"distribution {number} was posted on the register as it stood on "
                f"{day.isoformat()}; a movement is dated after that day", field="on",
                distribution=number, record_date=day.isoformat())
        if self.quantified_on is None:
            raise SharesStateError("the shares are not quantified yet", field="on")
        if on < self.quantified_on:
            raise InvalidShares(f"before the quantification of "
                                f"{self.quantified_on.isoformat()}", field="on")

    def _lowest_from(self, holder: str, share_class: str, on: date) -> int:
        """The least the holder holds on any day from `on`, so a backdated movement never
        leaves a later day below zero."""
        moves = sorted(self.entries.get(holder, {}).get(share_class, ()))
        days = sorted({on, *(d for d, _ in moves if d >= on)})
        return min((sum(q for d, q in moves if d <= day) for day in days), default=0)

    def _check_holder(self, holder: str, on: date, roll: MemberRoll, holding: str,
                      field: str, *, outside_ok: bool, must_be_active: bool = True) -> None:
        if holder == ORG:
            return
        kind, _, ref = holder.partition(":")
        if kind == "outside" and outside_ok and holder in self.outside_names:
            return
        if kind == "household" and holding == "household":
            found = roll.households.get(ref)
            if found is not None and found.registered_on <= on:
                return
            raise InvalidShares(f"no household {ref} on {on.isoformat()}", field=field)
        if kind == "member" and holding == "person":
            person = roll.members.get(ref)
            if person is not None and (person.active_on(on) or not must_be_active):
                return
            raise InvalidShares(f"{ref} is not a member on {on.isoformat()}", field=field)
        expected = "household:<户号>" if holding == "household" else "member:<成员编号>"
        raise InvalidShares(f"{expected}, or org for the organization", field=field)

    def _check_estate(self, source: str, on: date, roll: MemberRoll) -> None:
        kind, _, ref = source.partition(":")
        if kind == "member":
            person = roll.members[ref]
            if person.ended_basis == "death" and person.ended_on is not None \
                    and person.ended_on <= on:
                return
        if kind == "household" and not roll.active_in(ref, on):
            return
        raise SharesStateError(
            "shares are inherited from a member who has died, or a household with no member "
            "left", field="source")
