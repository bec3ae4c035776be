"""The village page's view model: every published disclosure, the newest published period's
accounts first (its totals and charts) with the year so far, and the questions screened visible.
Rule: a disclosure corrected by a published one is listed but no longer counts in the totals and
charts; the year's totals are called "the year so far" only when the periods published run from
the year's first day without a gap, else they name the periods they sum; and "newest" is the
latest period, not the latest publication (a correction of August published after September does
not push September off the top).
"""

from __future__ import annotations

import json
from datetime import date
from itertools import pairwise
from typing import Any

from markupsafe import Markup

from api.disclosure.public_labels import kind_label, status_label
from api.disclosure.public_movements import CLASSES
from api.disclosure.public_text import large_type
from api.disclosure.public_views import (
    KINDS,
    fen_of,
    local,
    printable_url,
    public_url,
    question_view,
    shown_amount,
)
from api.i18n import gettext
from api.render.charts import bar_chart, grouped, yuan
from api.services import services
from ledger.disclosure import InvalidDisclosure, parse_period

_ = gettext


def _charts(content: dict[str, Any]) -> dict[str, Markup]:
    """Spending by category and income by source of one period's accounts, as SVG bars."""
    charts: dict[str, Markup] = {}
    for side, title in (("spending", _("Spending by category")),
                        ("income", _("Income by source"))):
        bars = grouped(((_bar_label(line), fen_of(line["amount"]))
                        for line in content.get("lines", []) if line.get("side") == side),
                       other=_("Other"))
        if bars:
            charts[side] = Markup(bar_chart(bars, title=title, ident=f"chart-{side}",
                                            large=large_type()))
    return charts


def _bar_label(line: dict[str, Any]) -> str:
    """Income and expense by their account's name; a project by its kind and name (项目：东路
    修缮工程); money that settled a debt, repaid a loan… by its kind alone (应付款结算), so that
    no company a debt was owed to reads as an expense of the village."""
    name = local(line["account"], "name_zh", "name_en")
    kind = line.get("class")
    if kind in (None, "income", "spending"):
        return name
    if kind == "project":
        return _("%(kind)s: %(name)s", kind=str(CLASSES[kind]), name=name)
    return str(CLASSES.get(kind, kind))


def _period_key(row: dict[str, Any]) -> tuple[str, str]:
    """Latest period first; a period of one cadence sorts by its last day."""
    try:
        end = parse_period(row["period"]).end.isoformat()
    except InvalidDisclosure:
        end = ""
    return end, row.get("published_at") or ""


def _summed(contents: list[dict[str, Any]]) -> dict[str, str]:
    sums: dict[str, int] = {}
    for content in contents:
        for name, value in content.get("totals", {}).items():
            sums[name] = sums.get(name, 0) + fen_of(value["amount"])
    return {name: yuan(fen) for name, fen in sums.items()}


def _runs_on(periods: list[str]) -> bool:
    """Each period starts the day after the one before it ends: none left out between."""
    spans = sorted((parse_period(period) for period in periods), key=lambda span: span.start)
    return all((later.start - earlier.end).days == 1
               for earlier, later in pairwise(spans))


def year_so_far(accounts: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any] | None:
    """The totals of the newest period's year: every current disclosure of the same cadence in
    that year up to it (months are not added to a quarter that already holds them).
    `whole` says whether they run unbroken from the year's first day; when they do not (the
    year's first months went on paper, or a month was never published here), the page names
    the periods summed instead of calling them the year so far."""
    if not accounts:
        return None
    newest = parse_period(accounts[0][0]["period"])
    same = [(row, content) for row, content in accounts
            if (p := parse_period(row["period"])).cadence == newest.cadence
            and p.start.year == newest.start.year]
    periods = [row["period"] for row, _ in same]
    first = min(periods, key=lambda period: parse_period(period).start)
    whole = parse_period(first).start == date(newest.start.year, 1, 1) and _runs_on(periods)
    return {"year": newest.start.year, "through": accounts[0][0]["period"], "first": first,
            "whole": whole, "count": len(same),
            "totals": _summed([content for _, content in same])}


def village_view(org: str, organization_row: dict[str, Any]) -> dict[str, Any]:
    rows = services().disclosures.published(org)
    public_ids = {row["id"] for row in rows}
    # A disclosure corrected by a published one no longer counts in the totals and charts.
    current = [row for row in rows if row["corrected_by"] not in public_ids]
    accounts = sorted(((row, json.loads(row["content"])) for row in current
                       if row["kind"] == "income_expenditure" and _period_key(row)[0]),
                      key=lambda pair: _period_key(pair[0]), reverse=True)
    periods = [{"row": row, "totals": {name: shown_amount(value["amount"])
                                       for name, value in content.get("totals", {}).items()}}
               for row, content in accounts]
    charts: dict[str, Markup] = {}
    chart_source = None
    if accounts:
        chart_source, content = accounts[0]
        charts = _charts(content)
    titles = {row["id"]: row["title"] for row in rows}
    questions = [question_view(q, titles) for q in services().disclosures.questions(org)]
    cooperative = organization_row.get("kind") == "farmers_cooperative"
    return {
        "org": org, "org_name": local(organization_row, "name_zh", "name_en"),
        "cooperative": cooperative,
        "disclosures": [{**row, "status_label": status_label(row),
                         "kind_label": kind_label(KINDS, row["kind"], cooperative=cooperative),
                         "corrected": row["corrected_by"] in public_ids} for row in rows],
        "periods": periods, "charts": charts, "chart_source": chart_source,
        "newest": periods[0] if periods else None, "year_so_far": year_so_far(accounts),
        "open_questions": [q for q in questions if not q["answer"]],
        "answered_questions": sorted((q for q in questions if q["answer"]),
                                     key=lambda q: q["answered_at"], reverse=True),
        "village_url": public_url("public.village", org=org),
        "qr_printable": printable_url("public.village", org=org) is not None,
    }
