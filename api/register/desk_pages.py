"""The member roll (成员名册) and the share register (股权登记簿) as the desk shows them: the roll
and the shares as they stood on a day, one member's history, and the forms that confirm, end,
move and correct members, make one head of their household, or import a whole roll from a
spreadsheet. Rules as in desk_forms: turn typed text into one ledger command's arguments,
refusing only what could not be asked at all; the ledger decides. ID and phone numbers are
opened only for a viewer whose roles may see them (`may_see`: the accountant, the auditor);
everyone else reads the masked form, no form is ever filled in with one, and no page ever shows
an ID or phone number in a spreadsheet's problem report.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import groupby
from typing import Any

from flask import request
from werkzeug.datastructures import MultiDict

from api.auth import principal
from api.common import require_org
from api.disclosure.desk_forms import form_key
from api.i18n import lazy_gettext
from api.idempotency import kept_digest
from api.register.personal_data import member_out
from api.register.roll_sheets import describe, read_roll
from api.services import services
from ledger.kernel.idempotency import RequestKey
from ledger.kernel.personal import may_see
from ledger.kernel.writing import Outcome
from ledger.register import (
    CONFIRM_BASES,
    END_BASES,
    NEEDS_RESOLUTION,
    ImportRejected,
    InvalidMember,
    MemberNotFound,
    Quantification,
)
from projections.books.queries import Page

PER_PAGE = 200  # a page of the roll: a village's households fit on a few
RECENT_MOVEMENTS = 20
WHOLE = Page(1, 10_000)  # households, for the pickers: a village has hundreds at most
STATUSES = ("active", "ended", "all")
MAX_QUERY = 50
# A checked sheet up to this size rides in the page to the import (a village's roll is tens of
# kilobytes); a larger one is chosen again.
MAX_CARRIED = 1024 * 1024

SEX_LABELS = {"male": lazy_gettext("Male"), "female": lazy_gettext("Female")}
BASIS_LABELS = {
    "birth": lazy_gettext("Birth"),
    "marriage_in": lazy_gettext("Marriage into the collective"),
    "adoption": lazy_gettext("Adoption"),
    "policy_migration": lazy_gettext("Moved in by policy"),
    "original": lazy_gettext("Original confirmation"),
    "admitted": lazy_gettext("Admitted"),
}
END_LABELS = {
    "death": lazy_gettext("Death"),
    "lost_nationality": lazy_gettext("Lost Chinese nationality"),
    "joined_other_collective": lazy_gettext("Became a member of another collective"),
    "civil_servant": lazy_gettext("Became a civil servant (not one on contract)"),
    "voluntary_exit": lazy_gettext("Left of their own will, by written application"),
    "exit": lazy_gettext("Left the cooperative"),
    "expelled": lazy_gettext("Expelled"),
}
STATUS_LABELS = {"active": lazy_gettext("Members"),
                 "ended": lazy_gettext("No longer members"), "all": lazy_gettext("Everyone")}
CHANGE_LABELS = {
    "confirmed": lazy_gettext("Confirmed as a member"),
    "moved": lazy_gettext("Moved household"),
    "head": lazy_gettext("Became head of household"),
    "ended": lazy_gettext("Membership ended"),
    "corrected": lazy_gettext("Details corrected"),
}
HOLDER_LABELS = {"household": lazy_gettext("Household"), "member": lazy_gettext("Member"),
                 "outside": lazy_gettext("Outside holder"),
                 "org": lazy_gettext("Collective")}
HOLDING_LABELS = {"household": lazy_gettext("Held by households"),
                  "person": lazy_gettext("Held by members")}
MOVEMENT_LABELS = {
    "transfer": lazy_gettext("Transfer"),
    "inheritance": lazy_gettext("Inheritance"),
    "buy_back": lazy_gettext("Bought back"),
    "allocation": lazy_gettext("Allocated"),
    "return": lazy_gettext("Returned to the collective"),
}
# Named in the summary atop a refused form, and in the list of corrected fields.
FIELD_LABELS = {
    "household": lazy_gettext("Household no."),
    "head": lazy_gettext("Head of household"),
    "name": lazy_gettext("Name"),
    "sex": lazy_gettext("Sex"),
    "born": lazy_gettext("Date of birth"),
    "basis": lazy_gettext("Basis"),
    "confirmed_on": lazy_gettext("Date confirmed"),
    "registered_on": lazy_gettext("Date registered"),
    "address": lazy_gettext("Address"),
    "number": lazy_gettext("Member no."),
    "id_number": lazy_gettext("ID card no."),
    "id_sealed": lazy_gettext("ID card no."),
    "phone": lazy_gettext("Phone"),
    "phone_sealed": lazy_gettext("Phone"),
    "resolution": lazy_gettext("Resolution no."),
    "resolution_date": lazy_gettext("Date of the resolution"),
    "ended_on": lazy_gettext("Date membership ended"),
    "document": lazy_gettext("Supporting document"),
    "on": lazy_gettext("Date of the move"),
    "reason": lazy_gettext("Why"),
    "file": lazy_gettext("Spreadsheet file"),
    "quantified_on": lazy_gettext("Date the shares were quantified"),
    "date": lazy_gettext("Date"),
    "changes": lazy_gettext("Details to correct"),
}
NOTICES = {
    "confirmed": lazy_gettext("The member was confirmed."),
    "ended": lazy_gettext("The end of membership was recorded."),
    "moved": lazy_gettext("The move to the other household was recorded."),
    "household": lazy_gettext("The household was registered. Now confirm its members."),
    "imported": lazy_gettext("The roll was imported."),
    "corrected": lazy_gettext("The correction was recorded."),
    "head": lazy_gettext("The member was recorded as head of the household."),
}
CONFIRM_FIELDS = ("household", "head", "name", "sex", "born", "basis", "confirmed_on",
                  "id_number", "phone", "resolution", "resolution_date", "number", "key")
HOUSEHOLD_FIELDS = ("number", "registered_on", "address", "key")
IMPORT_FIELDS = ("quantified_on", "resolution", "resolution_date", "key")


def labels() -> dict[str, Any]:
    """What every page of the roll and the register may use."""
    return {"sex_labels": SEX_LABELS, "basis_labels": BASIS_LABELS, "end_labels": END_LABELS,
            "status_labels": STATUS_LABELS, "change_labels": CHANGE_LABELS,
            "holder_labels": HOLDER_LABELS, "holding_labels": HOLDING_LABELS,
            "movement_labels": MOVEMENT_LABELS, "field_labels": FIELD_LABELS}


def notice() -> str:
    return str(NOTICES.get(request.args.get("done", ""), ""))


def today() -> date:
    return services().ledger.clock()


# -- typed text → values ---------------------------------------------------------------------------

def day(text: str, field_name: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidMember("a date such as 2026-11-22", field=field_name) from None


def optional_day(text: str, field_name: str) -> date | None:
    return day(text, field_name) if text.strip() else None


def asked_day() -> date:
    """The `date` of the address: the day the page shows; today when not given."""
    text = request.args.get("date", "").strip()
    return day(text, "date") if text else today()


def typed(form: MultiDict[str, str], names: tuple[str, ...]) -> dict[str, str]:
    return {name: form.get(name, "").strip() for name in names}


def confirm_defaults(org: str) -> dict[str, str]:
    """A new member: confirmed today on the first basis of the organization's kind (a birth,
    in a village), with a fresh idempotency key; a household just registered comes from the
    address."""
    kind = roll_kind(org)
    return {**dict.fromkeys(CONFIRM_FIELDS, ""), "confirmed_on": today().isoformat(),
            "basis": CONFIRM_BASES[kind][0], "household": request.args.get("household", "")[:20],
            "key": uuid.uuid4().hex}


def confirm_args(form: dict[str, str]) -> dict[str, Any]:
    """The arguments of `confirm_member` (without actor and key) from the typed form."""
    return {"household": form["household"], "head": form["head"] == "1", "name": form["name"],
            "sex": form["sex"], "born": day(form["born"], "born"),
            "on": day(form["confirmed_on"], "confirmed_on"), "basis": form["basis"],
            "number": form["number"], "id_number": form["id_number"], "phone": form["phone"],
            "resolution": form["resolution"],
            "resolution_date": optional_day(form["resolution_date"], "resolution_date")}


def household_args(form: MultiDict[str, str]) -> dict[str, Any]:
    return {"number": form.get("number", "").strip(),
            "on": day(form.get("registered_on", ""), "registered_on"),
            "address": form.get("address", "").strip()}


def end_args(form: MultiDict[str, str]) -> dict[str, Any]:
    """The arguments of `end_membership` (without the member, actor and key)."""
    return {"on": day(form.get("ended_on", ""), "ended_on"), "basis": form.get("basis", ""),
            "document": form.get("document", "").strip(),
            "resolution": form.get("resolution", "").strip(),
            "resolution_date": optional_day(form.get("resolution_date", ""), "resolution_date")}


def move_args(form: MultiDict[str, str]) -> dict[str, Any]:
    """The arguments of `move_member` (without the member, actor and key)."""
    return {"household": form.get("household", "").strip(), "on": day(form.get("on", ""), "on"),
            "reason": form.get("reason", "").strip(), "head": form.get("head") == "1"}


def correct_args(form: MultiDict[str, str]) -> dict[str, Any]:
    """The arguments of `correct_member_as_typed` (without the member, actor and key): the
    form as typed; which details it changes is the register's to work out."""
    return {"reason": form.get("reason", "").strip(), "name": form.get("name", ""),
            "sex": form.get("sex", ""), "born": optional_day(form.get("born", ""), "born"),
            "id_number": form.get("id_number", ""), "phone": form.get("phone", "")}


def head_args(form: MultiDict[str, str]) -> dict[str, Any]:
    """The arguments of `make_household_head` (without the member, actor and key): the day.
    The household is the one the roll has the member in now, never one sent by the browser."""
    return {"on": day(form.get("on", ""), "on")}


# -- what the pages show ---------------------------------------------------------------------------

def roll_kind(org: str) -> str:
    """The roll's kind of organization: which bases confirm and end membership there."""
    return str(org_row(org)["kind"])


def org_row(org: str) -> dict[str, Any]:
    """The organization as the books read model has it (its names, its kind)."""
    with services().queries.read() as reader:
        return require_org(reader, org)


def roll_view(org: str) -> dict[str, Any]:
    """The roll on a day, by household (heads marked), searched by name or number, with the
    counts of members, former members and households on that day."""
    on = asked_day()
    organization = org_row(org)
    status = request.args.get("status", "")
    status = status if status in STATUSES else "active"
    q = request.args.get("q", "").strip()[:MAX_QUERY]
    number = request.args.get("page", "1")
    page = Page.asked(number, PER_PAGE)
    whole = may_see(principal().roles_in(org))
    with services().members.read() as reader:
        rows, found = reader.roll(org, page=page, on=on, status=status, q=q or None)
        _, active = reader.roll(org, page=Page(1, 1), on=on, status="active")
        _, ended = reader.roll(org, page=Page(1, 1), on=on, status="ended")
        households, registered = reader.households(org, page=WHOLE, on=on)
    addresses = {h["number"]: h["address"] for h in households}
    groups = [{"household": household, "address": addresses.get(household, ""),
               "members": [member_out(org, row) for row in members]}
              for household, members in groupby(rows, key=lambda row: row["household"])]
    return {"on": on.isoformat(), "is_today": on == today(), "name": organization["name_zh"],
            "groups": groups, "found": found, "active": active, "ended": ended,
            "households": registered, "status": status, "statuses": STATUSES, "q": q,
            "page": page.number, "pages": max(page.count(found), 1),
            "whole": whole, "may_keep": "accountant" in principal().roles_in(org)}


def member_view(org: str, number: str) -> dict[str, Any]:
    """One member: as they stood on the day asked (or with every change recorded), their whole
    history, and — for the accountant, while they are a member — the forms to end or move, or to
    make them head of their household (unless they are). Details are corrected from this page
    even after the membership ended: the roll keeps former members, and their record is mended
    like anyone's. No form shows on a past day's page, which is not the roll as it stands."""
    asked = request.args.get("date", "").strip()
    on = day(asked, "date") if asked else None
    kind = roll_kind(org)
    with services().members.read() as reader:
        row = reader.member(org, number, on=on)
        households, _ = reader.households(org, page=WHOLE) if row else ([], 0)
    if row is None:
        raise MemberNotFound(f"no member {number}", member=number)
    may_correct = "accountant" in principal().roles_in(org) and on is None
    may = may_correct and row["active"]
    return {"m": member_out(org, row),
            "on": asked, "may": may, "may_correct": may_correct,
            "may_head": may and not row["head"], "today": today().isoformat(),
            "end_bases": END_BASES[kind],
            "households": [h for h in households if h["number"] != row["household"]],
            "keys": {form: uuid.uuid4().hex for form in ("end", "move", "correct", "head")}}


def new_view(org: str) -> dict[str, Any]:
    """What the form of a new member offers: the bases of this kind of organization, and the
    households to pick from."""
    households, _ = services().members.households(org, page=WHOLE)
    return {"bases": CONFIRM_BASES[roll_kind(org)], "needs_resolution": NEEDS_RESOLUTION,
            "households": households, "today": today().isoformat(),
            "household_key": uuid.uuid4().hex}


def shares_view(org: str) -> dict[str, Any]:
    """The share register on a day: each holder's shares by class, total and part of all; the
    totals by class; the quantification; and the latest movements up to that day."""
    on = asked_day()
    with services().members.read() as reader:
        register = reader.register(org, on=on)
        _, count = reader.movements(org, page=Page(1, 1), until=on)
        last = max((count + RECENT_MOVEMENTS - 1) // RECENT_MOVEMENTS, 1)
        recent: list[dict[str, Any]] = []
        for number in (last - 1, last):
            if number >= 1:
                recent += reader.movements(org, page=Page(number, RECENT_MOVEMENTS),
                                           until=on)[0]
    names = {h["holder"]: h["name"] for h in register["holders"]}
    movements = [{**m, "from": holder_of(m["source"], names),
                  "to": holder_of(m["target"], names, m["target_name"])}
                 for m in reversed(recent[-RECENT_MOVEMENTS:])]
    return {"on": on.isoformat(), "is_today": on == today(),
            "name": org_row(org)["name_zh"], "r": register,
            "class_names": {c["code"]: c["name_zh"] for c in register["classes"]},
            "movements": movements, "movement_count": count}


def holder_of(holder: str, names: Mapping[str, str], fallback: str = "") -> dict[str, str]:
    """A holder as a movement shows it: its kind, its number and the name known for it."""
    kind, _, ref = holder.partition(":")
    return {"kind": kind, "ref": ref, "name": names.get(holder, "") or fallback}


# -- importing the roll ----------------------------------------------------------------------------

@dataclass(frozen=True)
class SheetResult:
    """What an import, or its check, came to: the members it takes, or every problem found."""

    members: int
    outcome: Outcome[Any] | None = None
    rejected: ImportRejected | None = None
    problems: list[dict[str, Any]] = field(default_factory=list)
    # A sheet that passed its check, carried in the page so that 导入 needs no second upload.
    carried: dict[str, str] | None = None


def import_sheet(org: str, form: dict[str, str], check_only: bool,
                 actor: str) -> SheetResult:
    """Reads the uploaded sheet and imports it, or only checks it (nothing written). A refused
    sheet's problems come back as report items {row, column, header, cell, reason}, whose
    reasons never repeat an ID or phone number."""
    content, filename = uploaded_sheet()
    on = optional_day(form["quantified_on"], "quantified_on")
    plan = None if on is None else Quantification(
        on=on, resolution=form["resolution"],
        resolution_date=optional_day(form["resolution_date"], "resolution_date"))
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
