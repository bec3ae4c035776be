"""The township centre's home (代理记账中心): for each village where the signed-in user holds a
role, what needs doing there, read from the read models — the month open for postings, warnings
nobody has acknowledged, the disclosures due by the village's cadence and those past their
deadline, spending waiting for approval and the requests waiting for this user's own approval.
Rule: counts only, each a link to the page where it is done; the pages themselves decide who may
do what.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from api.disclosure.deadlines import overdue_of, owed_from
from api.services import services
from ledger.books import NO_BOOKS, Period
from ledger.disclosure import ended_since
from projections.books.queries import Page

APPROVERS = frozenset({"finance_lead", "committee", "supervisor"})
SPENDING_READERS = frozenset({"accountant", "committee", "finance_lead", "supervisor",
                              "auditor"})
ONE = Page(1, 1)  # a count: the total of a one-row page


def village_summary(org: dict[str, Any], roles: frozenset[str], login: str,
                    today: date) -> dict[str, Any]:
    """What waits in one village; `org` is its row in the books read model."""
    code = org["code"]
    keeps_books = org["chart"] != NO_BOOKS
    summary: dict[str, Any] = {"open_month": open_month(org) if keeps_books else None,
                               "spending": roles & SPENDING_READERS != frozenset()}
    if not keeps_books:
        return summary | {"warnings": 0, "due": [], "overdue": [], "pending": 0,
                          "to_approve": []}
    spending = services().spending
    summary["warnings"] = spending.warnings(code, ONE, open_only=True)[1]
    summary["pending"] = spending.spending_requests(code, ONE, status="pending")[1]
    summary["to_approve"] = (spending.pending_for(code, set(roles & APPROVERS), login)
                             if roles & APPROVERS else [])
    settings = services().queries.settings(code)
    published = services().disclosures.published_periods(code)
    # Owed as the overdue flags count them: from the local rule's first owed period, if later.
    start = owed_from(org, settings)
    summary["due"] = [p for p in ended_since(str(settings["disclosure_cadence"]), start, today)
                      if ("income_expenditure", p) not in published]
    # Past their deadline (应公开未公开): shown to everyone with a role, the supervisors too.
    summary["overdue"] = overdue_of(org, today)
    return summary


def open_month(org: dict[str, Any]) -> str:
    """The first month not closed: where the next voucher goes."""
    if org.get("closed_through"):
        return str(Period.parse(str(org["closed_through"])).next())
    return str(Period.of(date.fromisoformat(str(org["books_start"])[:10])))
