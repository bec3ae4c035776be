"""Vouchers in spreadsheets through the API: export a range as .xlsx or .csv, a row per line, and
import such a sheet — all or nothing in one write, every problem named by its row and column —
so an accountant moves in from paper or another package, and out again. A sheet already imported
into these books is refused (409, naming when and as which vouchers) unless `again` is sent: its
vouchers' digest, keyed with the server's secret, is kept with the import (sheet_imports.py)."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from flask.views import MethodView
from werkzeug.exceptions import RequestEntityTooLarge

from api.auth import KEEP_BOOKS, READ_BOOKS, actor, rule
from api.books.sheet_schemas import (
    ImportRejectedOut,
    VoucherExportQuery,
    VoucherImportCheckOut,
    VoucherImportIn,
    VoucherImportOut,
)
from api.books.voucher_cells import COLUMNS, describe, export_rows, read_vouchers
from api.common import reading, require_org, written
from api.common_schemas import WriteQuery
from api.errors import error_response
from api.idempotency import kept_digest
from api.register.member_files import FILE_RESPONSE, MEDIA_TYPES, UploadBlueprint
from api.register.member_files import _upload_key as upload_key
from api.services import services
from api.sheets import write_table
from ledger.books import Books, SheetVoucher, VouchersRejected, canonical
from projections.books.queries import Page

MAX_FILE = 16 * 1024 * 1024
UPLOAD_LIMITS = {"voucher_sheets.Import": MAX_FILE + 64 * 1024}
# 借方金额 and 贷方金额: numbers in yuan, exact from fen, shown #,##0.00 in the .xlsx.
AMOUNT_COLUMNS = tuple(i for i, key in enumerate(COLUMNS) if key in ("debit", "credit"))
BATCH = 500  # vouchers read at a time: each page's lines are fetched by one query

blp = UploadBlueprint("voucher_sheets", __name__, url_prefix="/api/v1/orgs/<org>/vouchers",
                      description="Vouchers as .xlsx or .csv, a row per line: export, and "
                                  "import all or nothing.")


@blp.route("/export")
class Export(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(VoucherExportQuery, location="query")
    @blp.doc(responses=FILE_RESPONSE)
    def get(self, query: dict[str, Any], org: str) -> Response:
        """The vouchers of a range of days, a row per line, in the columns the import reads:
        凭证号, 日期, 摘要, 科目编码, 科目名称, 借方金额, 贷方金额, 备注, 往来对象, 凭证类别,
        附件数, 冲销凭证号"""
        fmt = query["format"]
        with reading(query["after"]) as reader:
            require_org(reader, org)
            names = {a["code"]: a["name_zh"] for a in reader.all_accounts(org)}
            rows: list[list[object]] = []
            number = 1
            while True:
                vouchers, total = reader.vouchers(org, Page(number, BATCH),
                                                  start=query["start"], end=query["end"])
                rows += export_rows(vouchers, names)
                if number * BATCH >= total:
                    break
                number += 1
        span = "-".join(day.isoformat() for day in (query["start"], query["end"]) if day)
        data = write_table([names[0] for names in COLUMNS.values()], rows, fmt, "记账凭证",
                           amount_columns=AMOUNT_COLUMNS)
        charset = "; charset=utf-8" if fmt == "csv" else ""
        response = Response(data, content_type=MEDIA_TYPES[fmt] + charset)
        filename = f"{org}-vouchers{'-' + span if span else ''}.{fmt}"
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


@blp.route("/import")
class Import(MethodView):
    @rule(KEEP_BOOKS)
    @blp.arguments(VoucherImportIn, location="multipart")
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, VoucherImportOut)
    @blp.alt_response(200, schema=VoucherImportCheckOut, description="check_only: nothing "
                      "written.")
    @blp.alt_response(422, schema=ImportRejectedOut, description="Nothing imported: one item "
                      "per problem, with its row, column, header and cell.")
    def post(self, data: dict[str, Any], wait: bool, org: str) -> Any:
        """Import vouchers from a spreadsheet, a row per line: all or nothing, in one write;
        numbered by the books in date order. The same sheet (the same vouchers, whatever the
        file) imported before is refused with 409 sheet_already_imported, whose context names
        when (imported_at), by whom and as which vouchers; again=true imports it once more"""
        upload = data["file"]
        content = upload.read(MAX_FILE + 1)
        if len(content) > MAX_FILE:
            raise RequestEntityTooLarge("the file is larger than 16 MB")
        books = services().ledger.books
        books.of(org)  # an unknown village is a 404 before its sheet is read
        sheet = read_vouchers(content, upload.filename or "")
        lines = sum(len(v.draft.lines) for v in sheet.vouchers)
        try:
            outcome = books.import_vouchers(
                org, sheet.vouchers, problems=sheet.problems, check_only=data["check_only"],
                actor=actor(), request=None if data["check_only"] else upload_key(content),
                digest=sheet_digest(sheet.vouchers), again=data["again"])
        except VouchersRejected as error:
            items = describe(error.context.get("rows") or [], sheet.columns)
            errors = [{"field": item["header"] or item["column"] or None, **item}
                      for item in items] or [{"field": None, "row": 0, "column": "",
                                              "header": "", "cell": "", "reason": error.message}]
            return error_response(422, error.code, error.message, errors)
        if isinstance(outcome, Books):
            return jsonify(VoucherImportCheckOut().dump(
                {"ok": True, "vouchers": len(sheet.vouchers), "lines": lines, "problems": []}))
        return written(outcome, {"vouchers": len(sheet.vouchers), "lines": lines}, 201, wait)


def sheet_digest(vouchers: list[SheetVoucher]) -> str:
    """What tells this sheet from others, kept for ever: keyed, since a sheet holds names."""
    return kept_digest(canonical(vouchers)) if vouchers else ""
