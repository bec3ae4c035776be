"""The application's commands for money coming in, receipts of collective income and earmarked
grants, each numbered and posted as a voucher in one atomic write, and the acknowledgement of
warnings. A receipt number is taken in the same append as its voucher, so none is ever skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from ledger.aggregate import LedgerAggregate
from ledger.books import Books
from ledger.errors import InvalidGrant, InvalidReceipt, RedFlagNotFound
from ledger.grants import Grant
from ledger.idempotency import RequestKey
from ledger.matters import Matter
from ledger.numbering import NumberBook
from ledger.organizations import Organization
from ledger.paying import cash_flags, check_money_account
from ledger.receipts import CATEGORIES, Receipt
from ledger.red_flags import RedFlag
from ledger.vouchers import Line, Voucher, VoucherDraft

CATEGORY_ZH = {"contracting_leasing": "发包及租赁费", "operating": "经营收入",
               "investment": "投资收益", "subsidy": "补助", "other": "其他收入"}


class _Application(Protocol):
    clock: Callable[[], date]
    repository: Any

    def _write(self, lock_key: str, request: RequestKey | None, actor: str,
               decide: Callable[[], tuple[Any, list[LedgerAggregate]]]) -> Any: ...

    def organization(self, code: str) -> Organization: ...

    def books(self, org: str) -> Books: ...

    def matter(self, org: str, number: str) -> Matter: ...

    def number_book(self, org: str, series: str, year: int, actor: str) -> NumberBook: ...

    def red_flag(self, org: str, ref: str) -> RedFlag: ...


class ReceivingCommands:
    def red_flag(self: _Application, org: str, ref: str) -> RedFlag:
        try:
            flag: RedFlag = self.repository.get(UUID(ref))
        except (ValueError, AggregateNotFoundError):
            raise RedFlagNotFound(f"no warning {ref}", warning=ref) from None
        if not isinstance(flag, RedFlag) or flag.org != org:
            raise RedFlagNotFound(f"no warning {ref}", warning=ref)
        return flag

    def record_receipt(
        self: _Application, org: str, *, on: date, category: str, payer: str, amount: int,
        paid_into: str, relates_to: str = "", account: str = "", summary: str = "",
        actor: str, request: RequestKey | None = None,
    ) -> Any:
        Receipt.check(category=category, payer=payer, amount=amount, relates_to=relates_to)

        def decide() -> tuple[Receipt, list[LedgerAggregate]]:
            organization = self.organization(org)
            books = self.books(org)
            income = account or CATEGORIES[category]
            books.check_account(income, "account")
            if books.accounts[income]["category"] != "income":
                raise InvalidReceipt(f"{income} is not an income account", field="account")
            check_money_account(books, paid_into, "paid_into", InvalidReceipt)
            numbers = self.number_book(org, "receipt", on.year, actor)
            number = numbers.take(actor)
            text = summary.strip() or f"收{payer.strip()}{CATEGORY_ZH[category]}"
            draft = VoucherDraft(
                date=on, summary=f"{text}（收据{number}）"[:200], attachments=1,
                lines=(Line(paid_into, debit=amount),
                       Line(income, credit=amount)))
            draft.check()
            cash_before = books.balance_within(books.chart_spec.cash)
            voucher = Voucher.post(org=org, number=books.enter_voucher(
                draft, today=self.clock(), actor=actor), draft=draft, actor=actor)
            receipt = Receipt.issue(
                org=org, number=number, on=on, category=category, payer=payer, amount=amount,
                relates_to=relates_to, account=income, paid_into=paid_into,
                voucher=voucher.number, summary=text, actor=actor)
            flags = cash_flags(organization, books, cash_before, voucher, actor)
            return receipt, [books, numbers, voucher, receipt, *flags]

        return self._write(org, request, actor, decide)

    def record_grant(
        self: _Application, org: str, *, on: date, kind: str, name: str, grantor: str,
        amount: int, account: str, paid_into: str, matter: str | None = None,
        purpose_accounts: list[str] | None = None, actor: str,
        request: RequestKey | None = None,
    ) -> Any:
        purposes = list(purpose_accounts or ())
        Grant.check(kind=kind, name=name, grantor=grantor, amount=amount,
                    purpose_accounts=purposes)

        def decide() -> tuple[Grant, list[LedgerAggregate]]:
            organization = self.organization(org)
            books = self.books(org)
            if not any(account.startswith(e) for e in books.chart_spec.earmarked):
                raise InvalidGrant("under 241 专项应付款 or 231 一事一议资金", field="account")
            books.check_account(account, "account")
            check_money_account(books, paid_into, "paid_into", InvalidGrant)
            for i, code in enumerate(purposes):
                if code not in books.accounts:
                    raise InvalidGrant(f"no account {code}", field=f"purpose_accounts[{i}]")
            if matter:
                self.matter(org, matter)
            numbers = self.number_book(org, "grant", on.year, actor)
            number = numbers.take(actor)
            draft = VoucherDraft(
                date=on, summary=f"收到{grantor.strip()}拨付{name.strip()}（{number}）"[:200],
                attachments=1, lines=(Line(paid_into, debit=amount),
                                      Line(account, credit=amount)))
            draft.check()
            cash_before = books.balance_within(books.chart_spec.cash)
            voucher = Voucher.post(org=org, number=books.enter_voucher(
                draft, today=self.clock(), actor=actor), draft=draft, actor=actor)
            grant = Grant.receive(
                org=org, number=number, on=on, kind=kind, name=name, grantor=grantor,
                amount=amount, account=account, paid_into=paid_into, voucher=voucher.number,
                matter=matter, purpose_accounts=purposes, actor=actor)
            flags = cash_flags(organization, books, cash_before, voucher, actor)
            return grant, [books, numbers, voucher, grant, *flags]

        return self._write(org, request, actor, decide)

    def acknowledge_red_flag(self: _Application, org: str, ref: str, *, reason: str,
                             actor: str, request: RequestKey | None = None) -> Any:
        def decide() -> tuple[RedFlag, list[LedgerAggregate]]:
            flag = self.red_flag(org, ref)
            flag.acknowledge(reason=reason, actor=actor)
            return flag, [flag]

        return self._write(f"{org}/warning/{ref}", request, actor, decide)
