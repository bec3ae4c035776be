"""The accountant's voucher pages: enter a voucher (/desk/{org}/vouchers/new), list a month's
vouchers and find one (/desk/{org}/vouchers), read one by number or id, reverse it with a reason,
print it as a 记账凭证 (PDF), keep frequent vouchers as templates (常用凭证), and import a sheet
of vouchers, checked first (/desk/{org}/vouchers/import, api/books/desk_import.py).

Thin: each route parses the form, calls one ledger command or reads the read models, and renders;
a refused form comes back as typed, every mistake beside its field, with status 422 (409 when the
books' state forbids it). A double-submitted form acts once (its idempotency key).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from api.auth import KEEP_BOOKS, READ_BOOKS, actor, rule
from api.books import voucher_forms as forms
from api.books.desk_import import checked_file, import_defaults, import_typed, import_vouchers
from api.books.desk_voucher_views import (
    accounts,
    closed_accounts,
    desk,
    entry_view,
    labels,
    list_view,
    notice,
    opening_day,
    voucher_view,
)
from api.desk import as_page
from api.disclosure.desk_forms import Problem, form_key
from api.disclosure.desk_views import caught_up
from api.disclosure.public import download
from api.errors import status_of
from api.i18n import DEFAULT_LOCALE, force_locale, gettext
from api.render.pdf import CJK_FONT_STACK, html_to_pdf
from api.services import services
from ledger.kernel.errors import LedgerError
from ledger.kernel.writing import Outcome

pages = Blueprint("desk_vouchers", __name__, url_prefix="/desk")
pages.after_request(as_page)


@pages.context_processor
def _labels() -> dict[str, Any]:
    return labels()


# -- entry -----------------------------------------------------------------------------------

@pages.get("/<org>/vouchers/new")
@rule(KEEP_BOOKS)
def new_voucher(org: str) -> ResponseReturnValue:
    """A fresh voucher, dated today or as the last one (?date=), or started from a template."""
    today = services().ledger.clock()
    form = forms.blank(today)
    chosen = request.args.get("template", "")
    for template in desk().templates(org) if chosen else ():
        if template["name"] == chosen:
            form = forms.from_template(today, template)
    if forms.DAY.fullmatch(request.args.get("date", "")):
        form.date = request.args["date"]
    if request.args.get("kind") == "opening":  # 期初余额: dated the day the books start
        form.kind, form.date = "opening", opening_day(org)
    return _entry_page(org, form)


@pages.post("/<org>/vouchers/new")
@rule(KEEP_BOOKS)
def post_voucher(org: str) -> ResponseReturnValue:
    form = forms.typed(request.form)
    if request.form.get("add"):  # without the script: the same form, a blank row after its lines
        return _entry_page(org, form)
    draft = forms.draft_of(form, accounts(org), closed_accounts(org))
    if draft is None:
        return _entry_page(org, form, 422)
    threshold = int(services().queries.settings(org).get("voucher_confirm_from", 0))
    if forms.unconfirmed_large(form, draft, threshold, request.form.get("confirm_amounts", "")):
        return _entry_page(org, form, 422)  # back with the warning and the box to confirm
    if _unconfirmed_twin(org, form, draft):
        return _entry_page(org, form, 422)
    try:
        outcome = services().ledger.books.post_voucher(org, draft, actor=actor(),
                                                       request=form_key())
    except LedgerError as error:
        kind = "kind" if error.code == "opening_exists" else ""
        form.errors.update(forms.ledger_errors(error, form_field=kind))
        return _entry_page(org, form, status_of(error))
    number = outcome.value.number
    if request.form.get("next") == "1":  # Ctrl+Enter: the next voucher, on the same day
        return _done(outcome, "desk_vouchers.new_voucher", org=org, date=form.date,
                     done="posted", number=number)
    return _done(outcome, "desk_vouchers.voucher", org=org, ref=number, done="posted",
                 number=number)


def _unconfirmed_twin(org: str, form: forms.VoucherForm, draft: Any) -> bool:
    """A voucher the same as one in the books (a double-tapped key, a voucher typed twice) is
    asked about once; ticking "not a duplicate" posts it."""
    if draft.kind != "regular":
        return False  # a second opening voucher is the ledger's to refuse, in its own words
    key = form_key()
    if key is not None and services().ledger.store.exists(key.id):
        return False  # this very form sent again: the ledger answers with its first result
    twin = desk().twin(org, draft.date.isoformat(), draft.summary,
                       [(line.account, line.debit, line.credit) for line in draft.lines])
    if twin is None or request.form.get("confirm_twin") == twin:
        return False
    form.twin = twin
    form.errors = {"confirm_twin": gettext(
        "Voucher %(number)s has the same date, summary and lines: was it entered twice? If "
        "this is a second one, tick \"Not a duplicate\" and post again.", number=twin),
        **form.errors}
    return True


def _entry_page(org: str, form: forms.VoucherForm, status: int = 200) -> ResponseReturnValue:
    waited = caught_up()
    page = render_template("books/voucher_new.html", org=org, notice=notice(),
                           caught_up=waited, problem=_problem(form.errors),
                           same_day=request.args.get("done") == "posted",
                           **entry_view(org, form))
    return page, status


def _problem(errors: dict[str, str]) -> dict[str, str] | None:
    """The first mistake, summed up atop the page (desk/page.html) with a link to its field."""
    if not errors:
        return None
    name, message = next(iter(errors.items()))
    return {"field": name, "message": message, "anchor": name}


def _done(outcome: Outcome[Any], endpoint: str, **values: Any) -> ResponseReturnValue:
    """303 to the page that shows the result; `after` lets it wait for the read models."""
    return redirect(url_for(endpoint, after=outcome.position, **values), code=303)


# -- templates (常用凭证) -----------------------------------------------------------------------

@pages.post("/<org>/voucher-templates")
@rule(KEEP_BOOKS)
def save_template(org: str) -> ResponseReturnValue:
    """The entry form kept as a template under the name typed; its amounts may be blank."""
    form = forms.typed(request.form)
    name = request.form.get("template_name", "").strip()
    lines = forms.template_lines(form, accounts(org))
    if lines is None:
        return _entry_page(org, form, 422)
    try:
        outcome = services().ledger.books.save_voucher_template(
            org, name=name, summary=form.summary, lines=lines, actor=actor(),
            request=form_key())
    except LedgerError as error:
        field = "template_name" if error.field == "name" else ""
        form.errors.update(forms.ledger_errors(error, form_field=field))
        return _entry_page(org, form, status_of(error))
    return _done(outcome, "desk_vouchers.new_voucher", org=org, template=name,
                 done="template_saved")


@pages.post("/<org>/voucher-templates/drop")
@rule(KEEP_BOOKS)
def drop_template(org: str) -> ResponseReturnValue:
    try:
        outcome = services().ledger.books.drop_voucher_template(
            org, request.form.get("template_name", ""), actor=actor(), request=form_key())
    except LedgerError as error:
        form = forms.blank(services().ledger.clock())
        form.errors.update(forms.ledger_errors(error, form_field="template_name"))
        return _entry_page(org, form, status_of(error))
    return _done(outcome, "desk_vouchers.new_voucher", org=org, done="template_dropped")


# -- importing a sheet of vouchers -------------------------------------------------------------

@pages.get("/<org>/vouchers/import")
@rule(KEEP_BOOKS)
def import_page(org: str) -> ResponseReturnValue:
    return _import_page(org, import_defaults())


@pages.post("/<org>/vouchers/import")
@rule(KEEP_BOOKS)
def import_sheet(org: str) -> ResponseReturnValue:
    """"检查" (import=0) applies every rule and writes nothing; "导入" (import=1) imports the
    sheet or none of it; a sheet imported before needs "again" ticked."""
    form = import_typed(request.form)
    check_only = request.form.get("import") != "1"
    try:
        result = import_vouchers(org, check_only, form["again"] == "1", actor())
    except LedgerError as error:
        problem = Problem.of("import", error, anchor=f"import-{error.field or 'form'}")
        return _import_page(org, form, problem=problem, status=status_of(error),
                            carried=checked_file())
    if result.rejected is not None:
        problem = Problem("import", "", gettext(
            "Nothing was imported: the sheet has %(n)s problems, listed below.",
            n=len(result.problems)), "problems")
        return _import_page(org, form, result=result, problem=problem, status=422)
    if result.imported_before is not None:
        problem = Problem("import", "again", gettext(
            "This sheet was imported into these books before; nothing was written."),
            "imported-before")
        return _import_page(org, form, result=result, problem=problem, status=409,
                            carried=result.carried)
    if result.outcome is None:
        return _import_page(org, form, result=result, carried=result.carried)
    return _done(result.outcome, "desk_vouchers.vouchers", org=org, done="imported",
                 month=result.first_month)


def _import_page(org: str, form: dict[str, str], *, result: Any = None,
                 problem: Problem | None = None, status: int = 200,
                 carried: dict[str, str] | None = None) -> ResponseReturnValue:
    page = render_template("books/vouchers_import.html", org=org, form=form, result=result,
                           problem=problem, carried=carried)
    return page, status


# -- the list and one voucher ----------------------------------------------------------------

@pages.get("/<org>/vouchers")
@rule(READ_BOOKS)
def vouchers(org: str) -> ResponseReturnValue:
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("books/vouchers.html", org=org, notice=notice(),
                           caught_up=caught_up(), query=urlencode(args), **list_view(org))


@pages.get("/<org>/vouchers/<ref>")
@rule(READ_BOOKS)
def voucher(org: str, ref: str) -> ResponseReturnValue:
    return _voucher_page(org, ref)


@pages.post("/<org>/vouchers/<ref>/reverse")
@rule(KEEP_BOOKS)
def reverse(org: str, ref: str) -> ResponseReturnValue:
    reason, errors = request.form.get("reason", "").strip(), {}
    on = forms.day_of(request.form.get("date", ""), "reverse-date", errors)
    if not reason:
        errors["reverse-reason"] = str(forms.MESSAGES["reason"])
    if on is None or errors:
        return _voucher_page(org, ref, errors, 422)
    try:
        outcome = services().ledger.books.reverse_voucher(
            org, ref, on=on, reason=reason, actor=actor(), request=form_key())
    except LedgerError as error:
        field = {"date": "reverse-date", "reason": "reverse-reason"}.get(error.field or "",
                                                                         "reverse-form")
        return _voucher_page(org, ref, forms.ledger_errors(error, form_field=field),
                             status_of(error))
    return _done(outcome, "desk_vouchers.voucher", org=org, ref=ref, done="reversed",
                 number=outcome.value.number, _anchor="reversal")


def _voucher_page(org: str, ref: str, errors: dict[str, str] | None = None,
                  status: int = 200) -> ResponseReturnValue:
    waited = caught_up()
    page = render_template("books/voucher.html", org=org, notice=notice(), caught_up=waited,
                           errors=errors or {}, problem=_problem(errors or {}),
                           typed=request.form, **voucher_view(org, ref))
    return page, status


@pages.get("/<org>/vouchers/<ref>/voucher.pdf")
@rule(READ_BOOKS)
def print_voucher(org: str, ref: str) -> ResponseReturnValue:
    """The voucher in the 记账凭证 layout, on A5 landscape as the printed forms are, in Chinese
    whatever the reader's language: it is filed with the receipts."""
    view = voucher_view(org, ref)
    organization = services().queries.organization(org) or {}
    with force_locale(DEFAULT_LOCALE):  # whoever prints it, the filed voucher is Chinese
        html = render_template("books/voucher_print.html",
                               org_name=organization.get("name_zh", org),
                               font_stack=Markup(CJK_FONT_STACK), **view)
    return download(html_to_pdf(html), "application/pdf",
                    f"{org}-{view['v']['number']}.pdf", inline=True)
