"""Shapes of disclosures (公开), their reviews and villagers' questions (质询) at the HTTP edge;
the organization's local rules are in settings_schemas."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from api.fields import DayIn, Flag, Pattern, Text
from ledger.disclosure import (
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
