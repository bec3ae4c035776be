"""What the desk pages show the signed-in user, as plain data: what waits on each desk, a draft
form's rows and preview, and which workflow steps one disclosure allows them. Rule: a step is
offered only to the role the ledger would accept it from; the ledger still decides.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from flask import current_app, request

from api.auth import principal
from api.disclosure.desk_forms import ITEM_FIELDS
from api.disclosure.public_anchor import anchoring
from api.disclosure.public_views import Published
from api.services import services
from infra import signing
from infra.cosigners import cosigner_key
from infra.cosigners import owner as cosigner_owner
from ledger.disclosure import (
    ARCHIVED,
    DRAFTED,
    IN_REVIEW,
    PERIOD_EXAMPLES,
    PUBLISHED,
    RETURNED,
    REVIEWED,
    SUPERSEDED,
    DisclosureNotFound,
)
from ledger.identity import ORG_ROLES
from ledger.kernel.errors import Conflict, LedgerError
from projections.audit import add_signature
from projections.books.queries import Page
from projections.disclosure.content import build
from projections.disclosure.view import is_overdue

STAGES = (DRAFTED, IN_REVIEW, RETURNED, REVIEWED, PUBLISHED, ARCHIVED, SUPERSEDED)
EDITABLE = (DRAFTED, IN_REVIEW, RETURNED, REVIEWED)
MIN_ITEM_ROWS = 5

# The routes' `reading()`: it also records the read position for the response header, so the
# routes hand it in rather than this module opening a reader of its own.
Reading = Callable[[], AbstractContextManager[Any]]


def desk_of(org: str, name: str) -> dict[str, Any]:
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
    questions = org_questions(org)
    if "supervisor" in roles:
        desk["to_screen"] = [q for q in questions if q["status"] == "pending"]
    if roles & {"accountant", "committee"}:
        desk["to_answer"] = [q for q in questions if q["status"] == "visible" and not q["answer"]]
    return desk


def org_questions(org: str) -> list[dict[str, Any]]:
    today = services().ledger.clock()
    titles = {row["id"]: row["title"] for row in services().disclosures.of_org(org)}
    return [{**q, "overdue": is_overdue(q, today), "title": titles.get(q["disclosure_id"], "")}
            for q in services().disclosures.questions(org, public=False)]


def draft_view(org: str, form: dict[str, Any], reading: Reading) -> dict[str, Any]:
    """The draft page's rows (two blank ones to grow into, at least MIN_ITEM_ROWS in all), the
    preview of the lines to annotate, and the period hint of the organization's cadence."""
    cadence = str(services().queries.settings(org)["disclosure_cadence"])
    rows = max(len(form["items"]) + 2, MIN_ITEM_ROWS)
    items = form["items"] + [dict.fromkeys(ITEM_FIELDS, "")] * (rows - len(form["items"]))
    preview = (preview_lines(org, form["period"], reading)
               if form["kind"] == "income_expenditure" else [])
    # The plans a distribution disclosure may be about: every one not cancelled, newest first.
    plans = [plan for plan in services().distributions.distributions(org)
             if plan["status"] != "cancelled"]
    return {"items": items, "preview": preview, "period_hint": PERIOD_EXAMPLES[cadence],
            "distributions": plans}


def preview_lines(org: str, period: str, reading: Reading) -> list[dict[str, Any]]:
    """The lines a 收支明细 of `period` would show now, so their fund source, unit and person
    responsible can be filled in before drafting; none when the period is not a valid one."""
    try:
        with reading() as reader:
            return list(build(reader, org, "income_expenditure", period, "", {})["lines"])
    except LedgerError:
        return []


def disclosure_view(org: str, ref: str) -> dict[str, Any]:
    """One disclosure as the desk shows it: the steps the user may take now, the signers' notes
    by line, and the default posting dates (today for the organization's posting days, a
    distribution plan's until the members' meeting may decide it)."""
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
    # A distribution plan stays up until the members' meeting may decide it (the ledger's rule).
    drafted = services().disclosures.draft_of(org, ref) if row["kind"] == "distribution" else None
    posting_to = services().ledger.disclosure.default_posting_to(
        org, row["kind"], (drafted or {}).get("inputs") or {}, today)
    notes: dict[str, list[tuple[str, str]]] = {}
    for review in row["reviews"]:
        for line, note in sorted(review["line_notes"].items(), key=lambda kv: int(kv[0])):
            notes.setdefault(line, []).append((review["member"], note))
    cosigners = []
    if stage in (PUBLISHED, ARCHIVED):
        checkpoints = anchoring(Published(row, {}))[1]
        cosigners = [entry["signer"] for c in checkpoints for entry in c["signatures"]]
        may["cosign"] = "supervisor" in roles and bool(checkpoints) and \
            cosigner_owner(who.login) not in cosigners
    content = json.loads(row["content"])
    return {"d": row, "content": content, "may": may, "line_notes": notes,
            "cosigners": cosigners, "posting_from": today.isoformat(),
            "posting_to": posting_to.isoformat(), "warned": _warned(org, content)}


def _warned(org: str, content: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The warnings on each voucher a 收支明细 lists (白条, a split payment, cash over the
    limit), so a supervisor signs seeing them beside the lines they concern."""
    vouchers = {line.get("voucher") for line in content.get("lines", []) if line.get("voucher")}
    if not vouchers:
        return {}
    warned: dict[str, list[dict[str, Any]]] = {}
    rows, _total = services().spending.warnings(org, Page(1, 1000))
    for warning in rows:
        voucher = warning["trigger"].get("voucher") or warning["key"]
        if voucher in vouchers:
            warned.setdefault(voucher, []).append(warning)
    return warned


def caught_up() -> bool:
    """Waits (a few seconds at most) for the write named by `after`; False if still behind."""
    after = request.args.get("after", "")
    if not (after.isascii() and after.isdigit()):
        return True
    # A position beyond the log's head is no write of this user's: not worth a wait.
    return int(after) <= services().ledger.log_head() and services().wait_for(int(after))


def countersign(row: dict[str, Any], login: str) -> None:
    """The supervisor's signature appended to the checkpoint that vouches for a published
    disclosure (projections/audit add_signature: the same key twice adds nothing)."""
    if row["status"] not in (PUBLISHED, ARCHIVED):
        raise Conflict("only a published disclosure is co-signed", field="status")
    checkpoints = anchoring(Published(row, {}))[1]
    if not checkpoints:
        raise Conflict("the history is not sealed and signed up to this disclosure yet; try "
                       "again in a minute", field="checkpoint")
    payload = checkpoints[0]["payload"]
    key = cosigner_key(current_app.extensions["sunlight_storage"], login)
    entry = signing.sign(key, payload, signer=cosigner_owner(login))
    with services().views["audit"].sql(commit=True) as sql:
        add_signature(sql, payload["org"], int(payload["position"]), entry)
