"""The distribution desk says what its figures hold and who each line is: 分配总额 includes the
collective share's part (on the form and in the preview, so an accountant does not type the
households' own total there); a cooperative's slips are one per member, not 每户一张; an outside
heir is never read as household 1; a household with no head recorded is named as such and the
drafted plan warns of it.

New words are looked for in English (?lang=en) or by their element, so the tests hold before and
after their Chinese (api/translations/zh/fix-coopwords.po) is merged into the catalog.
"""

from __future__ import annotations

import html
import re

from flask import render_template_string

from api.distribution.desk_forms import KIND_LABELS
from api.distribution.desk_views import headless, holder_ref
from tests.api.desk_browser import browser
from tests.api.test_cooperative_distributions import coop, desk, desk_form  # noqa: F401
from tests.api.test_distribution_desk import draft_form, ledger, village  # noqa: F401
from tests.application.test_cooperative_surplus import COOP
from tests.registers import ORG


def test_the_total_is_said_to_include_the_collective_shares_part(village, project):  # noqa: F811
    # Given 东村 (households 85 + 80 + 35 shares, the collective share 60),
    wang = browser(village, project, "wang")
    page = wang.get(f"/desk/{ORG}/distributions/new")
    # when the accountant reads the form and previews a total of 20,000.00,
    assert 'id="total-includes-collective"' in page
    shown = wang.post(f"/desk/{ORG}/distributions/new", draft_form(
        page, preview="1", to_mode="total", per_share="", total="20000.00"), status=200)
    # then the preview says the total holds the collective share's 60/260 (4,615.38, the
    # leftover fen going to 003 and 002) and the households get 15,384.62.
    note = re.search(r'<p class="notice" id="preview-total-split">(.*?)</p>', shown, re.S)
    assert note and "20000.00" in note[1] and "4,615.38" in note[1] and "15,384.62" in note[1]
    english = html.unescape(wang.get(f"/desk/{ORG}/distributions/new?lang=en"))
    assert "The total includes the collective share's part" in english


def test_a_cooperatives_slips_are_one_per_member(desk, coop, project):  # noqa: F811
    # Given a cooperative's plan drafted on the desk,
    page = desk.get(f"/desk/{COOP}/distributions/new")
    location = desk.post(f"/desk/{COOP}/distributions/new", desk_form(page, draft="1"))
    number = re.search(r"/distributions/(\d{4}-\d+)", location)[1]
    project()
    # when the accountant opens the slips to print,
    slips = desk.get(f"/desk/{COOP}/distributions/{number}/slips")
    english = html.unescape(desk.get(f"/desk/{COOP}/distributions/{number}/slips?lang=en"))
    # then they are one per member of a surplus plan, not one per household of a village's.
    assert "每户一张" not in slips and "收益分配方案" not in slips
    assert "one slip per member" in english and f"Surplus distribution plan {number}" in english


def lines_shown(app, lines):
    with app.test_request_context("/?lang=en"):
        return render_template_string(
            '{% import "distribution/macros.html" as d with context %}'
            "{{ d.headless_warning(refs) }}{{ d.holders(lines, ref, status=false) }}",
            lines=lines, ref=holder_ref, refs=headless(lines), kind_labels=KIND_LABELS)


def test_an_outside_heir_and_a_household_without_a_head_read_as_such(app):
    # Given a plan's lines: household 007 with no head recorded, outside heir 1 韩建设,
    lines = [{"holder": "household:007", "kind": "household", "name": "", "shares": 60,
              "amount": 60000, "paid": False},
             {"holder": "outside:1", "kind": "outside", "name": "韩建设", "shares": 76,
              "amount": 76000, "paid": False}]
    # when the desk shows them,
    shown = html.unescape(lines_shown(app, lines))
    # then the heir is labelled an outside heir, not household 1, the headless household reads
    # 「(head not recorded)」, and the plan warns that 007 has no head.
    heir = re.search(r'<tr id="h-1">(.*?)</tr>', shown, re.S)[1]
    assert "Outside heir 1" in heir and "韩建设" in heir
    household = re.search(r'<tr id="h-007">(.*?)</tr>', shown, re.S)[1]
    assert "(head not recorded)" in household
    warning = re.search(r'id="headless">(.*?)</p>', shown, re.S)
    assert warning and "007" in warning[1]
    assert "first member" in warning[1] and "no name" not in warning[1]
    assert headless(lines) == ["007"]
