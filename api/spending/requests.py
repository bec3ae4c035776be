"""Spending requests (支出申请): asked for, approved up the ladder (the finance lead; two members of
the committees and a supervisor; above that also a decided resolution), rejected or withdrawn,
given their receipts, and paid once by a voucher the books number.

The approver is always the signed-in user; the books refuse self-approval, a second approval by
the same person and an approver without a role the request still needs (409).
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from api.auth import KEEP_BOOKS, READ_BOOKS, actor, in_org, rule
from api.common import page_from, paged, reading, require_org, written
from api.common_schemas import ReadQuery, WriteQuery
from api.idempotency import request_key
from api.presenters import spending_from_aggregate
from api.services import services
from api.spending.schemas import (
    ApprovalIn,
    PaymentIn,
    ReasonIn,
    ReceiptsAttachIn,
    SpendingIn,
    SpendingOut,
    SpendingPage,
    SpendingQuery,
)
from ledger.spending import SpendingNotFound

blp = Blueprint("spending", __name__, url_prefix="/api/v1/orgs/<org>/spending-requests",
                description="支出申请: who is paid, for what, approved by whom under which rule, "
                            "and the voucher that paid it.")

# Who may ask for money (and withdraw the request, or attach its receipts).
ASK = in_org("accountant", "committee", "finance_lead")
# Who may approve or reject; the books check that the request still needs their role.
APPROVE = in_org("finance_lead", "committee", "supervisor")


def _answer(outcome: Any, wait: bool, status: int = 201, **extra: Any) -> Any:
    return written(outcome, {**spending_from_aggregate(outcome.value), **extra}, status, wait)


@blp.route("")
class SpendingRequests(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(SpendingQuery, location="query")
    @blp.response(200, SpendingPage)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """List spending requests, newest first, optionally in one status or for one matter"""
        page = page_from(query)
        with reading(query["after"]) as reader:
            require_org(reader, org)
            rows, total = services().spending.spending_requests(
                org, page, status=query["status"], matter=query["matter"])
        return paged(rows, total, page)

    @rule(ASK)
    @blp.arguments(SpendingIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, SpendingOut)
    def post(self, data: dict[str, Any], wait: bool, org: str) -> Any:
        """Ask to spend; the amount decides the approvals it needs (S2026-0001)"""
        outcome = services().ledger.spending.request_spending(
            org, on=data["date"], payee=data["payee"], purpose=data["purpose"],
            amount=data["amount"], account=data["account"], fund_source=data["fund_source"],
            grant=data["grant"], matter=data["matter"], receipt_count=data["receipt_count"],
            receipt_digests=data["receipt_digests"], actor=actor(), request=request_key())
        return _answer(outcome, wait)


@blp.route("/<number>")
class OneSpendingRequest(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(ReadQuery, location="query")
    @blp.response(200, SpendingOut)
    def get(self, query: dict[str, Any], org: str, number: str) -> dict[str, Any]:
        """One spending request with its approvals and its payment"""
        with reading(query["after"]) as reader:
            require_org(reader, org)
            row = services().spending.spending_request(org, number)
        if row is None:
            raise SpendingNotFound(f"no spending request {number}", request=number)
        return row


@blp.route("/<number>/approvals")
class Approvals(MethodView):
    @rule(APPROVE)
    @blp.arguments(ApprovalIn, required=False)  # every field optional: so is the body
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, SpendingOut)
    def post(self, data: dict[str, Any], wait: bool, org: str, number: str) -> Any:
        """Approve as the signed-in user, counted under a role the request still needs"""
        outcome = services().ledger.spending.approve_spending(
            org, number, approver=actor(), note=data["note"], request=request_key())
        return _answer(outcome, wait)


@blp.route("/<number>/rejection")
class Rejection(MethodView):
    @rule(APPROVE)
    @blp.arguments(ReasonIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, SpendingOut)
    def post(self, data: dict[str, Any], wait: bool, org: str, number: str) -> Any:
        """Reject a pending request, with the reason; it can no longer be paid"""
        outcome = services().ledger.spending.reject_spending(
            org, number, approver=actor(), reason=data["reason"], request=request_key())
        return _answer(outcome, wait, rejected_by=actor())


@blp.route("/<number>/withdrawal")
class Withdrawal(MethodView):
    @rule(ASK)
    @blp.arguments(ReasonIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, SpendingOut)
    def post(self, data: dict[str, Any], wait: bool, org: str, number: str) -> Any:
        """Withdraw a request not yet paid, with the reason"""
        outcome = services().ledger.spending.withdraw_spending(
            org, number, reason=data["reason"], actor=actor(), request=request_key())
        return _answer(outcome, wait)


@blp.route("/<number>/receipts")
class AttachReceipts(MethodView):
    @rule(ASK)
    @blp.arguments(ReceiptsAttachIn, required=False)  # every field optional: so is the body
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, SpendingOut)
    def post(self, data: dict[str, Any], wait: bool, org: str, number: str) -> Any:
        """Attach receipts (their count, and the SHA-256 of each scan) to a request"""
        outcome = services().ledger.spending.attach_spending_receipts(
            org, number, count=data["count"], digests=data["digests"], actor=actor(),
            request=request_key())
        return _answer(outcome, wait)


@blp.route("/<number>/payment")
class Payment(MethodView):
    @rule(KEEP_BOOKS)
    @blp.arguments(PaymentIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, SpendingOut)
    def post(self, data: dict[str, Any], wait: bool, org: str, number: str) -> Any:
        """Pay an approved request, once, by a voucher; warnings it shows are raised with it"""
        outcome = services().ledger.spending.pay_spending(
            org, number, on=data["date"], amount=data["amount"], paid_from=data["paid_from"],
            actor=actor(), request=request_key())
        return _answer(outcome, wait)
