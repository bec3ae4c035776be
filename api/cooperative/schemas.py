"""A cooperative member's account on the wire (成员账户, 2017 Law Art. 43): what the register
keeps, with each year's 专项基金份额, each year's trade volume and the member's distribution lines.
Money is a decimal string ("1234.50")."""

from __future__ import annotations

from marshmallow import Schema, fields

from api.fields import Amount
from api.register.share_schemas import MemberAccountOut, ProductTrade
from api.spending.schemas import Day


class FundYear(Schema):
    year = fields.Integer()
    balance = Amount(metadata={"description": "311 专项基金 at the year's end (today for the "
                                              "open year)."})
    members = fields.Integer(metadata={"description": "Members on the roll at any time that "
                                                      "year, who share it equally."})
    amount = Amount(metadata={"description": "This member's equal share, by largest "
                                             "remainder."})


class TradeYear(Schema):
    year = fields.Integer()
    amount = Amount(metadata={"description": "Trade volume (交易额), both directions: what "
                                             "the surplus is returned by (Art. 44)."})
    sold_to_cooperative = Amount()
    bought_from_cooperative = Amount()
    products = fields.List(fields.Nested(ProductTrade))


class MemberTrade(Schema):
    on = Day()
    direction = fields.String()
    product = fields.String()
    quantity = fields.String()
    unit = fields.String()
    amount = Amount()
    voucher = fields.String(metadata={"description": "The voucher it was posted as; empty "
                                                     "when it was recorded only."})


class DistributionLine(Schema):
    number = fields.String(metadata={"example": "2026-1"})
    year = fields.Integer()
    status = fields.String()
    holder = fields.String()
    name = fields.String()
    amount = Amount()
    paid_voucher = fields.String(allow_none=True)
    paid_on = Day(allow_none=True)


class MemberStatementOut(MemberAccountOut):
    special_fund_share = Amount(metadata={"description": "专项基金份额 of the last year shown."})
    special_fund_share_by_year = fields.List(fields.Nested(FundYear))
    trade_by_year = fields.List(fields.Nested(TradeYear))
    trade_list = fields.List(fields.Nested(MemberTrade), metadata={
        "description": "The member's trades one by one, of `year` or of every year."})
    distributions = fields.List(fields.Nested(DistributionLine), metadata={
        "description": "The member's lines of every distribution not cancelled, newest "
                       "first."})
