"""A cooperative's accountant drafting a disclosure on the desk reads the cooperative's words:
the kinds 盈余分配公开 and 盈余及盈余分配表, the plan disclosed fifteen days before the members'
meeting (2017 Law Art. 40), and standard titles 2025年度盈余分配方案公示 — never a village's
收益分配 titles, which would otherwise be published as typed. A village keeps its own."""

from __future__ import annotations

import html
import json
import re

from werkzeug.datastructures import MultiDict

from api.disclosure.desk_forms import draft_typed
from tests.api.test_cooperative_distributions import coop, desk  # noqa: F401 (fixtures)
from tests.application.test_cooperative_surplus import COOP, matter


def test_the_draft_form_speaks_the_cooperatives_words(desk, coop, project):  # noqa: F811
    # Given the cooperative's 2025 plan drafted
    number = coop.surplus.draft_plan(COOP, year=2025, record_date=None, matter=matter(coop),
                                     actor="kuaiji").value.number
    project()
    # When its accountant opens the draft form for the plan's disclosure
    raw = desk.get(
        f"/desk/{COOP}/disclosures/new?kind=distribution&distribution={number}&stage=plan")
    page = html.unescape(raw)
    # Then the kinds, the hint and the proposed title are the cooperative's
    assert 'value="2025年度盈余分配方案公示"' in page
    assert "盈余分配公开" in page and "盈余及盈余分配表" in page
    assert "15日前" in page or "fifteen days" in page
    assert "收益分配方案公示" not in page and "收益分配公开" not in page
    # what the script follows
    script = json.loads(html.unescape(re.search(r'data-titles="([^"]*)"', raw)[1]))
    assert script["distribution:result"] == "盈余分配结果公示"
    # And a title left untouched is the cooperative's when the form is sent
    typed = draft_typed(MultiDict({"kind": "distribution", "distribution": number,
                                   "stage": "result", "title": "", "title_default": ""}),
                        cooperative=True)
    assert typed["title"] == "2025年度盈余分配结果公示"
    village = draft_typed(MultiDict({"kind": "distribution", "distribution": number,
                                     "stage": "result", "title": "", "title_default": ""}))
    assert village["title"] == "2025年度收益分配结果公示"
