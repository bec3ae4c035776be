"""The year-end distribution (收益分配) over HTTP: preview a plan, draft it, cancel it, post it
once its matter is decided, and pay holders once each; read the plans, a holder's line, the
holders still owed, and the plan or the credit union's batch as spreadsheets.

Readers of the books read; only the accountant writes. Every refusal comes from the ledger and
writes nothing: a bad shape is 422 naming the field, a stage that forbids it 409, a missing plan
or holder 404.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, g
from flask.views import MethodView
from flask_smorest import Blueprint

from api.auth import KEEP_BOOKS, READ_BOOKS, actor, principal, rule
from api.common import reading, require_org, written
from api.common_schemas import ReadQuery, WriteQuery
from api.distribution.plans import (
    plan_from_aggregate,
    plan_from_preview,
    plan_from_row,
    plan_from_surplus_preview,
    unpaid,
)
from api.distribution.schemas import (
    DistributionBatchQuery,
    DistributionCancelIn,
    DistributionDraftIn,
    DistributionHolderOut,
    DistributionList,
    DistributionListQuery,
    DistributionOneQuery,
    DistributionOut,
    DistributionPaymentIn,
    DistributionPlanIn,
    DistributionPostIn,
    DistributionUnpaidOut,
)
from api.distribution.sheets import batch_sheet, plan_sheet
from api.idempotency import request_key
from api.register.member_files import MEDIA_TYPES
from api.services import services
from ledger.cooperative import SurplusPlan
from ledger.distribution import DistributionNotFound, household_members, name_of
from ledger.kernel.personal import may_see

blp = Blueprint("distributions", __name__, url_prefix="/api/v1/orgs/<org>",
                description="收益分配: the year's plan from the books and the share register, "
                            "decided by the members' meeting ten days after it is disclosed, "
                            "posted a line per holder, and paid once to each.")


def _terms(data: dict[str, Any]) -> dict[str, Any]:
    """Every term sent; the ledger takes those of the organization's kind, refusing the rest."""
    return {"year": data["year"], "record_date": data["record_date"],
            "reserve": data["reserve"], "to_members": data["to_members"],
            "collective_share": data["collective_share"], "trade_return": data["trade_return"]}


def _plan(org: str, number: str, after: int | None = None) -> dict[str, Any]:
    """The plan as the read model has it, once it has reached `after`."""
    with reading(after) as reader:
        require_org(reader, org)
        row = services().distributions.distribution(org, number)
    if row is None:
        raise DistributionNotFound(f"no distribution {number}", distribution=number)
    return plan_from_row(row)


_SHEET = {MEDIA_TYPES["xlsx"]: {"schema": {"type": "string", "format": "binary"}}}
_PLAN = {"application/json": {"schema": DistributionOut}}
# A manual doc replaces the content the response decorator would give: say both.
PLAN_OR_SHEET = {"responses": {"200": {"description": "The plan, or with format=xlsx its sheet",
                                       "content": _PLAN | _SHEET}}}
SHEET = {"responses": {"200": {"description": "The sheet, as an attachment", "content": _SHEET}}}


def _file(data: bytes, name: str) -> Response:
    response = Response(data, content_type=MEDIA_TYPES["xlsx"])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@blp.route("/distributions")
class Distributions(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(DistributionListQuery, location="query")
    @blp.response(200, DistributionList)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """The plans, newest first (cancelled ones too), optionally of one year"""
        with reading(query["after"]) as reader:
            require_org(reader, org)
            rows = services().distributions.distributions(org, query["year"])
            position = reader.position()
        return {"items": [plan_from_row(row) for row in rows], "position": position}

    @rule(KEEP_BOOKS)
    @blp.arguments(DistributionDraftIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, DistributionOut)
    def post(self, data: dict[str, Any], wait: bool, org: str) -> Any:
        """Draft the year's plan under its distribution matter; it takes the number 2025-1, or
        2025-2 after the first was cancelled"""
        outcome = services().ledger.surplus.draft_plan(
            org, **_terms(data), matter=data["matter"], actor=actor(), request=request_key())
        return written(outcome, plan_from_aggregate(outcome.value), 201, wait)


@blp.route("/distributions/preview")
class Preview(MethodView):
    @rule(KEEP_BOOKS)
    @blp.arguments(DistributionPlanIn)
    @blp.response(200, DistributionOut)
    def post(self, data: dict[str, Any], org: str) -> dict[str, Any]:
        """The plan as drafting would write it now, every holder's amount in it; nothing is
        written"""
        terms = _terms(data)
        plan = services().ledger.surplus.preview_plan(org, **terms)
        record_date = data["record_date"] or date(data["year"], 12, 31)
        register = services().ledger.register
        roll, shares = register.member_roll(org), register.share_register(org)
        names = {a.holder: name_of(a.holder, roll, shares) for a in plan.lines}
        if isinstance(plan, SurplusPlan):
            return plan_from_surplus_preview(plan, record_date=record_date, names=names)
        # The terms as drafting records them, the organization's setting filling a gap.
        setting = services().ledger.books.organization(org).text_setting("collective_share")
        flat = {f"reserve.{k}": v for k, v in data["reserve"].items()} | {
            f"to_members.{k}": v for k, v in data["to_members"].items()} | {
            "collective_share": data["collective_share"] or setting}
        # A household with no head recorded: its first member and count, as drafting keeps them.
        headless = {a.holder: household_members(a.holder, roll) for a in plan.lines
                    if not names[a.holder]}
        return plan_from_preview(plan, record_date=record_date, names=names, terms=flat,
                                 headless=headless)


@blp.route("/distributions/<number>")
class OneDistribution(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(DistributionOneQuery, location="query")
    @blp.response(200, DistributionOut)
    @blp.doc(**PLAN_OR_SHEET)
    def get(self, query: dict[str, Any], org: str, number: str) -> Any:
        """One plan with its figures and every holder's line; ?format=xlsx for the sheet"""
        plan = _plan(org, number, query["after"])
        if query["format"] == "xlsx":
            name = services().ledger.books.organization(org).name_zh
            return _file(plan_sheet(name, plan), f"{org}-distribution-{number}")
        return plan


@blp.route("/distributions/<number>/cancel")
class Cancel(MethodView):
    @rule(KEEP_BOOKS)
    @blp.arguments(DistributionCancelIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(200, DistributionOut)
    def post(self, data: dict[str, Any], wait: bool, org: str, number: str) -> Any:
        """Cancel a plan not yet posted, saying why; the year may then have another"""
        outcome = services().ledger.distribution.cancel(
            org, number, reason=data["reason"], actor=actor(), request=request_key())
        return written(outcome, plan_from_aggregate(outcome.value), 200, wait)


@blp.route("/distributions/<number>/post")
class Post(MethodView):
    @rule(KEEP_BOOKS)
    @blp.arguments(DistributionPostIn, required=False)  # every field optional: so is the body
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, DistributionOut)
    def post(self, data: dict[str, Any], wait: bool, org: str, number: str) -> Any:
        """Post the decided plan in one voucher: the reserve, and each holder's amount payable;
        dated 12-31 of its year while the year is open. A plan whose figures, computed again
        with its own terms, have moved since it was drafted (a voucher of its year, a share
        movement or a member's trade recorded since) is refused, 409 field figures naming each
        change in context.changed: cancel it and draft it again"""
        outcome = services().ledger.distribution.post(
            org, number, on=data["date"], actor=actor(), request=request_key())
        return written(outcome, plan_from_aggregate(outcome.value), 201, wait)


@blp.route("/distributions/<number>/payments")
class Payments(MethodView):
    @rule(KEEP_BOOKS)
    @blp.arguments(DistributionPaymentIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, DistributionOut)
    def post(self, data: dict[str, Any], wait: bool, org: str, number: str) -> Any:
        """Pay the holders named, or all still unpaid, in one voucher; a holder already paid is
        refused by name (409, holders[i])"""
        outcome = services().ledger.distribution.pay(
            org, number, holders=data["holders"], paid_from=data["paid_from"], on=data["date"],
            actor=actor(), request=request_key())
        return written(outcome, plan_from_aggregate(outcome.value), 201, wait)


@blp.route("/distributions/<number>/holders/<holder>")
class OneHolder(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(ReadQuery, location="query")
    @blp.response(200, DistributionHolderOut)
    def get(self, query: dict[str, Any], org: str, number: str, holder: str) -> Any:
        """One holder's line: shares, amount, and whether and when it was paid"""
        plan = _plan(org, number, query["after"])
        found = next((h for h in plan["holders"] if h["holder"] == holder), None)
        if found is None and plan["collective"] and plan["collective"]["holder"] == holder:
            found = plan["collective"]
        if found is None:
            raise DistributionNotFound(f"{holder} has no line in distribution {number}",
                                       distribution=number, holder=holder)
        return found


@blp.route("/distributions/<number>/unpaid")
class Unpaid(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(ReadQuery, location="query")
    @blp.response(200, DistributionUnpaidOut)
    def get(self, query: dict[str, Any], org: str, number: str) -> dict[str, Any]:
        """The holders still owed, and what they are owed together"""
        plan = _plan(org, number, query["after"])
        owed = unpaid(plan)
        return {"id": number, "holders": owed, "count": len(owed),
                "total": sum(h["amount"] for h in owed), "position": g.read_position}


@blp.route("/distributions/<number>/bank-batch.xlsx")
class BankBatch(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(DistributionBatchQuery, location="query")
    @blp.doc(**SHEET)
    def get(self, query: dict[str, Any], org: str, number: str) -> Response:
        """The credit union's batch (序号, 户号/编号, 姓名, 账号, 金额): the unpaid holders, or all
        holders owed anything; full names only for the accountant and the auditor"""
        plan = _plan(org, number, query["after"])
        holders = unpaid(plan) if query["holders"] == "unpaid" else [
            h for h in plan["holders"] if h["amount"] > 0]
        full = may_see(principal().roles_in(org))
        return _file(batch_sheet(holders, full_names=full),
                     f"{org}-distribution-{number}-batch")
