"""Vouchers (记账凭证): post, list, read one, reverse one. A line may name the member or household
it is with; a line that names no one is written exactly as before parties existed."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from api.auth import KEEP_BOOKS, READ_BOOKS, actor, rule
from api.books.schemas import ReversalIn, VoucherIn, VoucherOut, VoucherPage, VoucherQuery
from api.common import page_from, paged, reading, require_org, written
from api.common_schemas import ReadQuery, WriteQuery
from api.idempotency import request_key
from api.presenters import voucher_from_aggregate, voucher_from_row
from api.services import services
from ledger.books import Line, Voucher, VoucherDraft, VoucherNotFound

blp = Blueprint("vouchers", __name__, url_prefix="/api/v1/orgs/<org>/vouchers",
                description="记账凭证: balanced, numbered per month without gaps, never changed.")


def draft_from(data: dict[str, Any]) -> VoucherDraft:
    return VoucherDraft(
        date=data["date"], summary=data["summary"], kind=data["kind"],
        lines=tuple(Line(line["account"], line["debit"] or 0, line["credit"] or 0,
                         line["memo"], line["party"]) for line in data["lines"]),
        attachments=data["attachments"], receipt_digests=tuple(data["receipt_digests"]),
    )


def with_parties(body: dict[str, Any], lines: list[dict[str, Any]]) -> dict[str, Any]:
    """The shown lines with the party of each line that names one, and no key on the others."""
    for shown, line in zip(body["lines"], lines, strict=True):
        if line.get("party"):
            shown["party"] = line["party"]
    return body


def from_aggregate(voucher: Voucher) -> dict[str, Any]:
    return with_parties(voucher_from_aggregate(voucher), voucher.lines)


def from_row(row: dict[str, Any]) -> dict[str, Any]:
    return with_parties(voucher_from_row(row), row["lines"])


@blp.route("")
class Vouchers(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(VoucherQuery, location="query")
    @blp.response(200, VoucherPage)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """List vouchers by date and number, optionally of one month or a date range"""
        page = page_from(query)
        with reading(query["after"]) as reader:
            require_org(reader, org)
            rows, total = reader.vouchers(
                org, page, period=str(query["period"]) if query["period"] else None,
                start=query["start"], end=query["end"])
        return paged([from_row(row) for row in rows], total, page)

    @rule(KEEP_BOOKS)
    @blp.arguments(VoucherIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, VoucherOut)
    def post(self, data: dict[str, Any], wait: bool, org: str) -> Any:
        """Post a voucher; the books give it the month's next number"""
        outcome = services().ledger.books.post_voucher(org, draft_from(data), actor=actor(),
                                                       request=request_key())
        return written(outcome, from_aggregate(outcome.value), 201, wait)


@blp.route("/<ref>")
class OneVoucher(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(ReadQuery, location="query")
    @blp.response(200, VoucherOut)
    def get(self, query: dict[str, Any], org: str, ref: str) -> dict[str, Any]:
        """Read a voucher by number (2025-03-0007) or id"""
        with reading(query["after"]) as reader:
            require_org(reader, org)
            row = reader.voucher(org, ref)
        if row is None:
            raise VoucherNotFound(f"no voucher {ref}", voucher=ref)
        return from_row(row)


@blp.route("/<ref>/reversal")
class Reversal(MethodView):
    @rule(KEEP_BOOKS)
    @blp.arguments(ReversalIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, VoucherOut)
    def post(self, data: dict[str, Any], wait: bool, org: str, ref: str) -> Any:
        """Reverse a voucher in red ink (红字冲销), once, by a new voucher in an open month"""
        outcome = services().ledger.books.reverse_voucher(
            org, ref, on=data["date"], reason=data["reason"], actor=actor(),
            request=request_key())
        return written(outcome, from_aggregate(outcome.value), 201, wait)
