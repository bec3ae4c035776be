"""The commands of money coming in: receipts of collective income (收款收据) and earmarked grants
(专项应付款, 一事一议资金), each numbered and posted as a voucher in one atomic write. A receipt's
number is taken in the same append as its voucher, so none is ever skipped.
"""

from __future__ import annotations

from datetime import date

from ledger.books import Line, VoucherDraft, check_money_account, post
from ledger.kernel.idempotency import RequestKey
from ledger.kernel.writing import Decision, Outcome
from ledger.spending.base import SpendingBase
from ledger.spending.errors import InvalidGrant, InvalidReceipt
from ledger.spending.grants import Grant
from ledger.spending.receipts import CATEGORIES, Receipt

CATEGORY_ZH = {"contracting_leasing": "发包及租赁费", "operating": "经营收入",
               "investment": "投资收益", "subsidy": "补助", "other": "其他收入"}


class ReceiptCommands(SpendingBase):
    def record_receipt(
        self, org: str, *, on: date, category: str, payer: str, amount: int, paid_into: str,
        relates_to: str = "", account: str = "", summary: str = "", actor: str,
        request: RequestKey | None = None,
    ) -> Outcome[Receipt]:
        Receipt.check(category=category, payer=payer, amount=amount, relates_to=relates_to)

        def decide() -> Decision[Receipt]:
            organization = self.books.organization(org)
            books = self.books.of(org)
            income = account or CATEGORIES[category]
            books.check_account(income, "account")
            if books.accounts[income]["category"] != "income":
                raise InvalidReceipt(f"{income} is not an income account", field="account")
            check_money_account(books, paid_into, "paid_into", InvalidReceipt)
            numbers = self.books.number_book(org, "receipt", on.year, actor)
            number = numbers.take(actor)
            text = summary.strip() or f"收{payer.strip()}{CATEGORY_ZH[category]}"
            draft = VoucherDraft(
                date=on, summary=f"{text}（收据{number}）"[:200], attachments=1,
                lines=(Line(paid_into, debit=amount), Line(income, credit=amount)))
            draft.check()
            posted = post(organization, books, draft, today=self.clock(), actor=actor)
            receipt = Receipt.issue(
                org=org, number=number, on=on, category=category, payer=payer, amount=amount,
                relates_to=relates_to, account=income, paid_into=paid_into,
                voucher=posted.voucher.number, summary=text, actor=actor)
            return receipt, [books, numbers, posted.voucher, receipt, *posted.warnings]

        return self.store.write(org, request, actor, decide)

    def record_grant(
        self, org: str, *, on: date, kind: str, name: str, grantor: str, amount: int,
        account: str, paid_into: str, matter: str | None = None,
        purpose_accounts: list[str] | None = None, actor: str,
        request: RequestKey | None = None,
    ) -> Outcome[Grant]:
        purposes = list(purpose_accounts or ())
        Grant.check(kind=kind, name=name, grantor=grantor, amount=amount,
                    purpose_accounts=purposes)

        def decide() -> Decision[Grant]:
            organization = self.books.organization(org)
            books = self.books.of(org)
            if not any(account.startswith(e) for e in books.chart_spec.earmarked):
                raise InvalidGrant("under 241 专项应付款 or 231 一事一议资金", field="account")
            books.check_account(account, "account")
            check_money_account(books, paid_into, "paid_into", InvalidGrant)
            for i, code in enumerate(purposes):
                if code not in books.accounts:
                    raise InvalidGrant(f"no account {code}", field=f"purpose_accounts[{i}]")
            if matter:
                self.matter(org, matter)
            numbers = self.books.number_book(org, "grant", on.year, actor)
            number = numbers.take(actor)
            draft = VoucherDraft(
                date=on, summary=f"收到{grantor.strip()}拨付{name.strip()}（{number}）"[:200],
                attachments=1, lines=(Line(paid_into, debit=amount),
                                      Line(account, credit=amount)))
            draft.check()
            posted = post(organization, books, draft, today=self.clock(), actor=actor)
            grant = Grant.receive(
                org=org, number=number, on=on, kind=kind, name=name, grantor=grantor,
                amount=amount, account=account, paid_into=paid_into,
                voucher=posted.voucher.number, matter=matter, purpose_accounts=purposes,
                actor=actor)
            return grant, [books, numbers, posted.voucher, grant, *posted.warnings]

        return self.store.write(org, request, actor, decide)
