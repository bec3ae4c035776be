"""The member roll (成员名册) and its households (户): confirm, end, move and correct members, each
change dated and with its basis, and read the roll as it stood on any day.

An ID-card or phone number is opened only for a caller whose roles in this organization may see
it (the accountant, the auditor); everyone else reads the masked form, and no one the sealed one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint

from api.auth import KEEP_BOOKS, READ_BOOKS, actor, rule
from api.common import page_from, paged, reading, require_org, written
from api.common_schemas import WriteQuery
from api.idempotency import request_key
from api.register.member_schemas import (
    CorrectionIn,
    DatedPageQuery,
    DateQuery,
    EndingIn,
    HeadIn,
    HouseholdIn,
    HouseholdOut,
    HouseholdPage,
    MemberIn,
    MemberOut,
    MemberPage,
    MemberQuery,
    MoveIn,
)
from api.register.personal_data import SEALED, member_out, personal
from api.services import services
from ledger.register import HouseholdNotFound, MemberNotFound, MemberRoll
from projections.register.queries import RegisterReader

blp = Blueprint("members", __name__, url_prefix="/api/v1/orgs/<org>",
                description="成员名册 and 户: who is a member, since when and on what basis, in "
                            "which household; ID and phone numbers whole only for the "
                            "accountant and the auditor.")



@contextmanager
def register_reading(after: int | None, org: str) -> Iterator[RegisterReader]:
    """One snapshot of the register read model, once the organization is known to exist."""
    with reading(after) as books:
        require_org(books, org)
    with services().members.read() as reader:
        g.read_position = reader.position()
        yield reader


def member_from_roll(org: str, roll: MemberRoll, number: str,
                     **known: Any) -> dict[str, Any]:
    """A write's answer from the roll itself; what only the read model keeps (the resolution of
    an earlier change, the history) is left out unless the request itself said it."""
    person = roll.member(number)
    household = roll.households.get(person.household)
    return {"number": person.number, "name": person.name, "sex": person.sex,
            "born": person.born, "household": person.household,
            "head": household is not None and household.head == number,
            "basis": person.basis, "confirmed_on": person.confirmed_on,
            "ended_on": person.ended_on, "ended_basis": person.ended_basis,
            "active": person.active_on(services().ledger.clock()), **known,
            **personal(org, {name: getattr(person, name) for name in SEALED})}


def household_from_roll(roll: MemberRoll, number: str) -> dict[str, Any]:
    household = roll.household(number)
    people = [roll.members[n] for n in roll.active_in(number, date.max)]
    head = roll.members.get(household.head)
    return {"number": number, "address": household.address,
            "registered_on": household.registered_on, "head": household.head,
            "head_name": head.name if head is not None else "",
            "members": [{"number": p.number, "name": p.name, "head": p.number == household.head}
                        for p in sorted(people, key=lambda p: p.number)],
            "member_count": len(people)}


def _member_answer(outcome: Any, wait: bool, org: str, number: str, **known: Any) -> Any:
    return written(outcome, member_from_roll(org, outcome.value, number, **known), 201, wait)


@blp.route("/members")
class Members(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(MemberQuery, location="query")
    @blp.response(200, MemberPage)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """The roll on a day, by household and number; optionally one household, ended
        members, or a name"""
        page = page_from(query)
        with register_reading(query["after"], org) as reader:
            rows, total = reader.roll(org, page=page, on=query["on"],
                                      household=query["household"], status=query["status"],
                                      q=query["q"])
        return paged([member_out(org, row) for row in rows], total, page)

    @rule(KEEP_BOOKS)
    @blp.arguments(MemberIn, example={
        "name": "张小红", "sex": "female", "born": "2026-03-01", "household": "001",
        "confirmed_on": "2026-03-01", "basis": "birth", "id_number": "", "phone": ""})
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, MemberOut)
    def post(self, data: dict[str, Any], wait: bool, org: str) -> Any:
        """Confirm a member (成员确认): the roll's next number unless one is given; under a
        per-person register the new member is given the per-person shares"""
        outcome = services().ledger.register.confirm_member(
            org, number=data["number"], name=data["name"], sex=data["sex"], born=data["born"],
            household=data["household"], head=data["head"], id_number=data["id_number"],
            phone=data["phone"], on=data["confirmed_on"], basis=data["basis"],
            resolution=data["resolution"], resolution_date=data["resolution_date"],
            actor=actor(), request=request_key())
        number = data["number"].strip() or list(outcome.value.members)[-1]
        return _member_answer(outcome, wait, org, number, resolution=data["resolution"],
                              resolution_date=data["resolution_date"])


@blp.route("/members/<number>")
class OneMember(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(DateQuery, location="query")
    @blp.response(200, MemberOut)
    def get(self, query: dict[str, Any], org: str, number: str) -> dict[str, Any]:
        """One member as they stood on a day, with every change ever recorded"""
        with register_reading(query["after"], org) as reader:
            row = reader.member(org, number, on=query["on"])
        if row is None:
            raise MemberNotFound(f"no member {number}", member=number)
        return member_out(org, row)


@blp.route("/members/<number>/ending")
class Ending(MethodView):
    @rule(KEEP_BOOKS)
    @blp.arguments(EndingIn, example={"ended_on": "2026-08-15", "basis": "death",
                                      "document": "死亡证明 330102-2026-0815"})
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, MemberOut)
    def post(self, data: dict[str, Any], wait: bool, org: str, number: str) -> Any:
        """End a membership, only for a reason the law names (Art. 16–18); a per-person
        register takes the per-person shares back"""
        outcome = services().ledger.register.end_membership(
            org, number, on=data["ended_on"], basis=data["basis"], document=data["document"],
            resolution=data["resolution"], resolution_date=data["resolution_date"],
            actor=actor(), request=request_key())
        return _member_answer(outcome, wait, org, number, document=data["document"])


@blp.route("/members/<number>/moves")
class Moves(MethodView):
    @rule(KEEP_BOOKS)
    @blp.arguments(MoveIn, example={"household": "004", "on": "2026-05-01", "reason": "分户",
                                    "head": True})
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, MemberOut)
    def post(self, data: dict[str, Any], wait: bool, org: str, number: str) -> Any:
        """Move a member to another household from a day (分户, 合户)"""
        outcome = services().ledger.register.move_member(
            org, number, household=data["household"], on=data["on"], reason=data["reason"],
            head=data["head"], actor=actor(), request=request_key())
        return _member_answer(outcome, wait, org, number)


@blp.route("/members/<number>/corrections")
class Corrections(MethodView):
    @rule(KEEP_BOOKS)
    @blp.arguments(CorrectionIn, example={"name": "张晓明", "reason": "户口簿姓名为张晓明"})
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, MemberOut)
    def post(self, data: dict[str, Any], wait: bool, org: str, number: str) -> Any:
        """Correct a member's name, sex, birth date, ID or phone number, with the reason; the
        history lists which fields changed, never their values"""
        outcome = services().ledger.register.correct_member(
            org, number, reason=data["reason"], name=data["name"], sex=data["sex"],
            born=data["born"], id_number=data["id_number"], phone=data["phone"],
            actor=actor(), request=request_key())
        return _member_answer(outcome, wait, org, number)


@blp.route("/households")
class Households(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(DatedPageQuery, location="query")
    @blp.response(200, HouseholdPage)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """The households registered by a day, each with its head and members on that day"""
        page = page_from(query)
        with register_reading(query["after"], org) as reader:
            rows, total = reader.households(org, page=page, on=query["on"])
        return paged(rows, total, page)

    @rule(KEEP_BOOKS)
    @blp.arguments(HouseholdIn, example={"number": "004", "registered_on": "2026-05-01",
                                         "address": "东村二组"})
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, HouseholdOut)
    def post(self, data: dict[str, Any], wait: bool, org: str) -> Any:
        """Register a household (户) before its members are confirmed into it"""
        outcome = services().ledger.register.register_household(
            org, number=data["number"], on=data["registered_on"], address=data["address"],
            actor=actor(), request=request_key())
        return written(outcome, household_from_roll(outcome.value, data["number"]), 201, wait)


@blp.route("/households/<number>")
class OneHousehold(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(DateQuery, location="query")
    @blp.response(200, HouseholdOut)
    def get(self, query: dict[str, Any], org: str, number: str) -> dict[str, Any]:
        """One household with its head and members on a day"""
        with register_reading(query["after"], org) as reader:
            row = reader.household(org, number, on=query["on"])
        if row is None:
            raise HouseholdNotFound(f"no household {number}", household=number)
        return row


@blp.route("/households/<number>/head")
class HouseholdHead(MethodView):
    @rule(KEEP_BOOKS)
    @blp.arguments(HeadIn, example={"head": "0002", "on": "2026-08-16"})
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, HouseholdOut)
    def post(self, data: dict[str, Any], wait: bool, org: str, number: str) -> Any:
        """Make a member of the household its head (户主) from a day"""
        outcome = services().ledger.register.change_household_head(
            org, number, head=data["head"], on=data["on"], actor=actor(),
            request=request_key())
        return written(outcome, household_from_roll(outcome.value, number), 201, wait)
