"""What spending refuses: matters out of turn or over budget, spending requests, receipts and
grants."""

from __future__ import annotations

from ledger.kernel.errors import Conflict, InvalidCommand, NotFound


class InvalidMatter(InvalidCommand):
    code = "invalid_matter"


class MatterStateError(Conflict):
    """The matter's stage in 四议两公开 forbids the command (e.g. it was stopped)."""

    code = "matter_state"


class MeetingWouldStop(Conflict):
    """The meeting as typed misses its quorum or its vote, and the command asked to record it
    only if it carries (the desk, until the person confirms the meeting was so): nothing is
    written; recorded, it would stop the matter for good."""

    code = "meeting_would_stop"


class OverBudget(Conflict):
    """The spending would take a resolution, a budget line or a grant beyond what is left."""

    code = "over_budget"


class MatterNotFound(NotFound):
    code = "matter_not_found"


class InvalidSpending(InvalidCommand):
    code = "invalid_spending"


class SpendingStateError(Conflict):
    """Not approved, already paid, withdrawn or rejected."""

    code = "spending_state"


class NotAnApprover(Conflict):
    """The requester cannot approve their own request; nor can anyone twice, or without the role."""

    code = "not_an_approver"


class SpendingNotFound(NotFound):
    code = "spending_request_not_found"


class InvalidReceipt(InvalidCommand):
    code = "invalid_receipt"


class ReceiptNotFound(NotFound):
    code = "receipt_not_found"


class InvalidGrant(InvalidCommand):
    code = "invalid_grant"


class GrantMisuse(Conflict):
    """Earmarked money spent on anything but its purpose."""

    code = "grant_misuse"


class GrantNotFound(NotFound):
    code = "grant_not_found"
