"""The desk pages of a farmers' cooperative's members (成员账户, 2017 Law Art. 43) and trade: the
member accounts list and each member's account (with its .xlsx export), the trade book, and the
forms that record a contribution and a trade — posted in the same write when the cooperative
keeps its books here. Thin like api/register/desk.py: each form calls one ledger command with the
form's idempotency key; a refusal re-renders the page with the rule beside the field.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from api.auth import KEEP_BOOKS, READ_BOOKS, actor, principal, rule
from api.books.report_sheets import download
from api.cooperative.desk_views import (
    account_view,
    accounts_view,
    contribution_args,
    contribution_defaults,
    labels,
    members_for_picker,
    org_kind,
    said_here,
    today,
    trade_args,
    trade_defaults,
    trades_view,
)
from api.cooperative.sheets import account_table, accounts_table
from api.desk import as_page, show_done
from api.disclosure.desk_forms import Problem, form_key
from api.disclosure.desk_views import caught_up
from api.errors import status_of
from api.i18n import lazy_gettext
from api.services import services
from ledger.kernel.errors import LedgerError

pages = Blueprint("desk_cooperative", __name__, url_prefix="/desk")
pages.after_request(as_page)
NOTICES = {"contributed": lazy_gettext("The contribution was recorded."),
           "traded": lazy_gettext("The trade was recorded.")}


@pages.context_processor
def _labels() -> dict[str, Any]:
    return labels()


def _notice() -> str:
    return str(NOTICES.get(request.args.get("done", ""), ""))


def _problem(form: str, error: LedgerError) -> Problem:
    # The books refuse a closed or future month by "date": on these forms the field is "on".
    field = "on" if error.field == "date" else (error.field or "")
    return Problem(form, field, said_here(error), f"{form}-{field or 'form'}")


def _accountant(org: str) -> bool:
    """Whether the forms show: to the accountant of a cooperative (a village keeps no member
    accounts or trade, and its pages only read)."""
    return "accountant" in principal().roles_in(org) and org_kind(org) == "farmers_cooperative"


# -- the member accounts ------------------------------------------------------------------------

@pages.get("/<org>/member-accounts")
@rule(READ_BOOKS)
def member_accounts(org: str) -> ResponseReturnValue:
    return render_template("cooperative/member_accounts.html", org=org, caught_up=caught_up(),
                           **accounts_view(org))


@pages.get("/<org>/member-accounts.xlsx")
@rule(READ_BOOKS)
def member_accounts_sheet(org: str) -> ResponseReturnValue:
    view = accounts_view(org)
    return download(accounts_table(view["org_name"], view["members"], today()), "xlsx",
                    f"member-accounts-{org}")


@pages.get("/<org>/member-accounts/<number>")
@rule(READ_BOOKS)
def member_account(org: str, number: str) -> ResponseReturnValue:
    return _account_page(org, number)


@pages.get("/<org>/member-accounts/<number>.xlsx")
@rule(READ_BOOKS)
def member_account_sheet(org: str, number: str) -> ResponseReturnValue:
    view = account_view(org, number)
    table = account_table(view["org_name"], view["a"], view["year"], today())
    return download(table, "xlsx", f"member-account-{org}-{number}")


@pages.post("/<org>/member-accounts/<number>/contributions")
@rule(KEEP_BOOKS)
def contribute(org: str, number: str) -> ResponseReturnValue:
    try:
        outcome = services().ledger.member_accounts.record_contribution(
            org, number, **contribution_args(request.form), actor=actor(), request=form_key())
    except LedgerError as error:
        return _account_page(org, number, _problem("contribution", error), status_of(error))
    return show_done(outcome, "contributed", "desk_cooperative.member_account", org=org,
                     number=number)


def _account_page(org: str, number: str, problem: Problem | None = None,
                  status: int = 200) -> ResponseReturnValue:
    waited = caught_up()
    form = {**contribution_defaults(), **request.form.to_dict()} if problem else \
        contribution_defaults()
    page = render_template("cooperative/member_account.html", org=org, problem=problem,
                           form=form, notice=_notice(), caught_up=waited,
                           may=_accountant(org), **account_view(org, number))
    return page, status


# -- trade -----------------------------------------------------------------------------------

@pages.get("/<org>/trades")
@rule(READ_BOOKS)
def trades(org: str) -> ResponseReturnValue:
    return render_template("cooperative/trades.html", org=org, notice=_notice(),
                           caught_up=caught_up(), may=_accountant(org), **trades_view(org))


@pages.get("/<org>/trades/new")
@rule(KEEP_BOOKS)
def new_trade(org: str) -> ResponseReturnValue:
    return _trade_page(org, trade_defaults())


@pages.post("/<org>/trades/new")
@rule(KEEP_BOOKS)
def record_trade(org: str) -> ResponseReturnValue:
    try:
        args = trade_args(request.form)
        outcome = services().ledger.member_accounts.record_trade(org, **args, actor=actor(),
                                                                 request=form_key())
    except LedgerError as error:
        return _trade_page(org, {**trade_defaults(), **request.form.to_dict()},
                           _problem("trade", error), status_of(error))
    if args["member"]:
        return show_done(outcome, "traded", "desk_cooperative.member_account", org=org,
                         number=args["member"])
    return show_done(outcome, "traded", "desk_cooperative.trades", org=org, year=args["on"].year)


def _trade_page(org: str, form: dict[str, str], problem: Problem | None = None,
                status: int = 200) -> ResponseReturnValue:
    page = render_template("cooperative/trade_new.html", org=org, form=form, problem=problem,
                           members=members_for_picker(org), caught_up=caught_up())
    return page, status
