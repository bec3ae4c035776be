"""What the matters desk (四议两公开) says about a matter, and what its pages show. Rule: every
code the ledger stores (category, proposer, step, meeting, status) is shown by its Chinese
label here, never raw; the page derives nothing the ledger has not recorded, save which of the
matter's steps comes next, counted from the meetings held (as the aggregate counts it).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from flask import request

from api.auth import principal
from api.disclosure.desk_forms import Problem
from api.i18n import current_locale, lazy_gettext
from api.refusals import ENGLISH_ASIDE, said
from api.services import services
from api.spending.desk_pages import spending_accounts
from ledger.books import MATTER_CATEGORIES
from ledger.kernel.errors import LedgerError
from ledger.spending import DECIDING_BODIES, PROPOSERS, MatterNotFound
from projections.books.queries import Page

# Who records a matter and its meetings: as the JSON routes' DECIDE rule (api/spending/matters).
RECORDERS = frozenset({"accountant", "committee"})
PER_PAGE = 50
BUDGET_ROWS = 5  # blank rows of the new-matter form; a longer budget goes through the API
BUDGET_CELLS = ("account", "item", "amount")
LINE_FIELD = re.compile(r"budget_lines\[(\d+)\]\.\w+")
MATTER_FIELDS = ("date", "title", "category", "description", "proposed_by", "budget_total", "key")
MEETING_FIELDS = ("step", "date", "body", "entitled", "present", "votes_for", "votes_against",
                  "abstain", "additional_votes_for", "additional_votes_against", "minutes",
                  "resolution_no", "key")

CATEGORY_LABELS = {
    "spending": lazy_gettext("Use of collective income"),
    "project": lazy_gettext("Construction project"),
    "contracting": lazy_gettext("Contracting out collective assets"),
    "land_compensation": lazy_gettext("Use of land compensation"),
    "lending": lazy_gettext("Lending or guarantees"),
    "asset_disposal": lazy_gettext("Leasing or disposing of collective assets"),
    "allowance": lazy_gettext("Cadre allowances"),
    "articles": lazy_gettext("Charter changes"),
    "membership": lazy_gettext("Membership"),
    "land_contracting": lazy_gettext("Land contracting plan"),
    "distribution": lazy_gettext("Year-end distribution"),
    "merger": lazy_gettext("Merger or division"),
    "dissolution": lazy_gettext("Dissolution"),
    "other": lazy_gettext("Other major matter"),
}
PROPOSER_LABELS = {"party_branch": lazy_gettext("The party branch"),
                   "village_committee": lazy_gettext("The village committee"),
                   "board": lazy_gettext("The board of directors"),
                   "members": lazy_gettext("The members")}
STATUS_LABELS = {
    "proposed": lazy_gettext("Proposed"), "deliberated": lazy_gettext("Deliberated"),
    "reviewed": lazy_gettext("Reviewed by the party members"), "decided": lazy_gettext("Decided"),
    "stopped": lazy_gettext("Stopped"),
    "resolution_disclosed": lazy_gettext("Resolution disclosed"),
    "carried_out": lazy_gettext("Carried out"),
    "result_disclosed": lazy_gettext("Result disclosed"),
}
STEP_LABELS = {"deliberate": lazy_gettext("Deliberation by the joint meeting of the two "
                                          "committees"),
               "review": lazy_gettext("Review by the party members' meeting"),
               "decide": lazy_gettext("Decision by the villagers' (representatives') meeting")}
COOPERATIVE_DECIDE = lazy_gettext("Decision by the members' (representatives') meeting")
BODY_LABELS = {"joint_meeting": lazy_gettext("Joint meeting of the two committees"),
               "party_meeting": lazy_gettext("Party members' meeting"),
               "decision_meeting": lazy_gettext("Deciding meeting"),
               "villagers_meeting": lazy_gettext("Villagers' meeting"),
               "representatives_meeting": lazy_gettext("Villagers' representatives' meeting"),
               "members_meeting": lazy_gettext("Members' meeting"),
               "member_representatives_meeting": lazy_gettext("Members' representatives' "
                                                              "meeting")}
NOTICES = {
    "proposed": lazy_gettext("The matter was proposed. Record its meetings below as they are "
                             "held."),
    "met": lazy_gettext("The meeting was recorded."),
    "carried_out": lazy_gettext("The matter was recorded as carried out."),
}
# Named in the summary atop a refused form.
FIELD_LABELS = {
    "date": lazy_gettext("Date"), "title": lazy_gettext("Title"),
    "category": lazy_gettext("Category"), "description": lazy_gettext("Description"),
    "proposed_by": lazy_gettext("Proposed by"),
    "budget_total": lazy_gettext("Budget (yuan)"), "step": lazy_gettext("Step"),
    "body": lazy_gettext("Deciding meeting"), "entitled": lazy_gettext("Entitled to attend"),
    "present": lazy_gettext("Present"), "votes_for": lazy_gettext("For"),
    "votes_against": lazy_gettext("Against"), "abstain": lazy_gettext("Abstained"),
    "additional_votes_for": lazy_gettext("Additional votes for"),
    "additional_votes_against": lazy_gettext("Additional votes against"),
    "minutes": lazy_gettext("Minutes"), "resolution_no": lazy_gettext("Resolution no."),
    "summary": lazy_gettext("What was done"),
    "budget_lines": lazy_gettext("Budget lines"),
}


def labels() -> dict[str, Any]:
    """What every matters page's template may use."""
    return {"category_labels": CATEGORY_LABELS, "proposer_labels": PROPOSER_LABELS,
            "matter_status_labels": STATUS_LABELS, "body_labels": BODY_LABELS,
            "field_labels": FIELD_LABELS, "step_label": step_label}


def step_label(step: str, cooperative: bool = False) -> str:
    if step == "decide" and cooperative:
        return str(COOPERATIVE_DECIDE)
    return str(STEP_LABELS.get(step, step))


def notice() -> str:
    return str(NOTICES.get(request.args.get("done", ""), ""))


def _cooperative(org: str) -> bool:
    organization = services().queries.organization(org) or {}
    return organization.get("kind") == "farmers_cooperative"


def steps_done(matter: dict[str, Any]) -> int:
    """How many of its steps a listed matter has passed, from its status (a stopped one: the
    meetings held, the last of which failed, are on its own page)."""
    passed = {"proposed": 0, "deliberated": 1, "reviewed": 2}
    return passed.get(matter["status"], len(matter["steps"]))


def next_step(matter: dict[str, Any]) -> str | None:
    """The step whose meeting is due: the next of its steps after the meetings held, none once
    stopped or decided (Matter.next_step)."""
    held = len(matter.get("meetings", []))
    if matter["status"] == "stopped" or held >= len(matter["steps"]):
        return None
    return str(matter["steps"][held])


def may_record(org: str) -> bool:
    return bool(principal().roles_in(org) & RECORDERS)


# -- typed text ----------------------------------------------------------------------------------

def matter_defaults(org: str) -> dict[str, str]:
    """A new matter: dated today, proposed by the village committee (a cooperative's board)."""
    proposer = "board" if _cooperative(org) else "village_committee"
    return {**dict.fromkeys(MATTER_FIELDS, ""), "date": services().ledger.clock().isoformat(),
            "category": "project", "proposed_by": proposer, "key": uuid.uuid4().hex}


def typed(form: Any, names: tuple[str, ...]) -> dict[str, str]:
    return {name: form.get(name, "").strip() for name in names}


def budget_rows(form: Any) -> list[dict[str, str]]:
    """The budget-line rows as typed (blank ones included), to show them again."""
    return [{cell: form.get(f"line_{cell}-{i}", "").strip() for cell in BUDGET_CELLS}
            for i in range(BUDGET_ROWS)]


def budget_lines_of(form: Any) -> list[dict[str, str]]:
    """The rows with anything typed, as the JSON body's budget_lines (MatterIn reads them)."""
    return [row for row in budget_rows(form) if any(row.values())]


def matter_problem(error: LedgerError) -> Problem:
    """A refused proposal beside its field; a budget line's, beside the lines with its row
    (the ledger names "budget_lines[2].amount", the page shows row 3)."""
    if found := LINE_FIELD.fullmatch(error.field or ""):
        return Problem("matter", "budget_lines", said(error), "matter-budget_lines",
                       int(found[1]) + 1)
    return Problem.of("matter", error, anchor=f"matter-{error.field or 'form'}")


def meeting_defaults(step: str | None) -> dict[str, str]:
    return {**dict.fromkeys(MEETING_FIELDS, ""), "step": step or "",
            "date": services().ledger.clock().isoformat(), "votes_against": "0",
            "abstain": "0", "key": uuid.uuid4().hex}


# -- what the pages show -------------------------------------------------------------------------

def list_view(org: str) -> dict[str, Any]:
    """The matters, newest first (a page at a time), and what the new-matter form offers."""
    number = request.args.get("page", "1")
    page = Page.asked(number, PER_PAGE)
    rows, total = services().spending.matters(org, page)
    for row in rows:
        row["done"] = steps_done(row)
    cooperative = _cooperative(org)
    return {"matters": rows, "total": total, "page": page.number,
            "pages": max(page.count(total), 1), "may_record": may_record(org),
            "cooperative": cooperative, "categories": MATTER_CATEGORIES,
            "budget_rows": budget_rows(request.form), "accounts": spending_accounts(org),
            "proposers": [p for p in PROPOSERS if (p in ("board", "members")) == cooperative]
            or list(PROPOSERS)}


def matter_view(org: str, number: str) -> dict[str, Any]:
    """One matter: its meetings, the step due, the forms this user may use, and the spending
    requests charged to it."""
    row = services().spending.matter(org, number)
    if row is None:
        raise MatterNotFound(f"no matter {number}", matter=number)
    if current_locale() != "en":
        # The ledger words a failed meeting "到会人数不足… (quorum not met: …)": Chinese alone here.
        row["stop_reason"] = ENGLISH_ASIDE.sub("", row["stop_reason"] or "")
        for meeting in row["meetings"]:
            meeting["reason"] = ENGLISH_ASIDE.sub("", meeting.get("reason") or "")
    cooperative = _cooperative(org)
    due = next_step(row)
    recorder = may_record(org)
    requests, _total = services().spending.spending_requests(org, Page(1, 100), matter=number)
    # The deciding meetings of this kind of organization first; the ledger takes any of them.
    own = ("members_meeting", "member_representatives_meeting")
    bodies = sorted(DECIDING_BODIES, key=lambda b: (b in own) != cooperative)
    return {"m": row, "due": due, "cooperative": cooperative, "bodies": bodies,
            "may": {"meet": recorder and due is not None,
                    # The ledger records it carried out only after the resolution is disclosed.
                    "carry_out": recorder and row["status"] == "resolution_disclosed",
                    "disclose": "accountant" in principal().roles_in(org)
                    and row["status"] == "decided" and not row["resolution_disclosure"]},
            "requests": requests, "today": services().ledger.clock().isoformat(),
            "carry_key": uuid.uuid4().hex}
