"""The signed-in pages of spending under democratic decision: a spending request (支出申请) is
made on a phone, approved up the ladder by the finance lead or the two committees and a
supervisor, paid by the accountant; warnings (预警) are read by all and acknowledged with a reason.

Thin as desk.py: each form calls one ledger command, with the form's idempotency key so a
double-tapped button acts once; a refused command re-renders its page with the rule broken,
beside the field concerned. Forms are read through the JSON routes' schemas (api/forms.py);
form parsing and page data live in desk_pages.py beside this module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from api.auth import KEEP_BOOKS, READ_BOOKS, actor, in_org, rule
from api.desk import as_page, show_done
from api.disclosure.desk_forms import Problem, form_key
from api.disclosure.desk_views import caught_up
from api.errors import status_of
from api.forms import load_form
from api.services import services
from api.spending.desk_pages import (
    labels,
    list_view,
    note_of,
    notice,
    pay_args,
    reason_of,
    request_args,
    request_defaults,
    request_typed,
    request_view,
    warnings_view,
)
from api.spending.schemas import AcknowledgementIn
from ledger.kernel.errors import LedgerError
from ledger.kernel.writing import Outcome

pages = Blueprint("desk_spending", __name__, url_prefix="/desk")
# The desk's answer to a browser: a refused access check is an error page or the sign-in page.
pages.after_request(as_page)

# Reading is READ_BOOKS (finance leads included), as the JSON API reads spending requests.
ASK = in_org("accountant", "committee", "finance_lead")  # request, withdraw
DECIDE = in_org("finance_lead", "committee", "supervisor")  # approve, reject
ACKNOWLEDGE = in_org("accountant", "committee", "supervisor")


@pages.context_processor
def _labels() -> dict[str, Any]:
    return labels()


# -- the list, my to-do and a new request --------------------------------------------------------

@pages.get("/<org>/spending")
@rule(READ_BOOKS)
def spending(org: str) -> ResponseReturnValue:
    return _list_page(org, request_defaults())


@pages.post("/<org>/spending")
@rule(ASK)
def request_spending(org: str) -> ResponseReturnValue:
    typed = request_typed(request.form)
    try:
        outcome = services().ledger.spending.request_spending(
            org, **request_args(request.form), actor=actor(), request=form_key())
    except LedgerError as error:
        problem = Problem.of("request", error, anchor=f"request-{error.field or 'form'}")
        return _list_page(org, typed, problem, status_of(error))
    return show_done(outcome, "requested", "desk_spending.spending_request", org=org,
                 number=outcome.value.number)


def _list_page(org: str, form: dict[str, str], problem: Problem | None = None,
               status: int = 200) -> ResponseReturnValue:
    waited = caught_up()
    page = render_template("spending/spending.html", org=org, form=form, problem=problem,
                           notice=notice(), caught_up=waited, **list_view(org))
    return page, status


# -- one request and its ladder ------------------------------------------------------------------

@pages.get("/<org>/spending/<number>")
@rule(READ_BOOKS)
def spending_request(org: str, number: str) -> ResponseReturnValue:
    return _request_page(org, number)


@pages.post("/<org>/spending/<number>/approve")
@rule(DECIDE)
def approve(org: str, number: str) -> ResponseReturnValue:
    return _act(org, number, "approve", "approved",
                lambda: services().ledger.spending.approve_spending(
        org, number, approver=actor(), note=note_of(request.form), request=form_key()))


@pages.post("/<org>/spending/<number>/reject")
@rule(DECIDE)
def reject(org: str, number: str) -> ResponseReturnValue:
    return _act(org, number, "reject", "rejected",
                lambda: services().ledger.spending.reject_spending(
        org, number, approver=actor(), reason=reason_of(request.form), request=form_key()))


@pages.post("/<org>/spending/<number>/withdraw")
@rule(ASK)
def withdraw(org: str, number: str) -> ResponseReturnValue:
    return _act(org, number, "withdraw", "withdrawn",
                lambda: services().ledger.spending.withdraw_spending(
        org, number, reason=reason_of(request.form), actor=actor(), request=form_key()))


@pages.post("/<org>/spending/<number>/pay")
@rule(KEEP_BOOKS)
def pay(org: str, number: str) -> ResponseReturnValue:
    return _act(org, number, "pay", "paid", lambda: services().ledger.spending.pay_spending(
        org, number, **pay_args(request.form), actor=actor(), request=form_key()))


def _act(org: str, number: str, form: str, done: str,
         command: Callable[[], Outcome[Any]]) -> ResponseReturnValue:
    try:
        outcome = command()
    except LedgerError as error:
        problem = Problem.of(form, error, anchor=f"form-{form}")
        return _request_page(org, number, problem, status_of(error))
    return show_done(outcome, done, "desk_spending.spending_request", org=org, number=number)


def _request_page(org: str, number: str, problem: Problem | None = None,
                  status: int = 200) -> ResponseReturnValue:
    waited = caught_up()
    page = render_template("spending/spending_request.html", org=org, problem=problem,
                           typed=request.form, notice=notice(), caught_up=waited,
                           **request_view(org, number))
    return page, status


# -- warnings ------------------------------------------------------------------------------------

@pages.get("/<org>/warnings")
@rule(READ_BOOKS)
def warnings(org: str) -> ResponseReturnValue:
    return _warnings_page(org)


@pages.post("/<org>/warnings/<ref>/acknowledge")
@rule(ACKNOWLEDGE)
def acknowledge(org: str, ref: str) -> ResponseReturnValue:
    try:
        outcome = services().ledger.books.acknowledge_red_flag(
            org, ref, **load_form(AcknowledgementIn(), request.form), actor=actor(),
            request=form_key())
    except LedgerError as error:
        problem = Problem.of(ref, error, anchor=f"w-{ref}")
        return _warnings_page(org, problem, status_of(error))
    return show_done(outcome, "acknowledged", "desk_spending.warnings", org=org, _anchor=f"w-{ref}")


def _warnings_page(org: str, problem: Problem | None = None,
                   status: int = 200) -> ResponseReturnValue:
    waited = caught_up()
    page = render_template("spending/warnings.html", org=org, problem=problem, typed=request.form,
                           notice=notice(), caught_up=waited, **warnings_view(org))
    return page, status

