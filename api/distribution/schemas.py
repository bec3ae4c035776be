"""The year-end distribution on the wire: a plan's terms as the accountant sends them (rates as
decimal strings, amounts as "1234.50"), and the plan as every reader gets it back — its figures
as amounts, one line per holder. A preview and a drafted plan have the same shape."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from api.books.schemas import ACCOUNT_CODE
from api.common_schemas import ReadQuery
from api.fields import AMOUNT_IN, Amount, Day, DayIn, Pattern, Text
from ledger.distribution import COLLECTIVE_SHARE
from ledger.kernel.text import text_problem

RATE = Pattern(r"^(0(\.[0-9]{1,4})?|1(\.0{1,4})?)$", error='a fraction such as "0.30"')
PER_SHARE = Pattern(r"^[0-9]{1,9}(\.[0-9]{1,4})?$", error='yuan per share such as "50.00"')
HOLDER = Pattern(r"^(household|member|outside):[0-9A-Za-z_-]{1,40}$",
                 error="a holder such as household:003")
MAX_HOLDERS = 20_000
FIGURES = ("net_income", "undistributed_at_start", "loss_covered", "distributable",
           "reserve_base", "accumulation", "welfare", "reserve", "collective_to_reserve",
           "collective_kept", "to_members", "already_distributed", "undistributed_at_end")
STATUSES = ("preview", "drafted", "cancelled", "posted", "paid")


class DistributionReserveIn(Schema):
    """One rate, or the two apart: the ledger refuses any other mix, naming reserve."""

    rate = Text(validate=RATE, metadata={"description": "One 公积公益金 rate of the year's "
                                         "income.", "example": "0.30"})
    accumulation_rate = Text(validate=RATE, metadata={"description": "公积金, with welfare_rate."})
    welfare_rate = Text(validate=RATE, metadata={"description": "公益金, with "
                                                 "accumulation_rate."})



class DistributionToMembersIn(Schema):
    """per_share or total, one of them: the ledger refuses both or neither."""

    per_share = Text(validate=PER_SHARE, metadata={"description": "Yuan per share.",
                                                   "example": "50.00"})
    total = Text(validate=Pattern(AMOUNT_IN, error='a decimal string such as "63000.00"'),
                 metadata={"description": "A total shared by largest remainders, exact to "
                               "the fen.", "example": "63000.00"})



class TradeReturnIn(Schema):
    """A cooperative's part of the distributable surplus returned by trade (2017 Law Art. 44)."""

    rate = Text(validate=RATE, metadata={
        "description": "At least 0.60 (2017 Law Art. 44); default the setting "
                       "trade_return_rate.", "example": "0.60"})


class DistributionPlanIn(Schema):
    """A village's plan sends reserve and to_members; a cooperative's reserve.rate (盈余公积,
    default the setting surplus_reserve_rate) and trade_return, both optional. A term of the
    other kind is refused naming it."""

    year = fields.Integer(strict=True, required=True, validate=validate.Range(min=1900,
                                                                               max=2099))
    record_date = DayIn(load_default=None, metadata={
        "description": "Whose shares count: the register on this day (default 12-31)."})
    reserve = fields.Nested(DistributionReserveIn, load_default=None, metadata={
        "description": "Required for a village; a cooperative's 盈余公积 rate."})
    to_members = fields.Nested(DistributionToMembersIn, load_default=None, metadata={
        "description": "Required for a village; refused for a cooperative."})
    trade_return = fields.Nested(TradeReturnIn, load_default=None, metadata={
        "description": "A cooperative's only; refused for a village."})
    collective_share = Text(load_default=None, validate=validate.OneOf(COLLECTIVE_SHARE),
                            metadata={"description": "The collective share's part: keep it in "
                                      "未分配收益 or send it to the reserve; default the "
                                      "organization's setting."})


class DistributionDraftIn(DistributionPlanIn):
    matter = Text(required=True, validate=Pattern(r"^M[0-9]{4}-[0-9]{4}$",
                                                  error="a matter number such as M2026-0001"))


class DistributionCancelIn(Schema):
    reason = Text(multiline=True, required=True, validate=validate.Length(min=1, max=500))


class DistributionPostIn(Schema):
    date = DayIn(load_default=None, metadata={
        "description": "Only when the year is closed: the day of the voucher (default today). "
                       "While the year is open the plan is posted on its 12-31."})


class HoldersField(fields.Field):
    """ "all" (every holder still unpaid), or a list of holders such as household:003."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if value == "all":
            return "all"
        if not isinstance(value, list) or not value or len(value) > MAX_HOLDERS:
            raise ValidationError('"all", or a list of holders such as household:003')
        problems = {}
        for i, holder in enumerate(value):
            problem = (text_problem(holder, multiline=False) if isinstance(holder, str)
                       else "a holder such as household:003")
            if problem is None and not HOLDER.regex.fullmatch(holder):
                problem = "a holder such as household:003"
            if problem is not None:
                problems[i] = [problem]
        if problems:
            raise ValidationError(problems)
        return list(value)


class DistributionPaymentIn(Schema):
    holders = HoldersField(required=True, metadata={
        "description": '"all" still unpaid, or the holders paid now', "example": "all",
        "oneOf": [{"type": "string", "enum": ["all"]},
                  {"type": "array", "minItems": 1, "maxItems": MAX_HOLDERS, "uniqueItems": True,
                   "items": {"type": "string", "pattern": HOLDER.regex.pattern}}]})
    paid_from = Text(required=True, validate=ACCOUNT_CODE, metadata={
        "description": "Cash (101) or a bank account (102…)", "example": "10201"})
    date = DayIn(required=True)


class DistributionListQuery(ReadQuery):
    year = fields.Integer(load_default=None, validate=validate.Range(min=1900, max=2099))


class DistributionOneQuery(ReadQuery):
    format = Text(load_default="json", validate=validate.OneOf(("json", "xlsx")))


class DistributionBatchQuery(ReadQuery):
    holders = Text(load_default="unpaid", validate=validate.OneOf(("all", "unpaid")))


class DistributionHolderOut(Schema):
    holder = fields.String(metadata={"example": "household:003"})
    kind = fields.String(metadata={"enum": ["household", "member", "outside", "collective"]})
    name = fields.String(metadata={"description": "The household's head, the member, or the "
                                   "outside heir, on the record date."})
    first_member = fields.String(allow_none=True, metadata={
        "description": "A household with no head recorded (name empty): its first member in "
                       "the register's order, as the register stood at drafting (a preview: as "
                       "it stands now), to label the line （户主未登记）李秀英等2人. Null on any "
                       "other line, and on a plan drafted before it was kept.",
        "example": "李秀英"})
    members = fields.Integer(metadata={
        "description": "How many members that household has (the 2 of 等2人); 0 when "
                       "first_member is null.", "example": 0})
    shares = fields.Integer()
    amount = Amount()
    paid = fields.Boolean()
    paid_on = Day(allow_none=True)
    paid_voucher = fields.String(allow_none=True)
    payee = fields.String(allow_none=True, metadata={
        "description": "Who was paid: the holder, or for a member since gone, the household."})
    # A cooperative's member only (2017 Law Art. 44): absent from a village's lines.
    trade = Amount(metadata={"description": "The member's trade with the cooperative that "
                             "year (vᵢ)."})
    weight = Amount(metadata={"description": "出资额 + 以前年度公积金份额 (the year's own is "
                              "quantified when the plan is posted) + 专项基金份额 (wᵢ)."})
    trade_return = Amount(data_key="return", metadata={"description": "Returned by trade."})
    remaining = Amount(metadata={"description": "The member's share of the remaining "
                                 "surplus."})


class DistributionOut(Schema):
    id = fields.String(allow_none=True, metadata={"example": "2025-1",
                                                  "description": "None in a preview."})
    year = fields.Integer()
    record_date = Day()
    matter = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": list(STATUSES)})
    net_income = Amount(metadata={"description": "本年收益"})
    undistributed_at_start = Amount(metadata={"description": "年初未分配收益 (below zero, a "
                                              "loss carried forward)"})
    loss_covered = Amount(metadata={"description": "The part of that loss covered first."})
    distributable = Amount(metadata={"description": "可分配收益"})
    reserve_base = Amount(metadata={"description": "The income the reserve rates apply to."})
    accumulation = Amount(metadata={"description": "公积金 (or all 公积公益金 under one rate)"})
    welfare = Amount(metadata={"description": "公益金"})
    reserve = Amount(metadata={"description": "All to 公积公益金: the rates' amounts and any "
                               "collective part sent there."})
    collective_to_reserve = Amount()
    collective_kept = Amount()
    to_members = Amount(metadata={"description": "Σ of the holders' lines"})
    already_distributed = Amount()
    undistributed_at_end = Amount(metadata={"description": "年末未分配收益"})
    trade_return = Amount(metadata={"description": "A cooperative's: 按交易量返还 T."})
    remaining = Amount(metadata={"description": "A cooperative's: 剩余盈余 D − T."})
    trade_return_percent = fields.String(metadata={
        "description": "A cooperative's: T as a percentage of D.", "example": "60.00"})
    terms = fields.Dict(keys=fields.String(), values=fields.String())
    voucher = fields.String(allow_none=True)
    posted_on = Day(allow_none=True)
    cancel_reason = fields.String(allow_none=True)
    plan_disclosed_on = Day(allow_none=True)
    paid_total = Amount()
    unpaid_total = Amount()
    holders = fields.List(fields.Nested(DistributionHolderOut))
    collective = fields.Nested(DistributionHolderOut, allow_none=True, metadata={
        "description": "The collective share's (集体股) line, kept apart from the members'."})


class DistributionSummary(DistributionOut):
    """A plan in a list: its figures and stage; its lines and what is paid, read one by one."""

    class Meta:
        exclude = ("holders", "collective", "paid_total", "unpaid_total")


class DistributionList(Schema):
    items = fields.List(fields.Nested(DistributionSummary))
    position = fields.Integer()


class DistributionUnpaidOut(Schema):
    id = fields.String()
    holders = fields.List(fields.Nested(DistributionHolderOut))
    count = fields.Integer()
    total = Amount()
    position = fields.Integer()
