"""A warning (预警) is a red flag an auditor looks for, raised as an event the moment a posting
or a payment shows it: cash on hand above the limit, a payment with no receipt (白条), payments
that look split to stay under an approval threshold, spending on a matter before its decision.

A warning is never deleted or silenced: it is acknowledged with a reason, and both stay.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from ledger.books.errors import InvalidRedFlag, RedFlagStateError
from ledger.kernel.aggregate import LedgerAggregate, stable_id
from ledger.kernel.topics import stored_as

KINDS = ("cash_over_limit", "cash_negative", "no_receipt", "split_payment",
         "spent_before_decision")
MAX_REASON = 500


def red_flag_id(org: str, kind: str, key: str) -> UUID:
    """One warning per kind and trigger, so raising it again changes nothing."""
    return stable_id("red-flag", org, kind, key)


def cash_crossed(before: int, after: int, limit: int) -> bool:
    """Cash goes above the limit with this posting (not every posting while it stays above)."""
    return before <= limit < after


def cash_went_negative(before: int, after: int) -> bool:
    """Cash on hand goes below zero with this posting: money paid out that the till did not
    hold (a receipt not yet recorded, or an error), once as it crosses."""
    return before >= 0 > after


@stored_as("ledger.red_flags")
class RedFlag(LedgerAggregate):
    class Raised(LedgerAggregate.Created):
        org: str
        kind: str
        key: str  # what it is about: a voucher or request number
        date: date
        message: str
        trigger: dict[str, Any]

    class Acknowledged(LedgerAggregate.Event):
        reason: str

        def apply(self, flag: RedFlag) -> None:
            flag.acknowledgements.append({"by": self.actor, "reason": self.reason,
                                          "at": self.timestamp.isoformat()})

    def __init__(self, org: str, kind: str, key: str, date: date, message: str,
                 trigger: dict[str, Any], actor: str) -> None:
        self.org = org
        self.kind = kind
        self.key = key
        self.date = date
        self.message = message
        self.trigger = trigger
        self.acknowledgements: list[dict[str, str]] = []

    @classmethod
    def raise_(cls, *, org: str, kind: str, key: str, on: date, message: str,
               trigger: dict[str, Any], actor: str) -> RedFlag:
        assert kind in KINDS, kind
        return cls._create(cls.Raised, id=red_flag_id(org, kind, key), org=org, kind=kind,
                           key=key, date=on, message=message, trigger=trigger, actor=actor)

    def acknowledge(self, *, reason: str, actor: str) -> None:
        text = (reason or "").strip()
        if not text or len(text) > MAX_REASON:
            raise InvalidRedFlag(f"say why, in 1 to {MAX_REASON} characters", field="reason")
        if any(a["by"] == actor for a in self.acknowledgements):
            raise RedFlagStateError(f"{actor} has already acknowledged this warning",
                                    kind=self.kind, key=self.key)
        self.trigger_event(self.Acknowledged, reason=text, actor=actor)
