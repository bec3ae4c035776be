"""The vouchers' spreadsheet on the wire: the export's query, the import's form and its answers.
The refusal reuses the roll import's shape, one item per problem with its row, column and cell."""

from __future__ import annotations

from typing import Any

from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from api.common_schemas import ReadQuery
from api.fields import DayIn, Text
from api.register.member_schemas import FORMATS, ImportRejectedOut

__all__ = ["ImportRejectedOut", "VoucherExportQuery", "VoucherImportCheckOut",
           "VoucherImportIn", "VoucherImportOut"]


class VoucherExportQuery(ReadQuery):
    start = DayIn(load_default=None, data_key="from", metadata={
        "description": "The first day; by default the day the books start."})
    end = DayIn(load_default=None, data_key="to", metadata={
        "description": "The last day; by default every voucher posted."})
    format = Text(load_default="xlsx", validate=validate.OneOf(FORMATS))

    @validates_schema
    def in_order(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ValidationError("must not be before from", "to")


class VoucherImportIn(Schema):
    file = Upload(required=True, metadata={
        "description": "Vouchers as .xlsx or .csv (UTF-8 or GB18030), at most 16 MB, a row per "
                       "line in the columns of GET vouchers/export: 凭证号 (the sheet's own "
                       "number, grouping a voucher's lines; the books give theirs), 日期, 摘要, "
                       "科目编码, 科目名称 (for reading only), 借方金额, 贷方金额, 备注, 往来对象 "
                       "(member:0012), 凭证类别 (记账, 期初 or 冲销), 附件数, 冲销凭证号. A "
                       "later line's own 摘要 becomes its 备注."})
    check_only = fields.Boolean(load_default=False, metadata={
        "description": "Apply every rule and report every problem, but write nothing."})
    again = fields.Boolean(load_default=False, metadata={
        "description": "Import the sheet although the same sheet was imported into these "
                       "books before (otherwise 409)."})


class VoucherImportOut(Schema):
    vouchers = fields.Integer(metadata={"description": "Vouchers posted."})
    lines = fields.Integer(metadata={"description": "Lines posted."})


class VoucherImportCheckOut(Schema):
    ok = fields.Boolean()
    vouchers = fields.Integer(metadata={"description": "Vouchers the sheet would post."})
    lines = fields.Integer()
    problems = fields.List(fields.Dict())
