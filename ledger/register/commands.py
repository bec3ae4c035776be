"""The commands of the member roll (成员名册) and the share register (股权登记簿): households and
members confirmed, ended, moved and corrected, share classes, the quantification and every
movement of shares. A change of membership and the share movement it causes under a per-person
register are one atomic write.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ledger.kernel.idempotency import RequestKey
from ledger.kernel.personal import SealedDataError, id_number_problem
from ledger.kernel.writing import Decision, Outcome
from ledger.register.base import share_rules
from ledger.register.cooperative_commands import CooperativeCommands
from ledger.register.corrections import changed_details
from ledger.register.errors import InvalidMember
from ledger.register.importing import ImportCommands
from ledger.register.members import MemberRoll
from ledger.register.shares import ShareRegister


class RegisterCommands(CooperativeCommands, ImportCommands):
    """Every command of the register, over the dependencies of `RegisterBase`."""

    def register_household(self, org: str, *, number: str, on: date,
                           address: str = "", actor: str,
                           request: RequestKey | None = None) -> Outcome[MemberRoll]:
        def decide() -> Decision[MemberRoll]:
            roll = self.member_roll(org, actor)
            roll.register_household(number=number, on=on, address=address, actor=actor)
            return roll, [roll]

        return self.store.write(f"{org}/members", request, actor, decide)

    def confirm_member(
        self, org: str, *, name: str, sex: str, born: date, household: str,
        on: date, basis: str, number: str = "", head: bool = False, id_number: str = "",
        phone: str = "", resolution: str = "", resolution_date: date | None = None,
        actor: str, request: RequestKey | None = None,
    ) -> Outcome[MemberRoll]:
        def decide() -> Decision[MemberRoll]:
            organization = self.organization(org)
            roll = self.member_roll(org, actor)
            register = self.share_register(org, actor)
            given = number.strip() or roll.next_member_number()
            personal = self.sealed_personal_data(roll, id_number=id_number, phone=phone,
                                                 born=born, sex=sex)
            roll.confirm(number=given, name=name, sex=sex, born=born, household=household,
                         head=head, on=on, basis=basis, resolution=resolution,
                         resolution_date=resolution_date, actor=actor, **personal)
            register.follow_member(given, on=on, joined=True, roll=roll,
                                   rules=share_rules(organization), actor=actor)
            return roll, [roll, register]

        return self.store.write(f"{org}/members", request, actor, decide)

    def end_membership(
        self, org: str, number: str, *, on: date, basis: str,
        document: str = "", resolution: str = "", resolution_date: date | None = None,
        actor: str, request: RequestKey | None = None,
    ) -> Outcome[MemberRoll]:
        def decide() -> Decision[MemberRoll]:
            organization = self.organization(org)
            roll = self.member_roll(org, actor)
            register = self.share_register(org, actor)
            roll.end(number, on=on, basis=basis, document=document, resolution=resolution,
                     resolution_date=resolution_date, actor=actor)
            register.follow_member(number, on=on, joined=False, roll=roll,
                                   rules=share_rules(organization), actor=actor)
            return roll, [roll, register]

        return self.store.write(f"{org}/members", request, actor, decide)

    def move_member(self, org: str, number: str, *, household: str, on: date,
                    reason: str, head: bool = False, actor: str,
                    request: RequestKey | None = None) -> Outcome[MemberRoll]:
        def decide() -> Decision[MemberRoll]:
            roll = self.member_roll(org, actor)
            roll.move(number, household=household, on=on, reason=reason, head=head,
                      actor=actor)
            return roll, [roll]

        return self.store.write(f"{org}/members", request, actor, decide)

    def change_household_head(self, org: str, household: str, *, head: str,
                              on: date, actor: str,
                              request: RequestKey | None = None) -> Outcome[MemberRoll]:
        def decide() -> Decision[MemberRoll]:
            roll = self.member_roll(org, actor)
            roll.change_head(household, head=head, on=on, actor=actor)
            return roll, [roll]

        return self.store.write(f"{org}/members", request, actor, decide)

    def correct_member(self, org: str, number: str, *, reason: str,
                       actor: str, name: str | None = None, sex: str | None = None,
                       born: date | None = None, id_number: str | None = None,
                       phone: str | None = None,
                       request: RequestKey | None = None) -> Outcome[MemberRoll]:
        """Correct the details given (None: not corrected), whatever the roll holds now."""
        def decide() -> Decision[MemberRoll]:
            roll = self.member_roll(org, actor)
            self._correct(roll, number, reason=reason, name=name, sex=sex, born=born,
                          id_number=id_number, phone=phone, actor=actor)
            return roll, [roll]

        return self.store.write(f"{org}/members", request, actor, decide)

    def correct_member_as_typed(self, org: str, number: str, *, reason: str, actor: str,
                                name: str = "", sex: str = "", born: date | None = None,
                                id_number: str = "", phone: str = "",
                                request: RequestKey | None = None) -> Outcome[MemberRoll]:
        """Correct from a form showing every detail: only those that differ from the roll as
        it stands are corrected (ledger/register/corrections.py); blank ones are kept."""
        def decide() -> Decision[MemberRoll]:
            roll = self.member_roll(org, actor)
            changes = changed_details(roll.member(number), name=name, sex=sex, born=born,
                                      id_number=id_number, phone=phone, opened=self._opened)
            self._correct(roll, number, reason=reason, actor=actor, **changes)
            return roll, [roll]

        return self.store.write(f"{org}/members", request, actor, decide)

    def _opened(self, sealed: str) -> str | None:
        if self.cipher is None:
            return None
        try:
            return self.cipher.unseal(sealed)
        except SealedDataError:
            return None

    def _correct(self, roll: MemberRoll, number: str, *, reason: str, actor: str,
                 name: str | None = None, sex: str | None = None, born: date | None = None,
                 id_number: str | None = None, phone: str | None = None) -> None:
        person = roll.member(number)
        changes: dict[str, str] = {}
        if name is not None:
            changes["name"] = name.strip()
        if sex is not None:
            changes["sex"] = sex
        if born is not None:
            changes["born"] = born.isoformat()
        if id_number is not None or phone is not None:
            sealed = self.sealed_personal_data(
                roll, id_number=id_number or "", phone=phone or "",
                born=born or person.born, sex=sex or person.sex, exclude=number)
            keys = (["id_sealed", "id_masked"] if id_number is not None else []) + (
                ["phone_sealed", "phone_masked"] if phone is not None else [])
            changes.update({k: sealed[k] for k in keys})
        if id_number is None and (sex or born) and person.id_sealed and self.cipher:
            # The ID on the roll still has to agree with the corrected birth date and sex.
            problem = id_number_problem(self.cipher.unseal(person.id_sealed),
                                        born=born or person.born, sex=sex or person.sex)
            if problem:
                raise InvalidMember(problem, field="born" if born else "sex")
        roll.correct(number, changes=changes, reason=reason, actor=actor)

    def make_household_head(self, org: str, number: str, *, on: date, actor: str,
                            request: RequestKey | None = None) -> Outcome[MemberRoll]:
        """Make a member head of the household they are in now, as the roll has it: never of
        one a caller names, so a form can only make a member head of their own household."""
        def decide() -> Decision[MemberRoll]:
            roll = self.member_roll(org, actor)
            roll.change_head(roll.member(number).household, head=number, on=on, actor=actor)
            return roll, [roll]

        return self.store.write(f"{org}/members", request, actor, decide)

    def define_share_class(self, org: str, *, code: str, name_zh: str,
                           basis: str, per_person: int = 0, cap_percent: int = 0, actor: str,
                           request: RequestKey | None = None) -> Outcome[ShareRegister]:
        def decide() -> Decision[ShareRegister]:
            self.organization(org)
            register = self.share_register(org, actor)
            register.define_class(code=code, name_zh=name_zh, basis=basis,
                                  per_person=per_person, cap_percent=cap_percent, actor=actor)
            return register, [register]

        return self.store.write(f"{org}/members", request, actor, decide)

    def quantify_shares(self, org: str, *, on: date,
                        allocations: list[dict[str, Any]], resolution: str,
                        resolution_date: date | None, actor: str,
                        request: RequestKey | None = None) -> Outcome[ShareRegister]:
        def decide() -> Decision[ShareRegister]:
            organization = self.organization(org)
            register = self.share_register(org, actor)
            register.quantify(on=on, holding=organization.text_setting("share_holding"),
                              allocations=allocations, resolution=resolution,
                              resolution_date=resolution_date, roll=self.member_roll(org),
                              rules=share_rules(organization), actor=actor)
            return register, [register]

        return self.store.write(f"{org}/members", request, actor, decide)

    def move_shares(self, org: str, *, kind: str, on: date, source: str,
                    target: str, share_class: str, quantity: int, basis: str, price: int = 0,
                    target_name: str = "", actor: str,
                    request: RequestKey | None = None) -> Outcome[ShareRegister]:
        def decide() -> Decision[ShareRegister]:
            organization = self.organization(org)
            register = self.share_register(org, actor)
            holder = target
            if target == "outside":
                # A new outside holder is numbered by the register, so a name is never a key.
                holder = f"outside:{len(register.outside_names) + 1}"
            register.move(kind=kind, on=on, source=source, target=holder,
                          share_class=share_class, quantity=quantity, basis=basis, price=price,
                          target_name=target_name, roll=self.member_roll(org),
                          rules=share_rules(organization), actor=actor)
            return register, [register]

        return self.store.write(f"{org}/members", request, actor, decide)
