"""The reports on the wire: trial balance, detail ledger, balance sheet, income statement."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from api.books.schemas import ACCOUNT_CODE
from api.common_schemas import PageMeta, PageQuery, ReadQuery
from api.fields import Amount, Day, DayIn, MomentIn, MonthIn, Text


class FormatQuery(Schema):
    format = Text(
        load_default="json", validate=validate.OneOf(["json", "xlsx", "csv"]),
        metadata={"description": "json (the default), or the report as a spreadsheet: xlsx "
                                 "(amounts as numbers, for people) or csv (UTF-8 with BOM)."})


class RecordedQuery(Schema):
    recorded_at = MomentIn(load_default=None, metadata={
        "description": "The books as they had been recorded at this moment (按记录时点), for an "
                       "auditor: only the vouchers posted by then count, whatever their dates, "
                       "and the answer lists those posted since into the days the report "
                       "covers (recorded_later). A day means its end, in China's time.",
        "example": "2026-06-30"})


class TrialBalanceQuery(ReadQuery, FormatQuery, RecordedQuery):
    period = MonthIn(required=True, metadata={"example": "2025-03"})
    all = fields.Boolean(load_default=False,
                         metadata={"description": "Also list accounts with no figures."})


class LedgerQuery(PageQuery, FormatQuery):
    account = Text(required=True, validate=ACCOUNT_CODE)
    start = DayIn(required=True, data_key="from")
    end = DayIn(required=True, data_key="to")

    @validates_schema
    def ordered(self, data: dict, **_: object) -> None:
        if data["start"] > data["end"]:
            raise ValidationError("must not be before from", "to")


class BalanceSheetQuery(ReadQuery, FormatQuery, RecordedQuery):
    date = DayIn(required=True)


class IncomeStatementQuery(ReadQuery, FormatQuery, RecordedQuery):
    start = MonthIn(required=True, data_key="from")
    end = MonthIn(required=True, data_key="to")

    @validates_schema
    def within_one_year(self, data: dict, **_: object) -> None:
        if data["start"].year != data["end"].year:
            raise ValidationError("from and to must be in the same year", "to")
        if data["start"] > data["end"]:
            raise ValidationError("must not be before from", "to")


class RecordedVoucher(Schema):
    number = fields.String()
    date = Day()
    kind = fields.String()
    summary = fields.String()
    debit_total = Amount()
    posted_by = fields.String()
    posted_at = fields.String()
    reverses = fields.String(allow_none=True)


class RecordedLater(Schema):
    count = fields.Integer(metadata={"description": "Vouchers posted after the moment with a "
                                                    "line in the days the report covers."})
    vouchers = fields.List(fields.Nested(RecordedVoucher), metadata={
        "description": "The first 100 of them, in the order they were posted."})


class Heading(Schema):
    org = fields.String()
    name_zh = fields.String()
    chart = fields.String()
    position = fields.Integer(metadata={"description": "The last event these figures include."})
    recorded_at = fields.String(metadata={
        "description": "With ?recorded_at: the moment the figures are as recorded at, in "
                       "China's time."})
    recorded_later = fields.Nested(RecordedLater)


class TrialBalanceTotals(Schema):
    opening_debit = Amount()
    opening_credit = Amount()
    debit = Amount()
    credit = Amount()
    year_debit = Amount()
    year_credit = Amount()
    closing_debit = Amount()
    closing_credit = Amount()


class TrialBalanceRow(TrialBalanceTotals):
    code = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    level = fields.Integer()


class TrialBalanceOut(Heading):
    period = fields.String()
    rows = fields.List(fields.Nested(TrialBalanceRow))
    totals = fields.Nested(TrialBalanceTotals)
    balanced = fields.Boolean()


class LedgerLine(Schema):
    date = fields.String()
    number = fields.String()
    voucher_id = fields.String()
    line_no = fields.Integer()
    account = fields.String()
    kind = fields.String()
    summary = fields.String()
    memo = fields.String()
    debit = Amount()
    credit = Amount()
    balance = Amount(metadata={"description": "Balance after this line, on the side given."})
    direction = fields.String(metadata={"description": "借 (debit), 贷 (credit) or 平 (nil)."})


class LedgerMonth(Schema):
    period = fields.String(metadata={"description": "The month, YYYY-MM."})
    debit = Amount(metadata={"description": "本月合计: the month's debits within the range."})
    credit = Amount()
    year_debit = Amount(metadata={"description": "本年累计: the year's debits to the month's end, "
                                                 "as the trial balance counts them."})
    year_credit = Amount()
    balance = Amount(metadata={"description": "Balance at the month's end (or the range's)."})
    direction = fields.String()


class LedgerOut(Heading):
    account = fields.Nested(Schema.from_dict({
        "code": fields.String(), "name_zh": fields.String(), "name_en": fields.String(),
        "normal_balance": fields.String()}, name="LedgerAccount"))
    start = Day(data_key="from")
    end = Day(data_key="to")
    opening_balance = Amount()
    opening_direction = fields.String()
    debit_total = Amount()
    credit_total = Amount()
    closing_balance = Amount()
    closing_direction = fields.String()
    lines = fields.List(fields.Nested(LedgerLine))
    months = fields.List(fields.Nested(LedgerMonth), metadata={
        "description": "Each month of the range in which the account moved, whatever the page."})
    pagination = fields.Nested(PageMeta)


class StatementLine(Schema):
    key = fields.String()
    row = fields.Integer(metadata={"description": "行次: the line's row number on the form"})
    label_zh = fields.String()
    label_en = fields.String()
    section = fields.String()
    indent = fields.Integer()
    total = fields.Boolean()


class BalanceSheetLine(StatementLine):
    start_of_year = Amount()
    end = Amount()


class BalanceSheetOut(Heading):
    date = Day()
    start_of_year = Day()
    lines = fields.List(fields.Nested(BalanceSheetLine))
    balanced = fields.Boolean()


class IncomeStatementLine(StatementLine):
    # null: the distribution rows of months that do not start the year (a whole year's figures)
    amount = Amount(allow_none=True)
    year_to_date = Amount()


class IncomeStatementOut(Heading):
    start = fields.String(data_key="from")
    end = fields.String(data_key="to")
    lines = fields.List(fields.Nested(IncomeStatementLine))


class EquityChangesQuery(ReadQuery, FormatQuery):
    year = fields.Integer(required=True, validate=validate.Range(min=1900, max=9999),
                          metadata={"example": 2025})


class EquityColumn(Schema):
    key = fields.String(metadata={"description": "share_capital, special_fund, "
                                                 "capital_reserve, surplus_reserve, "
                                                 "undistributed or total"})
    label_zh = fields.String()
    label_en = fields.String()


class EquityRow(Schema):
    key = fields.String(metadata={"description": "start, increase, decrease or end"})
    label_zh = fields.String()
    label_en = fields.String()
    share_capital = Amount(metadata={"description": "股金 (301)"})
    special_fund = Amount(metadata={"description": "专项基金 (311)"})
    capital_reserve = Amount(metadata={"description": "资本公积 (321)"})
    surplus_reserve = Amount(metadata={"description": "盈余公积 (322)"})
    undistributed = Amount(metadata={"description": "未分配盈余 (331, 332 and the income and "
                                                    "expense accounts not yet closed)"})
    total = Amount(metadata={"description": "合计"})


class EquityChangesOut(Heading):
    year = fields.Integer()
    start_of_year = Day()
    date = Day(metadata={"description": "The day the 年末余额 row is read at."})
    columns = fields.List(fields.Nested(EquityColumn))
    rows = fields.List(fields.Nested(EquityRow), metadata={
        "description": "年初余额, 本年增加, 本年减少, 年末余额: start + increase − decrease = end "
                       "in every column."})




class ClosingLine(Schema):
    account = fields.String()
    debit = Amount(allow_none=True)
    credit = Amount(allow_none=True)


class ClosingVoucher(Schema):
    date = Day()
    summary = fields.String()
    kind = fields.String()
    lines = fields.List(fields.Nested(ClosingLine))


class ClosingPreviewOut(Schema):
    year = fields.Integer()
    position = fields.Integer(metadata={"description": "The last event these figures include."})
    vouchers = fields.List(fields.Nested(ClosingVoucher), metadata={
        "description": "The closing vouchers the year-end close would post now, unnumbered; "
                       "none when nothing is left to carry."})
