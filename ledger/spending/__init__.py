"""Spending and income under democratic decision: matters decided by 四议两公开 (事项),
spending requests (支出申请) approved up the ladder and paid, receipts (收款收据) and earmarked
grants (专项应付款, 一事一议资金), and the payment register that shows split payments."""

from ledger.spending.commands import SpendingCommands
from ledger.spending.errors import (
    GrantMisuse,
    GrantNotFound,
    InvalidMatter,
    InvalidSpending,
    MatterNotFound,
    MatterStateError,
    MeetingWouldStop,
    NotAnApprover,
    OverBudget,
    ReceiptNotFound,
    SpendingNotFound,
    SpendingStateError,
)
from ledger.spending.grants import KINDS, Grant
from ledger.spending.matters import (
    CARRIED_OUT,
    DECIDING_BODIES,
    MAX_TEXT,
    MEETINGS,
    PASSED,
    PROPOSERS,
    RESOLUTION_DISCLOSED,
    RESULT_DISCLOSED,
    STOPPED,
    Matter,
)
from ledger.spending.meetings import MAX_LINES, meets
from ledger.spending.payments import PaymentRegister, looks_split
from ledger.spending.receipts import CATEGORIES, Receipt
from ledger.spending.spending_requests import (
    APPROVED,
    FUND_SOURCES,
    MAX_DIGESTS,
    PAID,
    PENDING,
    REJECTED,
    WITHDRAWN,
    SpendingRequest,
    ladder_level,
)

__all__ = [
    "APPROVED",
    "CARRIED_OUT",
    "CATEGORIES",
    "DECIDING_BODIES",
    "FUND_SOURCES",
    "KINDS",
    "MAX_DIGESTS",
    "MAX_LINES",
    "MAX_TEXT",
    "MEETINGS",
    "PAID",
    "PASSED",
    "PENDING",
    "PROPOSERS",
    "REJECTED",
    "RESOLUTION_DISCLOSED",
    "RESULT_DISCLOSED",
    "STOPPED",
    "WITHDRAWN",
    "Grant",
    "GrantMisuse",
    "GrantNotFound",
    "InvalidMatter",
    "InvalidSpending",
    "Matter",
    "MatterNotFound",
    "MatterStateError",
    "MeetingWouldStop",
    "NotAnApprover",
    "OverBudget",
    "PaymentRegister",
    "Receipt",
    "ReceiptNotFound",
    "SpendingCommands",
    "SpendingNotFound",
    "SpendingRequest",
    "SpendingStateError",
    "ladder_level",
    "looks_split",
    "meets",
]
