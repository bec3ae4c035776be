"""Closing an account (停用科目) from the desk's chart of accounts: the small form beside each
account (/desk/<org>/accounts/<code>/close), for the accountant only.

Rule: the form is read through the JSON route's own schema (AccountCloseIn: a reason is
required) and goes to the same ledger command as POST /api/v1/orgs/<org>/accounts/<code>/close;
the ledger decides (no balance left on any leaf of the subtree, not an account the year-end
close posts to, not closed already), and its refusal is said in Chinese beside the form, with
the status the API gives it (422, 409) and nothing written. Done, the chart is shown again
(POST-redirect-GET) with the account marked 已停用.
"""

from __future__ import annotations

import re

from flask import request
from flask.typing import ResponseReturnValue

from api.auth import KEEP_BOOKS, actor, rule
from api.books.desk_accounts import chart_page
from api.books.desk_reports import pages
from api.books.schemas import AccountCloseIn
from api.desk import show_done
from api.disclosure.desk_forms import Problem, form_key
from api.errors import status_of
from api.forms import REQUIRED, FormRefused, load_form
from api.i18n import gettext as _
from api.refusals import said
from api.services import services
from ledger.kernel.errors import LedgerError

MOST = 200  # the schema's longest reason


@pages.post("/<org>/accounts/<code>/close")
@rule(KEEP_BOOKS)
def close_account(org: str, code: str) -> ResponseReturnValue:
    code = code[:20]
    typed = {"reason": request.form.get("reason", "").strip()[:MOST + 20]}
    try:
        form = load_form(AccountCloseIn(), request.form)
    except FormRefused as refused:
        text = (_("Say why the account is closed.") if refused.message == REQUIRED
                else _("Give a reason of at most %(most)s characters.", most=MOST))
        return chart_page(org, typed, _problem(code, "reason", text), 422)
    try:
        outcome = services().ledger.books.close_account(org, code, **form, actor=actor(),
                                                        request=form_key())
    except LedgerError as error:
        # The reason is the only field; every other refusal concerns the account itself.
        field = "reason" if error.field == "reason" else "account"
        return chart_page(org, typed, _problem(code, field, said(error)), status_of(error))
    # Back to the chart at the day it was read at (the form's address carries ?date=).
    asked = request.args.get("date", "")
    day = {"date": asked} if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", asked) else {}
    return show_done(outcome, "closed", "desk_books.accounts", org=org, code=code,
                     _anchor=f"account-{code}", **day)


def _problem(code: str, field: str, text: str) -> Problem:
    """A refusal beside the close form of `code` (its form is named close-<code>)."""
    return Problem(f"close-{code}", field, text, f"close-{code}")
