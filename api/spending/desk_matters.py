"""The signed-in pages of matters decided by 四议两公开 (事项): a matter proposed, each of its
meetings recorded in turn, and the resolution marked carried out — what the JSON routes of
api/spending/matters.py do, for a village that keeps its books in a browser.

Thin as desk.py: each form is read through the JSON route's schema (MatterIn, MeetingIn,
CarriedOutIn) and calls the same ledger command, with the form's idempotency key so a
double-tapped button acts once; a refused command re-renders its page with the rule broken,
beside the field concerned. A meeting that misses its quorum or its vote is recorded, and the
matter stops, as over the API — but only once the person confirms it, since a miscount would
end the matter for good. Access is the JSON routes' own.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from api.auth import READ_BOOKS, actor, rule
from api.desk import as_page, show_done
from api.disclosure.desk_forms import Problem, form_key
from api.disclosure.desk_views import caught_up
from api.errors import status_of
from api.forms import load_form
from api.services import services
from api.spending.matter_schemas import CarriedOutIn, MatterIn, MeetingIn
from api.spending.matter_words import (
    MATTER_FIELDS,
    MEETING_FIELDS,
    budget_lines_of,
    labels,
    list_view,
    matter_defaults,
    matter_problem,
    matter_view,
    meeting_defaults,
    notice,
    typed,
)
from api.spending.matters import DECIDE
from ledger.kernel.errors import LedgerError
from ledger.spending import MeetingWouldStop

pages = Blueprint("desk_matters", __name__, url_prefix="/desk")
# The desk's answer to a browser: a refused access check is an error page or the sign-in page.
pages.after_request(as_page)


@pages.context_processor
def _labels() -> dict[str, Any]:
    return labels()


# -- the list and a new matter -------------------------------------------------------------------

@pages.get("/<org>/matters")
@rule(READ_BOOKS)
def matters(org: str) -> ResponseReturnValue:
    return _list_page(org, matter_defaults(org))


@pages.post("/<org>/matters")
@rule(DECIDE)
def propose(org: str) -> ResponseReturnValue:
    try:
        data = load_form(MatterIn(), request.form,
                         extra={"budget_lines": budget_lines_of(request.form)})
        outcome = services().ledger.spending.propose_matter(
            org, on=data["date"], title=data["title"], category=data["category"],
            description=data["description"], proposed_by=data["proposed_by"],
            budget_total=data["budget_total"], budget_lines=data["budget_lines"],
            actor=actor(), request=form_key())
    except LedgerError as error:
        return _list_page(org, typed(request.form, MATTER_FIELDS), matter_problem(error),
                          status_of(error))
    return show_done(outcome, "proposed", "desk_matters.matter", org=org,
                     number=outcome.value.number)


def _list_page(org: str, form: dict[str, str], problem: Problem | None = None,
               status: int = 200) -> ResponseReturnValue:
    waited = caught_up()
    page = render_template("spending/matters.html", org=org, form=form, problem=problem,
                           notice=notice(), caught_up=waited, **list_view(org))
    return page, status


# -- one matter, its meetings and its resolution carried out -------------------------------------

@pages.get("/<org>/matters/<number>")
@rule(READ_BOOKS)
def matter(org: str, number: str) -> ResponseReturnValue:
    return _matter_page(org, number)


@pages.post("/<org>/matters/<number>/meetings")
@rule(DECIDE)
def meeting(org: str, number: str) -> ResponseReturnValue:
    try:
        data = load_form(MeetingIn(), request.form)
        outcome = services().ledger.spending.hold_meeting(
            org, number, step=data["step"], on=data["date"], body=data["body"],
            entitled=data["entitled"], present=data["present"], votes_for=data["votes_for"],
            votes_against=data["votes_against"], abstain=data["abstain"],
            minutes=data["minutes"], resolution_no=data["resolution_no"], actor=actor(),
            request=form_key(), additional_votes_for=data["additional_votes_for"],
            additional_votes_against=data["additional_votes_against"],
            # A meeting that stops the matter is recorded once the person has confirmed it was
            # so, never from a first submission that may hold a miscount.
            stop_allowed=request.form.get("confirm_stop") == "1")
    except LedgerError as error:
        problem = Problem.of("meeting", error, anchor=f"meeting-{error.field or 'form'}")
        return _matter_page(org, number, problem, status_of(error),
                            confirm_stop=isinstance(error, MeetingWouldStop))
    return show_done(outcome, "met", "desk_matters.matter", org=org, number=number,
                     _anchor="meetings")


@pages.post("/<org>/matters/<number>/carried-out")
@rule(DECIDE)
def carried_out(org: str, number: str) -> ResponseReturnValue:
    try:
        data = load_form(CarriedOutIn(), request.form)
        outcome = services().ledger.spending.carry_out_matter(
            org, number, on=data["date"], summary=data["summary"], actor=actor(),
            request=form_key())
    except LedgerError as error:
        problem = Problem.of("carry", error, anchor=f"carry-{error.field or 'form'}")
        return _matter_page(org, number, problem, status_of(error))
    return show_done(outcome, "carried_out", "desk_matters.matter", org=org, number=number)


def _matter_page(org: str, number: str, problem: Problem | None = None,
                 status: int = 200, confirm_stop: bool = False) -> ResponseReturnValue:
    waited = caught_up()
    view = matter_view(org, number)
    # A refused meeting keeps what was typed; otherwise the form starts at the step due.
    refused = problem is not None and problem.form == "meeting"
    meeting_form = (typed(request.form, MEETING_FIELDS) if refused
                    else meeting_defaults(view["due"]))
    page = render_template("spending/matter.html", org=org, problem=problem,
                           typed=request.form, meeting_form=meeting_form, notice=notice(),
                           caught_up=waited, confirm_stop=confirm_stop, **view)
    return page, status
