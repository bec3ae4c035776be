"""Every command that posts a voucher (an entry, a reversal, a payment, a receipt, a grant, a
distribution) posts it here: the books give it the next number of its month, the voucher is
posted, and when the posting takes cash on hand over the organization's limit a warning (预警)
is raised in the same write (as when an accountant's voucher pays for spending with no
receipt). The cash limit is a rule of the books, whatever made the posting; a payment the
product makes from cash on hand is refused beyond what the till holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ledger.books.accounts import is_within
from ledger.books.books import Books
from ledger.books.cash_days import ends_of_days
from ledger.books.errors import InsufficientFunds
from ledger.books.organizations import Organization
from ledger.books.red_flags import RedFlag, cash_crossed, cash_went_negative
from ledger.books.vouchers import MAX_GENERATED_LINES, MAX_LINES, Voucher, VoucherDraft
from ledger.kernel.aggregate import LedgerAggregate
from ledger.kernel.errors import LedgerError
from ledger.kernel.money import format_fen


@dataclass(frozen=True)
class Posted:
    voucher: Voucher
    warnings: list[RedFlag]

    @property
    def changed(self) -> list[LedgerAggregate]:
        """The voucher and its warnings, to be written with the command's other aggregates."""
        return [self.voucher, *self.warnings]


def post(organization: Organization, books: Books, draft: VoucherDraft, *, today: date,
         actor: str, reverses: str | None = None, reason: str | None = None,
         generated: bool = False, pays_from: str | None = None) -> Posted:
    """Number and post `draft` in `books`; the caller writes `books` and `Posted.changed`.
    A `generated` voucher (a distribution's, a line per holder) and the reversal of one may
    have more lines than a person would enter. `pays_from`: the account a payment the product
    makes is paid from, held to what it holds (`check_funds`)."""
    if pays_from is not None:
        check_funds(books, pays_from, sum(line.credit - line.debit for line in draft.lines
                                          if line.account == pays_from), "paid_from")
    number = books.enter_voucher(draft, today=today, actor=actor, reverses=reverses)
    limit = MAX_GENERATED_LINES if generated or reverses is not None else MAX_LINES
    voucher = Voucher.post(org=books.org, number=number, draft=draft, actor=actor,
                           reverses=reverses, reason=reason, max_lines=limit)
    return Posted(voucher, cash_warnings(organization, books, voucher, actor))


def cash_warnings(organization: Organization, books: Books, voucher: Voucher,
                  actor: str) -> list[RedFlag]:
    """The cash warnings this posting shows: cash on hand taken below zero, or over the limit,
    at the end of the voucher's day or of a later day it moved (a voucher dated back moves
    them all), named by the first such day and its balance."""
    cash = books.chart_spec.cash
    moved = sum(line["debit"] - line["credit"] for line in voucher.lines
                if is_within(line["account"], cash))
    if not moved:
        return []
    total = books.balance_within(cash)
    ends = (ends_of_days(total, books.cash_days, voucher.date) if books.cash_days is not None
            else [(voucher.date, total)])
    below = [(day, after) for day, after in ends if cash_went_negative(after - moved, after)]
    if below:
        day, after = below[0]
        return [RedFlag.raise_(
            org=voucher.org, kind="cash_negative", key=voucher.number, on=day,
            message=f"cash on hand {format_fen(after)} is below zero",
            trigger={"voucher": voucher.number, "before": format_fen(after - moved),
                     "after": format_fen(after)}, actor=actor)]
    limit = organization.setting("cash_limit")
    over = [(day, after) for day, after in ends if cash_crossed(after - moved, after, limit)]
    if not over:
        return []
    day, after = over[0]
    return [RedFlag.raise_(
        org=voucher.org, kind="cash_over_limit", key=voucher.number, on=day,
        message=f"cash on hand {format_fen(after)} is above the limit of {format_fen(limit)}",
        trigger={"voucher": voucher.number, "before": format_fen(after - moved),
                 "after": format_fen(after), "limit": format_fen(limit)}, actor=actor)]


def receipt_warnings(books: Books, voucher: Voucher, actor: str) -> list[RedFlag]:
    """A voucher an accountant posts that pays money out for spending (cash or a bank account
    credited, an expense or cost account debited) with no document attached, neither counted
    nor scanned: spending backed by nothing (白条), the first thing an auditor looks for. A
    transfer between money accounts, a payment of a debt or an advance pays for no spending
    here; the receipt belongs to the voucher that records it."""
    if voucher.kind != "regular" or voucher.attachments or voucher.receipt_digests:
        return []
    money = books.chart_spec.money
    paid = sum(line["credit"] - line["debit"] for line in voucher.lines
               if line["account"].startswith(money))
    spent = [line["account"] for line in voucher.lines if line["debit"] > 0
             and books.accounts[line["account"]]["category"] in ("expense", "cost")]
    if paid <= 0 or not spent:
        return []
    return [RedFlag.raise_(
        org=voucher.org, kind="no_receipt", key=voucher.number, on=voucher.date,
        message=f"voucher {voucher.number} pays {format_fen(paid)} for spending with no "
                "receipt attached",
        trigger={"voucher": voucher.number, "amount": format_fen(paid), "accounts": spent},
        actor=actor)]


def check_money_account(books: Books, code: str, field: str,
                        error: type[LedgerError]) -> None:
    """Money is paid from, and received into, cash or a bank account that takes postings."""
    if not any(code.startswith(m) for m in books.chart_spec.money):
        raise error("cash or a bank account", field=field, accounts=books.chart_spec.money)
    books.check_account(code, field)


def check_funds(books: Books, code: str, amount: int, field: str) -> None:
    """A payment the product makes (a spending request paid, a distribution paid out) from cash
    on hand takes no more than the till holds: cash below zero is money nobody has (the cash
    rules: the cash journal never shows a credit balance). A bank account's balance in the
    books may lag its statement, so a payment from the bank is not held to it."""
    if not code.startswith(books.chart_spec.cash):
        return
    available = books.balance_within(code)
    if amount > available:
        raise InsufficientFunds(
            f"{code} holds {format_fen(available)}; paying {format_fen(amount)} would take it "
            "below zero", field=field, account=code, available=format_fen(available),
            amount=format_fen(amount))
