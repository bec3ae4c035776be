"""The matters desk (四议两公开) driven as a browser drives it: a village's matter proposed on the
desk, deliberated, reviewed and decided through the meeting form, then carried out once its
resolution is disclosed; a cooperative's matter decided by the members' meeting at once;
refusals beside their field in Chinese with nothing written; a supervisor reads, never writes.
On SQLite and on PostgreSQL."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.api.conftest import make_user
from tests.api.desk_browser import Browser, browser, field
from tests.api.test_matters_api import disclose_resolution

ORG = "v1"
MEETINGS = {
    "deliberate": {"date": "2026-03-02", "entitled": "7", "present": "6", "votes_for": "5"},
    "review": {"date": "2026-03-03", "entitled": "30", "present": "25", "votes_for": "20",
               "votes_against": "3", "abstain": "2"},
    "decide": {"date": "2026-03-04", "body": "representatives_meeting", "entitled": "40",
               "present": "35", "votes_for": "30", "votes_against": "5",
               "minutes": "同意修建东组水泥路", "resolution_no": "2026-1"},
}


@pytest.fixture
def village(app, client, org, project) -> Flask:
    """v1 where wang keeps the books, liu sits on the village committee, sup1 supervises."""
    make_user(app, "liu", (ORG, "committee"))
    make_user(app, "sup1", (ORG, "supervisor"))
    project()
    return app


def matter_form(page: str, **typed: str) -> dict[str, str]:
    return {"date": "2026-03-01", "title": "修建东组水泥路", "category": "project",
            "description": "东组至村部道路硬化", "proposed_by": "village_committee",
            "budget_total": "48000.00", "key": field(page, "key"), **typed}


def meeting_form(page: str, step: str, **typed: str) -> dict[str, str]:
    return {"step": step, "key": field(page, "key"), **MEETINGS[step], **typed}


def selected_step(page: str) -> str:
    select = re.search(r'<select id="meeting-step".*?</select>', page, re.S).group(0)
    return re.search(r'<option value="(\w+)" selected>', select).group(1)


def propose(person: Browser, org: str = ORG, **typed: str) -> str:
    page = person.get(f"/desk/{org}/matters")
    location = person.post(f"/desk/{org}/matters", matter_form(page, **typed))
    assert "done=proposed" in location
    return re.search(r"/matters/(M[0-9-]+)", location).group(1)


def test_a_village_matter_is_proposed_taken_through_its_meetings_and_carried_out(
        village, project):
    wang = browser(village, project, "wang")
    desk = wang.get("/desk/")
    assert f'href="/desk/{ORG}/matters"' in desk
    assert f'href="/desk/{ORG}/matters"' in wang.get(f"/desk/{ORG}/spending")
    page = wang.get(f"/desk/{ORG}/matters")
    assert "新建事项" in page and '<option value="project" selected>' in page
    number = propose(wang)
    assert number == "M2026-0001"
    page = wang.get(f"/desk/{ORG}/matters/{number}")
    assert "修建东组水泥路" in page and "已提议" in page and "48,000.00" in page
    assert selected_step(page) == "deliberate" and "记录会议" in page
    for step, status in (("deliberate", "已商议"), ("review", "已审议"), ("decide", "已决定")):
        page = wang.get(f"/desk/{ORG}/matters/{number}")
        assert selected_step(page) == step
        assert ('name="resolution_no"' in page) == (step == "decide")
        page = wang.follow(f"/desk/{ORG}/matters/{number}/meetings", meeting_form(page, step))
        assert status in page
    assert "决议文号：2026-1" in page and "村民代表会议" in page
    assert 'id="meeting-form"' not in page  # no meeting is due once decided
    assert 'id="carry-form"' not in page and "先公开决议，才能记录为已实施" in page
    listed = wang.get(f"/desk/{ORG}/matters")
    row = re.search(rf'<tr id="m-{number}">.*?</tr>', listed, re.S).group(0)
    assert "建设项目" in row and "已决定" in row and "3 / 3" in row and "2026-1" in row

    disclose_resolution(village, ORG, number)
    page = wang.get(f"/desk/{ORG}/matters/{number}")
    assert 'id="resolution-disclosure"' in page and 'id="carry-form"' in page
    page = wang.follow(f"/desk/{ORG}/matters/{number}/carried-out", {
        "date": "2026-06-30", "summary": "道路完工并验收", "key": field(page, "key")})
    assert "已实施" in page and "道路完工并验收" in page


def test_more_present_than_entitled_is_refused_beside_present_and_writes_nothing(
        village, project, log_head):
    wang = browser(village, project, "wang")
    number = propose(wang)
    page = wang.get(f"/desk/{ORG}/matters/{number}")
    before = log_head()
    page = wang.post(f"/desk/{ORG}/matters/{number}/meetings",
                     meeting_form(page, "deliberate", present="9"), status=422)
    error = re.search(r'<span class="error" id="meeting-present-error">([^<]*)</span>', page)
    assert error and "实到人数多于应到人数" in error.group(1)
    assert field(page, "present") == "9"  # what was typed stays
    assert log_head() == before


def test_a_meeting_missing_its_quorum_is_recorded_once_confirmed_and_stops_the_matter(
        village, project, log_head):
    wang = browser(village, project, "wang")
    number = propose(wang)
    page = wang.get(f"/desk/{ORG}/matters/{number}")
    # Given a meeting typed with 3 of 7 present, when it is first submitted
    before = log_head()
    typed = meeting_form(page, "deliberate", present="3", votes_for="3")
    page = wang.post(f"/desk/{ORG}/matters/{number}/meetings", typed, status=409)
    # then nothing is written: the page says why the matter would stop, beside 实到, keeps what
    # was typed and asks to confirm (a miscount would end the matter for good)
    assert log_head() == before
    error = re.search(r'<span class="error" id="meeting-present-error">([^<]*)</span>', page)
    assert error and "到会人数不足：应到7人，实到3人，须过半数" in error.group(1)
    assert "记录这次会议将终止本事项" in error.group(1) and "quorum" not in page
    assert field(page, "present") == "3" and 'name="confirm_stop"' in page
    # and when confirmed, it is recorded and the matter stops
    page = wang.follow(f"/desk/{ORG}/matters/{number}/meetings",
                       {**typed, "key": field(page, "key"), "confirm_stop": "1"})
    assert "已终止" in page and "到会人数不足：应到7人，实到3人，须过半数" in page
    assert "quorum" not in page  # the ledger's English aside is for programs
    assert 'id="meeting-form"' not in page


def test_a_miscount_corrected_after_the_warning_is_recorded_as_carried(village, project):
    wang = browser(village, project, "wang")
    number = propose(wang)
    page = wang.get(f"/desk/{ORG}/matters/{number}")
    # Given the warning for 3 present (the minutes say 6)
    page = wang.post(f"/desk/{ORG}/matters/{number}/meetings",
                     meeting_form(page, "deliberate", present="3", votes_for="3"), status=409)
    # when the count is corrected, without the confirmation, the meeting is recorded as passed
    page = wang.follow(f"/desk/{ORG}/matters/{number}/meetings",
                       meeting_form(page, "deliberate"))
    assert "已终止" not in page and selected_step(page) == "review"


def test_a_step_out_of_turn_is_refused_beside_the_step(village, project, log_head):
    wang = browser(village, project, "wang")
    number = propose(wang)
    page = wang.get(f"/desk/{ORG}/matters/{number}")
    before = log_head()
    page = wang.post(f"/desk/{ORG}/matters/{number}/meetings",
                     meeting_form(page, "decide"), status=409)
    error = re.search(r'<span class="error" id="meeting-step-error">([^<]*)</span>', page)
    assert error and "两委联席会议" in error.group(1) and "下一步" in error.group(1)
    assert log_head() == before


def test_a_blank_title_is_refused_beside_the_title(village, project, log_head):
    wang = browser(village, project, "wang")
    page = wang.get(f"/desk/{ORG}/matters")
    before = log_head()
    page = wang.post(f"/desk/{ORG}/matters", matter_form(page, title=""), status=422)
    assert re.search(r'id="matter-title-error">[^<]*必填', page)
    assert log_head() == before


@pytest.fixture
def cooperative(app, client, project) -> Flask:
    response = client.post("/api/v1/orgs", json={
        "code": "coop", "name_zh": "东村水稻专业合作社", "kind": "farmers_cooperative",
        "books_start": "2026-01-01"})
    assert response.status_code == 201, response.get_json()
    assert client.post("/api/v1/orgs/coop/roles", json={
        "login": "wang", "role": "accountant", "reason": "记账"}).status_code == 201
    project()
    return app


def test_a_cooperative_matter_goes_to_the_members_meeting_at_once(cooperative, project):
    wang = browser(cooperative, project, "wang")
    page = wang.get("/desk/coop/matters")
    assert '<option value="board" selected>' in page and "village_committee" not in page
    number = propose(wang, "coop", date="2026-03-01", proposed_by="board")
    page = wang.get(f"/desk/coop/matters/{number}")
    assert selected_step(page) == "decide" and "成员（代表）大会" in page
    # The members' meetings are offered first, as the ones a cooperative decides by.
    assert re.search(r'<select id="meeting-body"[^>]*>\s*<option value="members_meeting"', page)
    page = wang.follow(f"/desk/coop/matters/{number}/meetings", meeting_form(
        page, "decide", body="members_meeting", entitled="25", present="20", votes_for="18",
        votes_against="2"))
    assert "已决定" in page and "成员大会" in page and "2026-1" in page


def test_a_supervisor_reads_the_pages_without_their_forms(village, project):
    wang = browser(village, project, "wang")
    number = propose(wang)
    sup1 = browser(village, project, "sup1")
    page = sup1.get(f"/desk/{ORG}/matters")
    assert number in page and 'id="matter-form"' not in page
    page = sup1.get(f"/desk/{ORG}/matters/{number}")
    assert "修建东组水泥路" in page and 'id="meeting-form"' not in page
    assert f'action="/desk/{ORG}/matters' not in page  # no form of this desk
    sup1.post(f"/desk/{ORG}/matters", {"title": "x"}, status=403)
    sup1.post(f"/desk/{ORG}/matters/{number}/meetings", MEETINGS["deliberate"], status=403)
    sup1.post(f"/desk/{ORG}/matters/{number}/carried-out", {"summary": "x"}, status=403)


def test_the_distribution_form_without_a_matter_links_to_the_matters(village, project):
    wang = browser(village, project, "wang")
    page = wang.get(f"/desk/{ORG}/distributions/new")
    assert re.search(rf'<a href="/desk/{ORG}/matters" id="propose-matter">先新建事项</a>', page)


def test_a_matter_is_proposed_with_its_budget_lines(village, project):
    wang = browser(village, project, "wang")
    number = propose(wang, **{"line_account-0": "153", "line_item-0": "路面工程",
                              "line_amount-0": "40000.00", "line_account-1": "51301",
                              "line_item-1": "监理与杂项", "line_amount-1": "8000.00"})
    page = wang.get(f"/desk/{ORG}/matters/{number}")
    table = re.search(r'<table class="budget-lines".*?</table>', page, re.S).group(0)
    assert "路面工程" in table and "40,000.00" in table and "监理与杂项" in table


def test_budget_lines_that_miss_the_total_are_refused_beside_them(village, project, log_head):
    wang = browser(village, project, "wang")
    page = wang.get(f"/desk/{ORG}/matters")
    before = log_head()
    page = wang.post(f"/desk/{ORG}/matters", matter_form(page, **{
        "line_account-0": "153", "line_item-0": "路面工程", "line_amount-0": "40000.00"}),
        status=422)
    error = re.search(r'id="matter-budget_lines-error">([^<]*)</span>', page)
    assert error and "40,000.00" in error.group(1) and "48,000.00" in error.group(1)
    assert field(page, "line_item-0") == "路面工程"
    page = wang.post(f"/desk/{ORG}/matters", matter_form(page, **{
        "line_account-0": "153", "line_item-0": "路面工程", "line_amount-0": "40000.00",
        "line_account-1": "999", "line_item-1": "杂项", "line_amount-1": "8000.00"}),
        status=422)
    error = re.search(r'id="matter-budget_lines-error">([^<]*)</span>', page)
    assert error and "999" in error.group(1) and "第2行" in error.group(0).replace(" ", "")
    assert log_head() == before
