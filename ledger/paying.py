"""The application's commands for spending: request, approve, reject, withdraw, and pay.

Paying is one atomic write of everything it touches: the books number the voucher, the request
records it, the matter's budget and the grant's balance are charged, the payment register grows,
and any red flag the payment shows is raised. A conflicting writer decides again on fresh state.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

from eventsourcing.application import AggregateNotFoundError

from ledger.aggregate import LedgerAggregate
from ledger.books import Books
from ledger.errors import GrantNotFound, InvalidSpending, LedgerError, SpendingNotFound
from ledger.grants import Grant
from ledger.idempotency import RequestKey
from ledger.matters import Matter
from ledger.money import format_fen
from ledger.numbering import NumberBook
from ledger.organizations import Organization
from ledger.payments import PaymentRegister
from ledger.red_flags import RedFlag, cash_crossed, looks_split
from ledger.spending import RESOLUTION, SpendingRequest
from ledger.users import User
from ledger.vouchers import Line, Voucher, VoucherDraft

APPROVER_ROLES = ("finance_lead", "committee", "supervisor")
NOT_SPENT_ON = ("income",)  # spending is charged to costs, expenses, assets or liabilities


class _Application(Protocol):
    clock: Callable[[], date]
    repository: Any

    def _write(self, lock_key: str, request: RequestKey | None, actor: str,
               decide: Callable[[], tuple[Any, list[LedgerAggregate]]]) -> Any: ...

    def organization(self, code: str) -> Organization: ...

    def books(self, org: str) -> Books: ...

    def user(self, login: str) -> User: ...

    def matter(self, org: str, number: str) -> Matter: ...

    def grant(self, org: str, number: str) -> Grant: ...

    def spending_request(self, org: str, number: str) -> SpendingRequest: ...

    def number_book(self, org: str, series: str, year: int, actor: str) -> NumberBook: ...

    def payment_register(self, org: str, year: int, actor: str) -> PaymentRegister: ...


def cash_flags(organization: Organization, books: Books, before: int, voucher: Voucher,
               actor: str) -> list[LedgerAggregate]:
    """The cash-over-limit warning, when this posting takes cash on hand over the limit."""
    after = books.balance_within(books.chart_spec.cash)
    limit = organization.setting("cash_limit")
    if not cash_crossed(before, after, limit):
        return []
    return [RedFlag.raise_(
        org=voucher.org, kind="cash_over_limit", key=voucher.number, on=voucher.date,
        message=f"cash on hand {format_fen(after)} is above the limit of {format_fen(limit)}",
        trigger={"voucher": voucher.number, "before": format_fen(before),
                 "after": format_fen(after), "limit": format_fen(limit)}, actor=actor)]


def check_money_account(books: Books, code: str, field: str,
                        error: type[LedgerError]) -> None:
    """Money is paid from, and received into, cash or a bank account that takes postings."""
    if not any(code.startswith(m) for m in books.chart_spec.money):
        raise error("cash or a bank account", field=field, accounts=books.chart_spec.money)
    books.check_account(code, field)


class SpendingCommands:
    def spending_request(self: _Application, org: str, number: str) -> SpendingRequest:
        try:
            found: SpendingRequest = self.repository.get(SpendingRequest.id_for(org, number))
        except AggregateNotFoundError:
            raise SpendingNotFound(f"no spending request {number}", request=number) from None
        return found

    def grant(self: _Application, org: str, number: str) -> Grant:
        try:
            found: Grant = self.repository.get(Grant.id_for(org, number))
        except AggregateNotFoundError:
            raise GrantNotFound(f"no grant {number}", grant=number) from None
        return found

    def payment_register(self: _Application, org: str, year: int,
                         actor: str) -> PaymentRegister:
        try:
            found: PaymentRegister = self.repository.get(PaymentRegister.id_for(org, year))
        except AggregateNotFoundError:
            found = PaymentRegister.open(org=org, year=year, actor=actor)
        return found

    def request_spending(
        self: _Application, org: str, *, on: date, payee: str, purpose: str, amount: int,
        account: str, fund_source: str = "collective", grant: str | None = None,
        matter: str | None = None, receipt_count: int = 0,
        receipt_digests: list[str] | None = None, actor: str,
        request: RequestKey | None = None,
    ) -> Any:
        def decide() -> tuple[SpendingRequest, list[LedgerAggregate]]:
            organization = self.organization(org)
            books = self.books(org)
            books.check_account(account, "account")
            category = books.accounts[account]["category"]
            if category in NOT_SPENT_ON or any(account.startswith(m)
                                               for m in books.chart_spec.money):
                raise InvalidSpending("spending is charged to a cost, expense, asset or "
                                      "liability account, not to income or money",
                                      field="account", account=account)
            numbers = self.number_book(org, "spending", on.year, actor)
            spending = SpendingRequest.request(
                org=org, number=numbers.take(actor), on=on, today=self.clock(), payee=payee,
                purpose=purpose, amount=amount, account=account, fund_source=fund_source,
                grant=grant or None, matter=matter or None, receipt_count=receipt_count,
                receipt_digests=list(receipt_digests or ()),
                finance_lead_max=organization.setting("approval_finance_lead_max"),
                committees_max=organization.setting("approval_committees_max"), actor=actor)
            _check_sources(self, org, spending, amount)
            return spending, [numbers, spending]

        return self._write(f"{org}/spending", request, actor, decide)

    def approve_spending(self: _Application, org: str, number: str, *, approver: str,
                         note: str = "", request: RequestKey | None = None) -> Any:
        def decide() -> tuple[SpendingRequest, list[LedgerAggregate]]:
            spending = self.spending_request(org, number)
            roles = {r for r in APPROVER_ROLES if self.user(approver).holds(org, r)}
            if spending.level == RESOLUTION:
                # Nobody approves beyond what the meeting decided; paying checks it again.
                _check_sources(self, org, spending, spending.amount)
            spending.approve(approver=approver, roles=roles, note=note)
            return spending, [spending]

        return self._write(f"{org}/spending/{number}", request, approver, decide)

    def reject_spending(self: _Application, org: str, number: str, *, approver: str,
                        reason: str, request: RequestKey | None = None) -> Any:
        def decide() -> tuple[SpendingRequest, list[LedgerAggregate]]:
            spending = self.spending_request(org, number)
            roles = {r for r in APPROVER_ROLES if self.user(approver).holds(org, r)}
            spending.reject(approver=approver, roles=roles, reason=reason)
            return spending, [spending]

        return self._write(f"{org}/spending/{number}", request, approver, decide)

    def withdraw_spending(self: _Application, org: str, number: str, *, reason: str,
                          actor: str, request: RequestKey | None = None) -> Any:
        def decide() -> tuple[SpendingRequest, list[LedgerAggregate]]:
            spending = self.spending_request(org, number)
            spending.withdraw(reason=reason, actor=actor)
            return spending, [spending]

        return self._write(f"{org}/spending/{number}", request, actor, decide)

    def attach_spending_receipts(self: _Application, org: str, number: str, *, count: int,
                                 digests: list[str], actor: str,
                                 request: RequestKey | None = None) -> Any:
        def decide() -> tuple[SpendingRequest, list[LedgerAggregate]]:
            spending = self.spending_request(org, number)
            spending.attach_receipts(count=count, digests=digests, actor=actor)
            return spending, [spending]

        return self._write(f"{org}/spending/{number}", request, actor, decide)

    def pay_spending(self: _Application, org: str, number: str, *, on: date, amount: int,
                     paid_from: str, actor: str, request: RequestKey | None = None) -> Any:
        """Post the payment voucher of an approved request; returns the request, paid."""
        def decide() -> tuple[SpendingRequest, list[LedgerAggregate]]:
            organization = self.organization(org)
            books = self.books(org)
            spending = self.spending_request(org, number)
            spending.check_payable(amount)
            check_money_account(books, paid_from, "paid_from", InvalidSpending)
            draft = VoucherDraft(
                date=on, summary=f"{spending.purpose}（付{spending.payee}，{spending.number}）"[
                    :200],
                lines=(Line(spending.account, debit=amount),
                       Line(paid_from, credit=amount)),
                attachments=spending.receipt_count,
                receipt_digests=tuple(spending.receipt_digests))
            cash_before = books.balance_within(books.chart_spec.cash)
            voucher = Voucher.post(org=org, number=books.enter_voucher(
                draft, today=self.clock(), actor=actor), draft=draft, actor=actor)
            spending.pay(voucher=voucher.number, on=on, amount=amount, paid_from=paid_from,
                         actor=actor)
            changed: list[LedgerAggregate] = [books, voucher, spending]
            flags: list[LedgerAggregate] = []
            if spending.matter:
                matter = self.matter(org, spending.matter)
                if not matter.decided:
                    flags.append(_flag(spending, voucher, "spent_before_decision", actor,
                                       f"paid for matter {matter.number} before its decision "
                                       f"({matter.status})", matter=matter.number,
                                       status=matter.status))
                matter.charge(request=spending.number, voucher=voucher.number,
                              account=spending.account, amount=amount, actor=actor)
                changed.append(matter)
            if spending.grant:
                grant = self.grant(org, spending.grant)
                grant.spend(request=spending.number, voucher=voucher.number,
                            account=spending.account, matter=spending.matter, amount=amount,
                            actor=actor)
                changed.append(grant)
            if not spending.has_receipts:
                flags.append(_flag(spending, voucher, "no_receipt", actor,
                                   "paid with no receipt attached (白条)"))
            registers = _registers(self, org, on.year, actor)
            earlier = [p for register in registers for p in register.payments]
            current = registers[-1].record(request=spending.number, voucher=voucher.number,
                                           on=on, payee=spending.payee,
                                           purpose=spending.purpose, amount=amount, actor=actor)
            split = looks_split(current, earlier, window_days=organization.setting(
                "split_window_days"), thresholds=[
                    organization.setting("approval_finance_lead_max"),
                    organization.setting("approval_committees_max")])
            if split is not None:
                flags.append(_flag(spending, voucher, "split_payment", actor,
                                   f"payments to one payee or for one purpose within "
                                   f"{split['window_days']} days total {split['total']}, each "
                                   f"at most {split['threshold']}", **split))
            flags += cash_flags(organization, books, cash_before, voucher, actor)
            return spending, [*changed, *registers, *flags]

        return self._write(org, request, actor, decide)


def _registers(app: _Application, org: str, year: int, actor: str) -> list[PaymentRegister]:
    """This year's register, after last year's when it exists: the window may cross New Year."""
    try:
        last_year = [app.repository.get(PaymentRegister.id_for(org, year - 1))]
    except AggregateNotFoundError:
        last_year = []
    return [*last_year, app.payment_register(org, year, actor)]


def _flag(spending: SpendingRequest, voucher: Voucher, kind: str, actor: str, message: str,
          **trigger: Any) -> RedFlag:
    return RedFlag.raise_(org=spending.org, kind=kind, key=spending.number, on=voucher.date,
                          message=message, trigger={"request": spending.number,
                                                    "voucher": voucher.number,
                                                    "payee": spending.payee,
                                                    "amount": format_fen(spending.amount),
                                                    **trigger}, actor=actor)


def _check_sources(app: _Application, org: str, spending: SpendingRequest, amount: int) -> None:
    """The matter and the grant the money comes from can bear it."""
    if spending.matter:
        try:
            matter = app.matter(org, spending.matter)
        except LedgerError:
            raise InvalidSpending(f"no matter {spending.matter}", field="matter") from None
        if spending.level == RESOLUTION and not matter.decided:
            raise InvalidSpending(
                f"matter {matter.number} is {matter.status}; spending above the committees' "
                "limit needs its resolution decided", field="matter", status=matter.status)
        matter.check_charge(spending.account, amount)
    if spending.grant:
        try:
            grant = app.grant(org, spending.grant)
        except LedgerError:
            raise InvalidSpending(f"no grant {spending.grant}", field="grant") from None
        if (grant.kind == "yishiyiyi") != (spending.fund_source == "yishiyiyi"):
            raise InvalidSpending(f"grant {grant.number} is {grant.kind} money",
                                  field="fund_source")
        grant.check_spending(account=spending.account, matter=spending.matter, amount=amount)
