"""The signed-in pages where disclosures are made: the accountant drafts, submits and publishes,
the supervision committee signs or refuses, questions are screened and answered.

Each page declares the same access rule as the JSON API route doing the same thing, and each form
calls one ledger command; a refused command re-renders its page with the rule that was broken.
Form parsing and page data live in api/pages/desk_forms.py and api/pages/desk_views.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from api.auth import KEEP_BOOKS, READ_BOOKS, SIGNED_IN, actor, in_org, principal, rule
from api.errors import status_of
from api.pages.desk_forms import (
    FIELD_LABELS,
    KIND_LABELS,
    NOTE_ROWS,
    STAGE_LABELS,
    Problem,
    date_field,
    draft_defaults,
    draft_typed,
    form_key,
    line_notes_typed,
    notice,
)
from api.pages.desk_views import caught_up, desk_of, disclosure_view, draft_view, org_questions
from api.public_address import PUBLIC_URL, is_demo, public_url_problem
from api.routes.common import reading
from api.services import services
from ledger.disclosure import KINDS
from ledger.identity import EVERY_ORG
from ledger.kernel.errors import LedgerError
from ledger.kernel.writing import Outcome
from projections.disclosure.content import prepare

pages = Blueprint("desk", __name__, url_prefix="/desk", template_folder="../templates")

# The same rules as the JSON API's routes for the same commands (api/routes/disclosures.py).
REVIEW = in_org("supervisor")
ANSWER = in_org("accountant", "committee")


# -- after a request: pages, not JSON, for browsers ---------------------------------------------

@pages.after_request
def as_page(response: Response) -> Response:
    """The access check and the app's error handlers answer in JSON; a browser gets the sign-in
    page (401 on a GET) or an error page instead. Programs (Accept: JSON or */*) keep the JSON."""
    if response.status_code < 400 or not response.is_json or not _wants_html():
        return response
    if response.status_code == 401 and request.method == "GET":
        return redirect(f"/login?next={quote(request.full_path.rstrip('?'))}", code=303)
    error = (response.get_json(silent=True) or {}).get("error", {})
    page = render_template("desk/error.html", status=response.status_code,
                           code=error.get("code", ""), message=error.get("message", ""))
    return Response(page, status=response.status_code, mimetype="text/html")


@pages.context_processor
def _labels() -> dict[str, Any]:
    return {"stage_labels": STAGE_LABELS, "kind_labels": KIND_LABELS,
            "field_labels": FIELD_LABELS}


def _wants_html() -> bool:
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


# -- the desk -----------------------------------------------------------------------------------

@pages.get("/")
@rule(SIGNED_IN)
def index() -> str:
    who = principal()
    orgs = sorted(org for org, roles in who.roles.items() if org != EVERY_ORG and roles)
    with reading() as reader:
        names = {org: (reader.organization(org) or {}).get("name_zh", org) for org in orgs}
    # The admin is told when printed sheets would carry no QR code (api/public_address.py).
    unprintable = who.is_admin and not is_demo() and bool(public_url_problem())
    return render_template("desk/index.html", desks=[desk_of(org, names[org]) for org in orgs],
                           public_url_missing=unprintable, public_url_variable=PUBLIC_URL)


# -- drafting -----------------------------------------------------------------------------------

@pages.get("/<org>/disclosures/new")
@rule(KEEP_BOOKS)
def new_disclosure(org: str) -> str:
    return _draft_page(org, draft_defaults(org, request.args))


@pages.post("/<org>/disclosures/new")
@rule(KEEP_BOOKS)
def draft_disclosure(org: str) -> ResponseReturnValue:
    typed = draft_typed(request.form)
    try:
        with reading() as reader:
            prepared = prepare(reader, org, typed["kind"], typed["period"], typed["title"],
                               typed["inputs"])
        outcome = services().ledger.disclosure.draft_disclosure(
            org, kind=typed["kind"], period=typed["period"], title=typed["title"],
            inputs=typed["inputs"], content=prepared.content, position=prepared.position,
            actor=actor(), supersedes=typed["supersedes"], corrects=typed["corrects"],
            correction_reason=typed["correction_reason"], request=form_key())
    except LedgerError as error:
        # The content builder names the matter field by its place in `inputs`; the form by its id.
        anchor = "matter" if error.field == "inputs.matter" else error.field or ""
        problem = Problem.of("draft", error, anchor=anchor)
        return _draft_page(org, typed, problem), status_of(error)
    return show_done(outcome, "drafted", "desk.disclosure", org=org, ref=str(outcome.value.id))


def _draft_page(org: str, form: dict[str, Any], problem: Problem | None = None) -> str:
    return render_template("desk/new.html", org=org, form=form, problem=problem, kinds=KINDS,
                           **draft_view(org, form, reading))


# -- one disclosure and its workflow ------------------------------------------------------------

@pages.get("/<org>/disclosures/<ref>")
@rule(READ_BOOKS)
def disclosure(org: str, ref: str) -> ResponseReturnValue:
    return _disclosure_page(org, ref)


@pages.post("/<org>/disclosures/<ref>/submit")
@rule(KEEP_BOOKS)
def submit(org: str, ref: str) -> ResponseReturnValue:
    # The panel is whoever holds the supervisor role now, as the JSON API's submit takes it.
    panel = services().identity.holders(org, "supervisor")
    return _act(org, ref, "submit", "submitted",
                lambda: services().ledger.disclosure.submit_disclosure(
        org, ref, panel=panel, actor=actor()))


@pages.post("/<org>/disclosures/<ref>/sign")
@rule(REVIEW)
def sign(org: str, ref: str) -> ResponseReturnValue:
    notes = line_notes_typed(request.form)
    return _act(org, ref, "sign", "signed", lambda: services().ledger.disclosure.sign_disclosure(
        org, ref, member=actor(), opinion=request.form.get("opinion", ""), line_notes=notes))


@pages.post("/<org>/disclosures/<ref>/refuse")
@rule(REVIEW)
def refuse(org: str, ref: str) -> ResponseReturnValue:
    return _act(org, ref, "refuse", "refused",
                lambda: services().ledger.disclosure.refuse_disclosure(
        org, ref, member=actor(), reason=request.form.get("reason", "")))


@pages.post("/<org>/disclosures/<ref>/publish")
@rule(KEEP_BOOKS)
def publish(org: str, ref: str) -> ResponseReturnValue:
    return _act(org, ref, "publish", "published",
                lambda: services().ledger.disclosure.publish_disclosure(
        org, ref, actor=actor(), posting_from=date_field("posting_from"),
        posting_to=date_field("posting_to")))


def _act(org: str, ref: str, form: str, done: str,
         command: Callable[[], Outcome[Any]]) -> ResponseReturnValue:
    try:
        outcome = command()
    except LedgerError as error:
        problem = Problem.of(form, error, anchor=f"form-{form}")
        return _disclosure_page(org, ref, problem, status_of(error))
    return show_done(outcome, done, "desk.disclosure", org=org, ref=ref)


def _disclosure_page(org: str, ref: str, problem: Problem | None = None,
                     status: int = 200) -> ResponseReturnValue:
    waited = caught_up()  # before reading, so the page shows the write just made
    page = render_template(
        "desk/disclosure.html", org=org, **disclosure_view(org, ref), problem=problem,
        typed=request.form, note_rows=NOTE_ROWS, notice=notice(), caught_up=waited)
    return page, status


# -- questions ----------------------------------------------------------------------------------

@pages.get("/<org>/questions")
@rule(READ_BOOKS)
def questions(org: str) -> ResponseReturnValue:
    return _questions_page(org)


@pages.post("/<org>/questions/<ref>/screen")
@rule(REVIEW)
def screen(org: str, ref: str) -> ResponseReturnValue:
    return _answer_or_screen(org, ref, "screened",
                             lambda: services().ledger.disclosure.screen_question(
        org, ref, visible=request.form.get("visible") == "1",
        reason=request.form.get("reason", ""), actor=actor()))


@pages.post("/<org>/questions/<ref>/answer")
@rule(ANSWER)
def answer(org: str, ref: str) -> ResponseReturnValue:
    return _answer_or_screen(org, ref, "answered",
                             lambda: services().ledger.disclosure.answer_question(
        org, ref, text=request.form.get("text", ""), actor=actor()))


def _answer_or_screen(org: str, ref: str, done: str,
                      command: Callable[[], Outcome[Any]]) -> ResponseReturnValue:
    try:
        outcome = command()
    except LedgerError as error:
        return _questions_page(org, Problem.of(ref, error, anchor=f"q-{ref}"),
                               status_of(error))
    return show_done(outcome, done, "desk.questions", org=org, _anchor=f"q-{ref}")


def _questions_page(org: str, problem: Problem | None = None,
                    status: int = 200) -> ResponseReturnValue:
    waited = caught_up()
    roles = principal().roles_in(org)
    page = render_template(
        "desk/questions.html", org=org, questions=org_questions(org), problem=problem,
        typed=request.form, may_screen="supervisor" in roles,
        may_answer=bool(roles & {"accountant", "committee"}), notice=notice(),
        caught_up=waited)
    return page, status


# -- after a write ------------------------------------------------------------------------------

def show_done(outcome: Outcome[Any], done: str, endpoint: str, **values: Any) -> Response:
    """303 to the page that shows the result; `after` lets that page wait for the read models
    to include the write, so the user sees what they just did."""
    return redirect(url_for(endpoint, done=done, after=outcome.position, **values), code=303)
