"""The signed-in pages of the member roll (成员名册) and the share register (股权登记簿): every
reader of the books sees the roll and the shares as they stood on any day; only the accountant
confirms, ends, moves and corrects members, makes one head of their household, registers
households and imports a roll from a spreadsheet.

Thin as api/spending/desk.py: each form calls one ledger command, with the form's idempotency
key so a double-tapped button acts once; a refused command re-renders its page with the rule
broken, beside the field concerned. Form parsing and page data live beside this module, one
module per part of the register: desk_members, desk_households, desk_shares, desk_import, and
what they share, desk_common.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from api.auth import KEEP_BOOKS, READ_BOOKS, actor, rule
from api.desk import as_page, show_done
from api.disclosure.desk_forms import Problem, form_key
from api.disclosure.desk_views import caught_up
from api.errors import status_of
from api.register.desk_common import labels, notice, typed
from api.register.desk_households import household_args, new_view
from api.register.desk_import import import_defaults, import_sheet, import_typed
from api.register.desk_members import (
    CONFIRM_FIELDS,
    confirm_args,
    confirm_defaults,
    correct_args,
    end_args,
    head_args,
    member_view,
    move_args,
    roll_view,
)
from api.register.desk_shares import shares_view
from api.register.roll_words import roll_problems
from api.services import services
from ledger.kernel.errors import LedgerError

pages = Blueprint("desk_members", __name__, url_prefix="/desk")
# The desk's answer to a browser: a refused access check is an error page or the sign-in page.
pages.after_request(as_page)


@pages.context_processor
def _labels() -> dict[str, Any]:
    return labels()


# -- the roll ------------------------------------------------------------------------------------

@pages.get("/<org>/members")
@rule(READ_BOOKS)
def roll(org: str) -> ResponseReturnValue:
    waited = caught_up()
    return render_template("register/members.html", org=org, notice=notice(), caught_up=waited,
                           **roll_view(org))


# -- a new member, and a new household for them ---------------------------------------------------

@pages.get("/<org>/members/new")
@rule(KEEP_BOOKS)
def new_member(org: str) -> ResponseReturnValue:
    return _new_page(org, confirm_defaults(org))


@pages.post("/<org>/members/new")
@rule(KEEP_BOOKS)
def confirm_member(org: str) -> ResponseReturnValue:
    form = typed(request.form, CONFIRM_FIELDS)
    try:
        outcome = services().ledger.register.confirm_member(org, **confirm_args(request.form),
                                                            actor=actor(),
                                                            request=form_key())
    except LedgerError as error:
        problem = Problem.of("new", error, anchor=f"new-{error.field or 'form'}")
        return _new_page(org, form, problem, status_of(error))
    # Without a number typed, the roll gave the next one: its newest member.
    number = form["number"] or list(outcome.value.members)[-1]
    return show_done(outcome, "confirmed", "desk_members.member", org=org, number=number)


@pages.post("/<org>/households")
@rule(KEEP_BOOKS)
def register_household(org: str) -> ResponseReturnValue:
    try:
        args = household_args(request.form)
        outcome = services().ledger.register.register_household(org, **args, actor=actor(),
                                                                request=form_key())
    except LedgerError as error:
        problem = Problem.of("household", error, anchor="household-form")
        return _new_page(org, confirm_defaults(org), problem, status_of(error))
    return show_done(outcome, "household", "desk_members.new_member", org=org,
                 household=args["number"])


def _new_page(org: str, form: dict[str, str], problem: Problem | None = None,
              status: int = 200) -> ResponseReturnValue:
    waited = caught_up()
    page = render_template("register/members_new.html", org=org, form=form, problem=problem,
                           typed=request.form, notice=notice(), caught_up=waited,
                           **new_view(org))
    return page, status


# -- importing a roll from a spreadsheet ----------------------------------------------------------

@pages.get("/<org>/members/import")
@rule(KEEP_BOOKS)
def import_page(org: str) -> ResponseReturnValue:
    return render_template("register/members_import.html", org=org, form=import_defaults(),
                           problem=None, problems=[], checked=None, carried=None)


@pages.post("/<org>/members/import")
@rule(KEEP_BOOKS)
def import_roll(org: str) -> ResponseReturnValue:
    form = import_typed(request.form)
    check_only = request.form.get("import") != "1"  # "检查" sends 0, "导入" 1
    try:
        result = import_sheet(org, check_only, actor())
    except LedgerError as error:
        problem = Problem.of("import", error, anchor=f"import-{error.field or 'form'}")
        return _import_page(org, form, problem, [], None, status_of(error))
    if result.rejected is not None:
        problem = Problem.of("import", result.rejected, anchor="problems")
        return _import_page(org, form, problem, result.problems, None,
                            status_of(result.rejected))
    if result.outcome is None:
        return _import_page(org, form, None, [], result.members, carried=result.carried)
    return show_done(result.outcome, "imported", "desk_members.roll", org=org)


def _import_page(org: str, form: dict[str, str], problem: Problem | None,
                 problems: list[dict[str, Any]], checked: int | None,
                 status: int = 200, carried: dict[str, str] | None = None) -> ResponseReturnValue:
    page = render_template("register/members_import.html", org=org, form=form, problem=problem,
                           problems=roll_problems(problems), checked=checked, carried=carried)
    return page, status


# -- one member: details, history, ending, moving, heading a household, correcting -----------------

@pages.get("/<org>/members/<number>")
@rule(READ_BOOKS)
def member(org: str, number: str) -> ResponseReturnValue:
    return _member_page(org, number)


@pages.post("/<org>/members/<number>/end")
@rule(KEEP_BOOKS)
def end_membership(org: str, number: str) -> ResponseReturnValue:
    try:
        outcome = services().ledger.register.end_membership(org, number, **end_args(request.form),
                                                            actor=actor(), request=form_key())
    except LedgerError as error:
        return _member_page(org, number, Problem.of("end", error, anchor="form-end"),
                            status_of(error))
    return show_done(outcome, "ended", "desk_members.member", org=org, number=number)


@pages.post("/<org>/members/<number>/move")
@rule(KEEP_BOOKS)
def move_member(org: str, number: str) -> ResponseReturnValue:
    try:
        outcome = services().ledger.register.move_member(org, number, **move_args(request.form),
                                                         actor=actor(), request=form_key())
    except LedgerError as error:
        return _member_page(org, number, Problem.of("move", error, anchor="form-move"),
                            status_of(error))
    return show_done(outcome, "moved", "desk_members.member", org=org, number=number)


@pages.post("/<org>/members/<number>/correct")
@rule(KEEP_BOOKS)
def correct_member(org: str, number: str) -> ResponseReturnValue:
    try:
        outcome = services().ledger.register.correct_member_as_typed(
            org, number, **correct_args(request.form), actor=actor(), request=form_key())
    except LedgerError as error:
        return _member_page(org, number, Problem.of("correct", error, anchor="form-correct"),
                            status_of(error))
    return show_done(outcome, "corrected", "desk_members.member", org=org, number=number)


@pages.post("/<org>/members/<number>/head")
@rule(KEEP_BOOKS)
def make_head(org: str, number: str) -> ResponseReturnValue:
    try:
        outcome = services().ledger.register.make_household_head(
            org, number, **head_args(request.form), actor=actor(), request=form_key())
    except LedgerError as error:
        return _member_page(org, number, Problem.of("head", error, anchor="form-head"),
                            status_of(error))
    return show_done(outcome, "head", "desk_members.member", org=org, number=number)


def _member_page(org: str, number: str, problem: Problem | None = None,
                 status: int = 200) -> ResponseReturnValue:
    waited = caught_up()
    page = render_template("register/members_one.html", org=org, problem=problem,
                           typed=request.form, notice=notice(), caught_up=waited,
                           **member_view(org, number))
    return page, status


# -- the share register --------------------------------------------------------------------------

@pages.get("/<org>/shares")
@rule(READ_BOOKS)
def shares(org: str) -> ResponseReturnValue:
    waited = caught_up()
    return render_template("register/shares.html", org=org, caught_up=waited, **shares_view(org))

