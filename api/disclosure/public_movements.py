"""How a villager reads one line of the monthly 收支明细 (format /3): in or out, its class as a
short label, who handled it and who approved it, the supervisor's opinion, and a payment with no
approval behind it marked 无审批. Rule: words for the page, sheet and CSV only — the figures are
the published content's, unchanged.
"""

from __future__ import annotations

from typing import Any

from api.i18n import gettext, lazy_gettext

CLASSES = {"income": lazy_gettext("Income"), "spending": lazy_gettext("Spending"),
           "project": lazy_gettext("Project"), "grant": lazy_gettext("Grant"),
           "yishi": lazy_gettext("One-matter-one-discussion"), "loan": lazy_gettext("Loan"),
           "distribution": lazy_gettext("Distribution"),
           "receivable": lazy_gettext("Receivable settled"),
           "payable": lazy_gettext("Payable settled"),
           "transfer": lazy_gettext("Cash and bank transfer"), "other": lazy_gettext("Other")}
DIRECTIONS = {"income": lazy_gettext("In"), "spending": lazy_gettext("Out"),
              "transfer": lazy_gettext("Transfer")}
ROLE_WORDS = {"finance_lead": lazy_gettext("finance lead"),
              "committee": lazy_gettext("two committees"),
              "supervisor": lazy_gettext("supervision committee")}


def is_movement(line: dict[str, Any]) -> bool:
    return "class" in line


def movement(line: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """The words shown for one movement, beside its published keys."""
    approvers = line.get("spending", {}).get("approvers", [])
    approved_by = [names.get(a["login"], a["login"]) for a in approvers]
    if "distribution" in line:
        approved_by = [gettext("Members' meeting (distribution %(no)s)",
                               no=line["distribution"]["number"])]
    # The supervisor's note is the 审核意见 behind the line; the others approved.
    opinions = [f"{names.get(a['login'], a['login'])}（{ROLE_WORDS.get(a['role'], a['role'])}）："
                f"{a['note']}" for a in approvers if a["role"] == "supervisor" and a["note"]]
    handler = names.get(line.get("handler", ""), line.get("handler", ""))
    return {
        "movement": True,
        "class_label": str(CLASSES.get(line["class"], line["class"])),
        "direction": str(DIRECTIONS.get(line["side"], line["side"])),
        "approved_by": "、".join(approved_by),
        "responsible": line.get("responsible") or handler,
        "category": f"{DIRECTIONS.get(line['side'], '')} · {CLASSES.get(line['class'], '')}",
        "opinions_from_books": opinions,
        "unapproved": bool(line.get("unapproved")),
    }


def accrued_lines(content: dict[str, Any]) -> list[dict[str, Any]]:
    """Income and expense recorded with no money moving, for the section apart."""
    return [{**line, "direction": str(DIRECTIONS.get(line["side"], ""))}
            for line in content.get("accrued", [])]
