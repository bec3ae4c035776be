"""The commands of spending requests (支出申请): request, approve, reject, withdraw, attach
receipts, and pay.

Paying is one atomic write of everything it touches: the books number the voucher, the request
records it, the matter's budget and the grant's balance are charged, the payment register grows,
and every warning the payment shows is raised. A conflicting writer decides again on fresh state.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from ledger.books import (
    Line,
    Organization,
    RedFlag,
    Voucher,
    VoucherDraft,
    check_money_account,
    post,
)
from ledger.kernel.aggregate import LedgerAggregate
from ledger.kernel.errors import LedgerError
from ledger.kernel.idempotency import RequestKey
from ledger.kernel.money import format_fen
from ledger.kernel.writing import Decision, Outcome
from ledger.spending.base import SpendingBase
from ledger.spending.errors import InvalidSpending
from ledger.spending.payments import looks_split
from ledger.spending.spending_requests import RESOLUTION, WITHDRAWERS, SpendingRequest

APPROVER_ROLES = ("finance_lead", "committee", "supervisor")
NOT_SPENT_ON = ("income",)  # spending is charged to costs, expenses, assets or liabilities


class RequestCommands(SpendingBase):
    def request_spending(
        self, org: str, *, on: date, payee: str, purpose: str, amount: int, account: str,
        fund_source: str = "collective", grant: str | None = None, matter: str | None = None,
        receipt_count: int = 0, receipt_digests: list[str] | None = None, actor: str,
        request: RequestKey | None = None,
    ) -> Outcome[SpendingRequest]:
        def decide() -> Decision[SpendingRequest]:
            organization = self.books.organization(org)
            books = self.books.of(org)
            books.check_account(account, "account")
            category = books.accounts[account]["category"]
            if category in NOT_SPENT_ON or any(account.startswith(m)
                                               for m in books.chart_spec.money):
                raise InvalidSpending("spending is charged to a cost, expense, asset or "
                                      "liability account, not to income or money",
                                      field="account", account=account)
            numbers = self.books.number_book(org, "spending", on.year, actor)
            spending = SpendingRequest.request(
                org=org, number=numbers.take(actor), on=on, today=self.clock(), payee=payee,
                purpose=purpose, amount=amount, account=account, fund_source=fund_source,
                grant=grant or None, matter=matter or None, receipt_count=receipt_count,
                receipt_digests=list(receipt_digests or ()),
                finance_lead_max=organization.setting("approval_finance_lead_max"),
                committees_max=organization.setting("approval_committees_max"), actor=actor,
                requester_roles=self._held(org, actor, APPROVER_ROLES))
            self._check_sources(org, spending, amount)
            return spending, [numbers, spending]

        return self.store.write(f"{org}/spending", request, actor, decide)

    def approve_spending(self, org: str, number: str, *, approver: str, note: str = "",
                         request: RequestKey | None = None) -> Outcome[SpendingRequest]:
        def decide() -> Decision[SpendingRequest]:
            spending = self.spending_request(org, number)
            if spending.level == RESOLUTION:
                # Nobody approves beyond what the meeting decided; paying checks it again.
                self._check_sources(org, spending, spending.amount)
            spending.approve(approver=approver, roles=self._roles(org, approver), note=note)
            return spending, [spending]

        return self.store.write(f"{org}/spending/{number}", request, approver, decide)

    def reject_spending(self, org: str, number: str, *, approver: str, reason: str,
                        request: RequestKey | None = None) -> Outcome[SpendingRequest]:
        def decide() -> Decision[SpendingRequest]:
            spending = self.spending_request(org, number)
            spending.reject(approver=approver, roles=self._roles(org, approver), reason=reason)
            return spending, [spending]

        return self.store.write(f"{org}/spending/{number}", request, approver, decide)

    def withdraw_spending(self, org: str, number: str, *, reason: str, actor: str,
                          request: RequestKey | None = None) -> Outcome[SpendingRequest]:
        def decide() -> Decision[SpendingRequest]:
            spending = self.spending_request(org, number)
            # Roles are looked up only for someone other than the asker (who may not be a user
            # of the identity part in small ledgers).
            roles = () if actor == spending.requested_by else self._held(org, actor)
            spending.withdraw(reason=reason, actor=actor, roles=roles)
            return spending, [spending]

        return self.store.write(f"{org}/spending/{number}", request, actor, decide)

    def attach_spending_receipts(self, org: str, number: str, *, count: int,
                                 digests: list[str], actor: str,
                                 request: RequestKey | None = None) -> Outcome[SpendingRequest]:
        def decide() -> Decision[SpendingRequest]:
            spending = self.spending_request(org, number)
            spending.attach_receipts(count=count, digests=digests, actor=actor)
            return spending, [spending]

        return self.store.write(f"{org}/spending/{number}", request, actor, decide)

    def pay_spending(self, org: str, number: str, *, on: date, amount: int, paid_from: str,
                     actor: str, request: RequestKey | None = None) -> Outcome[SpendingRequest]:
        """Post the payment voucher of an approved request; returns the request, paid."""
        def decide() -> Decision[SpendingRequest]:
            organization = self.books.organization(org)
            books = self.books.of(org)
            spending = self.spending_request(org, number)
            spending.check_payable(amount)
            check_money_account(books, paid_from, "paid_from", InvalidSpending)
            posted = post(organization, books, _payment_draft(spending, on, amount,
                                                                      paid_from),
                                  today=self.clock(), actor=actor, pays_from=paid_from)
            voucher = posted.voucher
            spending.pay(voucher=voucher.number, on=on, amount=amount, paid_from=paid_from,
                         actor=actor)
            charged, warnings = self._charge(org, spending, voucher, amount, actor)
            registers, split = self._register(organization, spending, voucher, on, amount,
                                              actor)
            warnings += split
            return spending, [books, voucher, spending, *charged, *registers, *warnings,
                              *posted.warnings]

        return self.store.write(org, request, actor, decide)

    # -- the parts of a payment -----------------------------------------------------------------

    def _charge(self, org: str, spending: SpendingRequest, voucher: Voucher, amount: int,
                actor: str) -> tuple[list[LedgerAggregate], list[LedgerAggregate]]:
        """The matter's budget and the grant's balance charged; the warnings that shows."""
        charged: list[LedgerAggregate] = []
        warnings: list[LedgerAggregate] = []
        if spending.matter:
            matter = self.matter(org, spending.matter)
            if not matter.decided:
                warnings.append(_warning(spending, voucher, "spent_before_decision", actor,
                                         f"paid for matter {matter.number} before its decision "
                                         f"({matter.status})", matter=matter.number,
                                         status=matter.status))
            matter.charge(request=spending.number, voucher=voucher.number,
                          account=spending.account, amount=amount, actor=actor)
            charged.append(matter)
        if spending.grant:
            grant = self.grant(org, spending.grant)
            grant.spend(request=spending.number, voucher=voucher.number,
                        account=spending.account, matter=spending.matter, amount=amount,
                        actor=actor)
            charged.append(grant)
        if not spending.has_receipts:
            warnings.append(_warning(spending, voucher, "no_receipt", actor,
                                     "paid with no receipt attached (白条)"))
        return charged, warnings

    def _register(self, organization: Organization, spending: SpendingRequest, voucher: Voucher,
                  on: date, amount: int, actor: str,
                  ) -> tuple[list[LedgerAggregate], list[LedgerAggregate]]:
        """The payment entered in the year's register; a warning if it looks split."""
        registers = self.payment_registers(organization.code, on.year, actor)
        earlier = [p for register in registers for p in register.payments]
        current = registers[-1].record(request=spending.number, voucher=voucher.number, on=on,
                                       payee=spending.payee, purpose=spending.purpose,
                                       amount=amount, actor=actor)
        split = looks_split(current, earlier, window_days=organization.setting(
            "split_window_days"), thresholds=[organization.setting("approval_finance_lead_max"),
                                              organization.setting("approval_committees_max")])
        if split is None:
            return list(registers), []
        return list(registers), [_warning(
            spending, voucher, "split_payment", actor,
            f"payments to one payee or for one purpose within {split['window_days']} days "
            f"total {split['total']}, each at most {split['threshold']}", **split)]

    def _held(self, org: str, login: str, roles: Collection[str] = WITHDRAWERS) -> set[str]:
        """Which of these roles the person holds here; none for someone who is not a user (the
        asker of a request in small ledgers that keep no users)."""
        try:
            user = self.identity.user(login)
        except LedgerError:
            return set()
        return {role for role in roles if user.holds(org, role)}

    def _roles(self, org: str, login: str) -> set[str]:
        user = self.identity.user(login)
        return {role for role in APPROVER_ROLES if user.holds(org, role)}

    def _check_sources(self, org: str, spending: SpendingRequest, amount: int) -> None:
        """The matter and the grant the money comes from can bear it."""
        if spending.matter:
            try:
                matter = self.matter(org, spending.matter)
            except LedgerError:
                raise InvalidSpending(f"no matter {spending.matter}", field="matter") from None
            if spending.level == RESOLUTION and not matter.decided:
                raise InvalidSpending(
                    f"matter {matter.number} is {matter.status}; spending above the committees' "
                    "limit needs its resolution decided", field="matter", status=matter.status)
            matter.check_charge(spending.account, amount)
        if spending.grant:
            try:
                grant = self.grant(org, spending.grant)
            except LedgerError:
                raise InvalidSpending(f"no grant {spending.grant}", field="grant") from None
            if (grant.kind == "yishiyiyi") != (spending.fund_source == "yishiyiyi"):
                raise InvalidSpending(f"grant {grant.number} is {grant.kind} money",
                                      field="fund_source")
            grant.check_spending(account=spending.account, matter=spending.matter,
                                 amount=amount)


def _payment_draft(spending: SpendingRequest, on: date, amount: int,
                   paid_from: str) -> VoucherDraft:
    return VoucherDraft(
        date=on, summary=f"{spending.purpose}（付{spending.payee}，{spending.number}）"[:200],
        lines=(Line(spending.account, debit=amount), Line(paid_from, credit=amount)),
        attachments=spending.receipt_count, receipt_digests=tuple(spending.receipt_digests))


def _warning(spending: SpendingRequest, voucher: Voucher, kind: str, actor: str, message: str,
             **trigger: Any) -> RedFlag:
    return RedFlag.raise_(org=spending.org, kind=kind, key=spending.number, on=voucher.date,
                          message=message, trigger={"request": spending.number,
                                                    "voucher": voucher.number,
                                                    "payee": spending.payee,
                                                    "amount": format_fen(spending.amount),
                                                    **trigger}, actor=actor)

