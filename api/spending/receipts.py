"""Money coming in and what an auditor looks for: receipts (收款收据) of collective income, each
numbered without gaps and posted as a voucher; earmarked grants (专项资金) with what is left of
them; and warnings (预警), which are never deleted, only acknowledged with a reason.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from api.auth import KEEP_BOOKS, READ_BOOKS, actor, in_org, rule
from api.common import page_from, paged, reading, require_org, written
from api.common_schemas import PageQuery, ReadQuery, WriteQuery
from api.idempotency import request_key
from api.presenters import grant_from_aggregate, receipt_from_aggregate, warning_from_aggregate
from api.services import services
from api.spending.schemas import (
    AcknowledgementIn,
    EarmarkedGrantIn,
    GrantOut,
    GrantPage,
    ReceiptIn,
    ReceiptOut,
    ReceiptPage,
    ReceiptQuery,
    WarningOut,
    WarningPage,
    WarningQuery,
)
from ledger.books import RedFlagNotFound
from ledger.spending import GrantNotFound, ReceiptNotFound

blp = Blueprint("receipts", __name__, url_prefix="/api/v1/orgs/<org>",
                description="收款收据, 专项资金 and 预警: income received, earmarked grants and "
                            "what is left of them, and the warnings the books raise.")

# Those answerable for the books acknowledge a warning; auditors read, and write nothing.
ACKNOWLEDGE = in_org("accountant", "committee", "supervisor")


@blp.route("/receipts")
class Receipts(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(ReceiptQuery, location="query")
    @blp.response(200, ReceiptPage)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """List receipts by number, optionally of one year"""
        page = page_from(query)
        with reading(query["after"]) as reader:
            require_org(reader, org)
            rows, total = services().spending.receipts(org, page, year=query["year"])
        return paged(rows, total, page)

    @rule(KEEP_BOOKS)
    @blp.arguments(ReceiptIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, ReceiptOut)
    def post(self, data: dict[str, Any], wait: bool, org: str) -> Any:
        """Record income received: the year's next receipt number (R2026-0001) and its voucher"""
        outcome = services().ledger.spending.record_receipt(
            org, on=data["date"], category=data["category"], payer=data["payer"],
            amount=data["amount"], paid_into=data["paid_into"], relates_to=data["relates_to"],
            account=data["account"], summary=data["summary"], actor=actor(),
            request=request_key())
        return written(outcome, receipt_from_aggregate(outcome.value), 201, wait)


@blp.route("/receipts/<number>")
class OneReceipt(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(ReadQuery, location="query")
    @blp.response(200, ReceiptOut)
    def get(self, query: dict[str, Any], org: str, number: str) -> dict[str, Any]:
        """One receipt, with the voucher that posted it"""
        with reading(query["after"]) as reader:
            require_org(reader, org)
            row = services().spending.receipt(org, number)
        if row is None:
            raise ReceiptNotFound(f"no receipt {number}", receipt=number)
        return row


@blp.route("/grants")
class Grants(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(PageQuery, location="query")
    @blp.response(200, GrantPage)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """List earmarked grants with what has been spent and what is left"""
        page = page_from(query)
        with reading(query["after"]) as reader:
            require_org(reader, org)
            rows, total = services().spending.grants(org, page)
        return paged(rows, total, page)

    @rule(KEEP_BOOKS)
    @blp.arguments(EarmarkedGrantIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, GrantOut)
    def post(self, data: dict[str, Any], wait: bool, org: str) -> Any:
        """Record an earmarked grant received (G2026-0001), posted as a voucher"""
        outcome = services().ledger.spending.record_grant(
            org, on=data["date"], kind=data["kind"], name=data["name"],
            grantor=data["grantor"], amount=data["amount"], account=data["account"],
            paid_into=data["paid_into"], matter=data["matter"],
            purpose_accounts=data["purpose_accounts"], actor=actor(), request=request_key())
        return written(outcome, grant_from_aggregate(outcome.value), 201, wait)


@blp.route("/grants/<number>")
class OneGrant(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(ReadQuery, location="query")
    @blp.response(200, GrantOut)
    def get(self, query: dict[str, Any], org: str, number: str) -> dict[str, Any]:
        """One grant and every payment made from it"""
        with reading(query["after"]) as reader:
            require_org(reader, org)
            row = services().spending.grant(org, number)
        if row is None:
            raise GrantNotFound(f"no grant {number}", grant=number)
        return row


@blp.route("/warnings")
class Warnings(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(WarningQuery, location="query")
    @blp.response(200, WarningPage)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """List warnings, newest first; acknowledged ones stay listed unless open=true"""
        page = page_from(query)
        with reading(query["after"]) as reader:
            require_org(reader, org)
            rows, total = services().spending.warnings(
                org, page, open_only=query["open_only"], kind=query["kind"])
        return paged(rows, total, page)


@blp.route("/warnings/<ref>")
class OneWarning(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(ReadQuery, location="query")
    @blp.response(200, WarningOut)
    def get(self, query: dict[str, Any], org: str, ref: str) -> dict[str, Any]:
        """One warning: what raised it, and every acknowledgement with its reason"""
        with reading(query["after"]) as reader:
            require_org(reader, org)
            row = services().spending.warning(org, ref)
        if row is None:
            raise RedFlagNotFound(f"no warning {ref}", warning=ref)
        return row


@blp.route("/warnings/<ref>/acknowledgements")
class Acknowledgements(MethodView):
    @rule(ACKNOWLEDGE)
    @blp.arguments(AcknowledgementIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, WarningOut)
    def post(self, data: dict[str, Any], wait: bool, org: str, ref: str) -> Any:
        """Acknowledge a warning with the reason; the warning and the reason both stay"""
        outcome = services().ledger.books.acknowledge_red_flag(
            org, ref, reason=data["reason"], actor=actor(), request=request_key())
        return written(outcome, warning_from_aggregate(outcome.value), 201, wait)
