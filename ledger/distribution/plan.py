"""A year's distribution plan (收益分配方案) from given figures: the loss carried forward is
covered first, the reserve is taken at the charter's rate(s) from what the year earned beyond
that loss, and what the holders get never exceeds 可分配收益 less the reserve.

The amount decided (per share, or a total) is shared over every entitled share, the collective
share (集体股) included; the collective's part is then kept in 未分配收益 or sent to the reserve,
as the organization's setting says. Members get the rest, one line per holder.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ledger.distribution.allocation import (
    Allocated,
    Holding,
    by_rate,
    by_total,
    checked,
    parse_rate,
    round_fen,
    total_of,
)
from ledger.distribution.errors import (
    InvalidDistribution,
    OverDistributable,
    ReserveBelowMinimum,
)
from ledger.kernel.money import AmountError, format_fen, parse_fen

COLLECTIVE_SHARE = ("keep", "reserve")
ONE = Decimal(1)


@dataclass(frozen=True)
class ReserveRates:
    """The charter's reserve: one 公积公益金 rate (`welfare` None), or 公积金 and 公益金 apart,
    and an optional minimum for their sum. Rates are fractions of the year's income."""

    accumulation: Decimal
    welfare: Decimal | None = None
    minimum: Decimal | None = None

    @classmethod
    def parse(cls, *, rate: str | None = None, accumulation_rate: str | None = None,
              welfare_rate: str | None = None, minimum: str | None = None) -> ReserveRates:
        """From the command's strings: `rate` alone, or both of the two separate rates."""
        floor = None if minimum is None else parse_rate(minimum, "reserve.minimum", at_most=ONE)
        if rate is not None and accumulation_rate is None and welfare_rate is None:
            return cls(parse_rate(rate, "reserve.rate", at_most=ONE), None, floor)
        if rate is None and accumulation_rate is not None and welfare_rate is not None:
            return cls(parse_rate(accumulation_rate, "reserve.accumulation_rate", at_most=ONE),
                       parse_rate(welfare_rate, "reserve.welfare_rate", at_most=ONE), floor)
        raise InvalidDistribution("either rate, or accumulation_rate and welfare_rate",
                                  field="reserve")

    @property
    def total(self) -> Decimal:
        return self.accumulation + (self.welfare or 0)


@dataclass(frozen=True)
class ToHolders:
    """What the plan gives the shares: a rate in yuan per share, or a total in fen."""

    per_share: Decimal | None = None
    total: int | None = None

    @classmethod
    def parse(cls, *, per_share: str | None = None, total: str | None = None) -> ToHolders:
        if (per_share is None) == (total is None):
            raise InvalidDistribution("either per_share or total", field="to_members")
        if per_share is not None:
            return cls(per_share=parse_rate(per_share, "to_members.per_share"))
        try:
            fen = parse_fen(str(total))
        except AmountError as error:
            raise InvalidDistribution(str(error), field="to_members.total") from None
        if fen < 0:
            raise InvalidDistribution("not negative", field="to_members.total")
        return cls(total=fen)

    def allocate(self, holdings: Iterable[Holding]) -> tuple[Allocated, ...]:
        if self.per_share is not None:
            return by_rate(holdings, self.per_share)
        return by_total(holdings, self.total or 0)


@dataclass(frozen=True)
class Plan:
    """Every figure of the plan in fen, and each holder's line (the collective's apart)."""

    year: int
    net_income: int  # 本年收益
    undistributed_at_start: int  # 年初未分配收益; below zero, a loss carried forward
    loss_covered: int  # the part of that loss this year's income covers
    distributable: int  # 可分配收益
    reserve_base: int  # the year's income left once the loss is covered
    accumulation: int  # 公积金, or the whole 公积公益金 under one rate
    welfare: int  # 公益金; zero under one rate
    collective_to_reserve: int  # the collective share's part, when the setting sends it there
    collective_kept: int  # the collective share's part, when kept in 未分配收益
    to_members: int  # Σ of the holders' lines
    already_distributed: int  # posted to 各项分配 by hand before this plan
    undistributed_at_end: int  # 年末未分配收益
    lines: tuple[Allocated, ...]
    collective: Allocated | None

    @property
    def reserve(self) -> int:
        """All that goes to 311: the rates' amounts and any collective part sent there."""
        return self.accumulation + self.welfare + self.collective_to_reserve


def _reserve_parts(rates: ReserveRates, base: int) -> tuple[int, int]:
    if rates.minimum is not None and rates.total < rates.minimum:
        raise ReserveBelowMinimum(
            f"the reserve's rates add up to {rates.total}, under the charter's minimum "
            f"{rates.minimum}", field="reserve", minimum=str(rates.minimum))
    if rates.total > ONE:
        raise InvalidDistribution("the reserve's rates add up to more than 1", field="reserve")
    accumulation = round_fen(base * rates.accumulation)
    welfare = round_fen(base * rates.welfare) if rates.welfare is not None else 0
    return accumulation, welfare


def draft_plan(*, year: int, net_income: int, undistributed_at_start: int,
               reserve: ReserveRates, to_holders: ToHolders, holdings: Iterable[Holding],
               collective_share: str = "keep", already_distributed: int = 0) -> Plan:
    """The plan for `year` from the books' figures (fen) and the register on the record date.
    Refused, naming the field, when the register holds a negative balance, the reserve is under
    the minimum, or the holders would get more than 可分配收益 less the reserve and less what was
    already distributed from it by hand (`already_distributed`, fen)."""
    if collective_share not in COLLECTIVE_SHARE:
        raise InvalidDistribution("keep or reserve", field="collective_share")
    register = checked(holdings, field="record_date")
    loss_covered = min(max(net_income, 0), max(-undistributed_at_start, 0))
    distributable = net_income + undistributed_at_start
    base = max(net_income - loss_covered, 0)
    accumulation, welfare = _reserve_parts(reserve, base)
    allocated = to_holders.allocate(register)
    # A loss not yet covered leaves nothing to share, but a plan giving nothing still stands.
    available = max(distributable - already_distributed - accumulation - welfare, 0)
    if total_of(allocated) > available:
        raise OverDistributable(
            f"the holders would get {format_fen(total_of(allocated))}, more than the "
            f"{format_fen(available)} left of 可分配收益 after the reserve",
            field="to_members", available=format_fen(available))
    lines = tuple(a for a in allocated if a.kind != "collective")
    collectives = [a for a in allocated if a.kind == "collective"]
    if len(collectives) > 1:
        raise InvalidDistribution("one collective share holder at most", field="record_date")
    collective = collectives[0] if collectives else None
    collective_part = collective.amount if collective else 0
    to_reserve = collective_part if collective_share == "reserve" else 0
    to_members = total_of(lines)
    return Plan(
        year=year, net_income=net_income, undistributed_at_start=undistributed_at_start,
        loss_covered=loss_covered, distributable=distributable, reserve_base=base,
        accumulation=accumulation, welfare=welfare, collective_to_reserve=to_reserve,
        collective_kept=collective_part - to_reserve, to_members=to_members,
        already_distributed=already_distributed,
        undistributed_at_end=(distributable - already_distributed - accumulation - welfare
                              - to_reserve - to_members),
        lines=lines, collective=collective)
