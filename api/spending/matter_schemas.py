"""Matters (事项) decided by 四议两公开, their meetings and their budgets, on the wire. Amounts are
decimal strings ("1234.50")."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.books.schemas import ACCOUNT_CODE
from api.common_schemas import PageQuery, page_of
from api.fields import Amount, AmountIn, DayIn, Text
from api.spending.schemas import COUNT, Day, text_field
from ledger.books import MATTER_CATEGORIES, MATTER_STEPS
from ledger.spending import DECIDING_BODIES, MAX_LINES, MAX_TEXT, MEETINGS, PROPOSERS

MATTER_STATUSES = ("proposed", "deliberated", "reviewed", "decided", "stopped",
                   "resolution_disclosed", "carried_out", "result_disclosed")

# -- matters and their meetings ----------------------------------------------------------------

class BudgetLineIn(Schema):
    account = Text(required=True, validate=ACCOUNT_CODE)
    item = text_field(1, 100, example="水泥路面")
    amount = AmountIn(required=True, metadata={"example": "30000.00"})


class MatterIn(Schema):
    date = DayIn(required=True)
    title = text_field(1, 100, example="修建东组水泥路")
    category = Text(required=True, validate=validate.OneOf(MATTER_CATEGORIES))
    description = text_field(0, MAX_TEXT, multiline=True)
    proposed_by = Text(required=True, validate=validate.OneOf(PROPOSERS), metadata={
        "description": "The body that proposes (党支部, 村委会, 理事会, or members)."})
    budget_total = AmountIn(required=True, metadata={
        "example": "48000.00", "description": "What the resolution may spend, all told."})
    budget_lines = fields.List(fields.Nested(BudgetLineIn), load_default=list,
                               validate=validate.Length(max=MAX_LINES), metadata={
                                   "description": "Optional; when given they add up to the "
                                                  "total and bound spending per account."})


class MeetingIn(Schema):
    step = Text(required=True, validate=validate.OneOf(MATTER_STEPS), metadata={
        "description": "deliberate (两委联席会议), review (党员大会), decide (村民(代表)会议)"})
    date = DayIn(required=True)
    body = Text(load_default="", validate=validate.OneOf(
        ("", *MEETINGS.values(), *DECIDING_BODIES)), metadata={
            "description": "Required to decide: which meeting decided."})
    entitled = fields.Integer(strict=True, required=True, validate=COUNT)
    present = fields.Integer(strict=True, required=True, validate=COUNT)
    votes_for = fields.Integer(strict=True, required=True, validate=COUNT)
    votes_against = fields.Integer(strict=True, load_default=0, validate=COUNT)
    abstain = fields.Integer(strict=True, load_default=0, validate=COUNT)
    additional_votes_for = fields.Integer(strict=True, load_default=0, validate=COUNT, metadata={
        "description": "A cooperative's members' meeting: the charter's additional votes cast "
                       "for (2017 Law Art. 22; at most the setting additional_votes)."})
    additional_votes_against = fields.Integer(strict=True, load_default=0, validate=COUNT)
    minutes = text_field(0, MAX_TEXT, multiline=True)
    resolution_no = text_field(0, 50, description="Required to decide, e.g. 2026-1.")


class CarriedOutIn(Schema):
    date = DayIn(required=True)
    summary = text_field(1, MAX_TEXT, multiline=True)


class MeetingOut(Schema):
    step = fields.String()
    date = Day()
    body = fields.String()
    entitled = fields.Integer()
    present = fields.Integer()
    votes_for = fields.Integer()
    votes_against = fields.Integer()
    abstain = fields.Integer()
    additional_votes_for = fields.Integer(metadata={"description": "Only when cast."})
    additional_votes_against = fields.Integer(metadata={"description": "Only when cast."})
    minutes = fields.String()
    passed = fields.Boolean()
    reason = fields.String(metadata={"description": "Why a meeting that failed stopped it."})


class BudgetLineOut(Schema):
    no = fields.Integer()
    account = fields.String()
    item = fields.String()
    amount = Amount()
    spent = Amount()
    remaining = Amount()


class MatterPayment(Schema):
    request = fields.String()
    voucher = fields.String()
    account = fields.String()
    amount = Amount()
    date = Day()
    payee = fields.String(allow_none=True)


class MatterOut(Schema):
    number = fields.String(metadata={"example": "M2026-0001"})
    title = fields.String()
    category = fields.String()
    description = fields.String()
    proposed_by = fields.String()
    proposed_by_login = fields.String(allow_none=True)
    date = Day()
    status = fields.String(metadata={"enum": list(MATTER_STATUSES)})
    reserved = fields.Boolean(metadata={
        "description": "Reserved by the Law to the members' meeting and two thirds of all."})
    steps = fields.List(fields.String())
    rules = fields.Dict(keys=fields.String(), values=fields.String())
    next_step = fields.String(allow_none=True)
    budget_total = Amount()
    spent = Amount()
    remaining = Amount()
    resolution_no = fields.String()
    stop_reason = fields.String()
    resolution_disclosure = fields.String(allow_none=True)
    result_disclosure = fields.String(allow_none=True)
    carried_out_date = Day(allow_none=True)
    carried_out_summary = fields.String(allow_none=True)
    meetings = fields.List(fields.Nested(MeetingOut))
    budget_lines = fields.List(fields.Nested(BudgetLineOut))
    payments = fields.List(fields.Nested(MatterPayment), metadata={
        "description": "Listed when read back (GET); a write's answer leaves it out."})


class MatterSummary(MatterOut):
    class Meta:
        exclude = ("meetings", "budget_lines", "payments", "rules")


class MatterQuery(PageQuery):
    status = Text(load_default=None, validate=validate.OneOf(MATTER_STATUSES))


class MatterBudget(Schema):
    number = fields.String()
    title = fields.String()
    status = fields.String(metadata={"enum": list(MATTER_STATUSES)})
    budget_total = Amount()
    spent = Amount()
    remaining = Amount()
    budget_lines = fields.List(fields.Nested(BudgetLineOut), attribute="lines")


class BudgetOut(Schema):
    items = fields.List(fields.Nested(MatterBudget))
    position = fields.Integer()


# -- spending requests -------------------------------------------------------------------------


MatterPage = page_of(MatterSummary, "MatterPage")
