"""The year-end distribution (收益分配): the allocation rule that shares an amount among holders
exact to the fen, and the year's plan with its figures and refusals. Pure rules on given figures;
the books and the register are read elsewhere."""

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
from ledger.distribution.errors import (
    InvalidDistribution,
    NegativeHolding,
    OverDistributable,
    ReserveBelowMinimum,
)
from ledger.distribution.plan import COLLECTIVE_SHARE, Plan, ReserveRates, ToHolders, draft_plan

__all__ = [
    "COLLECTIVE_SHARE",
    "HOLDER_KINDS",
    "Allocated",
    "Holding",
    "InvalidDistribution",
    "NegativeHolding",
    "OverDistributable",
    "Plan",
    "ReserveBelowMinimum",
    "ReserveRates",
    "ToHolders",
    "by_rate",
    "by_total",
    "draft_plan",
    "fen_of",
    "holder_order",
    "parse_rate",
    "round_fen",
    "total_of",
]
