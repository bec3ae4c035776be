"""Importing the member roll and the initial shares from a spreadsheet: every row is checked by
the same rules as a single entry, every problem is reported with its row and column, and the
import is all or nothing, one atomic write, so a register is never half-imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ledger.books import Organization
from ledger.kernel.errors import LedgerError
from ledger.kernel.idempotency import RequestKey
from ledger.kernel.writing import Decision, Outcome
from ledger.register.base import RegisterBase, share_rules
from ledger.register.errors import ImportRejected, InvalidMember
from ledger.register.members import MemberRoll
from ledger.register.share_rules import ORG
from ledger.register.shares import ShareRegister

MAX_ROWS = 20_000


@dataclass(frozen=True)
class RollRow:
    """One spreadsheet row, its cells already read as values; `row` is the sheet's row number."""

    row: int
    household: str
    name: str
    sex: str
    born: date
    confirmed_on: date
    basis: str
    number: str = ""
    head: bool = False
    address: str = ""
    id_number: str = ""
    phone: str = ""
    resolution: str = ""
    resolution_date: date | None = None
    shares: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Quantification:
    on: date
    resolution: str
    resolution_date: date | None
    reserve: dict[str, int] = field(default_factory=dict)  # held by the organization


@dataclass(frozen=True)
class Problem:
    row: int  # 0: the import as a whole
    column: str
    reason: str


class ImportCommands(RegisterBase):
    def import_roll(self, org: str, *, rows: list[RollRow],
                    quantification: Quantification | None = None,
                    problems: list[Problem] | None = None, check_only: bool = False,
                    actor: str, request: RequestKey | None = None,
                    ) -> Outcome[MemberRoll] | MemberRoll:
        """`problems` found while reading the sheet are reported with the rules' own.

        With `check_only` every rule is applied and every problem reported, but nothing is
        written: the roll as it would be is returned, unsaved.
        """
        found_early = list(problems or ())
        if not rows and not found_early:
            raise ImportRejected("the sheet has no rows", rows=[])
        if len(rows) > MAX_ROWS:
            raise ImportRejected(f"at most {MAX_ROWS} rows at once", rows=[])

        def decide() -> Decision[MemberRoll]:
            found = list(found_early)
            organization = self.organization(org)
            roll = self.member_roll(org, actor)
            register = self.share_register(org, actor)
            known = self.id_numbers(roll)
            first_day, address = _households(rows, found)
            entered: list[tuple[RollRow, str]] = []
            for row in rows:
                try:
                    number = _enter(self, roll, row, first_day,
                                    address.get(row.household, ("", 0))[0], known, actor)
                except LedgerError as error:
                    found.append(Problem(row.row, error.field or "", error.message))
                    continue
                entered.append((row, number))
            if quantification is not None:
                found += _quantify(organization, roll, register, entered, quantification,
                                   actor)
            elif any(row.shares for row in rows):
                found.append(Problem(0, "quantified_on", "shares are imported with the date "
                                     "and resolution of their quantification"))
            if found:
                raise _rejected(found)
            return roll, [roll, register]

        if check_only:
            return decide()[0]
        return self.store.write(f"{org}/members", request, actor, decide)


def _households(rows: list[RollRow], found: list[Problem],
                ) -> tuple[dict[str, date], dict[str, tuple[str, int]]]:
    """Each household's first day on the sheet, and its address with the row that gave it; a
    household's rows may leave the address blank but may not disagree on it."""
    first_day: dict[str, date] = {}
    address: dict[str, tuple[str, int]] = {}
    for row in rows:
        first_day[row.household] = min(first_day.get(row.household, row.confirmed_on),
                                       row.confirmed_on)
        if not row.address:
            continue
        given, where = address.setdefault(row.household, (row.address, row.row))
        if given != row.address:
            found.append(Problem(row.row, "address", f"household {row.household}'s "
                                 f"address is {given} on row {where}"))
    return first_day, address


def _rejected(found: list[Problem]) -> ImportRejected:
    bad = len({p.row for p in found})
    return ImportRejected(
        f"nothing was imported: {len(found)} problem(s) in {bad} row(s)",
        rows=[{"row": p.row, "column": p.column, "reason": p.reason}
              for p in sorted(found, key=lambda p: (p.row, p.column))])


def _enter(app: RegisterBase, roll: MemberRoll, row: RollRow, first_day: dict[str, date],
           address: str, known: dict[str, str], actor: str) -> str:
    if roll.kind == "village_collective" and not row.household:
        raise InvalidMember("required", field="household")
    number = row.number or roll.next_member_number()
    if row.household and row.household not in roll.households:
        roll.register_household(number=row.household, on=first_day[row.household],
                                address=address, actor=actor)
    personal = app.sealed_personal_data(roll, id_number=row.id_number, phone=row.phone,
                                        born=row.born, sex=row.sex, known=known)
    roll.confirm(number=number, name=row.name, sex=row.sex, born=row.born,
                 household=row.household, head=row.head, on=row.confirmed_on, basis=row.basis,
                 resolution=row.resolution, resolution_date=row.resolution_date, actor=actor,
                 **personal)
    if row.id_number:
        known[row.id_number.strip().upper()] = number
    return number


def _quantify(organization: Organization, roll: MemberRoll, register: ShareRegister,
              entered: list[tuple[RollRow, str]], plan: Quantification,
              actor: str) -> list[Problem]:
    holding = organization.text_setting("share_holding")
    allocations: list[dict[str, Any]] = []
    origin: list[int] = []
    found: list[Problem] = []
    given: dict[tuple[str, str], int] = {}
    for row, number in entered:
        holder = f"household:{row.household}" if holding == "household" else f"member:{number}"
        for share_class, quantity in row.shares.items():
            column = f"share:{share_class}"
            if share_class not in register.classes:
                found.append(Problem(row.row, column, f"no share class {share_class}"))
            elif (holder, share_class) in given:
                # A frozen household's shares are written once, usually on the head's row.
                found.append(Problem(row.row, column, f"{holder}'s {share_class} shares are "
                                     f"on row {given[holder, share_class]} already"))
            elif quantity:
                given[holder, share_class] = row.row
                allocations.append({"holder": holder, "share_class": share_class,
                                    "quantity": quantity})
                origin.append(row.row)
    for share_class, quantity in plan.reserve.items():
        allocations.append({"holder": ORG, "share_class": share_class, "quantity": quantity})
        origin.append(0)
    if found:
        return found
    try:
        register.quantify(on=plan.on, holding=holding, allocations=allocations,
                          resolution=plan.resolution, resolution_date=plan.resolution_date,
                          roll=roll, rules=share_rules(organization), actor=actor)
    except LedgerError as error:
        where = error.field or ""
        if where.startswith("allocations["):
            index = int(where[len("allocations["):where.index("]")])
            share_class = allocations[index]["share_class"]
            return [Problem(origin[index], f"share:{share_class}", error.message)]
        return [Problem(0, where, error.message)]
    return []
