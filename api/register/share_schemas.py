"""The share register (股权登记簿), a cooperative's member accounts (成员账户) and trade, and each
member's or household's balance with the organization, on the wire. Shares are whole numbers;
money is a decimal string ("1234.50"); a percentage is exact to two places, as text.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.common_schemas import PageQuery, ReadQuery, page_of
from api.fields import Amount, AmountIn, DayIn, Pattern, Text
from api.register.member_schemas import as_of
from api.spending.schemas import Day, text_field
from ledger.register import BASES, DIRECTIONS, FORMS, KINDS, MAX_QUANTITY
from projections.register.accounts import PARTIES

HOLDER = validate.Length(min=1, max=30)
QUANTITY = validate.Range(min=1, max=MAX_QUANTITY)
HOLDER_HELP = ("household:<户号> (household-held) or member:<成员编号> (per person), org for the "
               "organization, outside:<n> for an outside holder")


class ShareClassIn(Schema):
    code = Text(required=True, validate=validate.Length(min=1, max=30), metadata={
        "description": "lowercase letters, digits and _", "example": "population"})
    name_zh = text_field(1, 20, example="人口股")
    basis = Text(required=True, validate=validate.OneOf(BASES), metadata={
        "description": "per_person (人口股), labour (劳龄股), collective (集体股) or other."})
    per_person = fields.Integer(strict=True, load_default=0,
                                validate=validate.Range(min=0, max=10_000),
                                metadata={"description": "Shares each new member is given "
                                                         "under a per-person register."})
    cap_percent = fields.Integer(strict=True, load_default=0,
                                 validate=validate.Range(min=0, max=100),
                                 metadata={"description": "At most this share of all shares "
                                                          "(集体股 ≤ 30); 0: no cap."})


class ShareClassOut(Schema):
    code = fields.String()
    name_zh = fields.String()
    basis = fields.String()
    per_person = fields.Integer()
    cap_percent = fields.Integer()


class ShareClassList(Schema):
    items = fields.List(fields.Nested(ShareClassOut))


class AllocationIn(Schema):
    holder = Text(required=True, validate=HOLDER, metadata={
        "description": HOLDER_HELP, "example": "household:001"})
    share_class = Text(required=True, validate=validate.Length(min=1, max=30))
    quantity = fields.Integer(required=True, strict=True, validate=QUANTITY)


class QuantificationIn(Schema):
    quantified_on = DayIn(required=True, metadata={"example": "2025-06-30"})
    allocations = fields.List(fields.Nested(AllocationIn), required=True,
                              validate=validate.Length(min=1, max=100_000))
    resolution = text_field(1, 50, example="股改决〔2025〕1号")
    resolution_date = DayIn(required=True)


class HolderOut(Schema):
    holder = fields.String(metadata={"example": "household:001"})
    kind = fields.String(metadata={"enum": ["org", "household", "member", "outside"]})
    ref = fields.String()
    name = fields.String(metadata={"description": "The member, the household's head, 集体, or "
                                                  "the outside holder."})
    votes = fields.Boolean(metadata={"description": "Whether the holding carries a vote on the "
                                                    "day: never the organization's or an "
                                                    "outside heir's."})
    by_class = fields.Dict(keys=fields.String(), values=fields.Integer())
    total = fields.Integer()
    percent = fields.String(metadata={"description": "Of all shares, to two places.",
                                      "example": "16.67"})


class RegisterOut(Schema):
    on = Day(allow_none=True)
    quantified_on = Day(allow_none=True)
    holding = fields.String(metadata={"description": "household (frozen, 增人不增股、减人不减股) "
                                                     "or person."})
    resolution = fields.String()
    classes = fields.List(fields.Nested(ShareClassOut))
    totals = fields.Dict(keys=fields.String(), values=fields.Integer())
    grand_total = fields.Integer()
    holders = fields.List(fields.Nested(HolderOut), metadata={
        "description": "Every holder with shares on the day. Read back only (GET)."})


class MovementIn(Schema):
    kind = Text(required=True, validate=validate.OneOf(KINDS), metadata={
        "description": "transfer, inheritance, buy_back (to org), allocation (from org's "
                       "reserve) or return (to org)."})
    on = DayIn(required=True, metadata={"description": "The day it takes effect; may be "
                                                             "earlier than today."})
    source = Text(required=True, validate=HOLDER, metadata={"description": HOLDER_HELP})
    target = Text(required=True, validate=HOLDER, metadata={
        "description": f"{HOLDER_HELP}; outside with target_name for a new outside holder."})
    target_name = text_field(0, 50, description="The outside holder's name.")
    share_class = Text(required=True, validate=validate.Length(min=1, max=30))
    quantity = fields.Integer(required=True, strict=True, validate=QUANTITY)
    basis = text_field(0, 100, description="The contract, will or resolution it rests on; "
                       "required for a transfer, inheritance or buy-back.")
    price = AmountIn(load_default=0, metadata={"description": "Paid, for a buy-back or a paid "
                                                            "transfer.", "example": "0.00"})


class MovementOut(Schema):
    kind = fields.String()
    on = Day()
    source = fields.String()
    target = fields.String()
    target_name = fields.String()
    share_class = fields.String()
    quantity = fields.Integer()
    basis = fields.String()
    price = Amount()
    recorded_at = fields.String()
    recorded_by = fields.String()


class MovementQuery(PageQuery):
    since = DayIn(load_default=None, data_key="from")
    until = DayIn(load_default=None, data_key="to")
    holder = Text(load_default=None, validate=HOLDER)


# -- a cooperative's member accounts ----------------------------------------------------------

class ContributionIn(Schema):
    on = DayIn(required=True)
    form = Text(required=True, validate=validate.OneOf(FORMS), metadata={
        "description": "money, or kind (实物) at an agreed value."})
    amount = AmountIn(required=True, metadata={"example": "5000.00"})
    description = text_field(0, 200, multiline=True, description="What was brought in kind "
                             "and how its value was agreed; required for kind.")
    share_capital = AmountIn(load_default=None, metadata={
        "description": "The part booked to 301 股金 and counted as the member's 出资额; by "
                       "default the whole amount. The rest goes to 321 资本公积 (2021 Art. 40).",
        "example": "4000.00"})
    account = Text(load_default="", validate=validate.Length(max=20), metadata={
        "description": "The asset debited: for money 101 库存现金 (the default), 102 or a "
                       "sub-account of them; for kind required, e.g. 151, 121, 142.",
        "example": "102"})
    voucher = Text(load_default="", validate=validate.Length(max=20), metadata={
        "description": "Only for a cooperative keeping its books elsewhere (chart \"\"): the "
                       "reference of its voucher there. Where the books are kept here the "
                       "voucher is generated, and a value here is refused (422)."})


class ReserveShareIn(Schema):
    year = fields.Integer(strict=True, required=True, validate=validate.Range(min=1980, max=2200))
    amount = AmountIn(required=True, metadata={"description": "The public reserve quantified to "
                                                            "the member (公积金份额)."})


class ExitIn(Schema):
    on = DayIn(required=True, metadata={"description": "The day notice was given."})
    document = text_field(1, 100, example="退社申请书")


class ExitOut(Schema):
    notified = Day()
    effective = Day(metadata={"description": "The year end the exit takes effect (Art. 25): "
                                             "membership ends that day."})
    document = fields.String()


class AccountChangeOut(Schema):
    number = fields.String()
    voucher = fields.String(metadata={
        "description": "The voucher the contribution was posted as; \"\" where the books are "
                       "kept elsewhere, or for a change that posts nothing.",
        "example": "2026-03-0004"})
    contributed = Amount()
    reserve_share = Amount()
    exit = fields.Nested(ExitOut, allow_none=True)


class Contribution(Schema):
    on = Day()
    form = fields.String()
    amount = Amount(metadata={"description": "The agreed value."})
    share_capital = Amount(metadata={"description": "The part booked to 股金 (出资额)."})
    capital_reserve = Amount(metadata={"description": "The part booked to 资本公积."})
    account = fields.String()
    description = fields.String()
    voucher = fields.String()


class ReserveYear(Schema):
    year = fields.Integer()
    amount = Amount()


class ProductTrade(Schema):
    product = fields.String()
    unit = fields.String()
    direction = fields.String()
    quantity = fields.String(metadata={"example": "1250.5"})
    amount = Amount()


class MemberAccountOut(Schema):
    number = fields.String()
    name = fields.String()
    year = fields.Integer(allow_none=True)
    contributions = fields.List(fields.Nested(Contribution))
    contributed = Amount()
    reserve_share = Amount()
    reserve_share_by_year = fields.List(fields.Nested(ReserveYear))
    exit = fields.Nested(ExitOut, allow_none=True)
    trades = fields.List(fields.Nested(ProductTrade), metadata={
        "description": "The member's trade by product, of `year` or of every year."})


class MemberAccountRow(Schema):
    number = fields.String()
    name = fields.String()
    contributed = Amount()
    reserve_share = Amount()
    trade_amount = Amount()
    exit_effective = Day(allow_none=True)


class MemberAccountQuery(ReadQuery):
    year = fields.Integer(load_default=None, validate=validate.Range(min=1980, max=2200))


class TradeIn(Schema):
    on = DayIn(required=True)
    member = Text(load_default="", validate=validate.Length(max=20), metadata={
        "description": "A member's number; empty for a non-member."})
    counterparty = text_field(0, 100, description="A non-member's name; empty for a member.")
    direction = Text(required=True, validate=validate.OneOf(DIRECTIONS))
    product = text_field(1, 50, example="稻谷")
    quantity = Text(required=True, validate=validate.Length(min=1, max=14), metadata={
        "description": "A decimal, up to three places.", "example": "1250.5"})
    unit = text_field(1, 10, example="公斤")
    amount = AmountIn(required=True)
    settlement = Text(load_default="", validate=validate.Length(max=20), metadata={
        "description": "How it was settled, which posts it: 101 库存现金, 102 银行存款 or a "
                       "sub-account of them, or 114 成员往来 (members only). Empty: recorded "
                       "only, not posted.", "example": "102"})
    account = Text(load_default="", validate=validate.Length(max=20), metadata={
        "description": "The counter account: for a sale 50101 (member) or 50102 (non-member) "
                       "by default, within 501/502; for a purchase 121 产品物资 by default, or "
                       "an asset, cost or expense (521 goes to 52101/52102 as the trader is a "
                       "member or not, Art. 41).", "example": "121"})
    voucher = Text(load_default="", validate=validate.Length(max=20), metadata={
        "description": "Only for a cooperative keeping its books elsewhere (chart \"\"); "
                       "refused where the voucher is generated."})


class TradeOut(Schema):
    on = Day()
    member = fields.String()
    name = fields.String(metadata={"description": "The member's name."})
    counterparty = fields.String()
    direction = fields.String()
    product = fields.String()
    quantity = fields.String()
    unit = fields.String()
    amount = Amount()
    voucher = fields.String()
    recorded_at = fields.String()
    recorded_by = fields.String()


class TradeQuery(PageQuery):
    year = fields.Integer(load_default=None, validate=validate.Range(min=1980, max=2200))
    party = Text(load_default="member", validate=validate.OneOf(PARTIES), metadata={
        "description": "member or non_member trade; never mixed (Art. 41)."})


# -- balances with the organization -----------------------------------------------------------

class PartyBalanceQuery(ReadQuery):
    # No colon, no blank: \s is spelt out, as Python's and ECMA-262's differ (\x1c, \ufeff).
    party = Text(load_default=None, validate=Pattern(
        r"^(member|household):[^:\s\x1c-\x1f\x85\ufeff]{1,20}$",
        error="member:<成员编号> or household:<户号>"))
    on = as_of()


class PartyAccount(Schema):
    account = fields.String()
    account_name = fields.String()
    debit = Amount()
    credit = Amount()
    balance = Amount(metadata={"description": "Debit minus credit: above zero the party owes "
                                              "the organization."})


class PartyBalance(Schema):
    party = fields.String(metadata={"example": "member:0003"})
    kind = fields.String(metadata={"enum": ["member", "household"]})
    ref = fields.String()
    name = fields.String(metadata={"description": "The member, or the household's head."})
    balance = Amount()
    accounts = fields.List(fields.Nested(PartyAccount))


class PartyBalanceList(Schema):
    on = Day(allow_none=True)
    items = fields.List(fields.Nested(PartyBalance))
    position = fields.Integer()


MovementPage = page_of(MovementOut, "MovementPage")
MemberAccountPage = page_of(MemberAccountRow, "MemberAccountPage")
TradePage = page_of(TradeOut, "TradePage")
