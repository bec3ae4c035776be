"""Accounting periods: which months are closed, close the next month, close a year."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import ValidationError

from api.auth import KEEP_BOOKS, READ_BOOKS, actor, rule
from api.books.report_schemas import ClosingPreviewOut
from api.books.schemas import PeriodClosedOut, PeriodsOut, YearClosedOut
from api.common import invalid, reading, require_org, written
from api.common_schemas import EmptyIn, ReadQuery, WriteQuery
from api.fields import MONTH_IN, MonthIn
from api.idempotency import request_key
from api.presenters import period_closed, periods_from_rows, year_closed
from api.services import services
from ledger.books import Period
from projections.books.reports import closing_preview

blp = Blueprint("periods", __name__, url_prefix="/api/v1/orgs/<org>",
                description="会计期间: months close in order and never reopen; "
                            "December closes with the year-end close.")


@blp.route("/periods")
class Periods(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(ReadQuery, location="query")
    @blp.response(200, PeriodsOut)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """Which months are closed, and which is the next to close"""
        with reading(query["after"]) as reader:
            row = require_org(reader, org)
            return periods_from_rows(row, reader.closures(org))


@blp.route("/periods/<period>/close", parameters=[
    {"in": "path", "name": "period", "required": True,
     "schema": {"type": "string", "pattern": MONTH_IN, "example": "2025-03"}}])
class ClosePeriod(MethodView):
    @rule(KEEP_BOOKS)
    @blp.arguments(EmptyIn, required=False)  # every field optional: so is the body
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(200, PeriodClosedOut)
    def post(self, _: dict[str, Any], wait: bool, org: str, period: str) -> Any:
        """Close a month: no voucher can be dated in it or earlier any more"""
        outcome = services().ledger.books.close_period(org, _month(period), actor=actor(),
                                                       request=request_key())
        return written(outcome, period_closed(outcome.value), 200, wait)


@blp.route("/years/<int:year>/close")
class CloseYear(MethodView):
    @rule(KEEP_BOOKS)
    @blp.arguments(EmptyIn, required=False)  # every field optional: so is the body
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(200, YearClosedOut)
    def post(self, _: dict[str, Any], wait: bool, org: str, year: int) -> Any:
        """Year-end close: post the closing vouchers into 321 and 322, then close December"""
        outcome = services().ledger.books.close_year(org, year, actor=actor(),
                                                     request=request_key())
        return written(outcome, year_closed(outcome.value), 200, wait)


@blp.route("/years/<int:year>/closing-preview", parameters=[
    {"in": "path", "name": "year", "required": True,
     "schema": {"type": "integer", "minimum": 1900, "maximum": 2099, "example": 2025}}])
class ClosingPreview(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(ReadQuery, location="query")
    @blp.response(200, ClosingPreviewOut)
    def get(self, query: dict[str, Any], org: str, year: int) -> dict[str, Any]:
        """The closing vouchers the year-end close of a year would post now, written nowhere:
        to look at before closing"""
        if not 1900 <= year <= 2099:  # the years a day may be written in
            raise invalid("year", "must be a year between 1900 and 2099")
        with reading(query["after"]) as reader:
            row = require_org(reader, org)
            drafts = closing_preview(reader, org, row["chart"], year)
            return {"year": year, "position": reader.position(), "vouchers": [
                {"date": d.date, "summary": d.summary, "kind": d.kind,
                 "lines": [{"account": x.account, "debit": x.debit or None,
                            "credit": x.credit or None}  # as a voucher's lines read
                           for x in d.lines]} for d in drafts]}


def _month(text: str) -> Period:
    try:
        return MonthIn().deserialize(text)
    except ValidationError as error:
        raise invalid("period", " ".join(error.messages)) from None
