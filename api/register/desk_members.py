"""The roll's pages: the roll on a day, one member and their history, and the forms that
confirm, end, move and correct members or make one head of their household. ID and phone
numbers are opened only for a viewer whose roles may see them (`may_see`: the accountant, the
auditor); everyone else reads the masked form, and no form is ever filled in with one. Which
details a correction changes, and whose household a member heads, the register works out.
"""

from __future__ import annotations

import uuid
from itertools import groupby
from typing import Any

from flask import request
from werkzeug.datastructures import MultiDict

from api.auth import principal
from api.common import require_org
from api.forms import load_form
from api.register.desk_common import asked_day, day, today
from api.register.member_schemas import CorrectionIn, EndingIn, HeadIn, MemberIn, MoveIn
from api.register.personal_data import member_out
from api.services import services
from ledger.kernel.personal import may_see
from ledger.register import CONFIRM_BASES, END_BASES, MemberNotFound
from projections.books.queries import Page

PER_PAGE = 200  # a page of the roll: a village's households fit on a few
WHOLE = Page(1, 10_000)  # households, for the pickers: a village has hundreds at most
STATUSES = ("active", "ended", "all")
MAX_QUERY = 50
CONFIRM_FIELDS = ("household", "head", "name", "sex", "born", "basis", "confirmed_on",
                  "id_number", "phone", "resolution", "resolution_date", "number", "key")


def confirm_defaults(org: str) -> dict[str, str]:
    """A new member: confirmed today on the first basis of the organization's kind (a birth,
    in a village), with a fresh idempotency key; a household just registered comes from the
    address."""
    kind = roll_kind(org)
    return {**dict.fromkeys(CONFIRM_FIELDS, ""), "confirmed_on": today().isoformat(),
            "basis": CONFIRM_BASES[kind][0], "household": request.args.get("household", "")[:20],
            "key": uuid.uuid4().hex}


def confirm_args(form: MultiDict[str, str]) -> dict[str, Any]:
    """The arguments of `confirm_member` (without actor and key), read by the JSON route's
    schema."""
    data = load_form(MemberIn(), form)
    return {"household": data["household"], "head": data["head"], "name": data["name"],
            "sex": data["sex"], "born": data["born"], "on": data["confirmed_on"],
            "basis": data["basis"], "number": data["number"], "id_number": data["id_number"],
            "phone": data["phone"], "resolution": data["resolution"],
            "resolution_date": data["resolution_date"]}


def end_args(form: MultiDict[str, str]) -> dict[str, Any]:
    """The arguments of `end_membership` (without the member, actor and key)."""
    data = load_form(EndingIn(), form)
    return {"on": data["ended_on"], "basis": data["basis"], "document": data["document"],
            "resolution": data["resolution"], "resolution_date": data["resolution_date"]}


def move_args(form: MultiDict[str, str]) -> dict[str, Any]:
    """The arguments of `move_member` (without the member, actor and key)."""
    return load_form(MoveIn(), form)


def correct_args(form: MultiDict[str, str]) -> dict[str, Any]:
    """The arguments of `correct_member_as_typed` (without the member, actor and key): the
    form as typed, a blank detail kept as the roll has it; which details it changes is the
    register's to work out."""
    data = load_form(CorrectionIn(), form)
    return {"reason": data["reason"], "born": data["born"],
            **{name: data[name] or "" for name in ("name", "sex", "id_number", "phone")}}


def head_args(form: MultiDict[str, str]) -> dict[str, Any]:
    """The arguments of `make_household_head` (without the member, actor and key): the day.
    The household is the one the roll has the member in now, never one sent by the browser,
    so of the JSON route's fields only the day is read."""
    return load_form(HeadIn(only=("on",)), form)


def roll_kind(org: str) -> str:
    """The roll's kind of organization: which bases confirm and end membership there."""
    return str(org_row(org)["kind"])


def org_row(org: str) -> dict[str, Any]:
    """The organization as the books read model has it (its names, its kind)."""
    with services().queries.read() as reader:
        return require_org(reader, org)


def roll_view(org: str) -> dict[str, Any]:
    """The roll on a day, by household (heads marked), searched by name or number, with the
    counts of members, former members and households on that day."""
    on = asked_day()
    organization = org_row(org)
    status = request.args.get("status", "")
    status = status if status in STATUSES else "active"
    q = request.args.get("q", "").strip()[:MAX_QUERY]
    number = request.args.get("page", "1")
    page = Page.asked(number, PER_PAGE)
    whole = may_see(principal().roles_in(org))
    with services().members.read() as reader:
        rows, found = reader.roll(org, page=page, on=on, status=status, q=q or None)
        _, active = reader.roll(org, page=Page(1, 1), on=on, status="active")
        _, ended = reader.roll(org, page=Page(1, 1), on=on, status="ended")
        households, registered = reader.households(org, page=WHOLE, on=on)
    addresses = {h["number"]: h["address"] for h in households}
    groups = [{"household": household, "address": addresses.get(household, ""),
               "members": [member_out(org, row) for row in members]}
              for household, members in groupby(rows, key=lambda row: row["household"])]
    return {"on": on.isoformat(), "is_today": on == today(), "name": organization["name_zh"],
            "groups": groups, "found": found, "active": active, "ended": ended,
            "households": registered, "status": status, "statuses": STATUSES, "q": q,
            "page": page.number, "pages": max(page.count(found), 1),
            "whole": whole, "may_keep": "accountant" in principal().roles_in(org)}


def member_view(org: str, number: str) -> dict[str, Any]:
    """One member: as they stood on the day asked (or with every change recorded), their whole
    history, and — for the accountant, while they are a member — the forms to end or move, or to
    make them head of their household (unless they are). Details are corrected from this page
    even after the membership ended: the roll keeps former members, and their record is mended
    like anyone's. No form shows on a past day's page, which is not the roll as it stands."""
    asked = request.args.get("date", "").strip()
    on = day(asked, "date") if asked else None
    kind = roll_kind(org)
    with services().members.read() as reader:
        row = reader.member(org, number, on=on)
        households, _ = reader.households(org, page=WHOLE) if row else ([], 0)
    if row is None:
        raise MemberNotFound(f"no member {number}", member=number)
    may_correct = "accountant" in principal().roles_in(org) and on is None
    may = may_correct and row["active"]
    return {"m": member_out(org, row),
            "on": asked, "may": may, "may_correct": may_correct,
            "may_head": may and not row["head"], "today": today().isoformat(),
            "end_bases": END_BASES[kind],
            "households": [h for h in households if h["number"] != row["household"]],
            "keys": {form: uuid.uuid4().hex for form in ("end", "move", "correct", "head")}}
