"""Matters (事项) decided by 四议两公开: propose, record each meeting in turn, record the
resolution (决议) carried out; and every matter's budget against what was paid for it.

A meeting that misses its quorum or its vote is recorded all the same (201): the matter is then
`stopped`, with the reason. That is a fact of the village's history, not an error of the request.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from api.auth import READ_BOOKS, actor, in_org, rule
from api.common import page_from, paged, reading, require_org, written
from api.common_schemas import ReadQuery, WriteQuery
from api.idempotency import request_key
from api.presenters import matter_from_aggregate
from api.services import services
from api.spending.matter_schemas import (
    BudgetOut,
    CarriedOutIn,
    MatterIn,
    MatterOut,
    MatterPage,
    MatterQuery,
    MeetingIn,
)
from api.spending.matter_words import next_step
from ledger.spending import MatterNotFound

blp = Blueprint("matters", __name__, url_prefix="/api/v1/orgs/<org>",
                description="事项: proposed, deliberated, reviewed and decided by the village's "
                            "meetings (四议两公开); the resolution's budget bounds its spending.")

# The village committee's members and the accountant who keeps the record of the meetings.
DECIDE = in_org("accountant", "committee")


@blp.route("/matters")
class Matters(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(MatterQuery, location="query")
    @blp.response(200, MatterPage)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """List matters, newest first, optionally in one status"""
        page = page_from(query)
        with reading(query["after"]) as reader:
            require_org(reader, org)
            rows, total = services().spending.matters(org, page, status=query["status"])
        return paged(rows, total, page)

    @rule(DECIDE)
    @blp.arguments(MatterIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, MatterOut)
    def post(self, data: dict[str, Any], wait: bool, org: str) -> Any:
        """Propose a matter with its budget; it takes the year's next number (M2026-0001)"""
        outcome = services().ledger.spending.propose_matter(
            org, on=data["date"], title=data["title"], category=data["category"],
            description=data["description"], proposed_by=data["proposed_by"],
            budget_total=data["budget_total"], budget_lines=data["budget_lines"],
            actor=actor(), request=request_key())
        return written(outcome, matter_from_aggregate(outcome.value), 201, wait)


@blp.route("/matters/<number>")
class OneMatter(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(ReadQuery, location="query")
    @blp.response(200, MatterOut)
    def get(self, query: dict[str, Any], org: str, number: str) -> dict[str, Any]:
        """One matter: its meetings, and its budget lines against what was paid"""
        with reading(query["after"]) as reader:
            require_org(reader, org)
            row = services().spending.matter(org, number)
        if row is None:
            raise MatterNotFound(f"no matter {number}", matter=number)
        # The step whose meeting is due, as the write's own answer gives it (a program reading a
        # matter needs it to know what to record next).
        return row | {"next_step": next_step(row)}


@blp.route("/matters/<number>/meetings")
class Meetings(MethodView):
    @rule(DECIDE)
    @blp.arguments(MeetingIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, MatterOut)
    def post(self, data: dict[str, Any], wait: bool, org: str, number: str) -> Any:
        """Record the meeting of the matter's next step; one that fails stops the matter"""
        outcome = services().ledger.spending.hold_meeting(
            org, number, step=data["step"], on=data["date"], body=data["body"],
            entitled=data["entitled"], present=data["present"], votes_for=data["votes_for"],
            votes_against=data["votes_against"], abstain=data["abstain"],
            minutes=data["minutes"], resolution_no=data["resolution_no"], actor=actor(),
            request=request_key(), additional_votes_for=data["additional_votes_for"],
            additional_votes_against=data["additional_votes_against"])
        return written(outcome, matter_from_aggregate(outcome.value), 201, wait)


@blp.route("/matters/<number>/carried-out")
class CarriedOut(MethodView):
    @rule(DECIDE)
    @blp.arguments(CarriedOutIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, MatterOut)
    def post(self, data: dict[str, Any], wait: bool, org: str, number: str) -> Any:
        """Record a disclosed resolution carried out, with what was done"""
        outcome = services().ledger.spending.carry_out_matter(
            org, number, on=data["date"], summary=data["summary"], actor=actor(),
            request=request_key())
        return written(outcome, matter_from_aggregate(outcome.value), 201, wait)


@blp.route("/budget")
class Budget(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(ReadQuery, location="query")
    @blp.response(200, BudgetOut)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """Budget against actual spending of every matter, line by line"""
        with reading(query["after"]) as reader:
            require_org(reader, org)
            items = services().spending.budget_vs_actual(org)
            position = reader.position()
        return {"items": items, "position": position}
