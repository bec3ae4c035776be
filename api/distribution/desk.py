"""The accountant's distribution desk (收益分配): the year's plans, a new plan previewed before it
is drafted, one plan with its holders and the step its stage allows (cancel, post, pay), and the
payment slips a household checks its line with.

Thin as the other desks: each form calls one ledger command with the form's idempotency key, so
a double-tapped button acts once; a refused command re-renders its page with the rule broken
beside the field concerned. Reading is READ_BOOKS, every step the accountant's (KEEP_BOOKS), as
the JSON API has it; the slips carry each household's look-up code, so only the accountant
prints them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from api.auth import KEEP_BOOKS, READ_BOOKS, actor, rule
from api.desk import as_page, show_done
from api.disclosure.desk_forms import Problem, form_key
from api.disclosure.desk_views import caught_up
from api.distribution.desk_forms import (
    NOTICES,
    cancel_reason,
    draft_defaults,
    draft_typed,
    form_field,
    labels,
    pay_args,
    plan_args,
)
from api.distribution.desk_views import (
    holder_ref,
    list_view,
    new_view,
    plan_view,
    preview_view,
    slips_view,
)
from api.errors import status_of
from api.services import services
from ledger.kernel.errors import LedgerError
from ledger.kernel.writing import Outcome

pages = Blueprint("desk_distribution", __name__, url_prefix="/desk")
# The desk's answer to a browser: a refused access check is an error page or the sign-in page.
pages.after_request(as_page)


@pages.context_processor
def _labels() -> dict[str, Any]:
    return labels() | {"holder_ref": holder_ref}


def _notice() -> str:
    return str(NOTICES.get(request.args.get("done", ""), ""))


@pages.get("/<org>/distributions")
@rule(READ_BOOKS)
def distributions(org: str) -> ResponseReturnValue:
    return render_template("distribution/distributions.html", org=org, notice=_notice(),
                           caught_up=caught_up(), **list_view(org))


# -- a new plan: previewed, then drafted ---------------------------------------------------------

@pages.get("/<org>/distributions/new")
@rule(KEEP_BOOKS)
def new_distribution(org: str) -> ResponseReturnValue:
    return _new_page(org, draft_defaults(org))


@pages.post("/<org>/distributions/new")
@rule(KEEP_BOOKS)
def draft_distribution(org: str) -> ResponseReturnValue:
    """预览 shows the plan and writes nothing; 起草 drafts it."""
    typed = draft_typed(request.form)
    drafting = bool(request.form.get("draft"))  # Enter in a field previews
    # One door for either kind: a cooperative's surplus (Art. 44) or a village's income.
    app = services().ledger.surplus
    try:
        args = plan_args(request.form, drafting=drafting, cooperative=app.is_cooperative(org))
        matter = args.pop("matter")
        if not drafting:
            plan = app.preview_plan(org, **args)
            return _new_page(org, typed, preview=preview_view(org, plan, args["record_date"]))
        outcome = app.draft_plan(org, **args, matter=matter, actor=actor(), request=form_key())
    except LedgerError as error:
        field = form_field(error.field or "", typed)
        problem = Problem("draft", field, Problem.of("draft", error, "").message,
                          anchor=f"draft-{field or 'form'}")
        return _new_page(org, typed, problem=problem, status=status_of(error))
    return show_done(outcome, "drafted", "desk_distribution.distribution", org=org,
                     number=outcome.value.number)


def _new_page(org: str, form: dict[str, str], *, preview: dict[str, Any] | None = None,
              problem: Problem | None = None, status: int = 200) -> ResponseReturnValue:
    page = render_template("distribution/new.html", org=org, form=form, preview=preview,
                           problem=problem, **new_view(org))
    return page, status


# -- one plan and its steps ----------------------------------------------------------------------

@pages.get("/<org>/distributions/<number>")
@rule(READ_BOOKS)
def distribution(org: str, number: str) -> ResponseReturnValue:
    return _plan_page(org, number)


@pages.post("/<org>/distributions/<number>/cancel")
@rule(KEEP_BOOKS)
def cancel(org: str, number: str) -> ResponseReturnValue:
    return _act(org, number, "cancel", "cancelled", lambda: services().ledger.distribution.cancel(
        org, number, reason=cancel_reason(request.form), actor=actor(), request=form_key()))


@pages.post("/<org>/distributions/<number>/post")
@rule(KEEP_BOOKS)
def post(org: str, number: str) -> ResponseReturnValue:
    return _act(org, number, "post", "posted", lambda: services().ledger.distribution.post(
        org, number, actor=actor(), request=form_key()))


@pages.post("/<org>/distributions/<number>/pay")
@rule(KEEP_BOOKS)
def pay(org: str, number: str) -> ResponseReturnValue:
    return _act(org, number, "pay", "paid", lambda: services().ledger.distribution.pay(
        org, number, **pay_args(request.form), actor=actor(), request=form_key()))


# The fields each step's form shows a refusal beside (api/templates/distribution/distribution.html).
FIELDS = {"post": {"matter"}, "pay": {"holders", "number", "paid_from", "date"},
          "cancel": {"number", "reason"}}


def _act(org: str, number: str, form: str, done: str,
         command: Callable[[], Outcome[Any]]) -> ResponseReturnValue:
    try:
        outcome = command()
    except LedgerError as error:
        problem = Problem.of(form, error, anchor=f"form-{form}")
        # "holders[1]" is a ticked box of the holders' list; a field the form has no input for
        # (a stale plan's "figures", a moved register's "record_date") is said above its button.
        field = (error.field or "").partition("[")[0]
        problem = Problem(form, field if field in FIELDS[form] else "", problem.message,
                          problem.anchor)
        return _plan_page(org, number, problem, status_of(error))
    return show_done(outcome, done, "desk_distribution.distribution", org=org, number=number)


def _plan_page(org: str, number: str, problem: Problem | None = None,
               status: int = 200) -> ResponseReturnValue:
    waited = caught_up()
    page = render_template("distribution/distribution.html", org=org, problem=problem,
                           typed=request.form, notice=_notice(), caught_up=waited,
                           **plan_view(org, number))
    return page, status


@pages.get("/<org>/distributions/<number>/slips")
@rule(KEEP_BOOKS)
def slips(org: str, number: str) -> ResponseReturnValue:
    return render_template("distribution/slips.html", org=org, **slips_view(org, number))
