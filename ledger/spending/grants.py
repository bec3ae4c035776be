"""An earmarked grant (专项资金: 专项应付款, or 一事一议资金 raised for a project) is money
received for a named purpose; it may be spent only on that purpose (its matter, its accounts) and
never beyond what is left of it, and what is left is always visible.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from ledger.kernel.aggregate import LedgerAggregate, stable_id
from ledger.kernel.errors import checked_text
from ledger.kernel.money import MAX_FEN, format_fen
from ledger.kernel.topics import stored_as
from ledger.spending.errors import GrantMisuse, InvalidGrant, OverBudget

KINDS = ("earmarked", "yishiyiyi")
MAX_TEXT = 100
MAX_ACCOUNTS = 20


def _text(value: str, field: str, *, required: bool = True) -> str:
    return checked_text(value, field, InvalidGrant, required=required, limit=MAX_TEXT)


@stored_as("ledger.grants")
class Grant(LedgerAggregate):
    class Received(LedgerAggregate.Created):
        org: str
        number: str
        date: date
        kind: str
        name: str  # the purpose, as the grantor named it
        grantor: str
        amount: int
        account: str  # the liability account credited (under 241 or 231)
        paid_into: str
        voucher: str
        matter: str | None  # the matter it is for, when there is one
        purpose_accounts: list[str]  # accounts (or their parents) it may be spent on

    class Spent(LedgerAggregate.Event):
        request: str
        voucher: str
        amount: int

        def apply(self, grant: Grant) -> None:
            grant.spent += self.amount

    def __init__(self, org: str, number: str, date: date, kind: str, name: str, grantor: str,
                 amount: int, account: str, paid_into: str, voucher: str, matter: str | None,
                 purpose_accounts: list[str], actor: str) -> None:
        self.org = org
        self.number = number
        self.date = date
        self.kind = kind
        self.name = name
        self.grantor = grantor
        self.amount = amount
        self.account = account
        self.paid_into = paid_into
        self.voucher = voucher
        self.matter = matter
        self.purpose_accounts = purpose_accounts
        self.spent = 0

    @staticmethod
    def check(*, kind: str, name: str, grantor: str, amount: int,
              purpose_accounts: list[str]) -> None:
        if kind not in KINDS:
            raise InvalidGrant(f"one of {', '.join(KINDS)}", field="kind")
        _text(name, "name")
        _text(grantor, "grantor")
        if type(amount) is not int or not 0 < amount <= MAX_FEN:
            raise InvalidGrant("a whole number of fen above zero", field="amount")
        if len(purpose_accounts) > MAX_ACCOUNTS:
            raise InvalidGrant(f"at most {MAX_ACCOUNTS}", field="purpose_accounts")

    @staticmethod
    def id_for(org: str, number: str) -> UUID:
        return stable_id("grant", org, number)

    @classmethod
    def receive(cls, *, org: str, number: str, on: date, kind: str, name: str, grantor: str,
                amount: int, account: str, paid_into: str, voucher: str, matter: str | None,
                purpose_accounts: list[str], actor: str) -> Grant:
        cls.check(kind=kind, name=name, grantor=grantor, amount=amount,
                  purpose_accounts=purpose_accounts)
        return cls._create(
            cls.Received, id=cls.id_for(org, number), org=org,
            number=number, date=on, kind=kind, name=_text(name, "name"),
            grantor=_text(grantor, "grantor"), amount=amount, account=account,
            paid_into=paid_into, voucher=voucher, matter=matter or None,
            purpose_accounts=sorted(set(purpose_accounts)), actor=actor)

    @property
    def unspent(self) -> int:
        return self.amount - self.spent

    def check_spending(self, *, account: str, matter: str | None, amount: int) -> None:
        if self.matter is not None and matter != self.matter:
            raise GrantMisuse(
                f"grant {self.number} ({self.name}) is for matter {self.matter} only",
                field="matter", grant=self.number, matter=self.matter)
        allowed = [self.account, *self.purpose_accounts]
        if self.purpose_accounts and not any(account.startswith(a) for a in allowed):
            raise GrantMisuse(
                f"grant {self.number} ({self.name}) may be spent on {', '.join(allowed)} only",
                field="account", grant=self.number, allowed=allowed)
        if amount > self.unspent:
            raise OverBudget(f"{format_fen(amount)} is more than the {format_fen(self.unspent)} "
                             f"left of grant {self.number}", field="amount", grant=self.number,
                             remaining=format_fen(self.unspent))

    def spend(self, *, request: str, voucher: str, account: str, matter: str | None,
              amount: int, actor: str) -> None:
        self.check_spending(account=account, matter=matter, amount=amount)
        self.trigger_event(self.Spent, request=request, voucher=voucher, amount=amount,
                           actor=actor)
