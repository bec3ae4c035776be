"""What every command of the register stands on: the store it writes through, the organization
whose settings it follows (the books' registry, handed in), and the key that seals personal data;
the roll, the share register and member accounts, each opened by the first change made to it;
and ID-card and phone numbers checked, compared with every other on the roll, and sealed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from ledger.books import InvalidVoucherLine, Organization
from ledger.kernel.personal import (
    PHONE,
    PersonalDataCipher,
    id_number_problem,
    mask_id_number,
    mask_phone,
)
from ledger.kernel.writing import Store
from ledger.register.errors import InvalidMember, MemberStateError
from ledger.register.member_accounts import MemberAccount
from ledger.register.members import MemberRoll
from ledger.register.share_rules import Rules
from ledger.register.shares import ShareRegister
from ledger.register.trades import TradeBook


def share_rules(organization: Organization) -> Rules:
    return Rules(transfer=organization.text_setting("share_transfer"),
                 outside_heirs=organization.text_setting("share_outside_heirs"),
                 holder_cap_percent=organization.setting("share_holder_cap_percent"))


class RegisterBase:
    def __init__(self, store: Store, *, organization: Callable[[str], Organization],
                 cipher: PersonalDataCipher | None, clock: Callable[[], date]) -> None:
        self.store = store
        self.organization = organization
        self.cipher = cipher
        self.clock = clock

    def member_roll(self, org: str, actor: str = "") -> MemberRoll:
        """The roll (成员名册), opened by the first change made to it."""
        return self.store.load_or_open(MemberRoll, MemberRoll.id_for(org), lambda: (
            MemberRoll.open(org=org, kind=self.organization(org).kind, actor=actor)))

    def share_register(self, org: str, actor: str = "") -> ShareRegister:
        return self.store.load_or_open(ShareRegister, ShareRegister.id_for(org), lambda: (
            ShareRegister.open(org=org, actor=actor)))

    def member_account(self, org: str, member: str, actor: str) -> MemberAccount:
        return self.store.load_or_open(MemberAccount, MemberAccount.id_for(org, member), lambda: (
            MemberAccount.open(org=org, member=member, actor=actor)))

    def trade_book(self, org: str, year: int, actor: str) -> TradeBook:
        return self.store.load_or_open(TradeBook, TradeBook.id_for(org, year), lambda: (
            TradeBook.open(org=org, year=year, actor=actor)))

    def check_parties(self, org: str, named: Sequence[tuple[int, str]]) -> None:
        """A voucher line names someone on the roll, or no one; a name not there is a typo."""
        if not named:
            return
        roll = self.member_roll(org)
        outside = self.share_register(org).outside_names if any(
            party.startswith("outside:") for _, party in named) else {}
        for i, party in named:
            kind, _, ref = party.partition(":")
            if kind == "outside":
                if party not in outside:
                    raise InvalidVoucherLine(f"no outside holder {ref} in the share register",
                                             field=f"lines[{i}].party")
                continue
            if ref not in (roll.members if kind == "member" else roll.households):
                raise InvalidVoucherLine(f"no {kind} {ref} on the roll",
                                         field=f"lines[{i}].party")

    def id_numbers(self, roll: MemberRoll) -> dict[str, str]:
        """Every ID number on the roll, opened, and whose it is: to find one entered twice."""
        if self.cipher is None:
            return {}
        return {self.cipher.unseal(p.id_sealed): p.number
                for p in roll.members.values() if p.id_sealed}

    def sealed_personal_data(self, roll: MemberRoll, *, id_number: str, phone: str,
                             born: date, sex: str, exclude: str = "",
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
