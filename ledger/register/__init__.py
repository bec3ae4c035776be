"""The member roll (成员名册) and the share register (股权登记簿): households and members, share
classes and every movement of shares; a cooperative's member accounts (成员账户) and trade; and
importing the roll from a spreadsheet."""

from ledger.register.commands import RegisterCommands
from ledger.register.corrections import changed_details
from ledger.register.errors import (
    HouseholdNotFound,
    ImportRejected,
    InvalidMember,
    InvalidMemberAccount,
    InvalidShares,
    MemberAccountStateError,
    MemberNotFound,
    MembershipNotEnded,
    MemberStateError,
    ShareCapExceeded,
    SharesStateError,
)
from ledger.register.importing import MAX_ROWS, Problem, Quantification, RollRow
from ledger.register.member_accounts import FORMS, MemberAccount, exit_effective
from ledger.register.members import Household, MemberRoll, Person
from ledger.register.membership_rules import (
    CONFIRM_BASES,
    END_BASES,
    NEEDS_RESOLUTION,
    NOT_ENDING,
    SEXES,
)
from ledger.register.share_rules import KINDS, MAX_QUANTITY, ShareClass
from ledger.register.shares import BASES, ShareRegister
from ledger.register.trades import DIRECTIONS, TradeBook

__all__ = [
    "BASES",
    "CONFIRM_BASES",
    "DIRECTIONS",
    "END_BASES",
    "FORMS",
    "KINDS",
    "MAX_QUANTITY",
    "MAX_ROWS",
    "NEEDS_RESOLUTION",
    "NOT_ENDING",
    "SEXES",
    "Household",
    "HouseholdNotFound",
    "ImportRejected",
    "InvalidMember",
    "InvalidMemberAccount",
    "InvalidShares",
    "MemberAccount",
    "MemberAccountStateError",
    "MemberNotFound",
    "MemberRoll",
    "MemberStateError",
    "MembershipNotEnded",
    "Person",
    "Problem",
    "Quantification",
    "RegisterCommands",
    "RollRow",
    "ShareCapExceeded",
    "ShareClass",
    "ShareRegister",
    "SharesStateError",
    "TradeBook",
    "changed_details",
    "exit_effective",
]
