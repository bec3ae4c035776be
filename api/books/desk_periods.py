"""The periods on the desk (/desk/<org>/periods): which months are closed and which are open, the
next month's checklist (warnings not acknowledged, cash over the limit, the trial balance ties
out), its close, and the year-end close with its closing vouchers shown before they are posted.

The ledger decides whether a month or year may close; the checklist is the desk's own care: a
month with a failing item closes only when the accountant confirms she has looked at it, and so
does the year, whose close closes December. The
forms are read through their schemas (api/books/period_forms.py), a refused field named beside it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import render_template, request
from flask.typing import ResponseReturnValue

from api.auth import KEEP_BOOKS, READ_BOOKS, actor, principal, rule
from api.books.desk_reports import money, pages
from api.books.period_forms import CloseMonthIn, CloseYearIn
from api.common import reading, require_org
from api.desk import show_done
from api.disclosure.desk_forms import Problem, form_key
from api.disclosure.desk_views import caught_up
from api.errors import status_of
from api.forms import FormRefused, load_form
from api.i18n import gettext as _
from api.services import services
from ledger.books import Period, PeriodAlreadyClosed, PeriodNotClosable
from ledger.kernel.chart import get_chart
from ledger.kernel.clock import CHINA
from ledger.kernel.errors import LedgerError
from projections.books import reports
from projections.books.chart_layouts import COOPERATIVE_CHART
from projections.books.queries import BooksReader, Page

MAX_WARNINGS = 500  # a village has a handful a year


@dataclass(frozen=True)
class Check:
    """One item of a month's checklist: passed or not, and what the accountant should know."""

    key: str
    label: str
    passed: bool
    detail: str


@pages.get("/<org>/periods")
@rule(READ_BOOKS)
def periods(org: str) -> ResponseReturnValue:
    return _page(org)


@pages.post("/<org>/periods/close")
@rule(KEEP_BOOKS)
def close_month(org: str) -> ResponseReturnValue:
    try:
        form = load_form(CloseMonthIn(), request.form)
    except FormRefused as refused:
        return _page(org, _refused("close", refused, "close-month"), 422)
    period = form["period"]
    with reading() as reader:
        failing = [c for c in checklist(reader, org, period) if not c.passed]
    if failing and not form["confirm"]:
        return _page(org, Problem("close", "confirm", _(
            "Some checks failed: look at them, then tick the box to close anyway."),
            "close-month"), 422)
    try:
        outcome = services().ledger.books.close_period(org, period, actor=actor(),
                                                       request=form_key())
    except LedgerError as error:
        return _page(org, _problem("close", error, "close-month"), status_of(error))
    return show_done(outcome, "closed", "desk_books.periods", org=org)


@pages.post("/<org>/periods/close-year")
@rule(KEEP_BOOKS)
def close_year(org: str) -> ResponseReturnValue:
    try:
        form = load_form(CloseYearIn(), request.form)
    except FormRefused as refused:
        return _page(org, _refused("year", refused, "close-year"), 422)
    year = form["year"]
    with reading() as reader:  # the year-end close closes December: the same care as any month
        failing = [c for c in checklist(reader, org, Period(year, 12)) if not c.passed]
    if failing and not form["confirm"]:
        return _page(org, Problem("year", "confirm", _(
            "Some checks failed: look at them, then tick the box to close anyway."),
            "close-year"), 422)
    try:
        outcome = services().ledger.books.close_year(org, year, actor=actor(),
                                                     request=form_key())
    except LedgerError as error:
        return _page(org, _problem("year", error, "close-year"), status_of(error))
    return show_done(outcome, "year_closed", "desk_books.periods", org=org)


def _refused(form: str, refused: FormRefused, anchor: str) -> Problem:
    """A form field the schema refused, beside that field, in Chinese: the schema's own words
    are the API's English."""
    said = {"period": _("Choose the month to close."), "year": _("Choose the year to close."),
            "confirm": _("Some checks failed: look at them, then tick the box to close anyway.")}
    field = refused.field or ""
    return Problem(form, field, str(said.get(field, refused.message)), anchor)


def _problem(form: str, error: LedgerError, anchor: str) -> Problem:
    """The ledger's refusal, said in Chinese: its own words name the rule in English."""
    said = {PeriodAlreadyClosed: _("This period is already closed."),
            PeriodNotClosable: _("This period cannot be closed yet: months close in order, "
                                 "after they end, and December with the year-end close.")}
    for cls, text in said.items():
        if isinstance(error, cls):
            return Problem(form, error.field or "", text, anchor)
    return Problem.of(form, error, anchor)


def _page(org: str, problem: Problem | None = None, status: int = 200) -> ResponseReturnValue:
    waited = caught_up()
    today = services().ledger.clock()
    with reading() as reader:
        row = require_org(reader, org)
        view = periods_view(reader, org, row, today)
    # The month just closed by name: the page goes on to show the next one.
    done = {"closed": _("%(month)s is closed.", month=row["closed_through"]),
            "year_closed": _("The year is closed; its closing vouchers are posted.")}
    page = render_template("books/periods.html", org=org, org_name=row["name_zh"],
                           cooperative=row["chart"] == COOPERATIVE_CHART,
                           problem=problem, notice=done.get(request.args.get("done", "")),
                           caught_up=waited, money=money, key=uuid.uuid4().hex,
                           may_close="accountant" in principal().roles_in(org),
                           field_labels={"confirm": _("Checklist"), "period": _("Month"),
                                         "year": _("Year")}, **view)
    return page, status


def periods_view(reader: BooksReader, org: str, row: dict[str, Any],
                 today: date) -> dict[str, Any]:
    """The closed months (newest first), the open ones up to this month, and the next month's
    checklist; in December the year-end close's preview instead of a month close."""
    closed = row["closed_through"]
    next_open = Period.parse(closed).next() if closed else Period.parse(row["books_start"][:7])
    this_month = Period.of(today)
    open_months, month = [], next_open
    while month <= this_month:
        open_months.append(month)
        month = month.next()
    closures = [{**c, "closed_at": _beijing(c["closed_at"])}
                for c in reversed(reader.closures(org))]
    year_end = next_open.month == 12
    preview = (_preview(reader, org, row["chart"], next_open.year)
               if year_end and today > next_open.last_day else None)
    return {"next_open": next_open, "ended": today > next_open.last_day,
            "open_months": open_months, "closures": closures, "year_end": year_end,
            "checks": checklist(reader, org, next_open), "preview": preview}


def checklist(reader: BooksReader, org: str, period: Period) -> list[Check]:
    """What an accountant looks at before closing `period`."""
    today = services().ledger.clock()
    ended = today > period.last_day
    warnings, _total = services().spending.warnings(org, Page(1, MAX_WARNINGS), open_only=True)
    # The month's own: a warning of a month closed long ago (still open on the warnings page)
    # would fail every month after it, and closing anyway would become the habit.
    first, last = period.first_day.isoformat(), period.last_day.isoformat()
    waiting = [w for w in warnings if first <= w["date"] <= last]
    earlier = sum(1 for w in warnings if w["date"] < first)
    chart = get_chart(require_org(reader, org)["chart"])
    sums = reader.sums(org, period.first_day, period.last_day)
    cash = sum(s.after for code, s in sums.items() if code.startswith(chart.cash))
    limit = int(reader.settings(org)["cash_limit"])
    balanced = reports.trial_balance(reader, org, period)["balanced"]
    return [
        Check("ended", _("The month has ended"), ended,
              _("It ends on %(day)s.", day=period.last_day.isoformat())),
        Check("warnings", _("Every warning of the month is acknowledged"), not waiting,
              " ".join([_("%(n)s warning(s) not yet acknowledged.", n=len(waiting)) if waiting
                        else _("None waiting."),
                        *([_("%(n)s of earlier months are still open.", n=earlier)]
                          if earlier else [])])),
        Check("cash", _("Cash on hand within the limit at the month's end"), cash <= limit,
              _("Cash on hand %(cash)s, limit %(limit)s.", cash=money(cash),
                limit=money(limit))),
        Check("balanced", _("The trial balance ties out"), balanced,
              _("Debits equal credits.") if balanced else _("Debits and credits differ.")),
    ]


def _preview(reader: BooksReader, org: str, chart: str, year: int) -> dict[str, Any]:
    """The closing vouchers the year-end close would post now, with the accounts' names."""
    names = {a["code"]: a["name_zh"] for a in reader.all_accounts(org)}
    drafts = reports.closing_preview(reader, org, chart, year)
    return {"year": year, "vouchers": [
        {"date": d.date.isoformat(), "summary": d.summary,
         "lines": [{"account": line.account, "name": names.get(line.account, ""),
                    "debit": line.debit, "credit": line.credit} for line in d.lines]}
        for d in drafts]}


def _beijing(moment: str) -> str:
    """A stored UTC moment as Beijing time, to the minute."""
    try:
        return datetime.fromisoformat(moment).astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return moment
