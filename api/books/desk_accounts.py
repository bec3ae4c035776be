"""The chart of accounts on the desk (/desk/<org>/accounts, 科目表): every account of the books in
code order, with its category, balance direction, its balance at the end of a day (?date=,
today by default; a parent's that of its subtree) and whether it takes postings or is closed
(已停用), the form that opens a sub-account (明细科目) under an account that may still take one,
and beside each account the form that closes it (desk_account_close.py).

Rule: the balances are read from the running totals as the reports read them
(projections/books/reports.py chart_balances), so at a month's end they are the trial balance's
closing balances, each shown on the side it stands (借/贷), as the trial balance and the detail
ledger show it. The form is read through the JSON route's own schema (api/books/schemas.py
AccountIn) and goes to the one ledger command that route calls; the ledger decides (code =
parent + two digits, not 00, a Chinese name of at most 40 characters, the parent open and
without postings), and every refusal, the schema's or the ledger's, is said in Chinese beside its
field with nothing written. The parents offered and the code proposed are only the desk's help.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from flask import render_template, request
from flask.typing import ResponseReturnValue
from marshmallow import EXCLUDE, Schema, ValidationError

from api.auth import KEEP_BOOKS, READ_BOOKS, actor, principal, rule
from api.books.desk_reports import money, pages
from api.books.report_days import refuse_before_books
from api.books.schemas import AccountIn
from api.common import invalid, reading, require_org
from api.desk import show_done
from api.disclosure.desk_forms import Problem, form_key
from api.disclosure.desk_views import caught_up
from api.errors import status_of
from api.fields import DayIn
from api.forms import REQUIRED, FormRefused, load_form
from api.i18n import current_locale, lazy_gettext
from api.i18n import gettext as _
from api.refusals import said
from api.services import services
from ledger.books import AccountClosed, AccountExists, AccountInUse, InvalidAccount, UnknownAccount
from ledger.kernel.chart import get_chart
from ledger.kernel.errors import LedgerError
from projections.books import reports, totals
from projections.books.chart_layouts import COOPERATIVE_CHART
from projections.books.queries import BooksReader

FORM = "open"  # the Problem's form name; the form's anchor is "open-account"


@pages.get("/<org>/accounts")
@rule(READ_BOOKS)
def accounts(org: str) -> ResponseReturnValue:
    # After an opening, the form offers the next sibling of the account just opened.
    opened = request.args.get("code", "")[:20] if request.args.get("done") == "opened" else ""
    return chart_page(org, {"parent": request.args.get("parent", "")[:20] or opened[:-2]})


@pages.post("/<org>/accounts")
@rule(KEEP_BOOKS)
def open_account(org: str) -> ResponseReturnValue:
    typed = {name: request.form.get(name, "").strip()[:200]
             for name in ("parent", "code", "name_zh", "name_en")}
    try:
        form = load_form(AccountIn(), request.form)
    except FormRefused as refused:
        return chart_page(org, typed, _refused(refused, typed), 422)
    try:
        outcome = services().ledger.books.open_account(org, **form, actor=actor(),
                                                       request=form_key())
    except LedgerError as error:
        return chart_page(org, typed, _problem(error, typed), status_of(error))
    return show_done(outcome, "opened", "desk_books.accounts", org=org, code=form["code"],
                     _anchor=f"account-{form['code']}")


def _refused(refused: FormRefused, typed: dict[str, str]) -> Problem:
    """A field the schema refused, in Chinese beside it."""
    field = refused.field or ""
    blank = refused.message == REQUIRED
    said_of = {
        "parent": _("Choose the account to open the sub-account under."),
        "code": _code_rule(typed["parent"]),
        "name_zh": _("Give the account a Chinese name.") if blank
        else _("A Chinese name of at most 40 characters."),
        "name_en": _("An English name of at most 80 characters."),
    }
    return Problem(FORM, field, str(said_of.get(field, refused.message)), f"{field}-field")


def _problem(error: LedgerError, typed: dict[str, str]) -> Problem:
    """The ledger's refusal, beside the field it names, in Chinese."""
    parent, field = typed["parent"], error.field or ""
    code = str(error.context.get("code", typed["code"]))
    if isinstance(error, UnknownAccount):
        text = _("There is no account %(account)s in these books.", account=parent)
    elif isinstance(error, AccountClosed):
        text = _("Account %(account)s is closed; it takes no new sub-accounts.", account=parent)
    elif isinstance(error, AccountInUse):
        text = _("%(account)s has taken postings: sub-accounts are opened before an account's "
                 "first posting.", account=parent)
    elif isinstance(error, AccountExists) and field == "name_zh":
        text = _("%(account)s already has a sub-account of this name (%(code)s).",
                 account=parent, code=code)
    elif isinstance(error, AccountExists):
        text = _("Account %(code)s already exists; take the next free code.", code=code)
    elif isinstance(error, InvalidAccount) and field == "parent":
        text = _("The year-end close posts to %(account)s itself; it takes no sub-accounts.",
                 account=parent)
    elif isinstance(error, InvalidAccount) and field == "code":
        text = (_("The digits 00 are not used; start from 01.") if code.endswith("00")
                else _code_rule(parent))
    elif isinstance(error, InvalidAccount) and field == "name_zh":
        text = _("A Chinese name of at most 40 characters.")
    else:
        text = said(error)
    return Problem(FORM, field, text, f"{field or 'open'}-field")


def _code_rule(parent: str) -> str:
    if parent.isdigit():
        return _("The code of a sub-account of %(parent)s is %(parent)s and two more digits, "
                 "such as %(example)s.", parent=parent, example=parent + "01")
    return _("The code of a sub-account is its parent's code and two more digits.")


def chart_page(org: str, typed: dict[str, str], problem: Problem | None = None,
               status: int = 200) -> ResponseReturnValue:
    """The chart; after a refusal, the refused form as typed with the refusal beside it (a
    close form's reason is `typed["reason"]`)."""
    waited = caught_up()
    with reading() as reader:
        row = require_org(reader, org)
        on = _day(reader, org)
        view = chart_view(reader, org, row["chart"], on)
    parents = view["parents"]
    chosen = typed.get("parent", "")
    opening = problem is not None and problem.form == FORM
    if chosen not in {p["code"] for p in parents}:
        chosen = parents[0]["code"] if parents and not opening else chosen
    form = {"parent": chosen, "name_zh": "", "name_en": "",
            "code": next((p["next"] for p in parents if p["code"] == chosen), ""), **(
                {k: v for k, v in typed.items() if k != "parent"} if opening else {})}
    done, code = request.args.get("done", ""), request.args.get("code", "")[:20]
    notice = (_("Sub-account %(code)s is open.", code=code) if done == "opened" and code
              else _("Account %(code)s is closed.", code=code) if done == "closed" and code
              else None)
    for account in view["accounts"]:  # each close form sent once, whatever is tapped twice
        account["key"] = uuid.uuid4().hex if account["closable"] else ""
    page = render_template(
        "books/accounts.html", org=org, org_name=row["name_zh"],
        cooperative=row["chart"] == COOPERATIVE_CHART, problem=problem, caught_up=waited,
        notice=notice, opened=code if done in ("opened", "closed") else "",
        key=uuid.uuid4().hex, form=form, reason=typed.get("reason", ""), on=on,
        asked=request.args.get("date", "")[:10],
        may_open="accountant" in principal().roles_in(org), classes=CLASSES, sides=SIDES,
        balance_sides=BALANCE_SIDES, field_labels=LABELS, english=current_locale() == "en",
        money=money, **view)
    return page, status


class ChartArgs(Schema):
    date = DayIn(load_default=None)


def _day(reader: BooksReader, org: str) -> date:
    """The day the balances are of: the one asked for (?date=), or today."""
    try:
        asked: date | None = ChartArgs().load(request.args, unknown=EXCLUDE)["date"]
    except ValidationError:
        raise invalid("date", _("This value cannot be read; choose it again.")) from None
    if asked is None:
        return services().ledger.clock()
    refuse_before_books(reader, org, asked, "date")
    return asked


def chart_view(reader: BooksReader, org: str, chart: str, on: date) -> dict[str, Any]:
    """The chart's rows in code order, each with its balance at the end of `on` (`balance`, and
    `side` the one it stands on, `contrary` when that is not the account's direction) and
    whether it may be closed; and the accounts a sub-account may be opened under, each with the
    next free code proposed (the lowest two digits from 01 not yet taken)."""
    rows = [dict(r) for r in reader.all_accounts(org)]
    posted = set(totals.account_totals(reader.sql, org, date(9998, 12, 31)))
    balances = reports.chart_balances(reader, org, on, rows)
    spec = get_chart(chart)
    protected = spec.protected_accounts()
    closed_to_subs = protected - {spec.distribution}
    taken: dict[str, set[str]] = {}
    for r in rows:
        if r["parent"]:
            taken.setdefault(r["parent"], set()).add(r["code"][-2:])
    parents = []
    for r in rows:
        net = balances.get(r["code"], 0)
        r["balance"], r["side"] = abs(net), "debit" if net > 0 else "credit" if net < 0 else ""
        r["contrary"] = bool(r["side"]) and r["side"] != r["normal_balance"]
        # The year-end close posts to these: the ledger refuses to close them, so no form.
        r["protected"] = r["code"] in protected
        r["closable"] = not r["closed"] and not r["protected"]
        r["posted"] = r["code"] in posted
        free = [f"{n:02d}" for n in range(1, 100) if f"{n:02d}" not in taken.get(r["code"], ())]
        if r["closed"] or r["posted"] or r["code"] in closed_to_subs or not free:
            continue
        parents.append({"code": r["code"], "name": r["name_zh"], "level": r["level"],
                        "next": r["code"] + free[0]})
    return {"accounts": rows, "parents": parents}


CLASSES = {"asset": lazy_gettext("Asset class"), "liability": lazy_gettext("Liability class"),
           "equity": lazy_gettext("Equity class"), "cost": lazy_gettext("Cost class"),
           "income": lazy_gettext("Profit and loss class (income)"),
           "expense": lazy_gettext("Profit and loss class (expense)")}
SIDES = {"debit": lazy_gettext("Debit"), "credit": lazy_gettext("Credit")}
# The side a balance stands on, in one character as the books write it (借/贷/平).
BALANCE_SIDES = {"debit": lazy_gettext("Dr"), "credit": lazy_gettext("Cr"),
                 "": lazy_gettext("Nil")}
LABELS = {"parent": lazy_gettext("Parent account"), "code": lazy_gettext("Code"),
          "name_zh": lazy_gettext("Chinese name"), "name_en": lazy_gettext("English name"),
          "reason": lazy_gettext("Reason for closing")}
