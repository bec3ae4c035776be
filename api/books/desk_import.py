"""Importing vouchers from a spreadsheet at the desk (/desk/{org}/vouchers/import): check the sheet
first (nothing written), then import the sheet that passed without choosing it again — all or
nothing, as the API's import (api/books/voucher_sheets.py), whose reading of the sheet it shares.
Rule: every problem is named by row, column and cell in the reader's language (import_words.py);
a sheet already imported into these books is said so, with when and as which vouchers, and is
imported again only when the accountant ticks 确定再导入一次.
"""

from __future__ import annotations

import base64
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from flask import request
from werkzeug.datastructures import MultiDict

from api.books.import_words import reason_of
from api.books.voucher_cells import describe, read_vouchers
from api.books.voucher_sheets import sheet_digest
from api.register.desk_import import MAX_CARRIED, upload_key, uploaded_sheet
from api.services import services
from ledger.books import SheetAlreadyImported, VouchersRejected
from ledger.kernel.writing import Outcome


@dataclass(frozen=True)
class ImportResult:
    """What an import, or its check, came to: the vouchers it takes, or every problem found, or
    the earlier import of the same sheet."""

    vouchers: int
    lines: int = 0
    first_month: str = ""
    outcome: Outcome[Any] | None = None
    rejected: VouchersRejected | None = None
    problems: list[dict[str, Any]] = field(default_factory=list)
    imported_before: dict[str, Any] | None = None
    # A sheet that passed its check, carried in the page so that 导入 needs no second upload.
    carried: dict[str, str] | None = None


def import_vouchers(org: str, check_only: bool, again: bool, actor: str) -> ImportResult:
    """Reads the uploaded (or carried) sheet and imports it, or only checks it."""
    content, filename = uploaded_sheet()
    sheet = read_vouchers(content, filename)
    lines = sum(len(v.draft.lines) for v in sheet.vouchers)
    first = min((v.draft.date for v in sheet.vouchers), default=None)
    carried = {"name": filename, "data": base64.b64encode(content).decode()} \
        if len(content) <= MAX_CARRIED else None
    counted = {"vouchers": len(sheet.vouchers), "lines": lines,
               "first_month": first.strftime("%Y-%m") if first else ""}
    try:
        outcome = services().ledger.books.import_vouchers(
            org, sheet.vouchers, problems=sheet.problems, check_only=check_only, actor=actor,
            request=None if check_only else upload_key(content),
            digest=sheet_digest(sheet.vouchers), again=again)
    except VouchersRejected as error:
        rows = error.context.get("rows") or [{"row": 0, "column": "", "reason": error.message}]
        worded = [{**row, "reason": reason_of(row)} for row in rows]
        return ImportResult(**counted, rejected=error, problems=describe(worded, sheet.columns))
    except SheetAlreadyImported as error:
        return ImportResult(**counted, imported_before=dict(error.context), carried=carried)
    if check_only:
        return ImportResult(**counted, carried=carried)
    return ImportResult(**counted, outcome=outcome)


def import_defaults() -> dict[str, str]:
    return {"key": uuid.uuid4().hex, "again": ""}


def import_typed(form: MultiDict[str, str]) -> dict[str, str]:
    """The form as sent; its key is kept, so that the import after a check is the same request
    and a double-tapped 导入 imports once."""
    key = form.get("key", "")
    return {"key": key if re.fullmatch(r"[0-9a-f]{32}", key) else uuid.uuid4().hex,
            "again": "1" if form.get("again") == "1" else ""}


def checked_file() -> dict[str, str] | None:
    """The sheet carried by the page before, to carry on should this answer refuse it."""
    data, name = request.form.get("checked_file", ""), request.form.get("checked_name", "")
    return {"name": name, "data": data} if data and name else None
