"""A year's distribution (收益分配) of one organization, from the plan to the last holder paid.

The plan is drafted with every holder's amount frozen in it; it may be cancelled until it is
posted, and a year has one standing plan at a time. Once posted (one voucher, a line per holder),
it only records payments: a holder is paid once, whatever number of clerks press the button.
Publishing its plan, or its result, is recorded here too, because the members' meeting may decide
a plan only ten days after the plan and the year's statements were disclosed (2024 Law Art. 46).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from ledger.distribution.errors import DistributionStateError, InvalidDistribution
from ledger.kernel.aggregate import LedgerAggregate, stable_id
from ledger.kernel.money import format_fen
from ledger.kernel.topics import stored_as

DRAFTED, CANCELLED, POSTED, PAID = "drafted", "cancelled", "posted", "paid"
STAGES = ("plan", "result")


@stored_as("ledger.distributions")
class Distribution(LedgerAggregate):
    class Drafted(LedgerAggregate.Created):
        org: str
        number: str  # "2025-1": the year, and the how-manieth plan of it
        year: int
        record_date: date
        matter: str
        terms: dict[str, str]  # the command's rates and choices, as decimal strings
        figures: dict[str, int]  # fen: net_income, distributable, reserve, to_members …
        lines: list[dict[str, Any]]  # holder, kind, shares, classes, amount
        collective: dict[str, Any] | None  # the collective share's line, apart

    class Cancelled(LedgerAggregate.Event):
        reason: str

        def apply(self, d: Distribution) -> None:
            d.status = CANCELLED
            d.cancel_reason = self.reason

    class Posted(LedgerAggregate.Event):
        voucher: str
        date: date
        accounts: dict[str, str]  # where each part went: payable, accumulation, welfare …

        def apply(self, d: Distribution) -> None:
            d.status = POSTED
            d.voucher = self.voucher
            d.posted_on = self.date
            d.accounts = dict(self.accounts)

    class Disclosed(LedgerAggregate.Event):
        stage: str  # plan | result
        disclosure: str
        on: date  # the first day it was posted up

        def apply(self, d: Distribution) -> None:
            d.disclosures[self.stage] = {"disclosure": self.disclosure, "on": self.on}

    class Paid(LedgerAggregate.Event):
        voucher: str
        date: date
        paid_from: str
        holders: list[dict[str, Any]]  # holder, amount, payee

        def apply(self, d: Distribution) -> None:
            for paid in self.holders:
                d.paid[str(paid["holder"])] = {"voucher": self.voucher, "date": self.date,
                                               "amount": int(paid["amount"]),
                                               "payee": str(paid["payee"])}
            if len(d.paid) == len(d.payable_holders):
                d.status = PAID

    def __init__(self, org: str, number: str, year: int, record_date: date, matter: str,
                 terms: dict[str, str], figures: dict[str, int], lines: list[dict[str, Any]],
                 collective: dict[str, Any] | None) -> None:
        self.org = org
        self.number = number
        self.year = year
        self.record_date = record_date
        self.matter = matter
        self.terms = terms
        self.figures = figures
        self.lines = lines
        self.collective = collective
        self.status = DRAFTED
        self.cancel_reason = ""
        self.voucher = ""
        self.posted_on: date | None = None
        self.accounts: dict[str, str] = {}
        self.disclosures: dict[str, dict[str, Any]] = {}
        self.paid: dict[str, dict[str, Any]] = {}

    @staticmethod
    def id_for(org: str, number: str) -> UUID:
        return stable_id("distribution", org, number)

    @classmethod
    def draft(cls, *, org: str, number: str, year: int, record_date: date, matter: str,
              terms: dict[str, str], figures: dict[str, int], lines: list[dict[str, Any]],
              collective: dict[str, Any] | None, actor: str) -> Distribution:
        return cls._create(cls.Drafted, id=cls.id_for(org, number), org=org, number=number,
                           year=year, record_date=record_date, matter=matter, terms=terms,
                           figures=figures, lines=lines, collective=collective, actor=actor)

    # -- reading ------------------------------------------------------------------------------

    @property
    def standing(self) -> bool:
        """Not cancelled: the year's plan, whatever stage it has reached."""
        return self.status != CANCELLED

    @property
    def payable_holders(self) -> dict[str, int]:
        """Each holder with something to be paid, and how much (fen)."""
        return {str(line["holder"]): int(line["amount"]) for line in self.lines
                if int(line["amount"]) > 0}

    def unpaid(self) -> dict[str, int]:
        return {h: a for h, a in self.payable_holders.items() if h not in self.paid}

    def line_of(self, holder: str) -> dict[str, Any] | None:
        return next((line for line in self.lines if line["holder"] == holder), None)

    def disclosed_on(self, stage: str) -> date | None:
        found = self.disclosures.get(stage)
        return None if found is None else found["on"]

    # -- commands -----------------------------------------------------------------------------

    def cancel(self, *, reason: str, actor: str) -> None:
        if self.status != DRAFTED:
            raise DistributionStateError(
                f"distribution {self.number} is {self.status}; only a plan not yet posted is "
                "cancelled", field="number", status=self.status, distribution=self.number)
        if not reason.strip():
            raise InvalidDistribution("why the plan is cancelled", field="reason")
        self.trigger_event(self.Cancelled, reason=reason.strip()[:500], actor=actor)

    def check_postable(self) -> None:
        if self.status != DRAFTED:
            raise DistributionStateError(
                f"distribution {self.number} is {self.status}; a plan is posted once",
                status=self.status, distribution=self.number)

    def mark_posted(self, *, voucher: str, on: date, accounts: dict[str, str],
                    actor: str) -> None:
        self.check_postable()
        self.trigger_event(self.Posted, voucher=voucher, date=on, accounts=accounts, actor=actor)

    def check_disclosable(self, stage: str) -> None:
        if stage not in STAGES:
            raise InvalidDistribution("plan or result", field="inputs.stage")
        due = DRAFTED if stage == "plan" else POSTED
        ok = self.status == DRAFTED if stage == "plan" else self.status in (POSTED, PAID)
        if not ok:
            raise DistributionStateError(
                f"distribution {self.number} is {self.status}; its {stage} is disclosed when it "
                f"is {due}", field="inputs.distribution", status=self.status)

    def mark_disclosed(self, *, stage: str, disclosure: str, on: date, actor: str) -> None:
        self.check_disclosable(stage)
        self.trigger_event(self.Disclosed, stage=stage, disclosure=disclosure, on=on,
                           actor=actor)

    def to_pay(self, holders: list[str] | str) -> dict[str, int]:
        """The holders a payment names (or "all" still unpaid), each checked: on this
        distribution, owed something, and not paid already."""
        if self.status not in (POSTED, PAID):
            raise DistributionStateError(
                f"distribution {self.number} is {self.status}; holders are paid once it is "
                "posted", field="number", status=self.status, distribution=self.number)
        if holders == "all":
            chosen = self.unpaid()
            if not chosen:
                raise DistributionStateError(f"every holder of {self.number} is paid",
                                             field="holders", distribution=self.number)
            return chosen
        if not isinstance(holders, list) or not holders:
            raise InvalidDistribution('a list of holders, or "all"', field="holders")
        chosen = {}
        owed = self.payable_holders
        listed = {str(line["holder"]) for line in self.lines}
        for i, holder in enumerate(holders):
            where = f"holders[{i}]"
            if holder in chosen:
                raise InvalidDistribution(f"{holder} is named twice", field=where)
            if holder not in listed:
                raise InvalidDistribution(f"{holder} is not a holder of {self.number}",
                                          field=where, holder=holder)
            if holder in self.paid:
                paid = self.paid[holder]
                raise DistributionStateError(
                    f"{holder} was paid {format_fen(paid['amount'])} on "
                    f"{paid['date'].isoformat()} by voucher {paid['voucher']}", field=where,
                    holder=holder, voucher=paid["voucher"])
            amount = owed.get(holder, 0)
            if amount == 0:
                raise InvalidDistribution(f"{holder} is owed nothing", field=where,
                                          holder=holder)
            chosen[holder] = amount
        return chosen

    def record_payment(self, *, voucher: str, on: date, paid_from: str,
                       holders: list[dict[str, Any]], actor: str) -> None:
        self.trigger_event(self.Paid, voucher=voucher, date=on, paid_from=paid_from,
                           holders=holders, actor=actor)


def refuse_standing(plans: list[Distribution]) -> None:
    """A year has one standing plan: another is neither drafted nor previewed (a preview would
    count the standing plan's own posting as distributed already)."""
    if (standing := next((d for d in plans if d.standing), None)) is not None:
        raise DistributionStateError(f"{standing.year} has plan {standing.number} ("
                                     f"{standing.status}); cancel it before drafting another",
                                     field="year", distribution=standing.number)
