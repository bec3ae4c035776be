"""Reports of the books: trial balance, detail ledger, balance sheet, income statement.

Each is computed from one snapshot of the read model, which it names by event-log position, and
answers as JSON or, with `?format=xlsx` or `csv`, as the spreadsheet the desk downloads.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from werkzeug.wrappers import Response

from api.auth import READ_BOOKS, rule
from api.books import report_sheets as sheets
from api.books.report_days import refuse_before_books
from api.books.report_recorded import as_recorded, file_suffix, titled
from api.books.report_schemas import (
    BalanceSheetOut,
    BalanceSheetQuery,
    EquityChangesOut,
    EquityChangesQuery,
    IncomeStatementOut,
    IncomeStatementQuery,
    LedgerOut,
    LedgerQuery,
    TrialBalanceOut,
    TrialBalanceQuery,
)
from api.common import page_from, pagination, reading, require_org
from api.services import services
from projections.books import reports
from projections.books.chart_layouts import COOPERATIVE_CHART
from projections.books.queries import BooksReader, Page

blp = Blueprint("reports", __name__, url_prefix="/api/v1/orgs/<org>/reports",
                description="科目余额表, 明细账, 资产负债表, 收益及收益分配表 (a cooperative's: "
                            "资产负债表, 盈余及盈余分配表, 成员权益变动表).")

_BINARY = {"schema": {"type": "string", "format": "binary"}}


def as_file(schema: type) -> dict[str, Any]:
    """The 200 answer documented as the JSON or, when `format` asks for one, the same figures
    as a sheet (a manual doc replaces the content the response decorator would give)."""
    content = {"application/json": {"schema": schema}}
    content |= {media: _BINARY for media in sheets.MEDIA_TYPES.values()}
    return {"responses": {"200": {"description": "OK", "content": content}}}
WHOLE = Page(1, 1_000_000)  # a downloaded ledger holds every line of its range


def _heading(reader: BooksReader, org: str) -> dict[str, Any]:
    row = require_org(reader, org)
    return {"org": org, "name_zh": row["name_zh"], "chart": row["chart"],
            "position": reader.position()}


def _with(heading: dict[str, Any], recorded: dict[str, Any]) -> dict[str, Any]:
    """The heading of a report as recorded at a moment says so (its sheet's title too)."""
    return {**heading, **recorded}


def _file(table_of: Any, heading: dict[str, Any], report: dict[str, Any], fmt: str,
          name: str, **options: Any) -> Response:
    table = table_of(titled(heading["name_zh"], heading), report, services().ledger.clock(),
                     **options)
    return sheets.download(table, fmt, f"{heading['org']}-{name}")  # type: ignore[arg-type]


@blp.route("/trial-balance")
class TrialBalance(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(TrialBalanceQuery, location="query")
    @blp.response(200, TrialBalanceOut)
    @blp.doc(**as_file(TrialBalanceOut))
    def get(self, query: dict[str, Any], org: str) -> Any:
        """Trial balance (科目余额表) of one month: every account and every level"""
        with reading(query["after"]) as reader:
            heading = _heading(reader, org)
            refuse_before_books(reader, org, query["period"].last_day, "period")
            reader, recorded = as_recorded(reader, org, query["recorded_at"],
                                           query["period"].last_day)
            heading = _with(heading, recorded)
            report = reports.trial_balance(reader, org, query["period"],
                                           include_zero=query["all"])
        if query["format"] != "json":
            return _file(sheets.trial_balance_table, heading, report, query["format"],
                         f"trial-balance-{report['period']}{file_suffix(heading)}")
        return {**heading, **report}


@blp.route("/ledger")
class DetailLedger(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(LedgerQuery, location="query")
    @blp.response(200, LedgerOut)
    @blp.doc(**as_file(LedgerOut))
    def get(self, query: dict[str, Any], org: str) -> Any:
        """Detail ledger (明细账) of an account and its sub-accounts, with running balance; a
        spreadsheet holds every line of the range"""
        code, start, end = query["account"], query["start"], query["end"]
        page = page_from(query) if query["format"] == "json" else WHOLE
        with reading(query["after"]) as reader:
            heading = _heading(reader, org)
            refuse_before_books(reader, org, end, "to")
            report, total = reports.detail_ledger(reader, org, code, start, end, page)
        if query["format"] != "json":
            return _file(sheets.ledger_table, heading, report, query["format"],
                         f"ledger-{code}-{start.isoformat()}-{end.isoformat()}")
        return {**heading, **report, "pagination": pagination(total, page)}


@blp.route("/balance-sheet")
class BalanceSheet(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(BalanceSheetQuery, location="query")
    @blp.response(200, BalanceSheetOut)
    @blp.doc(**as_file(BalanceSheetOut))
    def get(self, query: dict[str, Any], org: str) -> Any:
        """Balance sheet (资产负债表) at a date, beside the start of its year; a cooperative's
        on its own layout (会农社01表)"""
        with reading(query["after"]) as reader:
            heading = _heading(reader, org)
            refuse_before_books(reader, org, query["date"], "date")
            reader, recorded = as_recorded(reader, org, query["recorded_at"], query["date"])
            heading = _with(heading, recorded)
            report = reports.balance_sheet(reader, org, query["date"])
        if query["format"] != "json":
            return _file(sheets.balance_sheet_table, heading, report, query["format"],
                         f"balance-sheet-{query['date'].isoformat()}{file_suffix(heading)}")
        return {**heading, **report}


@blp.route("/income-statement")
class IncomeStatement(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(IncomeStatementQuery, location="query")
    @blp.response(200, IncomeStatementOut)
    @blp.doc(**as_file(IncomeStatementOut))
    def get(self, query: dict[str, Any], org: str) -> Any:
        """Income and income-distribution statement (收益及收益分配表) for months of one year;
        for a cooperative its 盈余及盈余分配表 (会农社02表)"""
        with reading(query["after"]) as reader:
            heading = _heading(reader, org)
            refuse_before_books(reader, org, query["end"].last_day, "to")
            reader, recorded = as_recorded(reader, org, query["recorded_at"],
                                           query["end"].last_day)
            heading = _with(heading, recorded)
            report = reports.income_statement(reader, org, query["start"], query["end"])
        if query["format"] != "json":
            return _file(sheets.income_statement_table, heading, report, query["format"],
                         f"income-statement-{report['start']}-{report['end']}"
                         f"{file_suffix(heading)}",
                         cooperative=heading["chart"] == COOPERATIVE_CHART)
        return {**heading, **report}


@blp.route("/equity-changes")
class EquityChanges(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(EquityChangesQuery, location="query")
    @blp.response(200, EquityChangesOut)
    @blp.doc(**as_file(EquityChangesOut))
    def get(self, query: dict[str, Any], org: str) -> Any:
        """A cooperative's statement of changes in members' equity (成员权益变动表) for a year;
        a village has none (422 on org)"""
        with reading(query["after"]) as reader:
            heading = _heading(reader, org)
            report = reports.equity_changes(reader, org, query["year"])
        if query["format"] != "json":
            return _file(sheets.equity_changes_table, heading, report, query["format"],
                         f"equity-changes-{query['year']}")
        return {**heading, **report}
