"""What the books refuse: unbalanced or malformed vouchers, accounts and months that do not allow
a posting, organizations and their settings, warnings."""

from __future__ import annotations

from ledger.kernel.errors import Conflict, InvalidCommand, NotFound


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


class PaidByAnotherRecord(Conflict):
    """A payment's voucher is reversed with the record it paid (a spending request, a
    distribution), not alone: alone, the record would still say paid."""

    code = "paid_by_another_record"


class InsufficientFunds(Conflict):
    """A payment the product makes from cash on hand cannot take more than the till holds."""

    code = "insufficient_funds"


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


class InvalidSetting(InvalidCommand):
    code = "invalid_setting"


class InvalidRedFlag(InvalidCommand):
    code = "invalid_warning"


class RedFlagStateError(Conflict):
    code = "warning_state"


class RedFlagNotFound(NotFound):
    code = "warning_not_found"


class BooksNotKept(Conflict):
    """The organization's chart of accounts is not available yet, so it keeps no books here."""

    code = "books_not_kept"
