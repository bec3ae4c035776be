"""The disclosures a village has not published by their deadline (应公开未公开), as the township
home, the village's desk, its supervision committee and its public page all show them: one list
from the read models (the settings, the books' first day, what is published) and the ledger's
rule, so every surface flags the same periods.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from api.desk_format import period as period_words
from api.i18n import current_locale, gettext, lazy_gettext
from api.services import services
from ledger.books import NO_BOOKS
from ledger.disclosure import owed, parse_period

# How the flag names what is missing: "2026年10月财务收支明细".
OWED_LABELS = {"income_expenditure": lazy_gettext("Financial income and expenditure"),
               "balance_sheet": lazy_gettext("Balance sheet"),
               "income_statement": lazy_gettext("Income statement")}
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def day_words(day: date) -> str:
    """2026年11月15日, or 15 November 2026 for an English reader."""
    if current_locale() == "en":
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def owed_from(org: dict[str, Any], settings: dict[str, Any]) -> date:
    """The first day disclosures are owed from: the books' first day, or the local rule's first
    owed period when it is later (books moved here from paper)."""
    start = date.fromisoformat(str(org["books_start"])[:10])
    if settings.get("disclosure_owed_from"):
        start = max(start, parse_period(str(settings["disclosure_owed_from"])).start)
    return start


def overdue_of(org: dict[str, Any], today: date) -> list[dict[str, Any]]:
    """Oldest first, each late disclosure of the organization `org` (its books read model row)
    with the sentence that names it; none for an organization that keeps no books."""
    if org["chart"] == NO_BOOKS:
        return []
    code = org["code"]
    settings = services().queries.settings(code)
    start = owed_from(org, settings)
    late = owed(str(settings["disclosure_cadence"]), start, today,
                int(settings["disclosure_deadline_day"]),
                services().disclosures.published_periods(code))
    return [{"period": item.period.label, "kind": item.kind,
             "deadline": item.deadline.isoformat(),
             "text": gettext("%(period)s %(kind)s, due by %(day)s",
                             period=period_words(item.period.label),
                             kind=str(OWED_LABELS.get(item.kind, item.kind)),
                             day=day_words(item.deadline))}
            for item in late]
