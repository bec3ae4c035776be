"""The member roll (成员名册) and its households (户) on the wire, and the spreadsheet import and
exports. An ID-card or phone number is answered whole only to the accountant and the auditor, and
masked for every other reader; `id_number_masked` says which, and the sealed form never leaves.
"""

from __future__ import annotations

import json
from typing import Any

from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from api.common_schemas import PageQuery, ReadQuery, page_of
from api.fields import DayIn, Flag, Text
from api.spending.schemas import Day, text_field
from ledger.register import CONFIRM_BASES, END_BASES, NOT_ENDING, SEXES
from projections.register.queries import STATUSES

MEMBER_NUMBER = validate.Length(min=1, max=20)
CONFIRM_BASIS = sorted({basis for bases in CONFIRM_BASES.values() for basis in bases})
END_BASIS = sorted({basis for bases in END_BASES.values() for basis in bases})
FORMATS = ("xlsx", "csv")


def personal_number(what: str, example: str) -> fields.String:
    return fields.String(metadata={
        "description": f"{what}: whole for the accountant and the auditor, masked ({example}) "
                       "for every other reader; see id_number_masked.", "example": example})


MASKED = fields.Boolean(metadata={
    "description": "true: id_number and phone are masked, as every reader but the accountant "
                   "and the auditor sees them; false: they are whole."})


def as_of() -> fields.Date:
    return DayIn(load_default=None, data_key="date", metadata={
        "description": "As it stood at the end of this day; by default after every change "
                       "recorded, later-dated ones included."})


class DateQuery(ReadQuery):
    on = as_of()


class DatedPageQuery(PageQuery):
    on = as_of()


class MemberQuery(DatedPageQuery):
    household = Text(load_default=None, validate=MEMBER_NUMBER, metadata={
        "description": "Only the members of this household (户号) on the day."})
    status = Text(load_default="active", validate=validate.OneOf(STATUSES), metadata={
        "description": "active (members on the day), ended (no longer), or all."})
    q = Text(load_default=None, validate=validate.Length(min=1, max=50), metadata={
        "description": "Part of a name or a member number."})


class MemberIn(Schema):
    number = Text(load_default="", validate=validate.Length(max=20), metadata={
        "description": "The member number (成员编号); the roll's next one when left out.",
        "example": "0007"})
    name = text_field(1, 50, example="张小红")
    sex = Text(required=True, validate=validate.OneOf(SEXES))
    born = DayIn(required=True, metadata={"example": "2026-03-01"})
    household = Text(load_default="", validate=validate.Length(max=20), metadata={
        "description": "The household (户号); required in a village, optional in a "
                       "cooperative.", "example": "001"})
    head = Flag(load_default=False, metadata={
        "description": "The head of the household (户主), if it has none."})
    id_number = Text(load_default="", validate=validate.Length(max=30), metadata={
        "description": "The 18-character resident ID number; checked against the birth date "
                       "and sex, and sealed before it is stored."})
    phone = Text(load_default="", validate=validate.Length(max=30))
    confirmed_on = DayIn(required=True, metadata={
        "description": "The day membership begins.", "example": "2026-03-01"})
    basis = Text(required=True, validate=validate.OneOf(CONFIRM_BASIS), metadata={
        "description": "A village: birth, marriage_in, adoption, policy_migration or original; "
                       "a cooperative: admitted."})
    resolution = text_field(0, 50, description="The members' meeting resolution (决议文号); "
                            "required for every basis but birth and admission.")
    resolution_date = DayIn(load_default=None)


class EndingIn(Schema):
    ended_on = DayIn(required=True, metadata={"example": "2026-08-15"})
    basis = Text(required=True, validate=validate.Length(min=1, max=40), metadata={
        "description": f"A village: {', '.join(END_BASES['village_collective'])}; a "
                       f"cooperative: {', '.join(END_BASES['farmers_cooperative'])}. "
                       f"{', '.join(NOT_ENDING)} never end membership (Art. 18) and are "
                       "refused with the law's words.", "example": "death"})
    document = text_field(0, 100, description="The written application (退社/自愿退出申请) a "
                          "voluntary exit rests on; a certificate's number otherwise.")
    resolution = text_field(0, 50)
    resolution_date = DayIn(load_default=None)


class MoveIn(Schema):
    household = Text(required=True, validate=MEMBER_NUMBER, metadata={
        "example": "004"})
    on = DayIn(required=True, metadata={"example": "2026-05-01"})
    reason = text_field(1, 100, example="分户")
    head = Flag(load_default=False, metadata={
        "description": "Heads the household moved to, if it has no head."})


class CorrectionIn(Schema):
    name = Text(load_default=None, validate=validate.Length(min=1, max=50))
    sex = Text(load_default=None, validate=validate.OneOf(SEXES))
    born = DayIn(load_default=None)
    id_number = Text(load_default=None, validate=validate.Length(max=30), metadata={
        "description": "The corrected number; empty to remove it."})
    phone = Text(load_default=None, validate=validate.Length(max=30))
    reason = text_field(1, 200, multiline=True, example="身份证号录入错误")


class MemberOut(Schema):
    number = fields.String(metadata={"example": "0001"})
    name = fields.String(metadata={"example": "张大山"})
    sex = fields.String(metadata={"enum": list(SEXES)})
    born = Day()
    household = fields.String(metadata={"description": "The household on the day."})
    head = fields.Boolean(metadata={"description": "Head of that household on the day."})
    basis = fields.String()
    confirmed_on = Day()
    resolution = fields.String()
    resolution_date = Day(allow_none=True)
    ended_on = Day(allow_none=True)
    ended_basis = fields.String()
    document = fields.String()
    active = fields.Boolean(metadata={"description": "A member on the day."})
    id_number = personal_number("The ID-card number", "3301**********0133")
    phone = personal_number("The phone number", "138****1111")
    id_number_masked = MASKED
    history = fields.List(fields.Dict(), metadata={
        "description": "Every change by its date: confirmed, moved, head, corrected (which "
                       "fields, never their values), ended. Read back only (GET)."})


class HouseholdIn(Schema):
    number = Text(required=True, validate=MEMBER_NUMBER, metadata={
        "description": "The household number (户号).", "example": "004"})
    registered_on = DayIn(required=True, metadata={"example": "2026-05-01"})
    address = text_field(0, 100, example="东村一组")


class HeadIn(Schema):
    head = Text(required=True, validate=MEMBER_NUMBER, metadata={
        "description": "A member of the household.", "example": "0002"})
    on = DayIn(required=True)


class HouseholdMember(Schema):
    number = fields.String()
    name = fields.String()
    head = fields.Boolean()


class HouseholdOut(Schema):
    number = fields.String(metadata={"example": "001"})
    address = fields.String()
    registered_on = Day()
    head = fields.String(metadata={"description": "The head's member number; empty if none."})
    head_name = fields.String()
    members = fields.List(fields.Nested(HouseholdMember), metadata={
        "description": "The members in the household on the day."})
    member_count = fields.Integer()


# -- the spreadsheet --------------------------------------------------------------------------

class Reserve(fields.Field):
    """{class code: shares} held by the organization, sent as JSON text in a form field."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dict:
        try:
            found = json.loads(value) if isinstance(value, str) else value
        except (ValueError, RecursionError):  # nested too deeply is not JSON we can read either
            raise ValidationError('JSON such as {"population": 40}') from None
        if not isinstance(found, dict) or not all(
                isinstance(k, str) and type(v) is int and v > 0 for k, v in found.items()):
            raise ValidationError('{"class code": a whole number of shares above zero}')
        return found


class ImportIn(Schema):
    file = Upload(required=True, metadata={
        "description": "The roll as .xlsx or .csv (UTF-8 or GB18030), at most 5 MB: one row "
                       "per member, the columns of GET members/template."})
    # A form has no null: a day not given is a part not sent (so no load_default of None here).
    quantified_on = DayIn(metadata={
        "description": "With the share columns: the day of the initial quantification."})
    resolution = Text(load_default="", validate=validate.Length(max=50), metadata={
        "description": "The quantification's resolution (股改决议文号)."})
    resolution_date = DayIn()
    reserve = Reserve(load_default=dict, metadata={
        "type": "object", "additionalProperties": {"type": "integer", "minimum": 1},
        "example": {"population": 40, "collective": 60},
        "description": "JSON text: the shares the organization holds, by class (集体股, the "
                       "reserve)."})
    check_only = fields.Boolean(load_default=False, metadata={
        "description": "Apply every rule and report every problem, but write nothing."})

    @validates_schema
    def quantified_with_its_day(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("quantified_on") is None and (
                data.get("reserve") or data.get("resolution") or data.get("resolution_date")):
            raise ValidationError("the quantification's resolution and reserve come with its "
                                  "day", "quantified_on")


class ImportOut(Schema):
    members = fields.Integer(metadata={"description": "Members confirmed."})
    households = fields.Integer(metadata={"description": "Households the sheet names."})
    allocations = fields.Integer(metadata={"description": "Holdings quantified."})


class ImportCheckOut(Schema):
    ok = fields.Boolean()
    members = fields.Integer(metadata={"description": "Members the sheet would confirm."})
    problems = fields.List(fields.Dict())


class SheetProblem(Schema):
    field = fields.String(allow_none=True, metadata={"description": "The header as written."})
    row = fields.Integer(metadata={"description": "The sheet's row; 0 for the whole import."})
    column = fields.String(metadata={"description": "The column's key (id_number, "
                                                    "share:population …) or letter."})
    header = fields.String()
    cell = fields.String(metadata={"example": "G4"})
    reason = fields.String(metadata={"description": "Never quotes an ID or phone number."})


class ImportRejectedBody(Schema):
    status = fields.Integer(metadata={"example": 422})
    code = fields.String(metadata={"example": "import_rejected"})
    message = fields.String()
    errors = fields.List(fields.Nested(SheetProblem))
    request_id = fields.String()


class ImportRejectedOut(Schema):
    error = fields.Nested(ImportRejectedBody)


class FileQuery(ReadQuery):
    format = Text(load_default="xlsx", validate=validate.OneOf(FORMATS))


class DatedFileQuery(FileQuery):
    on = as_of()


MemberPage = page_of(MemberOut, "MemberPage")
HouseholdPage = page_of(HouseholdOut, "HouseholdPage")
