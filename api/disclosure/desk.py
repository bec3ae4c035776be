"""The signed-in pages where disclosures are made: the accountant drafts, submits and publishes,
the supervision committee signs or refuses, questions are screened and answered.

Each page declares the same access rule as the JSON API route doing the same thing, and each form
calls one ledger command; a refused command re-renders its page with the rule that was broken.
Form parsing and page data live in desk_forms.py and desk_views.py beside this module; the
desk itself (its home, its error pages) is api/desk.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from api.auth import KEEP_BOOKS, READ_BOOKS, actor, in_org, principal, rule
from api.common import after_earlier_writes, reading
from api.desk import pages, show_done
from api.disclosure.desk_forms import (
    COOPERATIVE_KIND_LABELS,
    DISTRIBUTION_STAGES,
    FIELD_LABELS,
    KIND_LABELS,
    NOTE_ROWS,
    STAGE_LABELS,
    Problem,
    draft_asked,
    draft_defaults,
    draft_typed,
    form_key,
    is_cooperative,
    notice,
    sign_args,
)
from api.disclosure.desk_views import (
    DisclosureNotFound,
    caught_up,
    countersign,
    disclosure_view,
    draft_view,
    org_questions,
)
from api.disclosure.schemas import AnswerIn, PublishIn, RefuseIn, ScreenIn
from api.errors import status_of
from api.forms import load_form
from api.services import services
from ledger.disclosure import KINDS
from ledger.kernel.errors import LedgerError
from ledger.kernel.writing import Outcome
from projections.disclosure.drafting import draft_from_books

# The same rules as the JSON API's routes for the same commands (api/disclosure/disclosures.py).
REVIEW = in_org("supervisor")
ANSWER = in_org("accountant", "committee")


@pages.context_processor
def _labels() -> dict[str, Any]:
    return {"stage_labels": STAGE_LABELS, "kind_labels": KIND_LABELS,
            "field_labels": FIELD_LABELS}


# -- drafting -----------------------------------------------------------------------------------

@pages.get("/<org>/disclosures/new")
@rule(KEEP_BOOKS)
def new_disclosure(org: str) -> str:
    return _draft_page(org, draft_defaults(org, request.args, is_cooperative(org)))


@pages.post("/<org>/disclosures/new")
@rule(KEEP_BOOKS)
def draft_disclosure(org: str) -> ResponseReturnValue:
    typed = draft_typed(request.form, is_cooperative(org))
    after_earlier_writes()
    try:
        outcome = draft_from_books(services().ledger, reading, org,
                                   draft_asked(request.form, typed), actor=actor(),
                                   request=form_key())
    except LedgerError as error:
        # The content builder names the matter field by its place in `inputs`; the form by its id.
        anchor = (error.field or "").removeprefix("inputs.")
        problem = Problem.of("draft", error, anchor=anchor)
        return _draft_page(org, typed, problem), status_of(error)
    return show_done(outcome, "drafted", "desk.disclosure", org=org, ref=str(outcome.value.id))


def _draft_page(org: str, form: dict[str, Any], problem: Problem | None = None) -> str:
    cooperative = is_cooperative(org)
    return render_template("disclosure/new.html", org=org, form=form, problem=problem, kinds=KINDS,
                           stages=DISTRIBUTION_STAGES, cooperative=cooperative,
                           kind_labels=COOPERATIVE_KIND_LABELS if cooperative else KIND_LABELS,
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
    return _act(org, ref, "sign", "signed", lambda: services().ledger.disclosure.sign_disclosure(
        org, ref, member=actor(), **sign_args(request.form)))


@pages.post("/<org>/disclosures/<ref>/refuse")
@rule(REVIEW)
def refuse(org: str, ref: str) -> ResponseReturnValue:
    return _act(org, ref, "refuse", "refused",
                lambda: services().ledger.disclosure.refuse_disclosure(
        org, ref, member=actor(), **load_form(RefuseIn(), request.form)))


@pages.post("/<org>/disclosures/<ref>/publish")
@rule(KEEP_BOOKS)
def publish(org: str, ref: str) -> ResponseReturnValue:
    return _act(org, ref, "publish", "published",
                lambda: services().ledger.disclosure.publish_disclosure(
        org, ref, actor=actor(), **load_form(PublishIn(), request.form)))


@pages.post("/<org>/disclosures/<ref>/cosign")
@rule(REVIEW)
def cosign(org: str, ref: str) -> ResponseReturnValue:
    """A supervisor co-signs the checkpoint that vouches for a published disclosure, with the
    key kept for them (infra/cosigners.py); bundles then carry both signatures and both keys."""
    row = services().disclosures.disclosure(org, ref)
    if row is None:
        raise DisclosureNotFound(f"no disclosure {ref}", disclosure=ref)
    login = actor()
    try:
        countersign(row, login)
    except LedgerError as error:
        return _disclosure_page(org, ref, Problem.of("cosign", error, anchor="form-cosign"),
                                status_of(error))
    return redirect(url_for("desk.disclosure", org=org, ref=ref, done="cosigned"), code=303)


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
        "disclosure/disclosure.html", org=org, **disclosure_view(org, ref), problem=problem,
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
        org, ref, **load_form(ScreenIn(), request.form), actor=actor()))


@pages.post("/<org>/questions/<ref>/answer")
@rule(ANSWER)
def answer(org: str, ref: str) -> ResponseReturnValue:
    return _answer_or_screen(org, ref, "answered",
                             lambda: services().ledger.disclosure.answer_question(
        org, ref, **load_form(AnswerIn(), request.form), actor=actor()))


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
        "disclosure/questions.html", org=org, questions=org_questions(org), problem=problem,
        typed=request.form, may_screen="supervisor" in roles,
        may_answer=bool(roles & {"accountant", "committee"}), notice=notice(),
        caught_up=waited)
    return page, status
