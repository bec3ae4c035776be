"""The signed-in pages where disclosures are made: the accountant drafts, submits and publishes,
the supervision committee signs or refuses, questions are screened and answered.

Each page declares the same access rule as the JSON API route doing the same thing, and each form
calls one ledger command; a refused command re-renders its page with the rule that was broken.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from api.auth import KEEP_BOOKS, READ_BOOKS, SIGNED_IN, actor, in_org, principal, rule
from api.errors import status_of
from api.i18n import lazy_gettext
from api.routes.common import reading
from api.services import services
from ledger.application import Outcome
from ledger.disclosures import (
    ARCHIVED,
    DRAFTED,
    FROM_BOOKS,
    IN_REVIEW,
    KINDS,
    PUBLISHED,
    RETURNED,
    REVIEWED,
    SUPERSEDED,
)
from ledger.errors import DisclosureNotFound, InvalidDisclosure, LedgerError
from ledger.idempotency import RequestKey
from ledger.users import EVERY_ORG, ORG_ROLES
from projections.disclosure_content import ANNOTATED, build, prepare
from projections.disclosures import is_overdue

pages = Blueprint("desk", __name__, url_prefix="/desk", template_folder="../templates")

# The same rules as the JSON API's routes for the same commands (api/routes/disclosures.py).
REVIEW = in_org("supervisor")
ANSWER = in_org("accountant", "committee")

STAGES = (DRAFTED, IN_REVIEW, RETURNED, REVIEWED, PUBLISHED, ARCHIVED, SUPERSEDED)
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
}
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
}
# The titles are the village's own public text, so they are Chinese whatever the page language.
KIND_TITLES = {"income_expenditure": "财务收支明细", "balance_sheet": "资产负债表",
               "income_statement": "收益及收益分配表"}
PERIOD_HINTS = {"month": "2026-10", "quarter": "2026-Q3", "year": "2026"}
# Notices after a redirect are chosen from this table, so a link cannot put words on the page.
NOTICES = {
    "drafted": lazy_gettext("The disclosure was drafted. Check it, then submit it for review."),
    "submitted": lazy_gettext("Submitted to the supervision committee."),
    "signed": lazy_gettext("Your signature was recorded."),
    "refused": lazy_gettext("Your refusal was recorded; the draft went back to the accountant."),
    "published": lazy_gettext("Published. From now on it never changes."),
    "screened": lazy_gettext("The screening was recorded."),
    "answered": lazy_gettext("The answer was published."),
}
EDITABLE = (DRAFTED, IN_REVIEW, RETURNED, REVIEWED)
ITEM_FIELDS = ("item", "amount", *ANNOTATED)
MIN_ITEM_ROWS = 5
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
        return cls(form, error.field or "", error.message, anchor,
                   line if isinstance(line, int) else None)


# -- after a request: pages, not JSON, for browsers ---------------------------------------------

@pages.after_request
def _as_page(response: Response) -> Response:
    """The access check and the app's error handlers answer in JSON; a browser gets the sign-in
    page (401 on a GET) or an error page instead. Programs (Accept: JSON or */*) keep the JSON."""
    if response.status_code < 400 or not response.is_json or not _wants_html():
        return response
    if response.status_code == 401 and request.method == "GET":
        return redirect(f"/login?next={quote(request.full_path.rstrip('?'))}", code=303)
    error = (response.get_json(silent=True) or {}).get("error", {})
    page = render_template("desk/error.html", status=response.status_code,
                           code=error.get("code", ""), message=error.get("message", ""))
    return Response(page, status=response.status_code, mimetype="text/html")


@pages.context_processor
def _labels() -> dict[str, Any]:
    return {"stage_labels": STAGE_LABELS, "kind_labels": KIND_LABELS,
            "field_labels": FIELD_LABELS}


def _wants_html() -> bool:
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


# -- the desk -----------------------------------------------------------------------------------

@pages.get("/")
@rule(SIGNED_IN)
def index() -> str:
    who = principal()
    orgs = sorted(org for org, roles in who.roles.items() if org != EVERY_ORG and roles)
    with reading() as reader:
        names = {org: (reader.organization(org) or {}).get("name_zh", org) for org in orgs}
    return render_template("desk/index.html", desks=[_desk_of(org, names[org]) for org in orgs])


def _desk_of(org: str, name: str) -> dict[str, Any]:
    """What waits for the signed-in user in one organization, according to their roles there."""
    who = principal()
    roles = who.roles_in(org)
    queries = services().disclosures
    desk: dict[str, Any] = {"org": org, "name": name, "roles": sorted(roles),
                            "accountant": "accountant" in roles}
    if roles & set(ORG_ROLES):
        rows = queries.of_org(org)
        desk["stages"] = [(stage, [row for row in rows if row["status"] == stage])
                          for stage in STAGES]
    if "supervisor" in roles:
        desk["to_review"] = queries.pending_reviews(org, who.login or "")
    questions = _questions(org)
    if "supervisor" in roles:
        desk["to_screen"] = [q for q in questions if q["status"] == "pending"]
    if roles & {"accountant", "committee"}:
        desk["to_answer"] = [q for q in questions if q["status"] == "visible" and not q["answer"]]
    return desk


def _questions(org: str) -> list[dict[str, Any]]:
    today = services().ledger.clock()
    titles = {row["id"]: row["title"] for row in services().disclosures.of_org(org)}
    return [{**q, "overdue": is_overdue(q, today), "title": titles.get(q["disclosure_id"], "")}
            for q in services().disclosures.questions(org, public=False)]


# -- drafting -----------------------------------------------------------------------------------

@pages.get("/<org>/disclosures/new")
@rule(KEEP_BOOKS)
def new_disclosure(org: str) -> str:
    return _draft_page(org, _draft_defaults(org, request.args))


@pages.post("/<org>/disclosures/new")
@rule(KEEP_BOOKS)
def draft_disclosure(org: str) -> ResponseReturnValue:
    typed = _draft_typed(request.form)
    try:
        with reading() as reader:
            prepared = prepare(reader, org, typed["kind"], typed["period"], typed["title"],
                               typed["inputs"])
        outcome = services().ledger.draft_disclosure(
            org, kind=typed["kind"], period=typed["period"], title=typed["title"],
            inputs=typed["inputs"], content=prepared.content, position=prepared.position,
            actor=actor(), supersedes=typed["supersedes"], corrects=typed["corrects"],
            correction_reason=typed["correction_reason"], request=_form_key())
    except LedgerError as error:
        problem = Problem.of("draft", error, anchor=error.field or "")
        return _draft_page(org, typed, problem), status_of(error)
    return _done(outcome, "drafted", "desk.disclosure", org=org, ref=str(outcome.value.id))


def _draft_page(org: str, form: dict[str, Any], problem: Problem | None = None) -> str:
    cadence = str(services().ledger.organization(org).settings["disclosure_cadence"])
    rows = max(len(form["items"]) + 2, MIN_ITEM_ROWS)
    items = form["items"] + [dict.fromkeys(ITEM_FIELDS, "")] * (rows - len(form["items"]))
    preview = _preview_lines(org, form["period"]) if form["kind"] == "income_expenditure" else []
    return render_template("desk/new.html", org=org, form=form, items=items, preview=preview,
                           problem=problem, kinds=KINDS, period_hint=PERIOD_HINTS[cadence])


def _draft_defaults(org: str, args: Mapping[str, str]) -> dict[str, Any]:
    """A new draft: the last ended period of the organization's cadence, or what the draft it
    supersedes or corrects said, so a redraft starts from the text already agreed on."""
    supersedes, corrects = args.get("supersedes", ""), args.get("corrects", "")
    earlier = supersedes or corrects
    if earlier:
        old = services().ledger.disclosure(org, earlier)
        kind, period, title, inputs = old.kind, old.period, old.title, old.inputs
    else:
        kind = args.get("kind", "") if args.get("kind") in KINDS else "income_expenditure"
        cadence = str(services().ledger.organization(org).settings["disclosure_cadence"])
        period = last_ended(cadence, services().ledger.clock()) if kind in FROM_BOOKS else ""
        title, inputs = default_title(kind, period), {}
    # Only a standard title follows the kind and period; one the accountant wrote is kept.
    standard = title if title == default_title(kind, period) else ""
    return {"kind": kind, "period": period, "title": title, "title_default": standard,
            "notes": inputs.get("notes", ""), "body": inputs.get("body", ""),
            "items": [{name: str(item.get(name, "")) for name in ITEM_FIELDS}
                      for item in inputs.get("items", [])],
            "annotations": inputs.get("annotations", {}), "supersedes": supersedes,
            "corrects": corrects, "correction_reason": "", "key": uuid.uuid4().hex}


def _draft_typed(form: MultiDict[str, str]) -> dict[str, Any]:
    """The draft form as typed, and the `inputs` it gives the content builder."""
    kind = form.get("kind", "").strip()
    period = form.get("period", "").strip()
    title = form.get("title", "").strip()
    title_default = form.get("title_default", "")
    # A default title left untouched follows the kind and period actually chosen.
    if not title or title == title_default:
        title = default_title(kind, period) or title
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
    inputs = {"notes": form.get("notes", ""),
              "annotations": annotations if kind == "income_expenditure" else {},
              "body": body if kind == "special" else "",
              "items": items if kind == "special" else [], "attachments": []}
    return {"kind": kind, "period": period, "title": title, "title_default": title_default,
            "notes": inputs["notes"], "body": body, "items": items, "annotations": annotations,
            "supersedes": form.get("supersedes", ""), "corrects": form.get("corrects", ""),
            "correction_reason": form.get("correction_reason", ""),
            "key": form.get("key", ""), "inputs": inputs}


def _form_key() -> RequestKey | None:
    """The form's hidden key makes a double-tapped "draft" button draft once; the key is the
    user's own, and a changed form under the same key is refused rather than replayed."""
    key = request.form.get("key", "")
    if not re.fullmatch(r"[0-9a-f]{32}", key):
        return None
    typed = sorted((k, v) for k, v in request.form.items(multi=True) if k != "csrf_token")
    digest = hashlib.sha256(json.dumps(typed, ensure_ascii=False).encode()).hexdigest()
    return RequestKey(key=f"desk:{actor()}:{key}", digest=digest)


def _preview_lines(org: str, period: str) -> list[dict[str, Any]]:
    """The lines a 收支明细 of `period` would show now, so their fund source, unit and person
    responsible can be filled in before drafting; none when the period is not a valid one."""
    try:
        with reading() as reader:
            return list(build(reader, org, "income_expenditure", period, "", {})["lines"])
    except LedgerError:
        return []


def last_ended(cadence: str, today: date) -> str:
    """The last month, quarter or year that ended before `today`, as a period label."""
    if cadence == "year":
        return str(today.year - 1)
    if cadence == "quarter":
        quarter = (today.month - 1) // 3
        return f"{today.year - 1}-Q4" if quarter == 0 else f"{today.year}-Q{quarter}"
    last = today.replace(day=1) - timedelta(days=1)
    return f"{last.year}-{last.month:02d}"


def default_title(kind: str, period: str) -> str:
    """E.g. 2026年10月财务收支明细; empty when the kind has no standard title."""
    if kind not in KIND_TITLES:
        return ""
    if match := re.fullmatch(r"([0-9]{4})-(0[1-9]|1[0-2])", period):
        when = f"{match[1]}年{int(match[2])}月"
    elif match := re.fullmatch(r"([0-9]{4})-Q([1-4])", period):
        when = f"{match[1]}年第{match[2]}季度"
    elif re.fullmatch(r"[0-9]{4}", period):
        when = f"{period}年度"
    else:
        return ""
    return when + KIND_TITLES[kind]


# -- one disclosure and its workflow ------------------------------------------------------------

@pages.get("/<org>/disclosures/<ref>")
@rule(READ_BOOKS)
def disclosure(org: str, ref: str) -> ResponseReturnValue:
    return _disclosure_page(org, ref)


@pages.post("/<org>/disclosures/<ref>/submit")
@rule(KEEP_BOOKS)
def submit(org: str, ref: str) -> ResponseReturnValue:
    # The panel is whoever holds the supervisor role now, as the JSON API's submit takes it.
    panel = services().identity.holders(org, "supervisor")
    return _act(org, ref, "submit", "submitted", lambda: services().ledger.submit_disclosure(
        org, ref, panel=panel, actor=actor()))


@pages.post("/<org>/disclosures/<ref>/sign")
@rule(REVIEW)
def sign(org: str, ref: str) -> ResponseReturnValue:
    notes = {request.form.get(f"line-{i}", "").strip(): request.form.get(f"line_note-{i}", "")
             .strip() for i in range(NOTE_ROWS)}
    notes = {line: note for line, note in notes.items() if line or note}
    return _act(org, ref, "sign", "signed", lambda: services().ledger.sign_disclosure(
        org, ref, member=actor(), opinion=request.form.get("opinion", ""), line_notes=notes))


@pages.post("/<org>/disclosures/<ref>/refuse")
@rule(REVIEW)
def refuse(org: str, ref: str) -> ResponseReturnValue:
    return _act(org, ref, "refuse", "refused", lambda: services().ledger.refuse_disclosure(
        org, ref, member=actor(), reason=request.form.get("reason", "")))


@pages.post("/<org>/disclosures/<ref>/publish")
@rule(KEEP_BOOKS)
def publish(org: str, ref: str) -> ResponseReturnValue:
    return _act(org, ref, "publish", "published", lambda: services().ledger.publish_disclosure(
        org, ref, actor=actor(), posting_from=_date_field("posting_from"),
        posting_to=_date_field("posting_to")))


def _act(org: str, ref: str, form: str, done: str,
         command: Callable[[], Outcome[Any]]) -> ResponseReturnValue:
    try:
        outcome = command()
    except LedgerError as error:
        problem = Problem.of(form, error, anchor=f"form-{form}")
        return _disclosure_page(org, ref, problem, status_of(error))
    return _done(outcome, done, "desk.disclosure", org=org, ref=ref)


def _date_field(name: str) -> date | None:
    text = request.form.get(name, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidDisclosure("a date such as 2026-11-22", field=name) from None


def _disclosure_page(org: str, ref: str, problem: Problem | None = None,
                     status: int = 200) -> ResponseReturnValue:
    caught_up = _caught_up()
    row = services().disclosures.disclosure(org, ref)
    if row is None:
        raise DisclosureNotFound(f"no disclosure {ref}", disclosure=ref)
    who = principal()
    roles = who.roles_in(org)
    stage = row["status"]
    decided = {review["member"] for review in row["reviews"]}
    accountant = "accountant" in roles
    may = {
        "submit": accountant and stage == DRAFTED,
        "publish": accountant and stage == REVIEWED,
        "redraft": accountant and stage in EDITABLE,
        "correct": accountant and stage in (PUBLISHED, ARCHIVED) and not row["corrected_by"],
        "review": ("supervisor" in roles and who.login in row["panel"]
                   and who.login not in decided and stage in (IN_REVIEW, REVIEWED)),
    }
    today = services().ledger.clock()
    posting_days = services().ledger.organization(org).setting("posting_days")
    notes: dict[str, list[tuple[str, str]]] = {}
    for review in row["reviews"]:
        for line, note in sorted(review["line_notes"].items(), key=lambda kv: int(kv[0])):
            notes.setdefault(line, []).append((review["member"], note))
    page = render_template(
        "desk/disclosure.html", org=org, d=row, content=json.loads(row["content"]), may=may,
        problem=problem, typed=request.form,
        line_notes=notes, note_rows=NOTE_ROWS, notice=_notice(), caught_up=caught_up,
        posting_from=today.isoformat(),
        posting_to=(today + timedelta(days=posting_days - 1)).isoformat())
    return page, status


# -- questions ----------------------------------------------------------------------------------

@pages.get("/<org>/questions")
@rule(READ_BOOKS)
def questions(org: str) -> ResponseReturnValue:
    return _questions_page(org)


@pages.post("/<org>/questions/<ref>/screen")
@rule(REVIEW)
def screen(org: str, ref: str) -> ResponseReturnValue:
    return _answer_or_screen(org, ref, "screened", lambda: services().ledger.screen_question(
        org, ref, visible=request.form.get("visible") == "1",
        reason=request.form.get("reason", ""), actor=actor()))


@pages.post("/<org>/questions/<ref>/answer")
@rule(ANSWER)
def answer(org: str, ref: str) -> ResponseReturnValue:
    return _answer_or_screen(org, ref, "answered", lambda: services().ledger.answer_question(
        org, ref, text=request.form.get("text", ""), actor=actor()))


def _answer_or_screen(org: str, ref: str, done: str,
                      command: Callable[[], Outcome[Any]]) -> ResponseReturnValue:
    try:
        outcome = command()
    except LedgerError as error:
        return _questions_page(org, Problem.of(ref, error, anchor=f"q-{ref}"),
                               status_of(error))
    return _done(outcome, done, "desk.questions", org=org, _anchor=f"q-{ref}")


def _questions_page(org: str, problem: Problem | None = None,
                    status: int = 200) -> ResponseReturnValue:
    caught_up = _caught_up()
    roles = principal().roles_in(org)
    page = render_template(
        "desk/questions.html", org=org, questions=_questions(org), problem=problem,
        typed=request.form, may_screen="supervisor" in roles,
        may_answer=bool(roles & {"accountant", "committee"}), notice=_notice(),
        caught_up=caught_up)
    return page, status


# -- after a write ------------------------------------------------------------------------------

def _done(outcome: Outcome[Any], done: str, endpoint: str, **values: Any) -> Response:
    """303 to the page that shows the result; `after` lets that page wait for the read models
    to include the write, so the user sees what they just did."""
    return redirect(url_for(endpoint, done=done, after=outcome.position, **values), code=303)


def _caught_up() -> bool:
    """Waits (a few seconds at most) for the write named by `after`; False if still behind."""
    after = request.args.get("after", "")
    return not after.isdigit() or services().wait_for(int(after))


def _notice() -> str:
    return str(NOTICES.get(request.args.get("done", ""), ""))
