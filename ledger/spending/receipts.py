"""A receipt (收款收据) records collective income as it comes in: its category, the payer, the
period it is for, and the receipt number handed to the payer, next in the organization's series
for the year with no gap; the income is posted as a voucher in the same write.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from ledger.kernel.aggregate import LedgerAggregate, stable_id
from ledger.kernel.errors import checked_text
from ledger.kernel.money import MAX_FEN
from ledger.kernel.topics import stored_as
from ledger.spending.errors import InvalidReceipt

# The category's usual income account in the 2023 village chart; a sub-account may be named.
CATEGORIES = {"contracting_leasing": "501", "operating": "501", "investment": "502",
              "subsidy": "503", "other": "504"}
MAX_TEXT = 100


def receipt_id(org: str, number: str) -> UUID:
    return stable_id("receipt", org, number)


def _text(value: str, field: str, *, required: bool = True) -> str:
    return checked_text(value, field, InvalidReceipt, required=required, limit=MAX_TEXT)


@stored_as("ledger.receipts")
class Receipt(LedgerAggregate):
    class Issued(LedgerAggregate.Created):
        org: str
        number: str
        date: date
        category: str
        payer: str
        amount: int
        relates_to: str  # the period the money is for, e.g. "2026" for a year's rent
        account: str  # the income account credited
        paid_into: str  # cash or bank account debited
        voucher: str
        summary: str

    def __init__(self, org: str, number: str, date: date, category: str, payer: str, amount: int,
                 relates_to: str, account: str, paid_into: str, voucher: str, summary: str,
                 actor: str) -> None:
        self.org = org
        self.number = number
        self.date = date
        self.category = category
        self.payer = payer
        self.amount = amount
        self.relates_to = relates_to
        self.account = account
        self.paid_into = paid_into
        self.voucher = voucher
        self.summary = summary
        self.issued_by = actor

    @staticmethod
    def check(*, category: str, payer: str, amount: int, relates_to: str) -> None:
        """The rules of the receipt itself, checked before anything is numbered."""
        if category not in CATEGORIES:
            raise InvalidReceipt(f"one of {', '.join(CATEGORIES)}", field="category")
        _text(payer, "payer")
        _text(relates_to, "relates_to", required=False)
        if type(amount) is not int or not 0 < amount <= MAX_FEN:
            raise InvalidReceipt("a whole number of fen above zero", field="amount")

    @classmethod
    def issue(cls, *, org: str, number: str, on: date, category: str, payer: str, amount: int,
              relates_to: str, account: str, paid_into: str, voucher: str, summary: str,
              actor: str) -> Receipt:
        cls.check(category=category, payer=payer, amount=amount, relates_to=relates_to)
        return cls._create(
            cls.Issued, id=receipt_id(org, number), org=org, number=number, date=on,
            category=category, payer=_text(payer, "payer"), amount=amount,
            relates_to=_text(relates_to, "relates_to", required=False), account=account,
            paid_into=paid_into, voucher=voucher, summary=summary, actor=actor)
