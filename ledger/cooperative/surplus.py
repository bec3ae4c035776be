"""A cooperative's surplus distribution (盈余分配, 2017 Law Art. 44) from given figures.

The loss carried forward is covered first, then 盈余公积 is taken at the charter's rate; what is
left, the distributable surplus D, goes back to the members: at least 60 % of it by their own
trade with the cooperative (T, rounded up to the fen so the floor holds after rounding), the rest
D − T by each member's 出资额 + 公积金份额 + 专项基金份额. Both splits are exact to the fen by
largest remainder; trade with non-members earns nobody anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from ledger.distribution import (
    Holding,
    InvalidDistribution,
    by_total,
    holder_order,
    parse_rate,
    round_fen,
)

ONE = Decimal(1)
TRADE_RETURN_FLOOR = Decimal("0.60")  # 2017 Law Art. 44: 返还总额不得低于可分配盈余的百分之六十
ART_44 = ("at least 60 % of the distributable surplus is returned by trade "
          "(2017 Law Art. 44, 第四十四条)")


class TradeReturnBelowFloor(InvalidDistribution):
    """A plan, or a setting, returning less than 60 % of the distributable surplus by trade."""

    code = "trade_return_below_floor"


@dataclass(frozen=True)
class Sharer:
    """A member sharing in the year's surplus: trade vᵢ and weight wᵢ in fen."""

    holder: str  # "member:<number>"
    trade: int
    weight: int


@dataclass(frozen=True)
class SurplusLine:
    holder: str
    trade: int
    weight: int
    trade_return: int  # rᵢ
    remaining: int  # sᵢ

    @property
    def amount(self) -> int:
        return self.trade_return + self.remaining


@dataclass(frozen=True)
class SurplusPlan:
    """Every figure in fen, and each member's line in member order."""

    year: int
    net_income: int  # 本年盈余
    undistributed_at_start: int  # 年初未分配盈余; below zero, a loss carried forward
    loss_covered: int  # 弥补亏损
    reserve: int  # 提取盈余公积
    distributable: int  # D, 可分配盈余
    trade_return: int  # T, 按交易量返还
    remaining: int  # D − T, 剩余盈余
    reserve_rate: Decimal
    trade_return_rate: Decimal
    lines: tuple[SurplusLine, ...]

    @property
    def to_members(self) -> int:
        return self.distributable

    @property
    def trade_return_percent(self) -> str:
        """T as a percentage of D, two places ("60.00"); "0.00" when nothing is shared."""
        if not self.distributable:
            return "0.00"
        return str((Decimal(self.trade_return * 100) / self.distributable).quantize(
            Decimal("0.01")))


def parse_trade_return_rate(text: object, field: str = "trade_return.rate") -> Decimal:
    """The trade-return rate as a fraction from 0.60 to 1; below 0.60 refused naming Art. 44."""
    rate = parse_rate(text, field, at_most=ONE)
    if rate < TRADE_RETURN_FLOOR:
        raise TradeReturnBelowFloor(f"{rate} is too little: {ART_44}", field=field,
                                    minimum=str(TRADE_RETURN_FLOOR))
    return rate


def _split(sharers: tuple[Sharer, ...], total: int, attribute: str) -> dict[str, int]:
    holdings = [Holding(s.holder, getattr(s, attribute), "member") for s in sharers]
    return {a.holder: a.amount for a in by_total(holdings, total)}


def draft_surplus_plan(*, year: int, net_income: int, undistributed_at_start: int,
                       reserve_rate: str, trade_return_rate: str,
                       sharers: Iterable[Sharer]) -> SurplusPlan:
    """The plan for `year`. Refused, naming the field, for a trade-return rate under 60 %
    (Art. 44), a surplus to return by trade with no member trade to return it by, or a
    remaining surplus with no member weight to share it by. A year without surplus gives
    nothing, and its plan still stands."""
    r_rate = parse_rate(reserve_rate, "reserve.rate", at_most=ONE)
    t_rate = parse_trade_return_rate(trade_return_rate)
    members = tuple(sorted(sharers, key=lambda s: holder_order(s.holder)))
    for s in members:
        if type(s.trade) is not int or type(s.weight) is not int or s.trade < 0 or s.weight < 0:
            raise InvalidDistribution(f"{s.holder}'s trade and weight are not negative",
                                      field="record_date", holder=s.holder)
    loss_covered = min(max(net_income, 0), max(-undistributed_at_start, 0))
    base = max(net_income - loss_covered, 0)
    reserve = round_fen(base * r_rate)
    distributable = base - reserve
    # Rounded up: T ≥ rate × D holds for the fen amount, not only for the exact one.
    trade_return = int((t_rate * distributable).to_integral_value(rounding=ROUND_CEILING))
    remaining = distributable - trade_return
    if trade_return and not sum(s.trade for s in members):
        raise InvalidDistribution("no member trade to return by: no member traded with the "
                                  "cooperative that year", field="trade_return")
    if remaining and not sum(s.weight for s in members):
        raise InvalidDistribution(
            "no member has a contribution, a reserve share or a fund share to share the "
            "remaining surplus by; return all of it by trade (rate 1)", field="trade_return.rate")
    returns = _split(members, trade_return, "trade")
    rests = _split(members, remaining, "weight")
    lines = tuple(SurplusLine(s.holder, s.trade, s.weight, returns[s.holder], rests[s.holder])
                  for s in members)
    return SurplusPlan(
        year=year, net_income=net_income, undistributed_at_start=undistributed_at_start,
        loss_covered=loss_covered, reserve=reserve, distributable=distributable,
        trade_return=trade_return, remaining=remaining, reserve_rate=r_rate,
        trade_return_rate=t_rate, lines=lines)


def equal_shares(holders: Iterable[str], total: int) -> dict[str, int]:
    """`total` fen shared equally, the leftover fen to the lower member numbers: 专项基金份额."""
    holders = list(holders)
    if not holders or total <= 0:
        return dict.fromkeys(holders, 0)
    return {a.holder: a.amount
            for a in by_total([Holding(h, 1, "member") for h in holders], total)}

