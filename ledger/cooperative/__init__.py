"""A farmers' cooperative (农民专业合作社) beyond what a village keeps: members' contributions and
trade posted to its books (财会〔2021〕37号), and the surplus returned by trade (2017 Law Art. 44),
drafted here and posted and paid through the distribution's machinery.
"""

from ledger.cooperative.surplus import (
    ART_44,
    TRADE_RETURN_FLOOR,
    Sharer,
    SurplusLine,
    SurplusPlan,
    TradeReturnBelowFloor,
    draft_surplus_plan,
    equal_shares,
    parse_trade_return_rate,
)
from ledger.cooperative.surplus_commands import (
    SCHEME,
    SurplusCommands,
    surplus_figures,
    surplus_line,
    surplus_terms,
)
from ledger.cooperative.voting import AdditionalVotesOverLimit, check_additional_votes

__all__ = [
    "ART_44",
    "SCHEME",
    "TRADE_RETURN_FLOOR",
    "AdditionalVotesOverLimit",
    "Sharer",
    "SurplusCommands",
    "SurplusLine",
    "SurplusPlan",
    "TradeReturnBelowFloor",
    "check_additional_votes",
    "draft_surplus_plan",
    "equal_shares",
    "parse_trade_return_rate",
    "surplus_figures",
    "surplus_line",
    "surplus_terms",
]
