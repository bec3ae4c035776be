"""How a published disclosure is labelled to the public, by the organization's kind and the day.

Rule: a cooperative's year-end disclosure is its surplus distribution (盈余分配公开), never a
village's 收益分配公开; 「公示中」 is said only within the posting period (after it 「已公示」,
before it 「待公示」); and a distribution plan cancelled (or not passed) after its disclosure is
marked so on its disclosure (「此方案已取消，未执行」), with no look-up that could never find
a line.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from api.i18n import lazy_gettext
from api.services import services

STATUSES = {"published": lazy_gettext("On the noticeboard"),
            "archived": lazy_gettext("Archived")}
POSTING_OVER = lazy_gettext("Posting period over")
POSTING_AHEAD = lazy_gettext("To be posted")
CANCELLED = lazy_gettext("This plan was cancelled and is not carried out.")
NOT_PASSED = lazy_gettext("The meeting did not pass this plan; it is not carried out.")
COOPERATIVE_KINDS = {"distribution": lazy_gettext("Distribution of the year's surplus")}


def kind_label(kinds: dict[str, Any], kind: str, *, cooperative: bool) -> str:
    """The kind in the organization's own words: a cooperative's distribution is its surplus."""
    if cooperative and kind in COOPERATIVE_KINDS:
        return str(COOPERATIVE_KINDS[kind])
    return str(kinds.get(kind, kind))


def status_label(row: dict[str, Any], today: date | None = None) -> str:
    """「公示中」 while today is in the posting period; 「已公示」 after it; 「待公示」 before.
    An archived disclosure, or one whose period is not known, keeps its status's word."""
    if row.get("status") != "published" or not row.get("posting_from") \
            or not row.get("posting_to"):
        return str(STATUSES.get(row.get("status", ""), row.get("status", "")))
    day = (today or services().ledger.clock()).isoformat()
    if day > str(row["posting_to"])[:10]:
        return str(POSTING_OVER)
    if day < str(row["posting_from"])[:10]:
        return str(POSTING_AHEAD)
    return str(STATUSES["published"])


def plan_stopped(org: str, number: str) -> str:
    """Why a disclosed plan will not be carried out, in words; "" while it still stands.
    Cancelled, or its matter stopped (the meeting did not pass it) before it was cancelled."""
    plan = services().distributions.distribution(org, number)
    if plan is None or plan["status"] == "cancelled":
        return str(CANCELLED)
    matter = services().spending.matter(org, plan["matter"]) if plan.get("matter") else None
    if plan["status"] == "drafted" and matter and matter["status"] == "stopped":
        return str(NOT_PASSED)
    return ""
