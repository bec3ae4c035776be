"""What a distribution plan refuses, each naming the field of the command that is at fault."""

from __future__ import annotations

from ledger.kernel.errors import Conflict, InvalidCommand, NotFound


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


class DistributionStateError(Conflict):
    """The distribution's stage forbids the command: posted twice, a holder paid twice, a plan
    for a year that already has one standing."""

    code = "distribution_state"


class DistributionNotFound(NotFound):
    code = "distribution_not_found"


class NotDisclosedInTime(Conflict):
    """The members' meeting may decide a plan only when the plan and the year's statements were
    disclosed at least ten days before (2024 Law Art. 46)."""

    code = "not_disclosed_in_time"


class MatterUndecided(Conflict):
    """A plan is posted only after the members' meeting decided its matter."""

    code = "matter_undecided"
