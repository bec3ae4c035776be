"""The trade book (交易记录) of a cooperative for one year: each purchase from or sale to a member
or a non-member, by product, quantity and amount. Member and non-member trade are accounted
apart (Art. 41), because the surplus is returned by members' trade volume alone (Art. 44).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from ledger.kernel.aggregate import LedgerAggregate, stable_id
from ledger.kernel.money import MAX_FEN
from ledger.kernel.topics import stored_as
from ledger.register.errors import InvalidMemberAccount

DIRECTIONS = ("sold_to_cooperative", "bought_from_cooperative")
QUANTITY = re.compile(r"[0-9]{1,9}(\.[0-9]{1,3})?")


@stored_as("ledger.trades")
class TradeBook(LedgerAggregate):
    class Opened(LedgerAggregate.Created):
        org: str
        year: int

    class TradeRecorded(LedgerAggregate.Event):
        on: date
        member: str  # the member's number; "" for a non-member
        counterparty: str  # a non-member's name; "" for a member
        direction: str
        product: str
        quantity: str  # a decimal, kept as text so no float ever touches it
        unit: str
        amount: int
        voucher: str

        def apply(self, book: TradeBook) -> None:
            book.count += 1
            book.last_voucher = self.voucher
            if self.member:
                book.volumes[self.member] = book.volumes.get(self.member, 0) + self.amount
            else:
                book.outside_volume += self.amount

    def __init__(self, org: str, year: int, actor: str) -> None:
        self.org = org
        self.year = year
        self.count = 0
        # Each member's trade volume (交易额) this year, both directions, and non-members' apart:
        # the surplus is returned by members' trade alone (Art. 44).
        self.volumes: dict[str, int] = {}
        self.outside_volume = 0
        self.last_voucher = ""  # of the last trade: what the command answers with

    @staticmethod
    def id_for(org: str, year: int) -> UUID:
        return stable_id("trade-book", org, str(year))

    @classmethod
    def open(cls, *, org: str, year: int, actor: str) -> TradeBook:
        return cls._create(cls.Opened, id=cls.id_for(org, year), org=org, year=year,
                           actor=actor)

    def record(self, *, on: date, member: str, counterparty: str, direction: str,
               product: str, quantity: str, unit: str, amount: int, voucher: str,
               actor: str) -> None:
        trade = self.check_trade(on=on, member=member, counterparty=counterparty,
                                 direction=direction, product=product, quantity=quantity,
                                 unit=unit, amount=amount)
        self.trigger_event(self.TradeRecorded, **trade, voucher=voucher, actor=actor)

    def check_trade(self, *, on: date, member: str, counterparty: str, direction: str,
                    product: str, quantity: str, unit: str, amount: int) -> dict[str, Any]:
        """The trade's rules, checked before its voucher is drafted: its fields as recorded."""
        if on.year != self.year:
            raise InvalidMemberAccount(f"a day of {self.year}", field="on")
        if bool(member) == bool((counterparty or "").strip()):
            raise InvalidMemberAccount("a member's number, or a non-member's name, not both",
                                       field="counterparty")
        if direction not in DIRECTIONS:
            raise InvalidMemberAccount(f"one of {', '.join(DIRECTIONS)}", field="direction")
        product = (product or "").strip()
        if not product or len(product) > 50:
            raise InvalidMemberAccount("1–50 characters", field="product")
        if not QUANTITY.fullmatch(quantity or "") or Decimal(quantity) <= 0:
            raise InvalidMemberAccount("a number above zero, e.g. 1250.5", field="quantity")
        unit = (unit or "").strip()
        if not unit or len(unit) > 10:
            raise InvalidMemberAccount("1–10 characters, e.g. 公斤", field="unit")
        if type(amount) is not int or not 0 < amount <= MAX_FEN:
            raise InvalidMemberAccount("a whole number of fen above zero", field="amount")
        return {"on": on, "member": member, "counterparty": (counterparty or "").strip(),
                "direction": direction, "product": product, "quantity": str(Decimal(quantity)),
                "unit": unit, "amount": amount}
