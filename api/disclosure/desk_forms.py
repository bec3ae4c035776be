"""The desk's forms: labels, the defaults of a new draft, and what a submitted form says. Rule:
a form is read through the JSON route's schema for the same command (api/forms.py), refused
beside the field the schema names; every other check is the ledger's.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import request
from werkzeug.datastructures import MultiDict

from api.auth import actor
from api.disclosure.schemas import DraftIn, SignIn
from api.forms import load_form
from api.i18n import lazy_gettext
from api.idempotency import kept_digest, scope
from api.refusals import said
from api.services import services
from ledger.disclosure import (
    ARCHIVED,
    DRAFTED,
    FROM_BOOKS,
    IN_REVIEW,
    KINDS,
    MATTER_KINDS,
    PUBLISHED,
    RETURNED,
    REVIEWED,
    SUPERSEDED,
    DisclosureNotFound,
    last_ended,
    period_words,
)
from ledger.kernel.errors import LedgerError
from ledger.kernel.idempotency import RequestKey
from projections.disclosure.content import ANNOTATED, STATEMENTS
from projections.disclosure.distribution import year_of
from projections.disclosure.drafting import Draft

STAGE_LABELS = {
    DRAFTED: lazy_gettext("Drafted"),
    IN_REVIEW: lazy_gettext("In review"),
    RETURNED: lazy_gettext("Returned"),
    REVIEWED: lazy_gettext("Reviewed"),
    PUBLISHED: lazy_gettext("Published"),
    ARCHIVED: lazy_gettext("Archived"),
    SUPERSEDED: lazy_gettext("Superseded"),
}
KIND_LABELS = {
    "income_expenditure": lazy_gettext("Income and expenditure"),
    "balance_sheet": lazy_gettext("Balance sheet"),
    "income_statement": lazy_gettext("Income statement and distribution"),
    "special": lazy_gettext("Special disclosure"),
    "resolution": lazy_gettext("Resolution of a matter"),
    "matter_result": lazy_gettext("Result of carrying out a matter"),
    "distribution": lazy_gettext("Distribution of the year's income"),
}
DISTRIBUTION_STAGES = {"plan": lazy_gettext("The plan, before the members' meeting"),
                       "result": lazy_gettext("The result, once posted")}
# Named in the summary atop a refused form: the domain's messages say what is expected, not where.
FIELD_LABELS = {
    "kind": lazy_gettext("Kind"), "period": lazy_gettext("Period"),
    "title": lazy_gettext("Title"), "notes": lazy_gettext("Notes (optional)"),
    "correction_reason": lazy_gettext("What it corrects, and why"),
    "body": lazy_gettext("Text of the notice"), "items": lazy_gettext("Items"),
    "annotations": lazy_gettext(
        "Fund source, spending unit and person responsible per line (optional)"),
    "panel": lazy_gettext("Review panel"),
    "posting_from": lazy_gettext("Posted from"), "posting_to": lazy_gettext("Posted until"),
    "opinion": lazy_gettext("Opinion (optional)"),
    "line_notes": lazy_gettext("Notes on single lines (optional)"),
    "reason": lazy_gettext("Reason"), "text": lazy_gettext("Answer"),
    "inputs.matter": lazy_gettext("Matter number"),
    "notes_to_statements": lazy_gettext("Contingent matters (optional)"),
    "notes_to_statements.contingent": lazy_gettext("Contingent matters (optional)"),
    "inputs.distribution": lazy_gettext("Distribution plan"),
    "inputs.stage": lazy_gettext("What it discloses"),
}
# The titles are the village's own public text, so they are Chinese whatever the page language.
# A distribution's title follows its stage too ("kind:stage"; the plan's is the kind's own).
KIND_TITLES = {"income_expenditure": "财务收支明细", "balance_sheet": "资产负债表",
               "income_statement": "收益及收益分配表", "distribution": "收益分配方案公示",
               "distribution:result": "收益分配结果公示"}
# A cooperative's are its own words: 盈余, not a village's 收益 (2017 Law; 会农社02表).
COOPERATIVE_TITLES = KIND_TITLES | {"income_statement": "盈余及盈余分配表",
                                   "distribution": "盈余分配方案公示",
                                   "distribution:result": "盈余分配结果公示"}
COOPERATIVE_KIND_LABELS = KIND_LABELS | {
    "income_statement": lazy_gettext("Surplus and surplus distribution statement"),
    "distribution": lazy_gettext("Distribution of the year's surplus")}


def is_cooperative(org: str) -> bool:
    with services().queries.read() as reader:
        row = reader.organization(org)
    return bool(row) and row["kind"] == "farmers_cooperative"


def titles(cooperative: bool) -> dict[str, str]:
    """Kind (or "kind:stage") → the end of its standard title, in the organization's words."""
    return COOPERATIVE_TITLES if cooperative else KIND_TITLES
# Notices after a redirect are chosen from this table, so a link cannot put words on the page.
NOTICES = {
    "drafted": lazy_gettext("The disclosure was drafted. Check it, then submit it for review."),
    "submitted": lazy_gettext("Submitted to the supervision committee."),
    "signed": lazy_gettext("Your signature was recorded."),
    "cosigned": lazy_gettext("Your co-signature was added to the signed checkpoint."),
    "refused": lazy_gettext("Your refusal was recorded; the draft went back to the accountant."),
    "published": lazy_gettext("Published. From now on it never changes."),
    "screened": lazy_gettext("The screening was recorded."),
    "answered": lazy_gettext("The answer was published."),
}
ITEM_FIELDS = ("item", "amount", *ANNOTATED)
NOTE_ROWS = 3
_ITEM_KEY = re.compile(r"item-([0-9]{1,3})-(\w+)")
_NOTE_KEY = re.compile(r"note-(.+)-(fund_source|unit|responsible)")


@dataclass(frozen=True)
class Problem:
    """A refused command: summed up atop the page (linking to `anchor`) and shown beside the
    field of the form it concerns."""

    form: str
    field: str
    message: str
    anchor: str
    line: int | None = None

    @classmethod
    def of(cls, form: str, error: LedgerError, anchor: str) -> Problem:
        line = error.context.get("line")
        return cls(form, error.field or "", said(error), anchor,
                   line if isinstance(line, int) else None)


def draft_defaults(org: str, args: Mapping[str, str], cooperative: bool = False,
                   ) -> dict[str, Any]:
    """A new draft: the last ended period of the organization's cadence, or what the draft it
    supersedes or corrects said, so a redraft starts from the text already agreed on."""
    supersedes, corrects = args.get("supersedes", ""), args.get("corrects", "")
    earlier = supersedes or corrects
    if earlier:
        old = services().disclosures.draft_of(org, earlier)
        if old is None:
            raise DisclosureNotFound(f"no disclosure {earlier}", disclosure=earlier)
        kind, period, title, inputs = old["kind"], old["period"], old["title"], old["inputs"]
    else:
        kind = args.get("kind", "") if args.get("kind") in KINDS else "income_expenditure"
        cadence = str(services().queries.settings(org)["disclosure_cadence"])
        period = last_ended(cadence, services().ledger.clock()) if kind in FROM_BOOKS else ""
        inputs = {"matter": args.get("matter", ""),
                  "distribution": args.get("distribution", ""), "stage": args.get("stage", "")}
        if kind == "distribution":
            period = year_of(inputs["distribution"])
        title = default_title(kind, period, inputs["stage"], cooperative)
    stage = str(inputs.get("stage", ""))
    # Only a standard title follows the kind and period; one the accountant wrote is kept.
    standard = title if title == default_title(kind, period, stage, cooperative) else ""
    return {"kind": kind, "period": period, "title": title, "title_default": standard,
            "notes": inputs.get("notes", ""), "body": inputs.get("body", ""),
            "contingent": inputs.get("notes_to_statements", {}).get("contingent", ""),
            "matter": str(inputs.get("matter", "")),
            "distribution": str(inputs.get("distribution", "")), "stage": stage,
            "items": [{name: str(item.get(name, "")) for name in ITEM_FIELDS}
                      for item in inputs.get("items", [])],
            "annotations": inputs.get("annotations", {}), "supersedes": supersedes,
            "corrects": corrects, "correction_reason": "", "key": uuid.uuid4().hex}


def draft_typed(form: MultiDict[str, str], cooperative: bool = False) -> dict[str, Any]:
    """The draft form as typed, and the `inputs` it gives the content builder."""
    kind = form.get("kind", "").strip()
    period = form.get("period", "").strip()
    distribution, stage = form.get("distribution", "").strip(), form.get("stage", "").strip()
    if kind == "distribution" and not period:
        period = year_of(distribution)  # a plan is disclosed under its own year
    title = form.get("title", "").strip()
    title_default = form.get("title_default", "")
    # A default title left untouched follows the kind and period actually chosen.
    if not title or title == title_default:
        title = default_title(kind, period, stage, cooperative) or title
    rows: dict[int, dict[str, str]] = {}
    annotations: dict[str, dict[str, str]] = {}
    for key, value in form.items():
        if match := _ITEM_KEY.fullmatch(key):
            if match[2] in ITEM_FIELDS:
                rows.setdefault(int(match[1]), dict.fromkeys(ITEM_FIELDS, ""))[match[2]] = value
        elif (match := _NOTE_KEY.fullmatch(key)) and value.strip():
            annotations.setdefault(match[1], {})[match[2]] = value.strip()
    items = [{name: row[name].strip() for name in ITEM_FIELDS} for _, row in sorted(rows.items())
             if any(row[name].strip() for name in ITEM_FIELDS)]
    body = form.get("body", "")
    matter = form.get("matter", "").strip().upper()
    inputs: dict[str, Any] = {"notes": form.get("notes", ""),
                              "annotations": annotations if kind == "income_expenditure" else {},
                              "body": body if kind == "special" else "",
                              "items": items if kind == "special" else [], "attachments": []}
    if kind in MATTER_KINDS:
        # The matter (事项) whose resolution or result this discloses, by its number.
        inputs["matter"] = matter
    if kind == "distribution":
        inputs |= {"distribution": distribution, "stage": stage}
    contingent = form.get("contingent", "")
    if kind in STATEMENTS:
        # The notes to the statements: the accountant writes what the books cannot show.
        inputs["notes_to_statements"] = {"contingent": contingent}
    return {"kind": kind, "period": period, "title": title, "title_default": title_default,
            "notes": inputs["notes"], "body": body, "contingent": contingent, "items": items,
            "annotations": annotations,
            "matter": matter, "distribution": distribution, "stage": stage,
            "supersedes": form.get("supersedes", ""), "corrects": form.get("corrects", ""),
            "correction_reason": form.get("correction_reason", ""),
            "key": form.get("key", ""), "inputs": inputs}


def draft_asked(form: MultiDict[str, str], typed: Mapping[str, Any]) -> Draft:
    """The draft asked for, read by the JSON route's schema (DraftIn): the title as the form
    resolved it, and the rows, notes and matter the page gathers for the kind chosen."""
    kind = typed["kind"]
    gathered: dict[str, Any] = {"title": typed["title"], "matter": typed["matter"],
                                "period": typed["period"]}
    if kind == "special":
        gathered["items"] = typed["items"]
    if kind == "income_expenditure":
        gathered["annotations"] = typed["annotations"]
    if kind in STATEMENTS:
        gathered["notes_to_statements"] = {"contingent": typed["contingent"]}
    data = load_form(DraftIn(), form, extra={k: v for k, v in gathered.items() if v})
    return Draft(kind=data["kind"], period=data["period"], title=data["title"],
                 inputs=typed["inputs"], supersedes=str(data["supersedes"] or ""),
                 corrects=str(data["corrects"] or ""),
                 correction_reason=data["correction_reason"])


def form_key() -> RequestKey | None:
    """The form's hidden key makes a double-tapped "draft" button draft once; the key is the
    user's own, and a changed form under the same key is refused rather than replayed."""
    key = request.form.get("key", "")
    if not re.fullmatch(r"[0-9a-f]{32}", key):
        return None
    typed = sorted((k, v) for k, v in request.form.items(multi=True) if k != "csrf_token")
    return RequestKey(key=f"desk:{actor()}:{key}",
                      digest=kept_digest(json.dumps(typed, ensure_ascii=False).encode()),
                      scope=scope())


def sign_args(form: MultiDict[str, str]) -> dict[str, Any]:
    """The opinion, and the signer's notes on single lines (pairs of line number and note,
    blank pairs dropped), read by the JSON route's schema."""
    notes = {form.get(f"line-{i}", "").strip(): form.get(f"line_note-{i}", "").strip()
             for i in range(NOTE_ROWS)}
    data = load_form(SignIn(), form, extra={
        "line_notes": {line: note for line, note in notes.items() if line or note}})
    return {"opinion": data["opinion"], "line_notes": data["line_notes"]}


def notice() -> str:
    return str(NOTICES.get(request.args.get("done", ""), ""))


def default_title(kind: str, period: str, stage: str = "", cooperative: bool = False) -> str:
    """E.g. 2026年10月财务收支明细, 2025年度收益分配结果公示 (a cooperative's
    2025年度盈余分配结果公示); empty when the kind has no standard title."""
    words = titles(cooperative)
    end = words.get(f"{kind}:{stage}") or words.get(kind)
    if end is None:
        return ""
    when = period_words(period)
    return when + end if when else ""
