"""Domain errors carry the rule that was broken, the command field it concerns, and context.

Three families: the command is invalid (InvalidCommand), it conflicts with the state of the books
(Conflict), or it names something that does not exist (NotFound). The HTTP edge maps families.
"""

from __future__ import annotations

from typing import Any


class LedgerError(Exception):
    code = "ledger_error"

    def __init__(self, message: str, *, field: str | None = None, **context: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.context = context


def checked_text(value: str | None, field: str, error: type[LedgerError], *,
                 required: bool = True, limit: int) -> str:
    """A free-text field trimmed: present when required, within its length, else `error`."""
    text = (value or "").strip()
    if required and not text:
        raise error("required", field=field)
    if len(text) > limit:
        raise error(f"at most {limit} characters", field=field)
    return text


class InvalidCommand(LedgerError):
    """The command breaks a rule of the books whatever their state; retrying cannot help."""

    code = "invalid"


class Conflict(LedgerError):
    """The command is well-formed but the books' current state forbids it."""

    code = "conflict"


class NotFound(LedgerError):
    code = "not_found"


class UnbalancedVoucher(InvalidCommand):
    """Debits must equal credits."""

    code = "unbalanced_voucher"


class InvalidVoucherLine(InvalidCommand):
    """A line breaks a voucher rule."""

    code = "invalid_line"


class UnknownAccount(InvalidCommand):
    """No such account in this chart."""

    code = "unknown_account"


class AccountNotLeaf(InvalidCommand):
    """Only leaf accounts take postings."""

    code = "account_not_leaf"


class AccountClosed(InvalidCommand):
    """The account is closed to postings."""

    code = "account_closed"


class PeriodClosed(InvalidCommand):
    """The date falls in a closed month."""

    code = "period_closed"


class DateOutOfRange(InvalidCommand):
    """Before the books or in the future."""

    code = "date_out_of_range"


class InvalidAccount(InvalidCommand):
    """The account cannot be opened so."""

    code = "invalid_account"


class InvalidOrganization(InvalidCommand):
    """Bad registration."""

    code = "invalid_organization"


class OrganizationExists(Conflict):
    """The code is taken."""

    code = "organization_exists"


class AccountExists(Conflict):
    """The code is taken."""

    code = "account_exists"


class AccountInUse(Conflict):
    """The account's history forbids this."""

    code = "account_in_use"


class AccountAlreadyClosed(Conflict):
    """An account is closed once."""

    code = "account_already_closed"


class AlreadyReversed(Conflict):
    """A voucher is reversed at most once."""

    code = "already_reversed"


class NotReversible(Conflict):
    """This kind of voucher cannot be reversed."""

    code = "not_reversible"


class OpeningBalancesExist(Conflict):
    """Opening balances are already posted."""

    code = "opening_exists"


class PeriodAlreadyClosed(Conflict):
    """Closed months stay closed."""

    code = "period_already_closed"


class PeriodNotClosable(Conflict):
    """The month cannot be closed yet."""

    code = "period_not_closable"


class OrganizationNotFound(NotFound):
    """No such organization."""

    code = "organization_not_found"


class VoucherNotFound(NotFound):
    """No such voucher."""

    code = "voucher_not_found"


class AccountNotFound(NotFound):
    """No such account."""

    code = "account_not_found"


class IdempotencyKeyReused(InvalidCommand):
    """The Idempotency-Key was already used for a different request."""

    code = "idempotency_key_reused"


class ConcurrentUpdate(Conflict):
    """Others kept changing the same books; nothing was written. Try again."""

    code = "concurrent_update"


class InvalidUser(InvalidCommand):
    """A user cannot be registered or changed so."""

    code = "invalid_user"


class UserExists(Conflict):
    """The login name is taken."""

    code = "user_exists"


class UserNotFound(NotFound):
    """No such user."""

    code = "user_not_found"


class RoleAlreadyHeld(Conflict):
    """The user already holds this role there."""

    code = "role_already_held"


class RoleNotHeld(Conflict):
    """The user does not hold this role there."""

    code = "role_not_held"


class TokenNotFound(NotFound):
    """No such token of this user."""

    code = "token_not_found"


class TokenAlreadyRevoked(Conflict):
    """A token is revoked once."""

    code = "token_already_revoked"


class InvalidDisclosure(InvalidCommand):
    """A disclosure command breaks a rule of the disclosure workflow."""

    code = "invalid_disclosure"


class DisclosureStateError(Conflict):
    """The disclosure's stage in its workflow forbids the command (e.g. it is published)."""

    code = "disclosure_state"


class NotOnPanel(Conflict):
    """Only the committee members the disclosure was submitted to may sign or refuse it."""

    code = "not_on_panel"


class DisclosureNotFound(NotFound):
    code = "disclosure_not_found"


class InvalidQuestion(InvalidCommand):
    code = "invalid_question"


class QuestionStateError(Conflict):
    code = "question_state"


class QuestionNotFound(NotFound):
    code = "question_not_found"


class InvalidSetting(InvalidCommand):
    code = "invalid_setting"


class InvalidMatter(InvalidCommand):
    code = "invalid_matter"


class MatterStateError(Conflict):
    """The matter's stage in 四议两公开 forbids the command (e.g. it was stopped)."""

    code = "matter_state"


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


class InvalidRedFlag(InvalidCommand):
    code = "invalid_warning"


class RedFlagStateError(Conflict):
    code = "warning_state"


class RedFlagNotFound(NotFound):
    code = "warning_not_found"


class InvalidMember(InvalidCommand):
    code = "invalid_member"


class MembershipNotEnded(InvalidCommand):
    """The law says this reason does not end membership (Rural Collective Economic Organization
    Law Art. 18): study, military service, migrant work, divorce, imprisonment."""

    code = "membership_not_ended"


class MemberStateError(Conflict):
    """Already a member, no longer a member, or the household does not allow it."""

    code = "member_state"


class MemberNotFound(NotFound):
    code = "member_not_found"


class HouseholdNotFound(NotFound):
    code = "household_not_found"


class InvalidShares(InvalidCommand):
    code = "invalid_shares"


class SharesStateError(Conflict):
    """Not yet quantified, already quantified, or the holder does not have the shares."""

    code = "shares_state"


class ShareCapExceeded(Conflict):
    """A holder's cap (e.g. 3 %) or the collective share's cap (e.g. 30 %) would be passed."""

    code = "share_cap_exceeded"


class InvalidMemberAccount(InvalidCommand):
    code = "invalid_member_account"


class MemberAccountStateError(Conflict):
    code = "member_account_state"


class ImportRejected(InvalidCommand):
    """A spreadsheet with any bad row imports nothing; `context["rows"]` names every problem."""

    code = "import_rejected"


class BooksNotKept(Conflict):
    """The organization's chart of accounts is not available yet, so it keeps no books here."""

    code = "books_not_kept"
