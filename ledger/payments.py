"""The payment register (付款登记簿) of one organization and year: every payment made from a
spending request, in order, so that payments which together evade an approval threshold are seen
at the moment the last of them is made, without waiting for any read model.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from ledger.aggregate import LedgerAggregate, stable_id


class PaymentRegister(LedgerAggregate):
    class Opened(LedgerAggregate.Created):
        org: str
        year: int

    class PaymentRecorded(LedgerAggregate.Event):
        request: str
        voucher: str
        date: date
        payee: str
        purpose: str
        amount: int

        def apply(self, register: PaymentRegister) -> None:
            register.payments.append({
                "request": self.request, "voucher": self.voucher,
                "date": self.date.isoformat(), "payee": self.payee, "purpose": self.purpose,
                "amount": self.amount})

    def __init__(self, org: str, year: int, actor: str) -> None:
        self.org = org
        self.year = year
        self.payments: list[dict[str, Any]] = []

    @staticmethod
    def id_for(org: str, year: int) -> UUID:
        return stable_id("payments", org, str(year))

    @classmethod
    def open(cls, *, org: str, year: int, actor: str) -> PaymentRegister:
        return cls._create(cls.Opened, id=cls.id_for(org, year), org=org, year=year,
                           actor=actor)

    def record(self, *, request: str, voucher: str, on: date, payee: str, purpose: str,
               amount: int, actor: str) -> dict[str, Any]:
        self.trigger_event(self.PaymentRecorded, request=request, voucher=voucher, date=on,
                           payee=payee, purpose=purpose, amount=amount, actor=actor)
        return self.payments[-1]
