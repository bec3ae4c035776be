"""The books (账簿) of an organization: the organization itself and its settings, its chart and
sub-accounts (科目), vouchers (记账凭证) and their reversal, months and the year-end close, the
numbering of vouchers and documents, the saved voucher templates (常用凭证), warnings (预警), and
the posting service every command that posts a voucher uses."""

from ledger.books.accounts import ancestors
from ledger.books.books import Books
from ledger.books.commands import BooksCommands, PartyCheck
from ledger.books.errors import (
    AccountAlreadyClosed,
    AccountClosed,
    AccountExists,
    AccountInUse,
    AccountNotFound,
    AccountNotLeaf,
    AlreadyReversed,
    BooksNotKept,
    DateOutOfRange,
    InsufficientFunds,
    InvalidAccount,
    InvalidOrganization,
    InvalidRedFlag,
    InvalidVoucherLine,
    NotReversible,
    OpeningBalancesExist,
    OrganizationExists,
    OrganizationNotFound,
    PaidByAnotherRecord,
    PeriodAlreadyClosed,
    PeriodClosed,
    PeriodNotClosable,
    RedFlagNotFound,
    RedFlagStateError,
    UnbalancedVoucher,
    UnknownAccount,
    VoucherNotFound,
)
from ledger.books.importing import MAX_VOUCHERS, RowProblem, SheetVoucher, VouchersRejected
from ledger.books.numbering import NumberBook
from ledger.books.organizations import (
    DEFAULT_SETTINGS,
    MATTER_CATEGORIES,
    MATTER_STEPS,
    NO_BOOKS,
    RESERVED,
    Organization,
    default_settings,
    parse_fraction,
)
from ledger.books.organizations import (
    KINDS as ORG_KINDS,
)
from ledger.books.periods import Period
from ledger.books.posting import Posted, check_money_account, post
from ledger.books.red_flags import (
    KINDS as WARNING_KINDS,
)
from ledger.books.red_flags import (
    MAX_REASON,
    RedFlag,
    cash_crossed,
    red_flag_id,
)
from ledger.books.sheet_imports import SheetAlreadyImported, VoucherSheet, canonical
from ledger.books.voucher_templates import (
    MAX_TEMPLATES,
    VoucherTemplateNotFound,
    VoucherTemplates,
)
from ledger.books.vouchers import (
    MAX_DIGESTS,
    MAX_LINES,
    MAX_MEMO,
    MAX_SUMMARY,
    Line,
    Voucher,
    VoucherDraft,
    voucher_id,
)
from ledger.books.year_end import closing_drafts, is_swept

__all__ = [
    "DEFAULT_SETTINGS",
    "MATTER_CATEGORIES",
    "MATTER_STEPS",
    "MAX_DIGESTS",
    "MAX_LINES",
    "MAX_MEMO",
    "MAX_REASON",
    "MAX_SUMMARY",
    "MAX_TEMPLATES",
    "MAX_VOUCHERS",
    "NO_BOOKS",
    "ORG_KINDS",
    "RESERVED",
    "WARNING_KINDS",
    "AccountAlreadyClosed",
    "AccountClosed",
    "AccountExists",
    "AccountInUse",
    "AccountNotFound",
    "AccountNotLeaf",
    "AlreadyReversed",
    "Books",
    "BooksCommands",
    "BooksNotKept",
    "DateOutOfRange",
    "InsufficientFunds",
    "InvalidAccount",
    "InvalidOrganization",
    "InvalidRedFlag",
    "InvalidVoucherLine",
    "Line",
    "NotReversible",
    "NumberBook",
    "OpeningBalancesExist",
    "Organization",
    "OrganizationExists",
    "OrganizationNotFound",
    "PaidByAnotherRecord",
    "PartyCheck",
    "Period",
    "PeriodAlreadyClosed",
    "PeriodClosed",
    "PeriodNotClosable",
    "Posted",
    "RedFlag",
    "RedFlagNotFound",
    "RedFlagStateError",
    "RowProblem",
    "SheetAlreadyImported",
    "SheetVoucher",
    "UnbalancedVoucher",
    "UnknownAccount",
    "Voucher",
    "VoucherDraft",
    "VoucherNotFound",
    "VoucherSheet",
    "VoucherTemplateNotFound",
    "VoucherTemplates",
    "VouchersRejected",
    "ancestors",
    "canonical",
    "cash_crossed",
    "check_money_account",
    "closing_drafts",
    "default_settings",
    "is_swept",
    "parse_fraction",
    "post",
    "red_flag_id",
    "voucher_id",
]
