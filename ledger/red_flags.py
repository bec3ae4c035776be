"""A warning (预警) is a red flag an auditor looks for, raised as an event the moment a posting
or a payment shows it: cash on hand above the limit, a payment with no receipt (白条), payments
that look split to stay under an approval threshold, spending on a matter before its decision.

A warning is never deleted or silenced: it is acknowledged with a reason, and both stay.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from ledger.aggregate import LedgerAggregate, stable_id
from ledger.errors import InvalidRedFlag, RedFlagStateError
from ledger.money import format_fen

KINDS = ("cash_over_limit", "no_receipt", "split_payment", "spent_before_decision")
MAX_REASON = 500


def red_flag_id(org: str, kind: str, key: str) -> UUID:
    """One warning per kind and trigger, so raising it again changes nothing."""
    return stable_id("red-flag", org, kind, key)


def normalized(text: str) -> str:
    return "".join(text.split()).casefold()


def cash_crossed(before: int, after: int, limit: int) -> bool:
    """Cash goes above the limit with this posting (not every posting while it stays above)."""
    return before <= limit < after


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
