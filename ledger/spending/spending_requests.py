"""A spending request (支出申请) says who is to be paid, for what, how much, from which money and
to which account; it is paid only once the approval ladder's approvers have all approved, never by
the person who asked, and only once, for no more than was approved.

The ladder (an organization setting): up to 1,000.00 the finance lead alone; up to 10,000.00 two
members of the two committees and a supervisor; above that the same, and only within the
remaining budget of a matter's decided resolution. The finance lead's own small request goes up
a rung, to the two committees and a supervisor: a village has one finance lead, and nobody
approves their own spending.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date
from typing import Any
from uuid import UUID

from ledger.kernel.aggregate import LedgerAggregate, stable_id
from ledger.kernel.errors import checked_text
from ledger.kernel.money import MAX_FEN, format_fen
from ledger.kernel.topics import stored_as
from ledger.spending.errors import InvalidSpending, NotAnApprover, SpendingStateError

FUND_SOURCES = ("collective", "grant", "yishiyiyi")  # 集体收入, 专项资金, 一事一议资金
FINANCE_LEAD, COMMITTEES, RESOLUTION = "finance_lead", "committees", "resolution"
# Who counts towards each level, in the order an approver holding several roles is counted.
NEEDS = {FINANCE_LEAD: {"finance_lead": 1},
         COMMITTEES: {"committee": 2, "supervisor": 1},
         RESOLUTION: {"committee": 2, "supervisor": 1}}
PENDING, APPROVED, REJECTED, WITHDRAWN, PAID = (
    "pending", "approved", "rejected", "withdrawn", "paid")
SHA256 = re.compile(r"[0-9a-f]{64}")
MAX_DIGESTS = 50
# Who may withdraw a request someone else asked for: the accountant, who keeps the books.
WITHDRAWERS = frozenset({"accountant"})


def ladder_level(amount: int, *, finance_lead_max: int, committees_max: int) -> str:
    if amount <= finance_lead_max:
        return FINANCE_LEAD
    return COMMITTEES if amount <= committees_max else RESOLUTION


def _text(value: str, field: str, limit: int) -> str:
    return checked_text(value, field, InvalidSpending, limit=limit)


def check_digests(digests: list[str], field: str = "receipt_digests") -> list[str]:
    if len(digests) > MAX_DIGESTS:
        raise InvalidSpending(f"at most {MAX_DIGESTS}", field=field)
    for i, digest in enumerate(digests):
        if not isinstance(digest, str) or not SHA256.fullmatch(digest):
            raise InvalidSpending("a SHA-256 digest is 64 lowercase hexadecimal characters",
                                  field=f"{field}[{i}]")
    if len(set(digests)) != len(digests):
        raise InvalidSpending("the same receipt is listed twice", field=field)
    return list(digests)


@stored_as("ledger.spending")
class SpendingRequest(LedgerAggregate):
    class Requested(LedgerAggregate.Created):
        org: str
        number: str
        date: date
        payee: str
        purpose: str
        amount: int
        account: str
        fund_source: str
        grant: str | None  # the grant's number, when the money is earmarked
        matter: str | None  # the matter's number
        receipt_count: int
        receipt_digests: list[str]
        level: str
        needs: dict[str, int]

    class Approved(LedgerAggregate.Event):
        role: str  # the role this approval counted as
        note: str

        def apply(self, request: SpendingRequest) -> None:
            request.approvals.append({"by": self.actor, "role": self.role, "note": self.note})
            if all(request.count_of(role) >= n for role, n in request.needs.items()):
                request.status = APPROVED

    class Rejected(LedgerAggregate.Event):
        reason: str

        def apply(self, request: SpendingRequest) -> None:
            request.status = REJECTED
            request.closing_reason = self.reason

    class Withdrawn(LedgerAggregate.Event):
        reason: str

        def apply(self, request: SpendingRequest) -> None:
            request.status = WITHDRAWN
            request.closing_reason = self.reason

    class ReceiptsAttached(LedgerAggregate.Event):
        count: int
        digests: list[str]

        def apply(self, request: SpendingRequest) -> None:
            request.receipt_count += self.count
            request.receipt_digests += self.digests

    class Paid(LedgerAggregate.Event):
        voucher: str
        date: date
        amount: int
        paid_from: str

        def apply(self, request: SpendingRequest) -> None:
            request.status = PAID
            request.paid = {"voucher": self.voucher, "date": self.date.isoformat(),
                            "amount": self.amount, "paid_from": self.paid_from}

    def __init__(self, org: str, number: str, date: date, payee: str, purpose: str, amount: int,
                 account: str, fund_source: str, grant: str | None, matter: str | None,
                 receipt_count: int, receipt_digests: list[str], level: str,
                 needs: dict[str, int], actor: str) -> None:
        self.org = org
        self.number = number
        self.date = date
        self.payee = payee
        self.purpose = purpose
        self.amount = amount
        self.account = account
        self.fund_source = fund_source
        self.grant = grant
        self.matter = matter
        self.receipt_count = receipt_count
        self.receipt_digests = receipt_digests
        self.level = level
        self.needs = needs
        self.requested_by = actor
        self.status = PENDING
        self.approvals: list[dict[str, str]] = []
        self.closing_reason = ""
        self.paid: dict[str, Any] | None = None

    @staticmethod
    def id_for(org: str, number: str) -> UUID:
        return stable_id("spending-request", org, number)

    @classmethod
    def request(cls, *, org: str, number: str, on: date, today: date, payee: str, purpose: str,
                amount: int, account: str, fund_source: str, grant: str | None,
                matter: str | None, receipt_count: int, receipt_digests: list[str],
                finance_lead_max: int, committees_max: int, actor: str,
                requester_roles: Collection[str] = ()) -> SpendingRequest:
        if on > today:
            raise InvalidSpending("a request cannot be dated in the future", field="date")
        if type(amount) is not int or not 0 < amount <= MAX_FEN:
            raise InvalidSpending("a whole number of fen above zero", field="amount")
        if fund_source not in FUND_SOURCES:
            raise InvalidSpending(f"one of {', '.join(FUND_SOURCES)}", field="fund_source")
        if (fund_source == "collective") != (grant is None):
            raise InvalidSpending("earmarked money names its grant; collective income none",
                                  field="grant")
        if type(receipt_count) is not int or not 0 <= receipt_count <= 9999:
            raise InvalidSpending("between 0 and 9999", field="receipt_count")
        digests = check_digests(receipt_digests)
        level = ladder_level(amount, finance_lead_max=finance_lead_max,
                             committees_max=committees_max)
        if level == FINANCE_LEAD and FINANCE_LEAD in requester_roles:
            level = COMMITTEES  # the rung above the asker's own (recorded as asked)
        if level == RESOLUTION and not matter:
            raise InvalidSpending(
                f"above {format_fen(committees_max)} spending needs a matter decided by the "
                "villagers' (representatives') meeting", field="matter",
                threshold=format_fen(committees_max))
        return cls._create(
            cls.Requested, id=cls.id_for(org, number), org=org,
            number=number, date=on,
            payee=_text(payee, "payee", 100), purpose=_text(purpose, "purpose", 200),
            amount=amount, account=account, fund_source=fund_source, grant=grant,
            matter=matter or None, receipt_count=max(receipt_count, len(digests)),
            receipt_digests=digests, level=level, needs=dict(NEEDS[level]), actor=actor)

    def count_of(self, role: str) -> int:
        return sum(1 for approval in self.approvals if approval["role"] == role)

    @property
    def approvers(self) -> list[str]:
        return [approval["by"] for approval in self.approvals]

    def approve(self, *, approver: str, roles: set[str], note: str = "") -> str:
        """Count the approver under the first role they hold that still lacks approvals."""
        self._check_open()
        if approver == self.requested_by:
            raise NotAnApprover("the person who asked cannot approve their own request",
                                approver=approver, request=self.number)
        if approver in self.approvers:
            raise NotAnApprover(f"{approver} has already approved {self.number}",
                                approver=approver, request=self.number)
        missing = [role for role, n in self.needs.items() if self.count_of(role) < n]
        role = next((r for r in missing if r in roles), None)
        if role is None:
            raise NotAnApprover(
                f"{self.number} still needs approval by {' and '.join(missing)}; "
                f"{approver} holds none of these roles here",
                approver=approver, request=self.number, missing=missing)
        self.trigger_event(self.Approved, role=role, note=(note or "").strip()[:500],
                           actor=approver)
        return role

    def reject(self, *, approver: str, roles: set[str], reason: str) -> None:
        self._check_open()
        if approver == self.requested_by:
            raise NotAnApprover("the person who asked withdraws a request, not rejects it",
                                approver=approver, request=self.number)
        if not roles & set(self.needs):
            raise NotAnApprover(f"{approver} is not among this request's approvers",
                                approver=approver, request=self.number)
        self.trigger_event(self.Rejected, reason=_text(reason, "reason", 500), actor=approver)

    def withdraw(self, *, reason: str, actor: str, roles: Collection[str] = ()) -> None:
        """The person who asked withdraws their request, or the accountant a duplicate: anyone
        else could otherwise undo an approved request without being one of its approvers."""
        if actor != self.requested_by and WITHDRAWERS.isdisjoint(roles):
            raise NotAnApprover("only the person who asked, or the accountant, withdraws a "
                                "request", request=self.number, actor=actor)
        if self.status not in (PENDING, APPROVED):
            raise SpendingStateError(f"{self.number} is {self.status}", status=self.status)
        self.trigger_event(self.Withdrawn, reason=_text(reason, "reason", 500), actor=actor)

    def attach_receipts(self, *, count: int, digests: list[str], actor: str) -> None:
        if self.status in (REJECTED, WITHDRAWN):
            raise SpendingStateError(f"{self.number} is {self.status}", status=self.status)
        digests = check_digests(digests, "digests")
        if set(digests) & set(self.receipt_digests):
            raise InvalidSpending("a receipt is already attached", field="digests")
        if type(count) is not int or not 0 <= count <= 9999 or max(count, len(digests)) == 0:
            raise InvalidSpending("attach at least one receipt", field="count")
        self.trigger_event(self.ReceiptsAttached, count=max(count, len(digests)),
                           digests=digests, actor=actor)

    def _check_open(self) -> None:
        if self.status != PENDING:
            raise SpendingStateError(f"{self.number} is {self.status}; it takes no more "
                                     "approvals", status=self.status)

    def check_payable(self, amount: int) -> None:
        if self.status == PAID:
            assert self.paid is not None
            raise SpendingStateError(
                f"{self.number} was already paid by voucher {self.paid['voucher']}",
                status=self.status, voucher=self.paid["voucher"])
        if self.status != APPROVED:
            missing = {role: n - self.count_of(role) for role, n in self.needs.items()
                       if self.count_of(role) < n}
            raise SpendingStateError(f"{self.number} is {self.status}, not approved",
                                     status=self.status, missing=missing)
        if type(amount) is not int or amount <= 0:
            raise InvalidSpending("a whole number of fen above zero", field="amount")
        if amount > self.amount:
            raise SpendingStateError(
                f"{format_fen(amount)} is more than the {format_fen(self.amount)} approved",
                field="amount", approved=format_fen(self.amount))

    def pay(self, *, voucher: str, on: date, amount: int, paid_from: str, actor: str) -> None:
        self.check_payable(amount)
        self.trigger_event(self.Paid, voucher=voucher, date=on, amount=amount,
                           paid_from=paid_from, actor=actor)

    @property
    def has_receipts(self) -> bool:
        return self.receipt_count > 0 or bool(self.receipt_digests)
