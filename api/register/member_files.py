"""The roll in spreadsheets: import a whole roll (and its initial shares) from .xlsx or .csv, all
or nothing, every problem named by its row and column; download the template, the roll and the
share register. An export shows ID and phone numbers exactly as the caller may read them.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

from flask import Response, jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from api.arguments import ReusingParser
from api.auth import KEEP_BOOKS, READ_BOOKS, actor, rule
from api.common import written
from api.common_schemas import WriteQuery
from api.errors import error_response
from api.idempotency import kept_digest, request_key
from api.register.member_schemas import (
    DatedFileQuery,
    FileQuery,
    ImportCheckOut,
    ImportIn,
    ImportOut,
    ImportRejectedOut,
)
from api.register.members import register_reading
from api.register.personal_data import personal
from api.register.roll_cells import BASES, COLUMNS
from api.register.roll_sheets import describe, read_roll, roll_template
from api.services import services
from api.sheets import write_table
from ledger.kernel.idempotency import RequestKey
from ledger.register import ImportRejected, Quantification
from projections.books.queries import Page
from projections.register.queries import RegisterReader

MAX_FILE = 5 * 1024 * 1024
# The whole request may be a little larger than its file: the form's boundaries and fields.
# The roll's sheet may be larger than other requests, through the API and the desk's form alike.
UPLOAD_LIMITS = {"member_files.Import": MAX_FILE + 64 * 1024,
                 "desk_members.import_roll": MAX_FILE + 64 * 1024}
MEDIA_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "csv": "text/csv"}
WHOLE = Page(1, 1_000_000)
SEX_ZH = {"male": "男", "female": "女"}
BASIS_ZH = {code: name for name, code in BASES.items()}
HOLDER_ZH = {"org": "集体", "household": "户", "member": "成员", "outside": "外部持有人"}


class MultipartParser(ReusingParser):
    """Reads a multipart form's file and its text fields as one body."""

    __location_map__ = {**FlaskParser.__location_map__, "multipart": "load_multipart"}  # noqa: RUF012

    def load_multipart(self, req: Any, schema: Any) -> Any:
        return self._makeproxy(CombinedMultiDict([req.files, req.form]), schema)


class UploadBlueprint(Blueprint):
    ARGUMENTS_PARSER = MultipartParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {  # noqa: RUF012
        **Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING, "multipart": "multipart/form-data"}


blp = UploadBlueprint("member_files", __name__, url_prefix="/api/v1/orgs/<org>",
                      description="The roll and the share register as .xlsx or .csv: import, "
                                  "template, exports.")

_BINARY = {"schema": {"type": "string", "format": "binary"}}
FILE_RESPONSE = {"200": {"description": "The sheet, as an attachment named with the "
                                        "organization and the day.",
                         "content": {media: _BINARY for media in MEDIA_TYPES.values()}}}


def _file(data: bytes, fmt: str, name: str) -> Response:
    # Our CSV is UTF-8 with a BOM, which is what Excel needs to open it as such.
    charset = "; charset=utf-8" if fmt == "csv" else ""
    response = Response(data, content_type=MEDIA_TYPES[fmt] + charset)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _upload_key(content: bytes) -> RequestKey | None:
    """The body is a file, not JSON: a retry is the same request only with the same bytes and
    the same form fields."""
    key = request_key()
    if key is None:
        return None
    form = json.dumps(sorted(request.form.items(multi=True)), ensure_ascii=False)
    digest = kept_digest(f"{key.digest}\n{kept_digest(content)}\n{form}".encode())
    return replace(key, digest=digest)


def _rejected(error: ImportRejected, columns: dict[str, tuple[str, str]]) -> Response:
    items = describe(error.context.get("rows") or [], columns)
    errors = [{"field": item["header"] or item["column"] or None, **item} for item in items]
    if not errors:
        errors = [{"field": None, "row": 0, "column": "", "header": "", "cell": "",
                   "reason": error.message}]
    return error_response(422, error.code, error.message, errors)


@blp.route("/members/import")
class Import(MethodView):
    @rule(KEEP_BOOKS)
    @blp.arguments(ImportIn, location="multipart")
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, ImportOut)
    @blp.alt_response(200, schema=ImportCheckOut, description="check_only: nothing written.")
    @blp.alt_response(422, schema=ImportRejectedOut, description="Nothing imported: one item "
                      "per problem, with its row, column, header and cell.")
    def post(self, data: dict[str, Any], wait: bool, org: str) -> Any:
        """Import the roll, and with quantified_on its initial shares, from a spreadsheet: all
        or nothing, in one write"""
        upload = data["file"]
        content = upload.read(MAX_FILE + 1)
        if len(content) > MAX_FILE:
            raise RequestEntityTooLarge("the file is larger than 5 MB")
        ledger = services().ledger
        ledger.books.organization(org)
        classes = {code: c.name_zh for code,
                   c in ledger.register.share_register(org).classes.items()}
        sheet = read_roll(content, upload.filename or "", classes)
        plan = None if data.get("quantified_on") is None else Quantification(
            on=data["quantified_on"], resolution=data["resolution"],
            resolution_date=data.get("resolution_date"), reserve=data["reserve"])
        try:
            outcome = ledger.register.import_roll(
                org, rows=sheet.rows, quantification=plan, problems=sheet.problems,
                check_only=data["check_only"], actor=actor(),
                request=None if data["check_only"] else _upload_key(content))
        except ImportRejected as error:
            return _rejected(error, sheet.columns)
        if data["check_only"]:
            return jsonify(ImportCheckOut().dump(
                {"ok": True, "members": len(sheet.rows), "problems": []}))
        allocations = sum(1 for row in sheet.rows for q in row.shares.values() if q)
        return written(outcome, {
            "members": len(sheet.rows),
            "households": len({row.household for row in sheet.rows if row.household}),
            "allocations": allocations + len(data["reserve"]) if plan else 0}, 201, wait)


@blp.route("/members/template")
class Template(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(FileQuery, location="query")
    @blp.doc(responses=FILE_RESPONSE)
    def get(self, query: dict[str, Any], org: str) -> Response:
        """The roll's columns, one per share class, and an example row to overwrite"""
        with register_reading(query["after"], org) as reader:
            classes = {c["code"]: c["name_zh"] for c in reader.share_classes(org)}
        return _file(roll_template(classes, query["format"]), query["format"],
                     f"{org}-members-template")


@blp.route("/members/export")
class RollExport(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(DatedFileQuery, location="query")
    @blp.doc(responses=FILE_RESPONSE)
    def get(self, query: dict[str, Any], org: str) -> Response:
        """The members on a day (today by default) in the template's columns, so the sheet
        imports again; ID and phone numbers as the caller may see them"""
        on: date = query["on"] or services().ledger.clock()
        with register_reading(query["after"], org) as reader:
            lines = _roll_lines(reader, org, on)
        return _file(write_table([names[0] for names in COLUMNS.values()], lines,
                                 query["format"], "成员名册"),
                     query["format"], f"{org}-members-{on.isoformat()}")


@blp.route("/shares/export")
class SharesExport(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(DatedFileQuery, location="query")
    @blp.doc(responses=FILE_RESPONSE)
    def get(self, query: dict[str, Any], org: str) -> Response:
        """The share register on a day (today by default): each holder's shares by class,
        total and part of all shares, and the totals"""
        on: date = query["on"] or services().ledger.clock()
        with register_reading(query["after"], org) as reader:
            register = reader.register(org, on=on)
        codes = [c["code"] for c in register["classes"]]
        headers = ["持有人", "类别", "名称", "表决权",
                   *(c["name_zh"] for c in register["classes"]), "合计", "占比(%)"]
        lines: list[list[object]] = [
            [h["holder"], HOLDER_ZH.get(h["kind"], h["kind"]), h["name"],
             "是" if h["votes"] else "否", *(h["by_class"].get(code, 0) for code in codes),
             h["total"], h["percent"]] for h in register["holders"]]
        lines.append(["合计", "", "", "", *(register["totals"].get(code, 0) for code in codes),
                      register["grand_total"], "100.00" if register["grand_total"] else ""])
        return _file(write_table(headers, lines, query["format"], "股权登记簿"),
                     query["format"], f"{org}-shares-{on.isoformat()}")


def _roll_lines(reader: RegisterReader, org: str, on: date) -> list[list[object]]:
    households, _ = reader.households(org, page=WHOLE, on=on)
    address = {h["number"]: h["address"] for h in households}
    members, _ = reader.roll(org, page=WHOLE, on=on)
    lines = []
    for m in members:
        shown = personal(org, m)
        cells: dict[str, object] = {
            "household": m["household"], "address": address.get(m["household"], ""),
            "head": "是" if m["head"] else "否", "number": m["number"], "name": m["name"],
            "sex": SEX_ZH.get(m["sex"], m["sex"]), "born": _day(m["born"]),
            "id_number": shown["id_number"], "phone": shown["phone"],
            "basis": BASIS_ZH.get(m["basis"], m["basis"]),
            "confirmed_on": _day(m["confirmed_on"]), "resolution": m["resolution"],
            "resolution_date": _day(m["resolution_date"])}
        lines.append([cells[key] for key in COLUMNS])
    return lines


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None
