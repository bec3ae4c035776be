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
from ledger.cooperative.trading import (
    APART,
    DEFAULT_PURCHASE,
    MEMBER_ACCOUNT,
    trade_account,
    trade_draft,
)

__all__ = [
    "APART",
    "CAPITAL_RESERVE",
    "DEFAULT_MONEY_ACCOUNT",
    "DEFAULT_PURCHASE",
    "MEMBER_ACCOUNT",
    "SHARE_CAPITAL",
    "MemberAccountCommands",
    "contribution_draft",
    "member_party",
    "trade_account",
    "trade_draft",
]
