"""Shapes of disclosures (公开), their reviews, villagers' questions (质询) and the
organization's local rules (disclosure, the approval ladder, 四议两公开), at the HTTP edge."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from api.fields import Amount, AmountIn, DayIn, Flag, Pattern, Text
from ledger.disclosure import (
    CADENCES,
    KINDS,
    PERIOD_EXAMPLES,
    PERIOD_FORMS,
    PERIOD_PATTERN,
    InvalidDisclosure,
    parse_period,
)
from ledger.distribution import STAGES

_SHORT = validate.Length(max=100)
# OpenAPI 3.0 cannot constrain a map's keys, so the document says this in words.
ANNOTATION_KEY = 'a key is a voucher line, "voucher number/line number": 2025-03-0007/2'


def _fraction(what: str) -> Text:
    """A rule such as ">=2/3" (at least two thirds) or ">1/2" (more than half)."""
    return Text(validate=Pattern(
        r"^>=?[1-9][0-9]?/[1-9][0-9]?$", error='">=2/3" (at least) or ">1/2" (more than)'),
        metadata={"description": f'The share {what}: ">=2/3" (at least two thirds) or '
                                 '">1/2" (more than half).', "example": ">1/2"})


class Annotation(Schema):
    fund_source = Text(load_default="", validate=_SHORT)
    unit = Text(load_default="", validate=_SHORT)
    responsible = Text(load_default="", validate=_SHORT)


class Item(Annotation):
    item = Text(required=True, validate=validate.Length(min=1, max=200))
    amount = Text(required=True, metadata={"example": "5000.00"})


class NotesToStatements(Schema):
    contingent = Text(multiline=True, load_default="", validate=validate.Length(max=2000),
                      metadata={"description": "或有事项: guarantees, lawsuits, disputes and the "
                                               "like, which the books do not show"})


class Attachment(Schema):
    name = Text(required=True, validate=validate.Length(min=1, max=200))
    sha256 = Text(required=True, validate=Pattern(r"^[0-9a-f]{64}$"))


def _period(label: str) -> None:
    """A period as the ledger reads one (ledger/disclosure/periods.py); blank for the kinds
    that have none."""
    if label:
        try:
            parse_period(label)
        except InvalidDisclosure as error:
            raise ValidationError(error.message) from None


class DraftIn(Schema):
    kind = Text(required=True, validate=validate.OneOf(KINDS))
    period = Text(load_default="", validate=(
        Pattern(f"^({PERIOD_PATTERN})?$", error=PERIOD_FORMS), _period), metadata={
        "description": "{month}, {quarter} or {year}; required for the kinds built from the "
                       "books".format(**PERIOD_EXAMPLES)})
    title = Text(required=True, validate=validate.Length(min=1, max=100))
    notes = Text(multiline=True, load_default="", validate=validate.Length(max=2000))
    annotations = fields.Dict(
        keys=Text(validate=Pattern(r"^[0-9]{4}-[0-9]{2}-[0-9]{4,}/[0-9]+$",
                                           error=ANNOTATION_KEY)),
        values=fields.Nested(Annotation), load_default=dict,
        metadata={"description": "Per line (\"voucher number/line number\", e.g. "
                                 "2025-03-0007/2): fund source, spending unit and person "
                                 "responsible, which the books lack."})
    notes_to_statements = fields.Nested(NotesToStatements, load_default=dict, metadata={
        "description": "The accountant's part of the notes to a balance sheet or income "
                       "statement (会计报表附注); the rest is drafted from the books"})
    body = Text(multiline=True, load_default="", validate=validate.Length(max=20000))
    items = fields.List(fields.Nested(Item), load_default=list,
                        validate=validate.Length(max=200))
    attachments = fields.List(fields.Nested(Attachment), load_default=list,
                              validate=validate.Length(max=50))
    matter = Text(load_default="", validate=validate.Length(max=20), metadata={
        "description": "The matter (M2026-0001) a resolution or matter_result disclosure is "
                       "about; required for those kinds"})
    distribution = Text(load_default="", validate=validate.Length(max=20), metadata={
        "description": "The distribution plan (2025-1) a distribution disclosure is about; "
                       "required for that kind, whose period is the plan's year"})
    stage = Text(load_default="", validate=validate.OneOf(("", *STAGES)), metadata={
        "description": "For a distribution: plan (before the members' meeting, with the "
                       "year's statements) or result (once posted: each holder paid or not)"})
    supersedes = fields.UUID(load_default=None, metadata={
        "description": "A draft not yet published that this one replaces"})
    corrects = fields.UUID(load_default=None, metadata={
        "description": "A published disclosure that this one corrects"})
    correction_reason = Text(multiline=True, load_default="", validate=validate.Length(max=500))


class SignIn(Schema):
    opinion = Text(multiline=True, load_default="", validate=validate.Length(max=500),
                                   metadata={"example": "经核对，账实相符"})
    line_notes = fields.Dict(keys=Text(validate=Pattern(r"^[0-9]+$")),
                             values=Text(validate=validate.Length(min=1, max=200)),
                             load_default=dict)


class RefuseIn(Schema):
    reason = Text(multiline=True, required=True, validate=validate.Length(min=1, max=500))


class PublishIn(Schema):
    posting_from = DayIn(load_default=None)
    posting_to = DayIn(load_default=None)


class Review(Schema):
    member = fields.String()
    verdict = fields.String()
    opinion = fields.String()
    line_notes = fields.Dict()
    at = fields.String()


class DisclosureOut(Schema):
    id = fields.String()
    org = fields.String()
    kind = fields.String()
    period = fields.String()
    title = fields.String()
    status = fields.String()
    digest = fields.String(metadata={"description": "SHA-256 of the canonical content bytes"})
    built_at_position = fields.Integer()
    drafted_by = fields.String()
    drafted_at = fields.String()
    panel = fields.List(fields.String())
    quorum = fields.Integer()
    signers = fields.List(fields.String())
    reviews = fields.List(fields.Nested(Review))
    posting_from = fields.String(allow_none=True)
    posting_to = fields.String(allow_none=True)
    objection_until = fields.String(allow_none=True)
    published_at = fields.String(allow_none=True)
    supersedes = fields.String()
    superseded_by = fields.String()
    corrects = fields.String()
    corrected_by = fields.String()
    correction_reason = fields.String()
    content = fields.Dict()
    position = fields.Integer()


class DisclosureSummary(DisclosureOut):
    class Meta:
        exclude = ("content", "reviews")


class DisclosureList(Schema):
    items = fields.List(fields.Nested(DisclosureSummary))


class DisclosureListQuery(Schema):
    status = Text(load_default=None, validate=validate.OneOf(
        ("drafted", "in_review", "returned", "reviewed", "published", "archived",
         "superseded")))


class Finding(Schema):
    disclosure = fields.String()
    org = fields.String()
    title = fields.String()
    position = fields.Integer()
    digest = fields.String()
    ok = fields.Boolean()
    problems = fields.List(fields.String())


class VerifyOut(Schema):
    ok = fields.Boolean()
    checked = fields.Integer()
    findings = fields.List(fields.Nested(Finding))


class QuestionOut(Schema):
    id = fields.String()
    disclosure_id = fields.String()
    line_no = fields.Integer()
    text = fields.String()
    asker = fields.String(metadata={"description": "masked: 张**"})
    has_phone = fields.Boolean()
    asked_at = fields.String()
    due = fields.String()
    overdue = fields.Boolean()
    status = fields.String()
    screen_reason = fields.String()
    screened_by = fields.String(allow_none=True)
    answer = fields.String()
    answered_by = fields.String(allow_none=True)
    answered_at = fields.String(allow_none=True)


class QuestionList(Schema):
    items = fields.List(fields.Nested(QuestionOut))


class QuestionQuery(Schema):
    disclosure = fields.UUID(load_default=None)


class ScreenIn(Schema):
    visible = Flag(required=True)
    reason = Text(multiline=True, load_default="", validate=validate.Length(max=500))


class AnswerIn(Schema):
    text = Text(multiline=True, required=True, validate=validate.Length(min=1, max=2000))


def _account(what: str) -> Text:
    return Text(validate=Pattern(r"^[0-9]{3,12}$", error="an account code of digits"),
                metadata={"description": f"The account code of {what}.", "example": "21102"})


class SettingsIn(Schema):
    disclosure_cadence = Text(validate=validate.OneOf(CADENCES))
    disclosure_deadline_day = fields.Integer(
        strict=True, validate=validate.Range(min=1, max=28), metadata={
            "description": "A period's disclosure is due by this day of the month after the "
                           "period ends (15: the 15th); later, it is flagged 应公开未公开."})
    disclosure_owed_from = Text(
        validate=Pattern(r"^([0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4])?)?$",
                         error='a period such as "2026-08", or "" for the books\' start'),
        metadata={"description": "The first period owed on this product; earlier ones were "
                                 "disclosed on paper. Empty: from the books' start.",
                  "example": "2026-08"})
    review_quorum = fields.Integer(strict=True, validate=validate.Range(min=0, max=15), metadata={
        "description": "signatures needed; 0 means a majority of the committee"})
    posting_days = fields.Integer(strict=True, validate=validate.Range(min=5, max=90))
    objection_days = fields.Integer(strict=True, validate=validate.Range(min=1, max=90))
    answer_days = fields.Integer(strict=True, validate=validate.Range(min=1, max=60))
    approval_finance_lead_max = AmountIn(metadata={
        "description": "Spending up to this amount is approved by the finance lead alone.",
        "example": "1000.00"})
    approval_committees_max = AmountIn(metadata={
        "description": "Up to this amount two committee members and a supervisor approve; "
                       "above it the spending also needs a matter's decided resolution.",
        "example": "10000.00"})
    cash_limit = AmountIn(metadata={
        "description": "Cash on hand (库存现金) above this raises a warning.",
        "example": "5000.00"})
    split_window_days = fields.Integer(
        strict=True, validate=validate.Range(min=1, max=366), metadata={
            "description": "Days within which payments to one payee or for one purpose are "
                           "added up to find spending split to stay under an approval limit."})
    matter_steps = Text(metadata={
        "description": "The meetings a matter goes through, in order, always ending with "
                       "decide: some of deliberate,review,decide.",
        "example": "deliberate,review,decide"})
    joint_meeting_quorum = _fraction("present at the two committees' joint meeting")
    joint_meeting_majority = _fraction("of those present for, at the joint meeting")
    party_meeting_quorum = _fraction("present at the party members' meeting")
    party_meeting_majority = _fraction("of those present for, at the party members' meeting")
    decision_meeting_quorum = _fraction("present at the villagers' (representatives') meeting")
    decision_meeting_majority = _fraction("of those present for, at the deciding meeting")
    reserved_majority = _fraction("of all members for, on a matter the Law reserves")
    reserved_matters = Text(metadata={
        "description": "Matter categories the Law reserves to the members' meeting, comma "
                       "separated.",
        "example": "articles,membership,land_contracting,distribution,merger,dissolution"})
    share_holding = Text(validate=validate.OneOf(("household", "person")), metadata={
        "description": "household: shares held and frozen per household (增人不增股、减人不减股); "
                       "person: each member holds, new members are given the per-person "
                       "classes from the reserve and leavers return them. Read when the shares "
                       "are quantified."})
    share_transfer = Text(validate=validate.OneOf(("inside", "outside")), metadata={
        "description": "inside: shares pass only to members or households of the "
                       "organization; outside: also to outsiders."})
    share_outside_heirs = Text(validate=validate.OneOf(("income_only", "refuse")),
                               metadata={"description": "income_only: an heir from "
                                         "outside inherits the income, without a "
                                         "vote; refuse: the organization buys the "
                                         "shares back instead."})
    share_holder_cap_percent = fields.Integer(
        strict=True, validate=validate.Range(min=0, max=100), metadata={
            "description": "The most of all shares one holder may hold, in percent; 0: no cap."})
    exit_notice_months = fields.Integer(
        strict=True, validate=validate.Range(min=0, max=11), metadata={
            "description": "A cooperative member's notice of exit before the year end it takes "
                           "effect (Art. 25: 3)."})
    reserve_minimum = Text(validate=Pattern(r"^(|0(\.[0-9]{1,4})?|1(\.0{1,4})?)$",
                                            error='a fraction such as "0.30", or "" for none'),
                           metadata={"description": "The charter's least reserve (公积公益金) "
                                     "rate a distribution plan may take; \"\": none.",
                                     "example": "0.30"})
    collective_share = Text(validate=validate.OneOf(("keep", "reserve")), metadata={
        "description": "Where the collective share's (集体股) part of a distribution goes: "
                       "keep it in 未分配收益, or send it to the reserve (公积公益金)."})
    distribution_payable = _account("distribution payable to each holder (应付收益分配)")
    reserve_accumulation_account = _account("公积金, when the reserve is split")
    reserve_welfare_account = _account("公益金, when the reserve is split")
    surplus_reserve_rate = Text(validate=Pattern(r"^(0(\.[0-9]{1,4})?|1(\.0{1,4})?)$",
                                                 error='a fraction such as "0.10"'),
                                metadata={"description": "A cooperative's 盈余公积 rate of "
                                          "the year's surplus (default 0.10).",
                                          "example": "0.10"})
    trade_return_rate = Text(validate=Pattern(r"^(0\.[6-9][0-9]{0,3}|1(\.0{1,4})?)$",
                                              error='a fraction from 0.60 to 1 (2017 Law '
                                                    'Art. 44)'),
                             metadata={"description": "The least part of a cooperative's "
                                       "distributable surplus returned by trade; at least "
                                       "0.60 (2017 Law Art. 44).", "example": "0.60"})
    additional_votes = fields.Integer(
        strict=True, validate=validate.Range(min=0, max=100_000), metadata={
            "description": "The additional votes a cooperative's charter grants in all; at "
                           "most 20 % of the members' basic votes (2017 Law Art. 22)."})
    reason = Text(multiline=True, required=True, validate=validate.Length(min=1, max=500))


class SettingsOut(Schema):
    org = fields.String()
    disclosure_cadence = fields.String()
    disclosure_deadline_day = fields.Integer()
    disclosure_owed_from = fields.String()
    review_quorum = fields.Integer()
    posting_days = fields.Integer()
    objection_days = fields.Integer()
    answer_days = fields.Integer()
    approval_finance_lead_max = Amount()
    approval_committees_max = Amount()
    cash_limit = Amount()
    split_window_days = fields.Integer()
    matter_steps = fields.String()
    joint_meeting_quorum = fields.String()
    joint_meeting_majority = fields.String()
    party_meeting_quorum = fields.String()
    party_meeting_majority = fields.String()
    decision_meeting_quorum = fields.String()
    decision_meeting_majority = fields.String()
    reserved_majority = fields.String()
    reserved_matters = fields.String()
    share_holding = fields.String()
    share_transfer = fields.String()
    share_outside_heirs = fields.String()
    share_holder_cap_percent = fields.Integer()
    exit_notice_months = fields.Integer()
    reserve_minimum = fields.String()
    collective_share = fields.String()
    distribution_payable = fields.String()
    reserve_accumulation_account = fields.String()
    reserve_welfare_account = fields.String()
    surplus_reserve_rate = fields.String()
    trade_return_rate = fields.String()
    additional_votes = fields.Integer()
