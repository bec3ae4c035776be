"""The year-end distribution (收益分配): the allocation rule that shares an amount among holders
exact to the fen, the year's plan with its figures and refusals, and the distribution itself —
drafted from the books and the share register, decided by the members' meeting, posted with a
line per holder, and paid holder by holder."""

from ledger.distribution.allocation import (
    HOLDER_KINDS,
    Allocated,
    Holding,
    by_rate,
    by_total,
    fen_of,
    holder_order,
    parse_rate,
    round_fen,
    total_of,
)
from ledger.distribution.commands import NOTICE_DAYS, DistributionCommands
from ledger.distribution.distributions import (
    CANCELLED,
    DRAFTED,
    PAID,
    POSTED,
    STAGES,
    Distribution,
    refuse_standing,
)
from ledger.distribution.errors import (
    DistributionNotFound,
    DistributionStateError,
    InvalidDistribution,
    MatterUndecided,
    NegativeHolding,
    NotDisclosedInTime,
    OverDistributable,
    ReserveBelowMinimum,
)
from ledger.distribution.figures import YearFigures, year_figures
from ledger.distribution.holdings import holdings_on, household_members, name_of, payee_of
from ledger.distribution.plan import COLLECTIVE_SHARE, Plan, ReserveRates, ToHolders, draft_plan
from ledger.distribution.slips import draw_codes, lookup_key

__all__ = [
    "CANCELLED",
    "COLLECTIVE_SHARE",
    "DRAFTED",
    "HOLDER_KINDS",
    "NOTICE_DAYS",
    "PAID",
    "POSTED",
    "STAGES",
    "Allocated",
    "Distribution",
    "DistributionCommands",
    "DistributionNotFound",
    "DistributionStateError",
    "Holding",
    "InvalidDistribution",
    "MatterUndecided",
    "NegativeHolding",
    "NotDisclosedInTime",
    "OverDistributable",
    "Plan",
    "ReserveBelowMinimum",
    "ReserveRates",
    "ToHolders",
    "YearFigures",
    "by_rate",
    "by_total",
    "draft_plan",
    "draw_codes",
    "fen_of",
    "holder_order",
    "holdings_on",
    "household_members",
    "lookup_key",
    "name_of",
    "parse_rate",
    "payee_of",
    "refuse_standing",
    "round_fen",
    "total_of",
    "year_figures",
]
