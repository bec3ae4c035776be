"""Shapes of disclosures (公开), their reviews, villagers' questions (质询) and the
organization's disclosure settings, at the HTTP edge."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ledger.disclosures import CADENCES, KINDS

_SHORT = validate.Length(max=100)


class Annotation(Schema):
    fund_source = fields.String(load_default="", validate=_SHORT)
    unit = fields.String(load_default="", validate=_SHORT)
    responsible = fields.String(load_default="", validate=_SHORT)


class Item(Annotation):
    item = fields.String(required=True, validate=validate.Length(min=1, max=200))
    amount = fields.String(required=True, metadata={"example": "5000.00"})


class Attachment(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    sha256 = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))


class DraftIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    period = fields.String(load_default="", metadata={
        "description": "2026-10, 2026-Q3 or 2026; required for the kinds built from the books"})
    title = fields.String(required=True, validate=validate.Length(min=1, max=100))
    notes = fields.String(load_default="", validate=validate.Length(max=2000))
    annotations = fields.Dict(
        keys=fields.String(validate=validate.Regexp(r"^[0-9]{4}-[0-9]{2}-[0-9]{4,}/[0-9]+$")),
        values=fields.Nested(Annotation), load_default=dict,
        metadata={"description": "Per line (\"voucher number/line number\"): fund source, "
                                 "spending unit and person responsible, which the books lack."})
    body = fields.String(load_default="", validate=validate.Length(max=20000))
    items = fields.List(fields.Nested(Item), load_default=list,
                        validate=validate.Length(max=200))
    attachments = fields.List(fields.Nested(Attachment), load_default=list,
                              validate=validate.Length(max=50))
    supersedes = fields.UUID(load_default=None, metadata={
        "description": "A draft not yet published that this one replaces"})
    corrects = fields.UUID(load_default=None, metadata={
        "description": "A published disclosure that this one corrects"})
    correction_reason = fields.String(load_default="", validate=validate.Length(max=500))


class SignIn(Schema):
    opinion = fields.String(load_default="", validate=validate.Length(max=500),
                            metadata={"example": "经核对，账实相符"})
    line_notes = fields.Dict(keys=fields.String(validate=validate.Regexp(r"^[0-9]+$")),
                             values=fields.String(validate=validate.Length(min=1, max=200)),
                             load_default=dict)


class RefuseIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class PublishIn(Schema):
    posting_from = fields.Date(load_default=None)
    posting_to = fields.Date(load_default=None)


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
    status = fields.String(load_default=None, validate=validate.OneOf(
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
    visible = fields.Boolean(required=True)
    reason = fields.String(load_default="", validate=validate.Length(max=500))


class AnswerIn(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class SettingsIn(Schema):
    disclosure_cadence = fields.String(validate=validate.OneOf(CADENCES))
    review_quorum = fields.Integer(validate=validate.Range(min=0, max=15), metadata={
        "description": "signatures needed; 0 means a majority of the committee"})
    posting_days = fields.Integer(validate=validate.Range(min=5, max=90))
    objection_days = fields.Integer(validate=validate.Range(min=1, max=90))
    answer_days = fields.Integer(validate=validate.Range(min=1, max=60))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class SettingsOut(Schema):
    org = fields.String()
    disclosure_cadence = fields.String()
    review_quorum = fields.Integer()
    posting_days = fields.Integer()
    objection_days = fields.Integer()
    answer_days = fields.Integer()
