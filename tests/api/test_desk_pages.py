"""The desk pages driven as a browser drives them: sign in through the form, post each form with
the CSRF token the page carries, follow the 303s. The whole disclosure workflow and the questions,
on SQLite and on PostgreSQL."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import Flask

from api.disclosure.desk_forms import default_title, last_ended
from tests.api.conftest import make_user
from tests.api.desk_browser import (
    ORG,
    browser,
    draft_october,
    field,
    form_of,
    ref_of,
    set_up_village,
    stage,
    waiting,
)


@pytest.fixture
def village(app, client, org, project) -> Flask:
    """v1 with October's vouchers; wang keeps its books; zhao, qian and sun sit on its
    supervision committee (so two of the three must sign); chen is on its village committee."""
    return set_up_village(app, client, project)


def test_the_disclosure_workflow_from_draft_to_publication(village, project):
    wang = browser(village, project, "wang")
    desk = wang.get("/desk/")
    assert f'href="/desk/{ORG}/disclosures/new"' in desk and "一村股份经济合作社" in desk

    new = wang.get(f"/desk/{ORG}/disclosures/new")
    assert field(new, "period") == "2026-10"  # the last month ended before 2026-11-22
    assert field(new, "title") == "2026年10月财务收支明细"
    # October's lines are offered for their fund source, unit and person responsible.
    assert 'name="note-2026-10-0002/1-unit"' in new
    form = {**form_of(new), "notes": "请村民监督", "note-2026-10-0002/1-unit": "村委会",
            "note-2026-10-0002/1-responsible": "王会计"}
    location = wang.post(f"/desk/{ORG}/disclosures/new", form)
    assert "done=drafted" in location
    ref = ref_of(location)

    page = wang.get(location)
    assert stage(page) == "drafted" and "<h1>2026年10月财务收支明细</h1>" in page
    for shown in ("5,000.00", "伍仟元整", "1,200.00", "壹仟贰佰元整", "村委会", "王会计",
                  "请村民监督", "2026-10-0001"):
        assert shown in page, shown
    assert f'action="/desk/{ORG}/disclosures/{ref}/submit"' in page
    assert f"/desk/{ORG}/disclosures/new?supersedes={ref}" in page  # redraft

    page = wang.follow(f"/desk/{ORG}/disclosures/{ref}/submit")
    assert stage(page) == "in_review" and "qian、sun、zhao" in page
    assert "3 人中 2 人" in page  # the quorum: a majority of three

    zhao = browser(village, project, "zhao")
    assert f"/desk/{ORG}/disclosures/{ref}" in waiting(zhao.get("/desk/"), "review")
    page = zhao.get(f"/desk/{ORG}/disclosures/{ref}")
    assert f'action="/desk/{ORG}/disclosures/{ref}/sign"' in page
    # A note on a line the disclosure does not have is refused beside the notes, not kept
    page = zhao.post(f"/desk/{ORG}/disclosures/{ref}/sign", {
        "opinion": "经核对", "line-0": "99", "line_note-0": "无此行"}, status=422)
    assert "没有第 99 行" in page and "经核对" in page  # what was typed stays
    page = zhao.follow(f"/desk/{ORG}/disclosures/{ref}/sign", {
        "opinion": "经核对，账实相符", "line-0": "2", "line_note-0": "请附工资表"})
    assert stage(page) == "in_review" and "经核对，账实相符" in page and "请附工资表" in page
    assert f'action="/desk/{ORG}/disclosures/{ref}/sign"' not in page  # zhao has signed
    assert waiting(zhao.get("/desk/"), "review") == ""

    # One signature of the two needed: publishing is refused, with the rule on the page.
    page = wang.post(f"/desk/{ORG}/disclosures/{ref}/publish", status=409)
    assert "这份公开处于“审核中”阶段，现在不能公布。" in page  # the rule, in Chinese

    qian = browser(village, project, "qian")
    qian.get(f"/desk/{ORG}/disclosures/{ref}")
    assert stage(qian.follow(f"/desk/{ORG}/disclosures/{ref}/sign")) == "reviewed"

    page = wang.get(f"/desk/{ORG}/disclosures/{ref}")
    assert field(page, "posting_from") == "2026-11-22"
    assert field(page, "posting_to") == "2026-11-26"  # five days, the default posting_days
    page = wang.post(f"/desk/{ORG}/disclosures/{ref}/publish",
                     {"posting_from": "2026-11-22", "posting_to": "2026-11-23"}, status=422)
    assert "公开至少要张贴 5 天。" in page
    assert field(page, "posting_to") == "2026-11-23"  # what was typed stays
    page = wang.follow(f"/desk/{ORG}/disclosures/{ref}/publish",
                       {"posting_from": "2026-11-22", "posting_to": "2026-11-26"})
    assert stage(page) == "published" and "2026-11-22 – 2026-11-26" in page
    assert "2026-12-01" in page  # objections until five days after the posting
    assert f"/desk/{ORG}/disclosures/new?corrects={ref}" in page

    # sun never gave a verdict, but the disclosure is published: nothing left to sign.
    sun = browser(village, project, "sun")
    page = sun.get(f"/desk/{ORG}/disclosures/{ref}")
    assert f'action="/desk/{ORG}/disclosures/{ref}/sign"' not in page
    page = sun.post(f"/desk/{ORG}/disclosures/{ref}/sign", status=409)
    assert "现在不能签字。" in page


def test_a_refusal_returns_the_draft_and_a_redraft_supersedes_it(village, project):
    ledger = village.extensions["sunlight"].ledger
    wang = browser(village, project, "wang")
    first = ref_of(draft_october(wang))
    wang.get(f"/desk/{ORG}/disclosures/{first}")
    wang.post(f"/desk/{ORG}/disclosures/{first}/submit")

    zhao = browser(village, project, "zhao")
    zhao.get(f"/desk/{ORG}/disclosures/{first}")
    page = zhao.post(f"/desk/{ORG}/disclosures/{first}/refuse", {"reason": " "}, status=422)
    # The JSON route's schema reads the form (api/forms.py): a blank reason is a missing one.
    assert re.search(r'<span class="error" id="refuse-reason-error">此项必填。<', page)
    page = zhao.follow(f"/desk/{ORG}/disclosures/{first}/refuse",
                       {"reason": "干部报酬缺少发放名单"})
    assert stage(page) == "returned" and "干部报酬缺少发放名单" in page

    page = wang.get(f"/desk/{ORG}/disclosures/{first}")
    assert f'/disclosures/{first}/submit"' not in page  # a returned draft is redrafted
    redraft = wang.get(f"/desk/{ORG}/disclosures/new?supersedes={first}")
    assert field(redraft, "supersedes") == first and field(redraft, "notes") == "请村民监督"
    assert field(redraft, "title") == "2026年10月财务收支明细"
    location = wang.post(f"/desk/{ORG}/disclosures/new",
                         {**form_of(redraft), "notes": "附发放名单"})
    second = ref_of(location)
    page = wang.get(location)
    assert stage(page) == "drafted" and f"/desk/{ORG}/disclosures/{first}" in page
    old = wang.get(f"/desk/{ORG}/disclosures/{first}")
    assert stage(old) == "superseded" and f"/desk/{ORG}/disclosures/{second}" in old
    assert "/new?supersedes=" not in old  # a superseded draft is not redrafted again

    wang.post(f"/desk/{ORG}/disclosures/{second}/submit")
    # lisi joins the committee after the submission: not on this review's panel.
    make_user(village, "lisi", (ORG, "supervisor"))
    lisi = browser(village, project, "lisi")
    page = lisi.get(f"/desk/{ORG}/disclosures/{second}")
    assert f'/disclosures/{second}/sign"' not in page
    page = lisi.post(f"/desk/{ORG}/disclosures/{second}/sign", status=409)
    assert "lisi 不在这份公开的审核小组中。" in page
    # The accountant holds no supervisor role: refused by the access rule before anything runs.
    page = wang.post(f"/desk/{ORG}/disclosures/{second}/sign", status=403)
    assert "<h1>" in page
    # A form without the session's CSRF token is refused, and nothing is signed.
    zhao.get(f"/desk/{ORG}/disclosures/{second}")
    zhao.post(f"/desk/{ORG}/disclosures/{second}/sign", csrf=False, status=403)
    zhao.post(f"/desk/{ORG}/disclosures/{second}/sign", {"csrf_token": "forged"}, csrf=False,
              status=403)
    assert ledger.disclosure.disclosure(ORG, second).signatures == {}
    zhao.post(f"/desk/{ORG}/disclosures/{second}/sign")
    assert list(ledger.disclosure.disclosure(ORG, second).signatures) == ["zhao"]


def test_invalid_input_is_shown_beside_its_field_and_kept(village, project):
    wang = browser(village, project, "wang")
    form = form_of(wang.get(f"/desk/{ORG}/disclosures/new"))
    page = wang.post(f"/desk/{ORG}/disclosures/new", {**form, "period": "2026-13",
                                                       "notes": "我写的说明"}, status=422)
    assert re.search(r'id="draft-period-error">应为月份（2026-10）、季度（2026-Q3）或年度（2026）。'
                     r"</span>", page)
    assert 'name="period" value="2026-13"' in page and 'aria-invalid="true"' in page
    assert field(page, "notes") == "我写的说明"
    page = wang.post(f"/desk/{ORG}/disclosures/new", {**form, "period": "2026-11"}, status=422)
    assert "2026-11 还没有结束。" in page
    project()
    assert village.extensions["sunlight"].disclosures.of_org(ORG) == []  # nothing was drafted

    special = form_of(wang.get(f"/desk/{ORG}/disclosures/new?kind=special"))
    assert special["period"] == "" and special["title"] == ""
    items = {"body": "村道硬化工程决算如下。", "item-0-item": "水泥", "item-0-amount": "30000",
             "item-0-fund_source": "一事一议财政奖补", "item-0-unit": "村委会",
             "item-0-responsible": "张**", "item-1-item": "人工", "item-1-amount": "12,5"}
    page = wang.post(f"/desk/{ORG}/disclosures/new",
                     {**special, **items, "title": "村道硬化工程专项公开"}, status=422)
    assert re.search(r'id="draft-items-error">[^<]+ \(第 2 行\)', page)
    assert field(page, "item-1-amount") == "12,5" and field(page, "body") == items["body"]
    items["item-1-amount"] = "12500.50"
    page = wang.post(f"/desk/{ORG}/disclosures/new", {**special, **items, "title": ""},
                     status=422)
    assert 'id="draft-title-error"' in page  # a special disclosure has no standard title
    location = wang.post(f"/desk/{ORG}/disclosures/new",
                         {**special, **items, "title": "村道硬化工程专项公开"})
    page = wang.get(location)
    for shown in ("村道硬化工程决算如下。", "30,000.00", "叁万元整", "一事一议财政奖补",
                  "12,500.50", "42,500.50"):
        assert shown in page, shown


def test_a_double_tapped_draft_button_drafts_once(village, project):
    wang = browser(village, project, "wang")
    form = {**form_of(wang.get(f"/desk/{ORG}/disclosures/new")), "csrf_token": wang.csrf}
    first = wang.client.post(f"/desk/{ORG}/disclosures/new", data=form)
    again = wang.client.post(f"/desk/{ORG}/disclosures/new", data=form)
    assert first.status_code == again.status_code == 303
    assert ref_of(first.headers["Location"]) == ref_of(again.headers["Location"])
    project()
    assert len(village.extensions["sunlight"].disclosures.of_org(ORG)) == 1
    # The same form sent back changed (the back button, then an edit) is refused, not replayed.
    changed = wang.post(f"/desk/{ORG}/disclosures/new", {**form, "notes": "改过"}, csrf=False,
                        status=422)
    assert field(changed, "notes") == "改过"


def test_the_default_period_follows_the_cadence(village, project):
    ledger = village.extensions["sunlight"].ledger
    ledger.books.change_settings(ORG, {"disclosure_cadence": "quarter"}, reason="按季公开",
                                 actor="wang")
    wang = browser(village, project, "wang")
    page = wang.get(f"/desk/{ORG}/disclosures/new?kind=balance_sheet")
    assert field(page, "period") == "2026-Q3" and field(page, "title") == "2026年第3季度资产负债表"
    # A title left as proposed follows the kind and period chosen when posting.
    location = wang.post(f"/desk/{ORG}/disclosures/new", {
        **form_of(page), "kind": "income_statement", "period": "2025"})
    assert "<h1>2025年度收益及收益分配表</h1>" in wang.get(location)
    # A title the accountant wrote is kept by a redraft; only a standard one follows the period.
    page = wang.get(f"/desk/{ORG}/disclosures/new?kind=balance_sheet")  # a fresh form
    location = wang.post(f"/desk/{ORG}/disclosures/new", {
        **form_of(page), "title": "2026年三季度资产负债表（含村道工程）"})
    redraft = form_of(wang.get(f"/desk/{ORG}/disclosures/new?supersedes={ref_of(location)}"))
    assert redraft["title"] == "2026年三季度资产负债表（含村道工程）"
    assert redraft["title_default"] == ""


@pytest.mark.parametrize(("cadence", "today", "period"), [
    ("month", date(2026, 1, 3), "2025-12"), ("month", date(2026, 11, 30), "2026-10"),
    ("quarter", date(2026, 2, 1), "2025-Q4"), ("quarter", date(2026, 10, 1), "2026-Q3"),
    ("year", date(2026, 12, 31), "2025"),
])
def test_last_ended_period(cadence, today, period):
    assert last_ended(cadence, today) == period


def test_default_titles():
    assert default_title("income_expenditure", "2026-10") == "2026年10月财务收支明细"
    assert default_title("balance_sheet", "2026-Q3") == "2026年第3季度资产负债表"
    assert default_title("income_statement", "2026") == "2026年度收益及收益分配表"
    assert default_title("special", "2026-10") == default_title("balance_sheet", "x") == ""
