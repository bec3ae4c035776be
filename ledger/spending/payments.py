"""The payment register (付款登记簿) of one organization and year: every payment made from a
spending request, in order, so that payments which together evade an approval threshold are seen
at the moment the last of them is made, without waiting for any read model.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from ledger.kernel.aggregate import LedgerAggregate, stable_id
from ledger.kernel.money import format_fen
from ledger.kernel.topics import stored_as


@stored_as("ledger.payments")
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


def normalized(text: str) -> str:
    return "".join(text.split()).casefold()


def looks_split(current: dict[str, Any], earlier: Sequence[dict[str, Any]], *,
                thresholds: Sequence[int], window_days: int) -> dict[str, Any] | None:
    """Payments to the same payee or for the same purpose, within the window, each at or below
    a threshold and together above it; the lowest threshold so evaded, with its payments."""
    day = date.fromisoformat(current["date"])
    since = day - timedelta(days=window_days)
    alike = [p for p in earlier
             if since <= date.fromisoformat(p["date"]) <= day
             and p["request"] != current["request"]
             and (normalized(p["payee"]) == normalized(current["payee"])
                  or normalized(p["purpose"]) == normalized(current["purpose"]))]
    for threshold in sorted(thresholds):
        if current["amount"] > threshold:
            continue
        group = [p for p in alike if p["amount"] <= threshold]
        total = current["amount"] + sum(p["amount"] for p in group)
        if group and total > threshold:
            return {"threshold": format_fen(threshold), "total": format_fen(total),
                    "window_days": window_days,
                    "payments": [{k: p[k] for k in ("request", "voucher", "date", "payee",
                                                    "purpose")} | {"amount": format_fen(
                                                        p["amount"])}
                                 for p in [*group, current]]}
    return None
