"""The village page's view model: every published disclosure, the totals and charts of the
latest current accounts, and the questions screened visible. Rule: a disclosure corrected by a
published one is listed but no longer counts in the totals and charts.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from api.disclosure.public_views import (
    KINDS,
    STATUSES,
    fen_of,
    local,
    printable_url,
    public_url,
    question_view,
    shown_amount,
)
from api.i18n import gettext
from api.render.charts import bar_chart, grouped
from api.services import services

_ = gettext


def _charts(content: dict[str, Any]) -> dict[str, Markup]:
    """Spending by category and income by source of one period's accounts, as SVG bars."""
    charts: dict[str, Markup] = {}
    for side, title in (("spending", _("Spending by category")),
                        ("income", _("Income by source"))):
        bars = grouped(((local(line["account"], "name_zh", "name_en"),
                         fen_of(line["amount"])) for line in content.get("lines", [])
                        if line.get("side") == side), other=_("Other"))
        if bars:
            charts[side] = Markup(bar_chart(bars, title=title, ident=f"chart-{side}"))
    return charts


def village_view(org: str, organization_row: dict[str, Any]) -> dict[str, Any]:
    rows = services().disclosures.published(org)
    public_ids = {row["id"] for row in rows}
    # A disclosure corrected by a published one no longer counts in the totals and charts.
    current = [row for row in rows if row["corrected_by"] not in public_ids]
    accounts = [(row, json.loads(row["content"])) for row in current
                if row["kind"] == "income_expenditure"]
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
    return {
        "org": org, "org_name": local(organization_row, "name_zh", "name_en"),
        "disclosures": [{**row, "kind_label": str(KINDS.get(row["kind"], row["kind"])),
                         "status_label": str(STATUSES.get(row["status"], row["status"])),
                         "corrected": row["corrected_by"] in public_ids} for row in rows],
        "periods": periods, "charts": charts, "chart_source": chart_source,
        "open_questions": [q for q in questions if not q["answer"]],
        "answered_questions": sorted((q for q in questions if q["answer"]),
                                     key=lambda q: q["answered_at"], reverse=True),
        "village_url": public_url("public.village", org=org),
        "qr_printable": printable_url("public.village", org=org) is not None,
    }
