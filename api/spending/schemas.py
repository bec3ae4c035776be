"""Spending requests (支出申请), receipts (收款收据), earmarked grants (专项资金) and warnings
(预警) on the wire, and the fields matters share with them. Amounts are decimal strings."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from api.books.schemas import ACCOUNT_CODE
from api.common_schemas import PageQuery, page_of
from api.fields import Amount, AmountIn, Day, DayIn, Pattern, Text
from ledger.books import MAX_REASON, WARNING_KINDS
from ledger.spending import CATEGORIES, FUND_SOURCES, MAX_DIGESTS
from ledger.spending import KINDS as GRANT_KINDS

SPENDING_STATUSES = ("pending", "approved", "rejected", "withdrawn", "paid")
COUNT = validate.Range(min=0, max=100_000)


def text_field(low: int, high: int, *, multiline: bool = False, **metadata: Any) -> Text:
    """Text of `low` to `high` characters; required unless it may be empty."""
    length = validate.Length(min=low, max=high)
    if low > 0:
        return Text(required=True, validate=length, multiline=multiline, metadata=metadata)
    return Text(load_default="", validate=length, multiline=multiline, metadata=metadata)


def digests_field() -> fields.List:
    return fields.List(Text(validate=Pattern(
        r"^[0-9a-f]{64}$", error="64 lowercase hexadecimal characters")), load_default=list,
        validate=validate.Length(max=MAX_DIGESTS), metadata={
            "description": "SHA-256 of each scanned receipt."})


class SpendingIn(Schema):
    date = DayIn(required=True)
    payee = text_field(1, 100, example="东组路桥工程队")
    purpose = text_field(1, 200, example="东组水泥路一期")
    amount = AmountIn(required=True, metadata={"example": "15000.00"})
    account = Text(required=True, validate=ACCOUNT_CODE, metadata={
        "description": "The cost, expense, asset or liability account charged."})
    fund_source = Text(load_default="collective", validate=validate.OneOf(FUND_SOURCES),
                       metadata={"description": "collective (集体收入), grant "
                                                "(专项资金) or yishiyiyi (一事一议资金)"})
    grant = Text(load_default=None, validate=validate.Length(max=20), metadata={
        "description": "The grant's number (G2026-0001) when the money is earmarked."})
    matter = Text(load_default=None, validate=validate.Length(max=20), metadata={
        "description": "The matter's number (M2026-0001); required above the committees' "
                       "limit, and then its resolution must be decided."})
    receipt_count = fields.Integer(strict=True, load_default=0,
                                   validate=validate.Range(min=0, max=9999))
    receipt_digests = digests_field()


class ApprovalIn(Schema):
    note = text_field(0, 500, multiline=True)


class ReasonIn(Schema):
    reason = text_field(1, 500, multiline=True)


class ReceiptsAttachIn(Schema):
    count = fields.Integer(strict=True, load_default=0, validate=validate.Range(min=0, max=9999))
    digests = digests_field()


class PaymentIn(Schema):
    date = DayIn(required=True)
    amount = AmountIn(required=True, metadata={"description": "At most the amount approved."})
    paid_from = Text(required=True, validate=ACCOUNT_CODE, metadata={
        "description": "Cash (101) or a bank account (102...)."})


class Approval(Schema):
    by = fields.String()
    role = fields.String()
    note = fields.String()
    at = fields.String()


class SpendingOut(Schema):
    number = fields.String(metadata={"example": "S2026-0001"})
    date = Day()
    payee = fields.String()
    purpose = fields.String()
    amount = Amount()
    account = fields.String()
    account_name = fields.String()
    fund_source = fields.String()
    grant = fields.String(allow_none=True)
    grant_name = fields.String(allow_none=True)
    matter = fields.String(allow_none=True)
    matter_title = fields.String(allow_none=True)
    resolution_no = fields.String(allow_none=True)
    receipt_count = fields.Integer()
    receipt_digests = fields.List(fields.String())
    level = fields.String(metadata={"description": "finance_lead, committees or resolution"})
    needs = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={
        "description": "Approvals needed, by role."})
    approvals = fields.List(fields.Nested(Approval))
    rejected_by = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": list(SPENDING_STATUSES)})
    closing_reason = fields.String()
    requested_by = fields.String()
    requested_at = fields.String()
    paid_voucher = fields.String(allow_none=True)
    paid_date = Day(allow_none=True)
    paid_amount = Amount(allow_none=True)
    paid_from = fields.String(allow_none=True)


class SpendingQuery(PageQuery):
    status = Text(load_default=None, validate=validate.OneOf(SPENDING_STATUSES))
    matter = Text(load_default=None, validate=validate.Length(min=1, max=20))


# -- receipts, grants, warnings ----------------------------------------------------------------

class ReceiptIn(Schema):
    date = DayIn(required=True)
    category = Text(required=True, validate=validate.OneOf(list(CATEGORIES)))
    payer = text_field(1, 100)
    amount = AmountIn(required=True)
    paid_into = Text(required=True, validate=ACCOUNT_CODE)
    relates_to = text_field(0, 100, description="The period the money is for, e.g. 2026.")
    account = Text(load_default="", validate=Pattern(
        r"^(?:[0-9]{3}(?:[0-9]{2})*)?$", error="digits: 3, then 2 per level; or empty"),
        metadata={"description": "An income account; empty for the category's usual one."})
    summary = text_field(0, 100)


class ReceiptOut(Schema):
    number = fields.String(metadata={"example": "R2026-0001"})
    date = Day()
    category = fields.String()
    payer = fields.String()
    amount = Amount()
    relates_to = fields.String()
    account = fields.String()
    paid_into = fields.String()
    voucher = fields.String()
    summary = fields.String()
    issued_by = fields.String()


class ReceiptQuery(PageQuery):
    year = fields.Integer(load_default=None, validate=validate.Range(min=1980, max=9999))


class EarmarkedGrantIn(Schema):
    date = DayIn(required=True)
    kind = Text(required=True, validate=validate.OneOf(GRANT_KINDS))
    name = text_field(1, 100, example="2026年农村道路专项补助")
    grantor = text_field(1, 100, example="县交通运输局")
    amount = AmountIn(required=True)
    account = Text(required=True, validate=ACCOUNT_CODE, metadata={
        "description": "Under 241 专项应付款 or 231 一事一议资金."})
    paid_into = Text(required=True, validate=ACCOUNT_CODE)
    matter = Text(load_default=None, validate=validate.Length(max=20), metadata={
        "description": "The matter it is for; it may then be spent on that matter only."})
    purpose_accounts = fields.List(Text(validate=ACCOUNT_CODE), load_default=list,
                                   validate=validate.Length(max=20))


class GrantSpending(Schema):
    request = fields.String()
    voucher = fields.String()
    amount = Amount()
    date = Day()


class GrantOut(Schema):
    number = fields.String(metadata={"example": "G2026-0001"})
    date = Day()
    kind = fields.String()
    name = fields.String()
    grantor = fields.String()
    amount = Amount()
    spent = Amount()
    unspent = Amount()
    account = fields.String()
    paid_into = fields.String()
    voucher = fields.String()
    matter = fields.String(allow_none=True)
    purpose_accounts = fields.List(fields.String())
    spending = fields.List(fields.Nested(GrantSpending), metadata={
        "description": "Listed when read back (GET); a write's answer leaves it out."})


class Acknowledgement(Schema):
    by = fields.String()
    reason = fields.String()
    at = fields.String()


class WarningOut(Schema):
    id = fields.String()
    kind = fields.String(metadata={"enum": list(WARNING_KINDS)})
    key = fields.String(metadata={"description": "The voucher or request it is about."})
    date = Day()
    message = fields.String()
    trigger = fields.Dict(metadata={"description": "The figures that raised it."})
    raised_by = fields.String(allow_none=True)
    raised_at = fields.String()
    acknowledgements = fields.List(fields.Nested(Acknowledgement))
    acknowledged = fields.Boolean()


class WarningQuery(PageQuery):
    open_only = fields.Boolean(load_default=False, data_key="open", metadata={
        "description": "Only warnings nobody has acknowledged yet."})
    kind = Text(load_default=None, validate=validate.OneOf(WARNING_KINDS))


class AcknowledgementIn(Schema):
    reason = text_field(1, MAX_REASON, multiline=True)


SpendingPage = page_of(SpendingOut, "SpendingPage")
ReceiptPage = page_of(ReceiptOut, "ReceiptPage")
GrantPage = page_of(GrantOut, "GrantPage")
WarningPage = page_of(WarningOut, "WarningPage")
