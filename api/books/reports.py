"""Reports of the books: trial balance, detail ledger, balance sheet, income statement.

Each is computed from one snapshot of the read model, which it names by event-log position.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from api.auth import READ_BOOKS, rule
from api.books.report_schemas import (
    BalanceSheetOut,
    BalanceSheetQuery,
    IncomeStatementOut,
    IncomeStatementQuery,
    LedgerOut,
    LedgerQuery,
    TrialBalanceOut,
    TrialBalanceQuery,
)
from api.common import page_from, pagination, reading, require_org
from ledger.books import UnknownAccount
from projections.books import statements
from projections.books.queries import BooksReader

blp = Blueprint("reports", __name__, url_prefix="/api/v1/orgs/<org>/reports",
                description="科目余额表, 明细账, 资产负债表, 收益及收益分配表.")


def _heading(reader: BooksReader, org: str) -> dict[str, Any]:
    row = require_org(reader, org)
    return {"org": org, "name_zh": row["name_zh"], "chart": row["chart"],
            "position": reader.position()}


@blp.route("/trial-balance")
class TrialBalance(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(TrialBalanceQuery, location="query")
    @blp.response(200, TrialBalanceOut)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """Trial balance (科目余额表) of one month: every account and every level"""
        period = query["period"]
        with reading(query["after"]) as reader:
            heading = _heading(reader, org)
            month = reader.sums(org, period.first_day, period.last_day)
            year = reader.sums(org, date(period.year, 1, 1), period.last_day)
            accounts = reader.all_accounts(org)
        report = statements.trial_balance(accounts, month, year, include_zero=query["all"])
        return {**heading, "period": str(period), **report}


@blp.route("/ledger")
class DetailLedger(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(LedgerQuery, location="query")
    @blp.response(200, LedgerOut)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """Detail ledger (明细账) of an account and its sub-accounts, with running balance"""
        code, start, end, page = query["account"], query["start"], query["end"], page_from(query)
        with reading(query["after"]) as reader:
            heading = _heading(reader, org)
            account = reader.account(org, code)
            if account is None:
                raise UnknownAccount(f"no account {code}", field="account", account=code)
            sums = {c: s for c, s in reader.sums(org, start, end).items() if c.startswith(code)}
            lines, total = reader.ledger_lines(org, code, start, end, page)
        return {**heading, **statements.detail_ledger(account, sums, lines),
                "start": start, "end": end, "pagination": pagination(total, page)}


@blp.route("/balance-sheet")
class BalanceSheet(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(BalanceSheetQuery, location="query")
    @blp.response(200, BalanceSheetOut)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """Balance sheet (资产负债表) at a date, beside the start of its year"""
        on = query["date"]
        with reading(query["after"]) as reader:
            heading = _heading(reader, org)
            sums = reader.sums(org, date(on.year, 1, 1), on)
        return {**heading, **statements.balance_sheet(sums, on)}


@blp.route("/income-statement")
class IncomeStatement(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(IncomeStatementQuery, location="query")
    @blp.response(200, IncomeStatementOut)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """Income and income-distribution statement (收益及收益分配表) for months of one year"""
        start, end = query["start"], query["end"]
        with reading(query["after"]) as reader:
            heading = _heading(reader, org)
            period = reader.sums(org, start.first_day, end.last_day)
            year = reader.sums(org, date(start.year, 1, 1), end.last_day)
        return {**heading, **statements.income_statement(period, year, str(start), str(end))}
