"""What a distribution plan refuses, each naming the field of the command that is at fault."""

from __future__ import annotations

from ledger.kernel.errors import InvalidCommand


class InvalidDistribution(InvalidCommand):
    """A rate, an amount or a holding that no plan may have, whatever the books hold."""

    code = "invalid_distribution"


class ReserveBelowMinimum(InvalidDistribution):
    """The reserve's rates add up to less than the charter's minimum."""

    code = "reserve_below_minimum"


class OverDistributable(InvalidDistribution):
    """The amount to the holders exceeds 可分配收益 less the reserve."""

    code = "over_distributable"


class NegativeHolding(InvalidDistribution):
    """A holder's balance on the record date is below zero: the register is wrong there."""

    code = "negative_holding"
