"""The roll and share register desk driven as a browser drives it: every reader of the books sees
the roll and the shares as they stood on any day, ID numbers whole only for the accountant and
the auditor; only the accountant confirms, ends and moves members and imports a sheet, which
writes nothing until every row is right. On SQLite and on PostgreSQL."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import Flask

from ledger.kernel.personal import mask_id_number, mask_phone
from ledger.register import END_BASES, NOT_ENDING
from tests.api.desk_browser import Browser, browser, field
from tests.api.member_pages_kit import (
    MASKED_ONLY,
    NOT_A_DAY,
    ORG,
    READERS,
    SEE_WHOLE,
    ledger_of,
    member_row,
    options,
    selected,
    set_up_village,
)
from tests.registers import PEOPLE, id_number


@pytest.fixture
def village(app, client, project) -> Flask:
    """The sample village, one user per role (member_pages_kit.set_up_village)."""
    return set_up_village(app, project)


def test_the_pages_open_for_each_reader_and_no_one_else(village, project):
    for login in READERS:
        person = browser(village, project, login)
        desk = person.get("/desk/")
        assert f'href="/desk/{ORG}/members"' in desk and f'href="/desk/{ORG}/shares"' in desk
        assert "成员名册" in desk and "股权登记" in desk
        page = person.get(f"/desk/{ORG}/members")
        assert "<h1>成员名册" in page and member_row(page, "0001")
        assert "<h1><span translate=\"no\">张大山" in person.get(f"/desk/{ORG}/members/0001")
        assert "<h1>股权登记" in person.get(f"/desk/{ORG}/shares")
        # Confirming and importing are the accountant's.
        status = 200 if login == "wang" else 403
        person.get(f"/desk/{ORG}/members/new", status=status)
        person.get(f"/desk/{ORG}/members/import", status=status)
        accountant = 'href="/desk/v1/members/new"' in page
        assert accountant == (login == "wang")
    nobody = browser(village, project, "nobody")
    for path in ("members", "members/0001", "shares", "members/new", "members/import"):
        page = nobody.get(f"/desk/{ORG}/{path}", status=403)
        assert "不允许" in page or "Not allowed" in page
    stranger = Browser(village, project)
    response = stranger.client.get(f"/desk/{ORG}/shares")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/login?next=/desk/{ORG}/shares"
    wang = browser(village, project, "wang")
    assert "没有这个成员。" in wang.get(f"/desk/{ORG}/members/0099", status=404)
    wang.get(f"/desk/{ORG}/members?date=yesterday", status=422)


def test_an_organization_without_a_roll_yet(app, client, org, project):
    wang = browser(app, project, "wang")
    page = wang.get(f"/desk/{ORG}/members")
    assert "在册成员 0 人，共 0 户" in page and "暂无。" in page
    page = wang.get(f"/desk/{ORG}/shares")
    assert "尚未量化股份。" in page and "截至当日没有股份变动" in page
    page = wang.get(f"/desk/{ORG}/members/new")
    assert "<datalist id=\"households\">" in page
    wang.get("/desk/nowhere/members", status=403)  # no role in an organization that is not


def test_the_roll_by_household_on_a_past_day_shows_who_died_later(village, project):
    ledger_of(village).register.end_membership(ORG, "0003", on=date(2026, 8, 15), basis="death",
                                               document="死亡证明 330102-2026-0815", actor="wang")
    liu = browser(village, project, "liu")
    today = liu.get(f"/desk/{ORG}/members")
    assert not member_row(today, "0003")
    assert "截至 2026-11-22：在册成员 5 人，共 3 户；已丧失成员身份 1 人。" in today
    household = re.search(r'<tbody id="h-001">(.*?)</tbody>', today, re.S).group(1)
    assert "户号 001" in household and "东村一组" in household
    assert "张大山" in household and "李秀英" in household and "户主" in household
    assert "户主" not in member_row(today, "0002")
    before = liu.get(f"/desk/{ORG}/members?date=2026-08-14")
    assert "张小明" in member_row(before, "0003") and "不再是成员" not in before
    assert "截至 2026-08-14：在册成员 6 人" in before
    assert f'href="/desk/{ORG}/members/0003?date=2026-08-14"' in before
    page = liu.get(f"/desk/{ORG}/members/0003?date=2026-08-14")
    assert "死亡" not in page.split("<h2>", 1)[0]  # a member on that day
    ended = liu.get(f"/desk/{ORG}/members?status=ended")
    assert "自 2026-08-15 起不再是成员" in member_row(ended, "0003")
    assert not member_row(ended, "0001")
    # Search by name or number, whatever the household.
    found = liu.get(f"/desk/{ORG}/members?q=王")
    assert member_row(found, "0004") and not member_row(found, "0001")
    assert member_row(liu.get(f"/desk/{ORG}/members?q=0006"), "0006")
    # Before anyone was confirmed, the roll is empty.
    assert "在册成员 0 人" in liu.get(f"/desk/{ORG}/members?date=2025-05-31")


@pytest.mark.parametrize("login", MASKED_ONLY + SEE_WHOLE)
def test_id_and_phone_numbers_are_whole_only_for_the_accountant_and_the_auditor(
        village, project, login):
    person = browser(village, project, login)
    pages = person.get(f"/desk/{ORG}/members") + person.get(f"/desk/{ORG}/members/0001")
    whole = [p["id_number"] for p in PEOPLE] + [PEOPLE[0]["phone"]]
    if login in MASKED_ONLY:
        for number in whole:
            assert number not in pages
        assert mask_id_number(PEOPLE[0]["id_number"]) in pages
        assert mask_phone(PEOPLE[0]["phone"]) in pages
        assert "会计和审计人员可查看完整号码" in pages
    else:
        for number in whole:
            assert number in pages
    assert "pd1:" not in pages  # never the sealed form


def test_a_member_is_confirmed_through_the_form(village, project):
    wang = browser(village, project, "wang")
    page = wang.get(f"/desk/{ORG}/members/new")
    assert field(page, "confirmed_on") == "2026-11-22" and selected(page, "basis") == "birth"
    assert options(page, "basis") == ["birth", "marriage_in", "adoption", "policy_migration",
                                      "original"]
    assert "出生的除外" in page  # the resolution is explained
    born = date(2026, 3, 1)
    form = {"household": "001", "name": "张小红", "sex": "female", "born": "2026-03-01",
            "basis": "birth", "confirmed_on": "2026-03-01",
            "id_number": id_number(born, "female", 41), "phone": "", "resolution": "",
            "resolution_date": "", "number": "", "key": field(page, "key")}
    # Married in needs the members' meeting's resolution: refused beside the field, kept.
    page = wang.post(f"/desk/{ORG}/members/new", {**form, "basis": "marriage_in"},
                     status=422)
    assert 'id="new-resolution-error">此项必填。' in page and 'class="error-summary"' in page
    assert field(page, "name") == "张小红" and selected(page, "basis") == "marriage_in"
    page = wang.post(f"/desk/{ORG}/members/new", {**form, "born": "2026-3-1"}, status=422)
    assert f'id="new-born-error">{NOT_A_DAY}' in page
    page = wang.post(f"/desk/{ORG}/members/new", {**form, "sex": "male"}, status=422)
    assert 'id="new-id_number-error">号码中的性别位与填写的性别不符' in page
    location = wang.post(f"/desk/{ORG}/members/new", form)
    assert location.startswith(f"/desk/{ORG}/members/0007?done=confirmed")
    page = wang.get(location)
    assert "成员已确认。" in page and "<h1><span translate=\"no\">张小红</span>" in page
    assert form["id_number"] in page and "确认为成员" in page
    assert ledger_of(village).register.member_roll(ORG).member("0007").household == "001"
    # A double-tapped button confirms once.
    assert wang.post(f"/desk/{ORG}/members/new", form) == location
    assert len(ledger_of(village).register.member_roll(ORG).members) == 7
    # A new household is registered first, then its members confirmed into it.
    page = wang.get(f"/desk/{ORG}/members/new")
    location = wang.post(f"/desk/{ORG}/households", {
        "number": "004", "registered_on": "2026-11-01", "address": "东村二组",
        "key": re.search(r'id="household-form">.*?name="key" value="(\w+)"', page,
                         re.S).group(1)})
    page = wang.get(location)
    assert "已登记新户" in page and field(page, "household") == "004"
    page = wang.post(f"/desk/{ORG}/households", {"number": "004",
                                                 "registered_on": "2026-11-01"}, status=409)
    assert "户 004 已经登记过了。" in page


def test_membership_ends_only_for_the_law_s_reasons_and_members_move(village, project,
                                                                     log_head):
    wang = browser(village, project, "wang")
    page = wang.get(f"/desk/{ORG}/members/0003")
    assert options(page, "basis") == list(END_BASES["village_collective"])
    assert not set(options(page, "basis")) & set(NOT_ENDING)
    assert 'id="form-move"' in page
    head = log_head()
    page = wang.post(f"/desk/{ORG}/members/0003/end",
                     {"basis": "migrant_work", "ended_on": "2026-11-01"}, status=422)
    assert "外出务工经商不丧失成员身份（《农村集体经济组织法》第十八条）" in page
    assert 'id="end-basis-error"' in page
    assert log_head() == head
    page = wang.post(f"/desk/{ORG}/members/0003/end",
                     {"basis": "voluntary_exit", "ended_on": "2026-11-01"}, status=422)
    assert 'id="end-document-error">此项必填。' in page
    page = wang.follow(f"/desk/{ORG}/members/0003/end", {
        "basis": "death", "ended_on": "2026-11-01", "document": "死亡证明 2026-1101",
        "resolution": "", "resolution_date": ""})
    assert "已登记丧失成员身份" in page and "自 2026-11-01 起不再是成员" in page
    assert "丧失成员身份" in page and "死亡证明 2026-1101" in page
    assert 'id="form-end"' not in page and 'id="form-move"' not in page
    assert ledger_of(village).register.member_roll(ORG).member("0003").ended_on == date(2026, 11, 1)
    # Moving: to another household, from a day, with the reason.
    page = wang.post(f"/desk/{ORG}/members/0002/move",
                     {"household": "009", "on": "2026-11-10", "reason": "分户"}, status=404)
    assert 'id="move-household-error">没有这个户。' in page
    page = wang.follow(f"/desk/{ORG}/members/0002/move",
                       {"household": "003", "on": "2026-11-10", "reason": "合户"})
    assert "迁户已登记" in page and "从 001 户迁入 003 户" in page and "合户" in page
    # The others read the history but change nothing.
    liu = browser(village, project, "liu")
    page = liu.get(f"/desk/{ORG}/members/0002")
    assert "从 001 户迁入 003 户" in page and "<form method=\"post\" action=\"/desk" not in page
    liu.post(f"/desk/{ORG}/members/0002/end", {"basis": "death", "ended_on": "2026-11-20"},
             status=403)
    liu.post(f"/desk/{ORG}/members/new", {"name": "x"}, status=403)


def test_a_form_the_json_schema_refuses_is_shown_beside_the_field_it_names(village, project,
                                                                          log_head):
    """Given the move form read by the JSON route's schema (MoveIn), when the day is not one or
    the reason is left blank, then 422 beside that field, named in Chinese atop the page, and
    nothing written."""
    wang = browser(village, project, "wang")
    wang.get(f"/desk/{ORG}/members/0002")
    head = log_head()
    page = wang.post(f"/desk/{ORG}/members/0002/move",
                     {"household": "003", "on": "2026-11-1", "reason": "合户"}, status=422)
    assert f'id="move-on-error">{NOT_A_DAY}</span>' in page
    assert f"迁户日期：{NOT_A_DAY}" in page and 'class="error-summary"' in page
    page = wang.post(f"/desk/{ORG}/members/0002/move",
                     {"household": "003", "on": "2026-11-10", "reason": "  "}, status=422)
    assert 'id="move-reason-error">此项必填。</span>' in page
    assert log_head() == head
    assert ledger_of(village).register.member_roll(ORG).member("0002").household == "001"
