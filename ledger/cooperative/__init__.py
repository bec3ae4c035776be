"""A farmers' cooperative (农民专业合作社) beyond what a village keeps: members' contributions and
trade posted to its books (财会〔2021〕37号), and the surplus returned by trade (2017 Law Art. 44),
drafted here and posted and paid through the distribution's machinery.
"""

from ledger.cooperative.contributions import (
    CAPITAL_RESERVE,
    DEFAULT_MONEY_ACCOUNT,
    SHARE_CAPITAL,
    contribution_draft,
    member_party,
)
from ledger.cooperative.member_commands import MemberAccountCommands
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
from ledger.cooperative.trading import (
    APART,
    DEFAULT_PURCHASE,
    MEMBER_ACCOUNT,
    trade_account,
    trade_draft,
)
from ledger.cooperative.voting import AdditionalVotesOverLimit, check_additional_votes

__all__ = [
    "APART",
    "ART_44",
    "CAPITAL_RESERVE",
    "DEFAULT_MONEY_ACCOUNT",
    "DEFAULT_PURCHASE",
    "MEMBER_ACCOUNT",
    "SCHEME",
    "SHARE_CAPITAL",
    "TRADE_RETURN_FLOOR",
    "AdditionalVotesOverLimit",
    "MemberAccountCommands",
    "Sharer",
    "SurplusCommands",
    "SurplusLine",
    "SurplusPlan",
    "TradeReturnBelowFloor",
    "check_additional_votes",
    "contribution_draft",
    "draft_surplus_plan",
    "equal_shares",
    "member_party",
    "parse_trade_return_rate",
    "surplus_figures",
    "surplus_line",
    "surplus_terms",
    "trade_account",
    "trade_draft",
]
