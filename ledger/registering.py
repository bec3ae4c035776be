"""The application's commands for the member roll, the share register and cooperative member
accounts. A change of membership and the share movement it causes under a per-person register
are one atomic write; an ID-card number is checked, and compared with every other on the roll,
before it is sealed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

from eventsourcing.application import AggregateNotFoundError

from ledger.aggregate import LedgerAggregate
from ledger.errors import InvalidMember, MemberStateError
from ledger.idempotency import RequestKey
from ledger.member_accounts import MemberAccount
from ledger.members import MemberRoll
from ledger.organizations import Organization
from ledger.personal import (
    PHONE,
    PersonalDataCipher,
    id_number_problem,
    mask_id_number,
    mask_phone,
)
from ledger.shares import Rules, ShareRegister
from ledger.trades import TradeBook


class _Application(Protocol):
    clock: Callable[[], date]
    repository: Any
    cipher: PersonalDataCipher | None

    def _write(self, lock_key: str, request: RequestKey | None, actor: str,
               decide: Callable[[], tuple[Any, list[LedgerAggregate]]]) -> Any: ...

    def organization(self, code: str) -> Organization: ...

    def member_roll(self, org: str, actor: str = "") -> MemberRoll: ...

    def share_register(self, org: str, actor: str = "") -> ShareRegister: ...

    def member_account(self, org: str, member: str, actor: str) -> MemberAccount: ...

    def id_numbers(self, roll: MemberRoll) -> dict[str, str]: ...

    def sealed_personal_data(self, roll: MemberRoll, *, id_number: str, phone: str,
                             born: date, sex: str, exclude: str = "",
                             known: dict[str, str] | None = None) -> dict[str, str]: ...


def share_rules(organization: Organization) -> Rules:
    return Rules(transfer=organization.text_setting("share_transfer"),
                 outside_heirs=organization.text_setting("share_outside_heirs"),
                 holder_cap_percent=organization.setting("share_holder_cap_percent"))


class MemberCommands:
    def member_roll(self: _Application, org: str, actor: str = "") -> MemberRoll:
        """The roll, opened by the first change made to it."""
        try:
            roll: MemberRoll = self.repository.get(MemberRoll.id_for(org))
        except AggregateNotFoundError:
            roll = MemberRoll.open(org=org, kind=self.organization(org).kind, actor=actor)
        return roll

    def share_register(self: _Application, org: str, actor: str = "") -> ShareRegister:
        try:
            register: ShareRegister = self.repository.get(ShareRegister.id_for(org))
        except AggregateNotFoundError:
            register = ShareRegister.open(org=org, actor=actor)
        return register

    def member_account(self: _Application, org: str, member: str,
                       actor: str) -> MemberAccount:
        try:
            account: MemberAccount = self.repository.get(MemberAccount.id_for(org, member))
        except AggregateNotFoundError:
            account = MemberAccount.open(org=org, member=member, actor=actor)
        return account

    def id_numbers(self: _Application, roll: MemberRoll) -> dict[str, str]:
        """Every ID number on the roll, opened, and whose it is: to find one entered twice."""
        if self.cipher is None:
            return {}
        return {self.cipher.unseal(p.id_sealed): p.number
                for p in roll.members.values() if p.id_sealed}

    def sealed_personal_data(self: _Application, roll: MemberRoll, *, id_number: str,
                             phone: str, born: date, sex: str, exclude: str = "",
                             known: dict[str, str] | None = None) -> dict[str, str]:
        """Check, compare and seal; the clear numbers never leave this method."""
        id_number, phone = (id_number or "").strip().upper(), (phone or "").strip()
        sealed = {"id_sealed": "", "id_masked": "", "phone_sealed": "", "phone_masked": ""}
        if (id_number or phone) and self.cipher is None:
            raise InvalidMember("this server keeps no personal data (no personal-data key is "
                                "set)", field="id_number" if id_number else "phone")
        if id_number:
            problem = id_number_problem(id_number, born=born, sex=sex)
            if problem:
                raise InvalidMember(problem, field="id_number")
            holders = self.id_numbers(roll) if known is None else known
            if holders.get(id_number, exclude) != exclude:
                raise MemberStateError(
                    f"this ID number is already on the roll, as member {holders[id_number]}",
                    field="id_number", member=holders[id_number])
            sealed["id_sealed"] = self.cipher.seal(id_number)  # type: ignore[union-attr]
            sealed["id_masked"] = mask_id_number(id_number)
        if phone:
            if not PHONE.fullmatch(phone):
                raise InvalidMember("a phone number of digits", field="phone")
            sealed["phone_sealed"] = self.cipher.seal(phone)  # type: ignore[union-attr]
            sealed["phone_masked"] = mask_phone(phone)
        return sealed

    def register_household(self: _Application, org: str, *, number: str, on: date,
                           address: str = "", actor: str,
                           request: RequestKey | None = None) -> Any:
        def decide() -> tuple[MemberRoll, list[LedgerAggregate]]:
            roll = self.member_roll(org, actor)
            roll.register_household(number=number, on=on, address=address, actor=actor)
            return roll, [roll]

        return self._write(f"{org}/members", request, actor, decide)

    def confirm_member(
        self: _Application, org: str, *, name: str, sex: str, born: date, household: str,
        on: date, basis: str, number: str = "", head: bool = False, id_number: str = "",
        phone: str = "", resolution: str = "", resolution_date: date | None = None,
        actor: str, request: RequestKey | None = None,
    ) -> Any:
        def decide() -> tuple[MemberRoll, list[LedgerAggregate]]:
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

        return self._write(f"{org}/members", request, actor, decide)

    def end_membership(
        self: _Application, org: str, number: str, *, on: date, basis: str,
        document: str = "", resolution: str = "", resolution_date: date | None = None,
        actor: str, request: RequestKey | None = None,
    ) -> Any:
        def decide() -> tuple[MemberRoll, list[LedgerAggregate]]:
            organization = self.organization(org)
            roll = self.member_roll(org, actor)
            register = self.share_register(org, actor)
            roll.end(number, on=on, basis=basis, document=document, resolution=resolution,
                     resolution_date=resolution_date, actor=actor)
            register.follow_member(number, on=on, joined=False, roll=roll,
                                   rules=share_rules(organization), actor=actor)
            return roll, [roll, register]

        return self._write(f"{org}/members", request, actor, decide)

    def move_member(self: _Application, org: str, number: str, *, household: str, on: date,
                    reason: str, head: bool = False, actor: str,
                    request: RequestKey | None = None) -> Any:
        def decide() -> tuple[MemberRoll, list[LedgerAggregate]]:
            roll = self.member_roll(org, actor)
            roll.move(number, household=household, on=on, reason=reason, head=head,
                      actor=actor)
            return roll, [roll]

        return self._write(f"{org}/members", request, actor, decide)

    def change_household_head(self: _Application, org: str, household: str, *, head: str,
                              on: date, actor: str, request: RequestKey | None = None) -> Any:
        def decide() -> tuple[MemberRoll, list[LedgerAggregate]]:
            roll = self.member_roll(org, actor)
            roll.change_head(household, head=head, on=on, actor=actor)
            return roll, [roll]

        return self._write(f"{org}/members", request, actor, decide)

    def correct_member(self: _Application, org: str, number: str, *, reason: str,
                       actor: str, name: str | None = None, sex: str | None = None,
                       born: date | None = None, id_number: str | None = None,
                       phone: str | None = None, request: RequestKey | None = None) -> Any:
        def decide() -> tuple[MemberRoll, list[LedgerAggregate]]:
            roll = self.member_roll(org, actor)
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
            return roll, [roll]

        return self._write(f"{org}/members", request, actor, decide)

    def define_share_class(self: _Application, org: str, *, code: str, name_zh: str,
                           basis: str, per_person: int = 0, cap_percent: int = 0, actor: str,
                           request: RequestKey | None = None) -> Any:
        def decide() -> tuple[ShareRegister, list[LedgerAggregate]]:
            self.organization(org)
            register = self.share_register(org, actor)
            register.define_class(code=code, name_zh=name_zh, basis=basis,
                                  per_person=per_person, cap_percent=cap_percent, actor=actor)
            return register, [register]

        return self._write(f"{org}/members", request, actor, decide)

    def quantify_shares(self: _Application, org: str, *, on: date,
                        allocations: list[dict[str, Any]], resolution: str,
                        resolution_date: date | None, actor: str,
                        request: RequestKey | None = None) -> Any:
        def decide() -> tuple[ShareRegister, list[LedgerAggregate]]:
            organization = self.organization(org)
            register = self.share_register(org, actor)
            register.quantify(on=on, holding=organization.text_setting("share_holding"),
                              allocations=allocations, resolution=resolution,
                              resolution_date=resolution_date, roll=self.member_roll(org),
                              rules=share_rules(organization), actor=actor)
            return register, [register]

        return self._write(f"{org}/members", request, actor, decide)

    def move_shares(self: _Application, org: str, *, kind: str, on: date, source: str,
                    target: str, share_class: str, quantity: int, basis: str, price: int = 0,
                    target_name: str = "", actor: str,
                    request: RequestKey | None = None) -> Any:
        def decide() -> tuple[ShareRegister, list[LedgerAggregate]]:
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

        return self._write(f"{org}/members", request, actor, decide)

    # -- cooperatives -------------------------------------------------------------------------

    def _cooperative_member(self: _Application, org: str, member: str) -> None:
        if self.organization(org).kind != "farmers_cooperative":
            raise InvalidMember("member accounts are kept by farmers' cooperatives",
                                field="org")
        self.member_roll(org).member(member)

    def record_contribution(self: _Application, org: str, member: str, *, on: date,
                            form: str, amount: int, description: str = "", voucher: str = "",
                            actor: str, request: RequestKey | None = None) -> Any:
        def decide() -> tuple[MemberAccount, list[LedgerAggregate]]:
            MemberCommands._cooperative_member(self, org, member)
            account = self.member_account(org, member, actor)
            account.contribute(on=on, form=form, amount=amount, description=description,
                               voucher=voucher, actor=actor)
            return account, [account]

        return self._write(f"{org}/member-account/{member}", request, actor, decide)

    def quantify_reserve_share(self: _Application, org: str, member: str, *, year: int,
                               amount: int, actor: str,
                               request: RequestKey | None = None) -> Any:
        def decide() -> tuple[MemberAccount, list[LedgerAggregate]]:
            MemberCommands._cooperative_member(self, org, member)
            account = self.member_account(org, member, actor)
            account.quantify_reserve(year=year, amount=amount, actor=actor)
            return account, [account]

        return self._write(f"{org}/member-account/{member}", request, actor, decide)

    def notify_exit(self: _Application, org: str, member: str, *, on: date, document: str,
                    actor: str, request: RequestKey | None = None) -> Any:
        def decide() -> tuple[MemberAccount, list[LedgerAggregate]]:
            MemberCommands._cooperative_member(self, org, member)
            roll = self.member_roll(org, actor)
            account = self.member_account(org, member, actor)
            effective = account.notify_exit(
                on=on, document=document, actor=actor,
                notice_months=self.organization(org).setting("exit_notice_months"))
            # The roll shows the member until the year end the exit takes effect.
            roll.end(member, on=effective, basis="exit", document=document, resolution="",
                     resolution_date=None, actor=actor)
            return account, [account, roll]

        return self._write(f"{org}/members", request, actor, decide)

    def record_trade(self: _Application, org: str, *, on: date, direction: str, product: str,
                     quantity: str, unit: str, amount: int, member: str = "",
                     counterparty: str = "", voucher: str = "", actor: str,
                     request: RequestKey | None = None) -> Any:
        def decide() -> tuple[TradeBook, list[LedgerAggregate]]:
            if member:
                MemberCommands._cooperative_member(self, org, member)
            elif self.organization(org).kind != "farmers_cooperative":
                raise InvalidMember("trade is recorded by farmers' cooperatives", field="org")
            try:
                book: TradeBook = self.repository.get(TradeBook.id_for(org, on.year))
            except AggregateNotFoundError:
                book = TradeBook.open(org=org, year=on.year, actor=actor)
            book.record(on=on, member=member, counterparty=counterparty, direction=direction,
                        product=product, quantity=quantity, unit=unit, amount=amount,
                        voucher=voucher, actor=actor)
            return book, [book]

        return self._write(f"{org}/trades/{on.year}", request, actor, decide)
