"""Organizations, accounts, vouchers and periods on the wire."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from api.common_schemas import PageQuery, page_of
from api.fields import Amount, AmountIn, Day, DayIn, Month, MonthIn, Pattern, Text
from ledger.books import MAX_DIGESTS, MAX_LINES, MAX_MEMO, MAX_SUMMARY, NO_BOOKS
from ledger.books import ORG_KINDS as KINDS
from ledger.kernel.chart import CHART_IDS

ACCOUNT_CODE = Pattern(r"^[0-9]{3}(?:[0-9]{2})*$", error="digits: 3, then 2 per level")
# A cooperative may keep only its members and member accounts here (chart "").
DEFAULT_CHART = {"village_collective": "mof-2023-village",
                 "farmers_cooperative": "mof-2021-cooperative"}


class OrganizationIn(Schema):
    code = Text(required=True, metadata={"example": "sunlight-village"})
    name_zh = Text(required=True, validate=validate.Length(min=1, max=100))
    name_en = Text(load_default="", validate=validate.Length(max=100))
    kind = Text(required=True, validate=validate.OneOf(KINDS))
    chart = Text(load_default=None, validate=validate.OneOf((*CHART_IDS, NO_BOOKS)),
                 metadata={"description": "The chart of accounts; by default the "
                           "kind's: mof-2023-village for a village, "
                           "mof-2021-cooperative for a cooperative; \"\" registers a "
                           "cooperative that keeps only its members and member accounts "
                           "here."})
    books_start = DayIn(required=True)

    @post_load
    def chart_of_the_kind(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        if data.get("chart") is None:
            data["chart"] = DEFAULT_CHART[data["kind"]]
        return data


class OrganizationOut(Schema):
    code = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    kind = fields.String()
    chart = fields.String()
    books_start = Day()
    registered_by = fields.String()
    closed_through = Month(allow_none=True)
    closed_year = fields.Integer(allow_none=True)


class AccountIn(Schema):
    parent = Text(required=True, validate=ACCOUNT_CODE)
    code = Text(required=True, validate=ACCOUNT_CODE,
                metadata={"description": "The parent's code and two more digits."})
    name_zh = Text(required=True, validate=validate.Length(min=1, max=40))
    name_en = Text(load_default="", validate=validate.Length(max=80))


class AccountCloseIn(Schema):
    reason = Text(multiline=True, required=True, validate=validate.Length(min=1, max=200))


class AccountOut(Schema):
    code = fields.String()
    parent = fields.String(allow_none=True)
    level = fields.Integer()
    name_zh = fields.String()
    name_en = fields.String()
    category = fields.String()
    normal_balance = fields.String()
    leaf = fields.Boolean(metadata={"description": "Only leaf accounts take postings."})
    closed = fields.Boolean()


class LineIn(Schema):
    account = Text(required=True, validate=ACCOUNT_CODE)
    debit = AmountIn(load_default=None)
    credit = AmountIn(load_default=None)
    memo = Text(load_default="", validate=validate.Length(max=MAX_MEMO))
    party = Text(load_default="", validate=validate.Length(max=41), metadata={
        "description": "The member or household the line is with (member:0012, household:003), "
                       "so each one's balance with the organization can be read.",
        "example": "member:0012"})

    @validates_schema
    def one_side_above_zero(self, data: dict[str, Any], **_: Any) -> None:
        if (data.get("debit") is None) == (data.get("credit") is None):
            raise ValidationError("give either a debit or a credit amount", "debit")
        side = "debit" if data.get("debit") is not None else "credit"
        if data[side] <= 0:
            raise ValidationError("must be greater than zero", side)


class VoucherIn(Schema):
    date = DayIn(required=True)
    summary = Text(required=True, validate=validate.Length(min=1, max=MAX_SUMMARY),
                   metadata={"description": "摘要"})
    lines = fields.List(fields.Nested(LineIn), required=True,
                        validate=validate.Length(min=2, max=MAX_LINES))
    attachments = fields.Integer(strict=True, load_default=0,
                                 validate=validate.Range(min=0, max=9999),
                                 metadata={"description": "Number of attached receipts."})
    receipt_digests = fields.List(
        Text(validate=Pattern(r"^[0-9a-f]{64}$",
                                      error="64 lowercase hexadecimal characters")),
        load_default=list, validate=validate.Length(max=MAX_DIGESTS),
        metadata={"description": "SHA-256 of each scanned receipt."})
    kind = Text(load_default="regular", validate=validate.OneOf(("regular", "opening")),
                metadata={"description": "opening: the balances the books start with."})


class ReversalIn(Schema):
    date = DayIn(required=True, metadata={"description": "In an open month."})
    reason = Text(multiline=True, required=True, validate=validate.Length(min=1, max=MAX_SUMMARY))


class LineOut(Schema):
    line_no = fields.Integer()
    account = fields.String()
    debit = Amount(allow_none=True)
    credit = Amount(allow_none=True)
    memo = fields.String()
    party = fields.String(metadata={"description": "Present only on a line that names a "
                                                   "member or household."})


class VoucherOut(Schema):
    id = fields.String()
    number = fields.String()
    date = Day()
    period = fields.String()
    kind = fields.String()
    summary = fields.String()
    lines = fields.List(fields.Nested(LineOut))
    debit_total = Amount()
    credit_total = Amount()
    attachments = fields.Integer()
    receipt_digests = fields.List(fields.String())
    reverses = fields.String(allow_none=True, metadata={"description": "Number reversed."})
    reason = fields.String(allow_none=True)
    reversed_by = fields.String(allow_none=True)
    reversal_reason = fields.String(allow_none=True)
    posted_by = fields.String()
    posted_at = fields.String()


class VoucherQuery(PageQuery):
    period = MonthIn(load_default=None)
    start = DayIn(load_default=None, data_key="from")
    end = DayIn(load_default=None, data_key="to")


class ClosureOut(Schema):
    period = fields.String()
    year_end = fields.Boolean()
    closed_at = fields.String()
    closed_by = fields.String()


class PeriodsOut(Schema):
    closed_through = fields.String(allow_none=True)
    closed_year = fields.Integer(allow_none=True)
    next_open = fields.String()
    closures = fields.List(fields.Nested(ClosureOut))


class PeriodClosedOut(Schema):
    period = fields.String()
    closed_through = fields.String()


class YearClosedOut(Schema):
    year = fields.Integer()
    closed_through = fields.String()
    closing_vouchers = fields.List(fields.String())


OrganizationPage = page_of(OrganizationOut, "OrganizationPage")
AccountPage = page_of(AccountOut, "AccountPage")
VoucherPage = page_of(VoucherOut, "VoucherPage")
