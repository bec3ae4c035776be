"""Importing a whole roll from a spreadsheet at the desk: check it first (nothing written),
then import the sheet that passed, without choosing it again. No page ever shows an ID or phone
number in a spreadsheet's problem report.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from flask import request
from werkzeug.datastructures import MultiDict

from api.disclosure.desk_forms import form_key
from api.forms import load_form
from api.idempotency import kept_digest
from api.register.desk_common import typed
from api.register.member_schemas import ImportIn
from api.register.roll_sheets import describe, read_roll
from api.services import services
from ledger.kernel.idempotency import RequestKey
from ledger.kernel.writing import Outcome
from ledger.register import ImportRejected, InvalidMember, Quantification

IMPORT_FIELDS = ("quantified_on", "resolution", "resolution_date", "key")
# A checked sheet up to this size rides in the page to the import (a village's roll is tens of
# kilobytes); a larger one is chosen again.
MAX_CARRIED = 1024 * 1024


@dataclass(frozen=True)
class SheetResult:
    """What an import, or its check, came to: the members it takes, or every problem found."""

    members: int
    outcome: Outcome[Any] | None = None
    rejected: ImportRejected | None = None
    problems: list[dict[str, Any]] = field(default_factory=list)
    # A sheet that passed its check, carried in the page so that 导入 needs no second upload.
    carried: dict[str, str] | None = None


def import_sheet(org: str, check_only: bool, actor: str) -> SheetResult:
    """Reads the uploaded sheet and imports it, or only checks it (nothing written). A refused
    sheet's problems come back as report items {row, column, header, cell, reason}, whose
    reasons never repeat an ID or phone number."""
    content, filename = uploaded_sheet()
    plan = quantification(request.form)
    classes = {c["code"]: c["name_zh"] for c in services().members.share_classes(org)}
    sheet = read_roll(content, filename, classes)
    try:
        outcome = services().ledger.register.import_roll(
            org, rows=sheet.rows, quantification=plan, problems=sheet.problems,
            check_only=check_only, actor=actor,
            request=None if check_only else upload_key(content))
    except ImportRejected as error:
        return SheetResult(len(sheet.rows), rejected=error,
                           problems=describe(error.context.get("rows") or [], sheet.columns))
    carried = None
    if check_only and len(content) <= MAX_CARRIED:
        carried = {"name": filename, "data": base64.b64encode(content).decode()}
    return SheetResult(len(sheet.rows), outcome=None if check_only else outcome,
                       carried=carried)


def quantification(form: MultiDict[str, str]) -> Quantification | None:
    """The initial quantification the sheet's share columns make, if its day is given: read
    by the JSON route's schema (ImportIn), whose file the desk reads itself."""
    data = load_form(ImportIn(only=("quantified_on", "resolution", "resolution_date")), form)
    on = data.get("quantified_on")
    return None if on is None else Quantification(
        on=on, resolution=data["resolution"], resolution_date=data.get("resolution_date"))


def uploaded_sheet() -> tuple[bytes, str]:
    """The file chosen now, or else the one the check before carried in the page. The carried
    one comes back from the browser, so it is read and checked again like any upload."""
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        return upload.read(), upload.filename
    carried, name = request.form.get("checked_file", ""), request.form.get("checked_name", "")
    if carried and name:
        try:
            return base64.b64decode(carried, validate=True), name
        except ValueError:
            pass
    raise InvalidMember("choose a .xlsx or .csv file", field="file")


def upload_key(content: bytes) -> RequestKey | None:
    """The form's key, tied to the file's bytes too: pressing 导入 twice imports once, and a
    different file sent under the same key is refused rather than taken for the first."""
    key = form_key()
    if key is None:
        return None
    digest = kept_digest(f"{key.digest}\n{kept_digest(content)}".encode())
    return replace(key, digest=digest)


def import_defaults() -> dict[str, str]:
    return {**dict.fromkeys(IMPORT_FIELDS, ""), "key": uuid.uuid4().hex}


def import_typed(form: MultiDict[str, str]) -> dict[str, str]:
    """The import form as typed; its key is kept, so that after a check the import that follows
    is the same request, and a double-tapped 导入 imports once."""
    typed_form = typed(form, IMPORT_FIELDS)
    return {**typed_form, "key": typed_form["key"] or uuid.uuid4().hex}
