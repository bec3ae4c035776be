"""What the village's public pages show, as plain data: a published disclosure read back, its
lines, totals and charts, the corrections around it and its questions. Rule: pure view models for
the public — nothing here renders a template or reveals an asker's phone or unmasked name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import request, url_for

from api.disclosure.public_distribution import distribution_view
from api.disclosure.public_labels import kind_label, plan_stopped, status_label
from api.disclosure.public_movements import accrued_lines, is_movement, movement
from api.disclosure.public_notes import notes_view
from api.disclosure.public_statements import is_empty, summary
from api.i18n import current_locale, gettext, lazy_gettext
from api.public_address import configured, printable
from api.render.charts import yuan
from api.services import services
from ledger.disclosure import MATTER_KINDS
from ledger.kernel.clock import CHINA
from ledger.kernel.money import AmountError, parse_fen
from projections.disclosure.view import is_overdue

KINDS = {
    "income_expenditure": lazy_gettext("Income and expenditure"),
    "balance_sheet": lazy_gettext("Balance sheet"),
    "income_statement": lazy_gettext("Income statement"),
    "special": lazy_gettext("Special disclosure"),
    "resolution": lazy_gettext("Disclosure of a resolution"),
    "matter_result": lazy_gettext("Disclosure of the result of a resolution"),
    "distribution": lazy_gettext("Distribution of the year's income"),
}
SIDES = {"income": lazy_gettext("Income"), "spending": lazy_gettext("Spending")}
# The second figure of each statement line, by kind: what the content names it, and its header.
SECOND_COLUMN = {"balance_sheet": ("start_of_year", lazy_gettext("Start of year")),
                 "income_statement": ("year_to_date", lazy_gettext("Year to date"))}
FIRST_COLUMN = {"balance_sheet": lazy_gettext("End of period"),
                "income_statement": lazy_gettext("This period")}
TOTALS = {"income": lazy_gettext("Total income"), "spending": lazy_gettext("Total spending"),
          "net": lazy_gettext("Income less spending"), "total": lazy_gettext("Total"),
          "budget": lazy_gettext("Total budget"), "spent": lazy_gettext("Spent so far"),
          "remaining": lazy_gettext("Budget remaining"),
          "to_members": lazy_gettext("To members in all"), "paid": lazy_gettext("Paid out in all"),
          "unpaid": lazy_gettext("Not yet paid")}
# The canonical content sorts its keys; the accounts' totals read 收入, 支出, 收支相抵, a matter's
# budget, spent, what remains, a distribution's what the members get, paid, still owed.
MATTER_TOTALS = {"income": 0, "spending": 1, "net": 2,
                 "budget": 0, "spent": 1, "remaining": 2, "paid": 1, "unpaid": 2}
# Who approved a spending request, by the role they approved in (经办/审批).
ROLES = {"finance_lead": lazy_gettext("finance lead"),
         "committee": lazy_gettext("two committees"),
         "supervisor": lazy_gettext("supervision committee")}
# The meetings of 四议两公开, by their step.
# Who proposed the matter: the first of 四议两公开 (a cooperative's board or its members).
PROPOSERS = {"party_branch": lazy_gettext("The party branch"),
             "village_committee": lazy_gettext("The village committee"),
             "board": lazy_gettext("The board of directors"),
             "members": lazy_gettext("The members")}
STEPS = {"deliberate": lazy_gettext("Joint meeting of the two committees deliberates"),
         "review": lazy_gettext("Party members' meeting reviews"),
         "decide": lazy_gettext("Villagers' (representatives') meeting decides")}


def _second_header(kind: str, content: dict[str, Any]) -> str:
    """年初数, dated as the desk dates it when the content names a day that is not December 31
    (format 5: a balance sheet of the year the books start after January 1)."""
    day = content.get("start_of_year", "") if kind == "balance_sheet" else ""
    if day and not day.endswith("-12-31"):
        return gettext("At the start of the year (%(day)s)", day=day)
    return str(SECOND_COLUMN[kind][1])


# --- reading -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Published:
    row: dict[str, Any]
    content: dict[str, Any]

    @property
    def lines(self) -> list[dict[str, Any]]:
        return self.content.get("lines", [])

    @property
    def is_statement(self) -> bool:
        return self.row["kind"] in SECOND_COLUMN


def published(org: str, ref: str) -> Published | None:
    row = services().disclosures.public_disclosure(org, ref)
    return Published(row, json.loads(row["content"])) if row else None


def organization(org: str) -> dict[str, Any] | None:
    with services().queries.read() as reader:
        return reader.organization(org)


def local(thing: dict[str, Any], zh: str, en: str) -> str:
    """The English text when the reader chose English and the data has it; else the Chinese."""
    if current_locale() == "en" and thing.get(en):
        return str(thing[en])
    return str(thing.get(zh, ""))


def shown_amount(text: str) -> str:
    try:
        return yuan(parse_fen(text))
    except AmountError:
        return text


def fen_of(text: str) -> int:
    try:
        return parse_fen(text)
    except AmountError:
        return 0


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute address for printing and QR codes: under SUNLIGHT_PUBLIC_URL when the server
    sits behind a name the village knows, else under the address this request came to."""
    base = configured() or request.url_root
    path = url_for(endpoint, **values)[len(request.script_root):]
    return base.rstrip("/") + path


def printable_url(endpoint: str, **values: Any) -> str | None:
    """The address to print as a QR code, or None where no phone could open it (a loopback
    address outside the demo): see api/public_address.py."""
    url = public_url(endpoint, **values)
    return url if printable(url) else None


def china_day(timestamp: str | None) -> str:
    """The date in China of an event's UTC timestamp: the day the village saw it happen, the
    same calendar as the ledger's asked-on and due dates."""
    if not timestamp:
        return ""
    return datetime.fromisoformat(timestamp).astimezone(CHINA).date().isoformat()


def display_names() -> dict[str, str]:
    return {user["login"]: user["display_name"] for user in services().identity.users()}


# --- what a disclosure shows ---------------------------------------------------------------

def line_changes(old: Iterable[dict[str, Any]],
                 new: Iterable[dict[str, Any]]) -> dict[str, list[Any]]:
    """Lines added, removed and changed in amount from `old` to `new`, matched by their ledger
    reference (voucher/line) where they have one, else by their key or number."""
    def key(line: dict[str, Any]) -> str:
        return str(line.get("ref") or line.get("key") or line.get("no"))

    before, after = {key(line): line for line in old}, {key(line): line for line in new}
    return {
        "added": [line for k, line in after.items() if k not in before],
        "removed": [line for k, line in before.items() if k not in after],
        "changed": [(before[k], line) for k, line in after.items()
                    if k in before and before[k].get("amount") != line.get("amount")],
    }


def _opinions(reviews: list[dict[str, Any]], names: dict[str, str]) -> dict[int, list[str]]:
    """Each line's notes by the signers, as "name: note"."""
    notes: dict[int, list[str]] = {}
    for review in reviews:
        if review["verdict"] != "signed":
            continue
        for number, note in sorted(review["line_notes"].items(), key=lambda kv: int(kv[0])):
            notes.setdefault(int(number), []).append(
                f"{names.get(review['member'], review['member'])}：{note}")
    return notes


def listed(items: Iterable[str]) -> str:
    return ("、" if current_locale() == "zh" else ", ").join(items)


def _with_role(name: str, role: str) -> str:
    """孙委员 (财务负责人); a name the centre registered with its office in brackets already
    (孙委员（财务负责人）) is not given a second."""
    if name.endswith(("）", ")")):
        return name
    return gettext("%(name)s (%(role)s)", name=name, role=role)


def spending_details(spending: dict[str, Any], names: dict[str, str]) -> list[str]:
    """What a line that paid a spending request says of it: the request, who approved it in
    which role, and the resolution it carried out, if any."""
    details = [gettext("Spending request %(no)s", no=spending["request"])]
    approvers = [_with_role(names.get(a["login"], a["login"]), str(ROLES.get(a["role"], a["role"])))
                 for a in spending.get("approvers", [])]
    if approvers:
        details.append(gettext("Approved by: %(names)s", names=listed(approvers)))
    if spending.get("resolution_no"):
        details.append(gettext("Resolution no.: %(no)s", no=spending["resolution_no"]))
    return details


def form_lines(found: Published, names: dict[str, str]) -> list[dict[str, Any]]:
    notes = _opinions(found.row.get("reviews", []), names)
    matter = found.row["kind"] in MATTER_KINDS
    lines = []
    for line in found.lines:
        category, details = "", []
        if "account" in line:
            account = local(line["account"], "name_zh", "name_en")
            category = account if matter else f"{SIDES.get(line.get('side', ''), '')} · {account}"
        if "spending" in line:
            details = spending_details(line["spending"], names)
        if "spent" in line and "remaining" in line:
            details.append(gettext("Spent %(spent)s, remaining %(remaining)s",
                                   spent=shown_amount(line["spent"]["amount"]),
                                   remaining=shown_amount(line["remaining"]["amount"])))
        shown = {**line, "category": category, "details": details,
                 "shown": shown_amount(line["amount"]), "opinions": notes.get(int(line["no"]), [])}
        if is_movement(line):
            shown |= movement(line, names)
            shown["opinions"] = shown.pop("opinions_from_books") + shown["opinions"]
        lines.append(shown)
    return lines


def matter_view(content: dict[str, Any]) -> dict[str, Any]:
    """A resolution's or its result's matter, meetings, payments and what was carried out."""
    meetings = [{**meeting, "step_label": str(STEPS.get(meeting["step"], meeting["step"])),
                 "outcome": gettext("Passed") if meeting["passed"]
                 else gettext("Not passed: %(reason)s", reason=meeting["reason"])
                 if meeting.get("reason") else gettext("Not passed")}
                for meeting in content.get("meetings", [])]
    payments = [{**payment, "shown": shown_amount(payment["amount"])}
                for payment in content.get("payments", [])]
    matter = content.get("matter", {})
    proposer = matter.get("proposed_by", "")
    matter = {**matter, "proposer_label": str(PROPOSERS.get(proposer, proposer))}
    return {"matter": matter, "meetings": meetings,
            "resolution_no": content.get("resolution_no", ""), "payments": payments,
            "carried_out": content.get("carried_out")}


def statement_lines(found: Published) -> list[dict[str, Any]]:
    second = SECOND_COLUMN[found.row["kind"]][0]
    # An empty amount (format 8): a whole year's figure the months' column does not have.
    return [{**line, "item": local(line, "item", "item_en"),
             "shown": shown_amount(line["amount"]) or "—",
             "second": shown_amount(line.get(second, "")), "empty": is_empty(line, second)}
            for line in found.lines]


def totals(content: dict[str, Any]) -> list[dict[str, str]]:
    return [{"label": str(TOTALS.get(name, name)), "shown": shown_amount(value["amount"]),
             "amount": value["amount"], "capital": value["amount_capital"]}
            for name, value in sorted(content.get("totals", {}).items(),
                                      key=lambda item: MATTER_TOTALS.get(item[0], 0))]


def is_cooperative(content: dict[str, Any]) -> bool:
    """A cooperative's content names its kind (a village's never did)."""
    return content["org"].get("kind") == "farmers_cooperative"


def disclosure_view(found: Published) -> dict[str, Any]:
    """Everything the page, the CSV and the sheet show of one published disclosure."""
    row, content = found.row, found.content
    names = display_names()
    view: dict[str, Any] = {
        "row": row, "content": content, "ref": row["id"],
        "org": row["org"], "org_name": local(content["org"], "name_zh", "name_en"),
        "kind": kind_label(KINDS, row["kind"], cooperative=is_cooperative(content)),
        "status": status_label(row),
        "period": content.get("period"),
        "statement": found.is_statement, "totals": totals(content),
        "signers": [names.get(login, login) for login in row["signers"]],
        "reviews": [{"name": names.get(r["member"], r["member"]), "opinion": r["opinion"]}
                    for r in row.get("reviews", []) if r["verdict"] == "signed" and r["opinion"]],
        "line_count": len(found.lines),
        # A cooperative's board of supervisors (监事会) signs where a village's committee would.
        "cooperative": is_cooperative(content),
    }
    if found.is_statement:
        view["lines"] = statement_lines(found)
        view["first_header"] = str(FIRST_COLUMN[row["kind"]])
        view["second_header"] = _second_header(row["kind"], content)
        view["summary"] = summary(row["kind"], view["lines"],
                                  cooperative=is_cooperative(content))
        view["empty_count"] = sum(1 for line in view["lines"] if line["empty"])
        view["notes"] = notes_view(content)
    else:
        view["lines"] = form_lines(found, names)
    if "accrued" in content:
        view["accrued"] = [{**line, "shown": shown_amount(line["amount"])}
                           for line in accrued_lines(content)]
    view["is_matter"] = row["kind"] in MATTER_KINDS
    if view["is_matter"]:
        view |= matter_view(content)
    if row["kind"] == "distribution":
        view |= distribution_view(content, cooperative=is_cooperative(content))
        view["stopped"] = plan_stopped(row["org"], view["distribution"]["number"])
    return view


def corrections(found: Published) -> list[dict[str, Any]]:
    """The published disclosure this one corrects, and the one that corrected it, each with the
    reason and the lines that differ (from the older content to the newer). A correction still
    in draft is not shown: the public sees published content only."""
    row, shown = found.row, []
    if row["corrects"] and (older := published(row["org"], row["corrects"])):
        shown.append({"direction": "corrects", "other": older.row,
                      "reason": row["correction_reason"],
                      "changes": line_changes(older.lines, found.lines)})
    if row["corrected_by"] and (newer := published(row["org"], row["corrected_by"])):
        shown.append({"direction": "corrected_by", "other": newer.row,
                      "reason": newer.row["correction_reason"],
                      "changes": line_changes(found.lines, newer.lines)})
    return shown


def question_view(row: dict[str, Any], titles: dict[str, str]) -> dict[str, Any]:
    """What the public sees of a question: never the phone, the name only as masked."""
    return {"id": row["id"], "disclosure": row["disclosure_id"],
            "title": titles.get(row["disclosure_id"], ""), "line": row["line_no"],
            "text": row["text"], "asker": row["asker"], "asked_on": row["asked_on"],
            "due": row["due"], "answer": row["answer"],
            "answered_on": china_day(row["answered_at"]), "answered_at": row["answered_at"] or "",
            "overdue": is_overdue(row, services().ledger.clock())}


def disclosure_questions(found: Published) -> list[dict[str, Any]]:
    """The questions the public sees under one disclosure."""
    titles = {found.row["id"]: found.row["title"]}
    return [question_view(q, titles) for q in services().disclosures.questions(
        found.row["org"], disclosure=found.row["id"])]
