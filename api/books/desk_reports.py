"""The books on the desk (/desk/<org>/reports/…): trial balance of a month, detail ledger with its
running balance, balance sheet at a date, income statement for months of a year, and for a
cooperative (on its own layouts) the 成员权益变动表 of a year. Each reads one
snapshot of the read model and answers as a page, or with ?format=xlsx|csv|pdf as a download of
the same table. Routes stay thin: parse the address (marshmallow), read one report, render.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from werkzeug.wrappers import Response

from api.auth import READ_BOOKS, rule
from api.books import report_sheets as sheets
from api.books.report_days import first_month, refuse_before_books
from api.books.report_recorded import as_recorded, file_suffix, titled
from api.books.schemas import ACCOUNT_CODE
from api.common import invalid, reading, require_org
from api.desk import as_page
from api.fields import DayIn, MomentIn, MonthIn, Text
from api.i18n import gettext as _
from api.render.pdf import html_to_pdf
from api.services import services
from ledger.books import Period, UnknownAccount
from ledger.kernel.money import fen_to_decimal
from projections.books import reports
from projections.books.queries import Page

pages = Blueprint("desk_books", __name__, url_prefix="/desk")
# The desk's answer to a browser: a refused access check is an error page or the sign-in page.
pages.after_request(as_page)

LEDGER_PAGE = 200  # lines a ledger page shows; the download holds them all
WHOLE = Page(1, 1_000_000)
FORMATS = ("html", "xlsx", "csv", "pdf")


class _Args(Schema):
    format = fields.String(load_default="html", validate=validate.OneOf(FORMATS))


class _RecordedArgs(_Args):
    recorded_at = MomentIn(load_default=None)  # the books as recorded then (an auditor's view)


class TrialBalanceArgs(_RecordedArgs):
    period = MonthIn(load_default=None)
    all = fields.Boolean(load_default=False)


class LedgerArgs(_Args):
    account = Text(required=True, validate=ACCOUNT_CODE)
    start = DayIn(load_default=None, data_key="from")
    end = DayIn(load_default=None, data_key="to")
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))


class BalanceSheetArgs(_RecordedArgs):
    date = DayIn(load_default=None)


class EquityChangesArgs(_Args):
    year = fields.Integer(load_default=None, validate=validate.Range(min=1900, max=9999))


ONE_YEAR = "from and to must be months of one year, in order"


class IncomeStatementArgs(_RecordedArgs):
    start = MonthIn(load_default=None, data_key="from")
    end = MonthIn(load_default=None, data_key="to")

    @validates_schema
    def within_one_year(self, data: dict[str, Any], **_: object) -> None:
        start, end = data.get("start"), data.get("end")
        if start and end and (start.year != end.year or start > end):
            raise ValidationError(ONE_YEAR, "to")


def _args(schema: Schema) -> dict[str, Any]:
    """The address's query, or a 422 naming the field, in Chinese on the desk. A field the form
    sent empty (记账截至 left blank) is a field not asked for."""
    try:
        return schema.load({name: value for name, value in request.args.items() if value.strip()},
                           unknown="exclude")
    except ValidationError as error:
        messages = error.normalized_messages()
        name = next(iter(messages), "query")
        # Said as what is wrong where the form can say it: months across two years, an
        # account code that is no account (5130); else the value could not be read.
        if ONE_YEAR in messages.get(name, ()):
            raise invalid(name, _("Choose months of one year, the first before the last.")) \
                from None
        if name == "account":
            raise invalid(name, _("No such account in these books.")) from None
        raise invalid(name, _("This value cannot be read; choose it again.")) from None


def _today() -> date:
    return services().ledger.clock()


def _org_name(reader: Any, org: str) -> str:
    return str(require_org(reader, org)["name_zh"])


def _is_cooperative(reader: Any, org: str) -> bool:
    """Whether the books are a cooperative's: its statements, titles and menu are its own."""
    return reports.layouts_of(reader, org).cooperative


@pages.get("/<org>/reports/")
@pages.get("/<org>/reports/trial-balance")
@rule(READ_BOOKS)
def trial_balance(org: str) -> ResponseReturnValue:
    args = _args(TrialBalanceArgs())
    with reading() as reader:
        name = _org_name(reader, org)
        period: Period = args["period"] or first_month(reader, org, Period.of(_today()))
        refuse_before_books(reader, org, period.last_day, "period")
        reader, recorded = as_recorded(reader, org, args["recorded_at"], period.last_day)
        report = reports.trial_balance(reader, org, period, include_zero=args["all"])
        cooperative = _is_cooperative(reader, org)
    return _answer(args["format"],
                   sheets.trial_balance_table(titled(name, recorded), report, _today()),
                   f"{org}-trial-balance-{period}{file_suffix(recorded)}",
                   "books/reports_trial_balance.html", org=org, org_name=name, r=report,
                   period=period, all=args["all"], cooperative=cooperative, recorded=recorded)


@pages.get("/<org>/reports/ledger")
@rule(READ_BOOKS)
def ledger(org: str) -> ResponseReturnValue:
    args = _args(LedgerArgs())
    page = Page(args["page"], LEDGER_PAGE) if args["format"] == "html" else WHOLE
    with reading() as reader:
        name = _org_name(reader, org)
        month = first_month(reader, org, Period.of(_today()))
        start: date = args["start"] or month.first_day
        end: date = args["end"] or month.last_day
        if start > end:
            raise invalid("to", _("The last day must not be before the first."))
        refuse_before_books(reader, org, end, "to")
        try:
            report, total = reports.detail_ledger(reader, org, args["account"], start, end,
                                                  page)
        except UnknownAccount:
            raise invalid("account", _("No such account in these books.")) from None
        cooperative = _is_cooperative(reader, org)
    return _answer(args["format"], sheets.ledger_table(name, report, _today()),
                   f"{org}-ledger-{args['account']}-{start}-{end}", "books/reports_ledger.html",
                   org=org, org_name=name, r=report, page=page, pages=page.count(total),
                   total=total, cooperative=cooperative,
                   rows=sheets.ledger_rows(report, complete=page.number >= page.count(total)))


@pages.get("/<org>/reports/balance-sheet")
@rule(READ_BOOKS)
def balance_sheet(org: str) -> ResponseReturnValue:
    args = _args(BalanceSheetArgs())
    with reading() as reader:
        name = _org_name(reader, org)
        on: date = args["date"] or max(_today(), first_month(
            reader, org, Period.of(_today())).last_day)
        refuse_before_books(reader, org, on, "date")
        reader, recorded = as_recorded(reader, org, args["recorded_at"], on)
        report = reports.balance_sheet(reader, org, on)
        cooperative = _is_cooperative(reader, org)
    return _answer(args["format"],
                   sheets.balance_sheet_table(titled(name, recorded), report, _today()),
                   f"{org}-balance-sheet-{on}{file_suffix(recorded)}",
                   "books/reports_balance_sheet.html", org=org, org_name=name, r=report,
                   cooperative=cooperative, recorded=recorded)


@pages.get("/<org>/reports/income-statement")
@rule(READ_BOOKS)
def income_statement(org: str) -> ResponseReturnValue:
    args = _args(IncomeStatementArgs())
    with reading() as reader:
        name = _org_name(reader, org)
        end: Period = args["end"] or first_month(reader, org, Period.of(_today()))
        start: Period = args["start"] or Period(end.year, 1)
        if start.year != end.year or start > end:
            raise invalid("from", _("Choose months of one year, the first before the last."))
        refuse_before_books(reader, org, end.last_day, "to")
        reader, recorded = as_recorded(reader, org, args["recorded_at"], end.last_day)
        report = reports.income_statement(reader, org, start, end)
        cooperative = _is_cooperative(reader, org)
    table = sheets.income_statement_table(titled(name, recorded), report, _today(),
                                          cooperative=cooperative)
    return _answer(args["format"], table,
                   f"{org}-income-statement-{start}-{end}{file_suffix(recorded)}",
                   "books/reports_income_statement.html", org=org, org_name=name, r=report,
                   cooperative=cooperative, recorded=recorded)


@pages.get("/<org>/reports/equity-changes")
@rule(READ_BOOKS)
def equity_changes(org: str) -> ResponseReturnValue:
    args = _args(EquityChangesArgs())
    year: int = args["year"] or _today().year
    with reading() as reader:
        name = _org_name(reader, org)
        if not _is_cooperative(reader, org):
            raise invalid("org", _("Only a farmers' cooperative keeps this statement."))
        report = reports.equity_changes(reader, org, year)
    return _answer(args["format"], sheets.equity_changes_table(name, report, _today()),
                   f"{org}-equity-changes-{year}", "books/reports_equity_changes.html",
                   org=org, org_name=name, r=report, cooperative=True)


def _answer(fmt: str, table: sheets.Table, name: str, template: str,
            **context: Any) -> ResponseReturnValue:
    """The page, or the same table as a spreadsheet or a PDF to print on A4 landscape."""
    if fmt in ("xlsx", "csv"):
        return sheets.download(table, fmt, name)  # type: ignore[arg-type]
    if fmt == "pdf":
        printed = render_template("books/reports_print.html", table=table, cell=print_cell)
        response = Response(html_to_pdf(printed, base_url=request.url_root),
                            content_type="application/pdf")
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    return render_template(template, money=money, blank_zero=blank_zero, voucher_url=voucher_url,
                           download=download_url, **context)


def money(fen: int | None) -> str:
    """Fen as yuan with thousands separators and two decimals: 123456789 -> 1,234,567.89; None
    (a figure the column does not have) as nothing."""
    return "" if fen is None else f"{fen_to_decimal(fen):,.2f}"


def blank_zero(fen: int) -> str:
    """As `money`, but nothing for zero: a trial balance's empty columns stay quiet."""
    return money(fen) if fen else ""


def print_cell(value: object) -> str:
    """A printed cell: amounts with separators, and a zero left blank as on paper books."""
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if value else ""
    return "" if value is None else str(value)


def voucher_url(org: str, ref: str) -> str:
    """A voucher's desk page, addressed by its id as the JSON API addresses it."""
    return f"{request.script_root}/desk/{org}/vouchers/{ref}"


def download_url(fmt: str) -> str:
    """This page's address with `format` set: the same report, downloaded."""
    query = {key: value for key, value in request.args.items() if key not in ("format", "page")}
    return f"{request.script_root}{request.path}?{urlencode({**query, 'format': fmt})}"
