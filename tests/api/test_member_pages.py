"""The roll and share register desk driven as a browser drives it: every reader of the books sees
the roll and the shares as they stood on any day, ID numbers whole only for the accountant and
the auditor; only the accountant confirms, ends and moves members and imports a sheet, which
writes nothing until every row is right. On SQLite and on PostgreSQL."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from flask import Flask

from ledger.application import Ledger
from ledger.kernel.personal import mask_id_number, mask_phone
from ledger.register import END_BASES, NOT_ENDING
from tests.api.conftest import make_user
from tests.api.test_desk_pages import Browser, browser, field
from tests.registers import PEOPLE, QUANTIFIED, RESOLUTION, id_number, village_with_shares

ORG = "v1"
READERS = ("wang", "liu", "zhao", "fang", "shen")  # accountant, committee, supervisor, …
MASKED_ONLY = ("liu", "zhao", "fang")  # committee, supervisor, finance lead
SEE_WHOLE = ("wang", "shen")  # accountant, auditor
HEADER = ("户号,住址,户主,成员编号,姓名,性别,出生日期,身份证号,联系电话,确认依据,确认日期,决议文号,"
          "决议日期")
CSS = Path(__file__).resolve().parents[2] / "api" / "static" / "desk.css"
# A day is read by the JSON route's schema (api/fields.py DayIn), the desk's forms too.
NOT_A_DAY = "日期应写作 2026-11-03 的样子。"


def ledger_of(app: Flask) -> Ledger:
    return app.extensions["sunlight"].ledger


@pytest.fixture
def village(app, client, project) -> Flask:
    """The sample village of tests/registers.py, shares quantified per household; wang keeps
    its books, liu sits on the village committee, zhao on the supervision committee, fang is
    the finance lead and shen the auditor; nobody holds no role there."""
    ledger = ledger_of(app)
    village_with_shares(ledger)
    ledger.identity.grant_role("wang", org=ORG, role="accountant", reason="keeps the books",
                               actor="test")
    make_user(app, "liu", (ORG, "committee"))
    make_user(app, "zhao", (ORG, "supervisor"))
    make_user(app, "fang", (ORG, "finance_lead"))
    make_user(app, "shen", (ORG, "auditor"))
    make_user(app, "nobody")
    project()
    return app


def member_row(page: str, number: str) -> str:
    found = re.search(rf'<tr id="m-{number}"[^>]*>(.*?)</tr>', page, re.S)
    return found.group(1) if found else ""


def selected(page: str, name: str) -> str:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    found = re.search(r'<option value="([^"]*)" selected>', select)
    return found.group(1) if found else ""


def options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return [value for value in re.findall(r'<option value="([^"]*)"', select) if value]


def sheet(*rows: str) -> dict[str, object]:
    """A CSV upload of the roll's columns (UTF-8 with BOM, as Excel saves it)."""
    text = "\r\n".join((HEADER, *rows)) + "\r\n"
    return {"file": (io.BytesIO(("\ufeff" + text).encode()), "roll.csv")}


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


def form_key_of(page: str, form: str) -> str:
    """The idempotency key of one of the page's forms (each form has its own)."""
    return re.search(rf'id="form-{form}">.*?name="key" value="(\w+)"', page, re.S).group(1)


def corrected_history(page: str) -> list[str]:
    """The history's lines of corrections."""
    return re.findall(r"<li>[^<]*<strong>[^<]*</strong> · 更正信息(.*?)</li>", page, re.S)


def correction(page: str, **changed: str) -> dict[str, str]:
    """The correction form as the page filled it in, with `changed` typed over it."""
    return {"name": field(page, "name"), "sex": selected(page, "sex"),
            "born": field(page, "born"), "id_number": field(page, "id_number"),
            "phone": field(page, "phone"), "reason": "", "key": form_key_of(page, "correct"),
            **changed}


def test_a_member_s_name_is_corrected_and_only_the_name_is_recorded(village, project,
                                                                    log_head):
    wang = browser(village, project, "wang")
    page = wang.get(f"/desk/{ORG}/members/0001")
    # Name, sex and birth date come filled in; the ID and phone inputs never do, though the
    # accountant reads both numbers whole above them.
    assert field(page, "name") == "张大山" and selected(page, "sex") == "male"
    assert field(page, "born") == "1960-03-08"
    assert field(page, "id_number") == "" and field(page, "phone") == ""
    assert PEOPLE[0]["id_number"] in page and PEOPLE[0]["phone"] in page
    assert 'autocomplete="off"' in re.search(r'<input[^>]*name="id_number"[^>]*>', page)[0]
    form = correction(page, name="张达山", reason="户口簿登记为张达山")
    location = wang.post(f"/desk/{ORG}/members/0001/correct", form)
    assert location.startswith(f"/desk/{ORG}/members/0001?done=corrected")
    page = wang.get(location)
    assert "更正已登记。" in page and '<h1><span translate="no">张达山</span>' in page
    [line] = corrected_history(page)
    assert "姓名 · " in line and "户口簿登记为张达山" in line
    for other in ("性别", "出生日期", "身份证号", "联系电话"):
        assert other not in line  # sent back unchanged: not a correction
    person = ledger_of(village).register.member_roll(ORG).member("0001")
    assert person.name == "张达山" and person.born == date(1960, 3, 8)
    # A double-tapped button corrects once.
    head = log_head()
    assert wang.post(f"/desk/{ORG}/members/0001/correct", form) == location
    assert log_head() == head and len(corrected_history(wang.get(location))) == 1
    # Nothing changed is no correction: refused atop the form, nothing written.
    page = wang.post(f"/desk/{ORG}/members/0001/correct",
                     correction(page, reason="核对户口簿"), status=422)
    assert 'id="correct-changes-error"' in page and log_head() == head
    assert field(page, "name") == "张达山"


def test_a_correction_that_disagrees_with_the_id_on_the_roll_is_refused(village, project,
                                                                        log_head):
    wang = browser(village, project, "wang")
    page = wang.get(f"/desk/{ORG}/members/0003")
    head = log_head()
    page = wang.post(f"/desk/{ORG}/members/0003/correct",
                     correction(page, sex="female", reason="户口簿登记为女"), status=422)
    assert 'id="correct-sex-error">号码中的性别位与填写的性别不符' in page
    assert 'aria-describedby="correct-sex-error"' in page and 'class="error-summary"' in page
    # What was typed stays, for the accountant to mend; the ID input stays empty.
    assert selected(page, "sex") == "female"
    assert 'id="correct-reason" name="reason" maxlength="100" value="户口簿登记为女"' in page
    assert field(page, "id_number") == ""
    page = wang.post(f"/desk/{ORG}/members/0003/correct",
                     correction(page, sex="male", born="1990-01-16", reason="户口簿"),
                     status=422)
    assert 'id="correct-born-error">号码中的出生日期是1990-01-15，与填写的1990-01-16不符' in page
    page = wang.post(f"/desk/{ORG}/members/0003/correct",
                     correction(page, born="1990-1-16", reason="户口簿"), status=422)
    assert f'id="correct-born-error">{NOT_A_DAY}' in page
    assert log_head() == head
    person = ledger_of(village).register.member_roll(ORG).member("0003")
    assert person.sex == "male" and person.born == date(1990, 1, 15)
    assert not corrected_history(wang.get(f"/desk/{ORG}/members/0003"))


def test_an_id_number_another_member_holds_is_refused(village, project, log_head):
    wang = browser(village, project, "wang")
    page = wang.get(f"/desk/{ORG}/members/0003")
    head = log_head()
    # 张大山's (0001), with his birth date, so that only whose it is stands in the way.
    taken = PEOPLE[0]["id_number"]
    page = wang.post(f"/desk/{ORG}/members/0003/correct",
                     correction(page, id_number=taken, born="1960-03-08", reason="身份证号录错"),
                     status=409)
    assert ('id="correct-id_number-error">这个身份证号已在名册上，是成员 0001 的。'
            in page)
    assert field(page, "id_number") == ""  # not even the number just typed
    assert log_head() == head and field(page, "born") == "1960-03-08"
    assert ledger_of(village).register.member_roll(ORG).member("0003").born == date(1990, 1, 15)
    # The member's own number, typed again (with a lower-case x or not), is no correction.
    own = PEOPLE[2]["id_number"]
    page = wang.post(f"/desk/{ORG}/members/0003/correct",
                     correction(page, id_number=own.lower(), born="1990-01-15",
                                reason="核对"), status=422)
    assert 'id="correct-changes-error"' in page and log_head() == head


def test_a_corrected_id_and_phone_stay_masked_for_the_committees(village, project):
    wang = browser(village, project, "wang")
    page = wang.get(f"/desk/{ORG}/members/0003")
    new_id, new_phone = id_number(date(1990, 1, 15), "male", 77), "13900007777"
    page = wang.follow(f"/desk/{ORG}/members/0003/correct", correction(
        page, id_number=new_id, phone=new_phone, reason="身份证换发"))
    [line] = corrected_history(page)
    assert "身份证号, 联系电话 · " in line and "_masked" not in line and new_id not in line
    assert new_id in page and new_phone in page  # whole for the accountant, above the form
    assert field(page, "id_number") == "" and field(page, "phone") == ""
    for login in ("liu", "zhao"):  # committee, supervisor
        person = browser(village, project, login)
        pages = person.get(f"/desk/{ORG}/members/0003") + person.get(f"/desk/{ORG}/members")
        for number in (new_id, new_phone, PEOPLE[2]["id_number"]):
            assert number not in pages, login
        assert mask_id_number(new_id) in pages and mask_phone(new_phone) in pages
        assert "pd1:" not in pages and "身份证号, 联系电话 · " in pages


def test_a_member_is_made_head_of_their_household(village, project, log_head):
    wang = browser(village, project, "wang")
    assert 'id="form-head"' not in wang.get(f"/desk/{ORG}/members/0001")  # already head
    page = wang.get(f"/desk/{ORG}/members/0002")
    assert "设为 001 户户主" in page
    default = re.search(r'<input type="date" id="head-on" name="on" value="([^"]*)"', page)
    assert default.group(1) == "2026-11-22"  # today, China time
    key = form_key_of(page, "head")
    head = log_head()
    page = wang.post(f"/desk/{ORG}/members/0002/head", {"on": "2026-11-31", "key": key},
                     status=422)
    assert f'id="head-on-error">{NOT_A_DAY}' in page and log_head() == head
    location = wang.post(f"/desk/{ORG}/members/0002/head", {"on": "2026-11-20", "key": key})
    assert location.startswith(f"/desk/{ORG}/members/0002?done=head")
    page = wang.get(location)
    assert "已登记为户主。" in page and 'id="form-head"' not in page
    assert re.search(r"<strong>2026-11-20</strong> · 成为户主", page)
    assert ledger_of(village).register.member_roll(ORG).households["001"].head == "0002"
    roll = wang.get(f"/desk/{ORG}/members")
    assert "户主" in member_row(roll, "0002") and "户主" not in member_row(roll, "0001")
    assert 'id="form-head"' in wang.get(f"/desk/{ORG}/members/0001")  # no longer head
    # A former member's details are still corrected, but they head no household.
    ledger_of(village).register.end_membership(ORG, "0003", on=date(2026, 11, 21), basis="death",
                                               document="死亡证明 2026-1121", actor="wang")
    page = wang.get(f"/desk/{ORG}/members/0003")
    assert 'id="form-head"' not in page and 'id="form-correct"' in page


def test_only_the_accountant_corrects_and_makes_heads(village, project, log_head):
    head = log_head()
    for login in ("liu", "zhao", "fang", "shen", "nobody"):
        person = browser(village, project, login)
        if login != "nobody":
            page = person.get(f"/desk/{ORG}/members/0002")
            assert 'id="form-correct"' not in page and 'id="form-head"' not in page
            assert 'name="id_number"' not in page
        person.post(f"/desk/{ORG}/members/0002/correct",
                    {"name": "李秀", "reason": "户口簿"}, status=403)
        person.post(f"/desk/{ORG}/members/0002/head", {"on": "2026-11-20"}, status=403)
    assert log_head() == head
    assert ledger_of(village).register.member_roll(ORG).member("0002").name == "李秀英"
    # And on a past day's page, which is not the roll as it stands, nobody is offered a form.
    page = browser(village, project, "wang").get(f"/desk/{ORG}/members/0002?date=2026-01-01")
    assert 'id="form-correct"' not in page and 'id="form-head"' not in page


def test_a_sheet_with_a_bad_row_imports_nothing_then_a_good_sheet_imports(village, project,
                                                                          log_head):
    wang = browser(village, project, "wang")
    page = wang.get(f"/desk/{ORG}/members/import")
    assert f'href="/api/v1/orgs/{ORG}/members/template?format=xlsx"' in page
    key = field(page, "key")
    good_id = id_number(date(1985, 4, 2), "male", 51)
    other_id = id_number(date(1987, 9, 9), "female", 52)
    bad_id = other_id[:17] + ("0" if other_id[17] != "0" else "1")  # a mistyped check digit
    good = (f"004,东村二组,是,,孙立,男,1985-04-02,{good_id},13900003333,原始确认,2026-11-01,"
            "成员确认决〔2026〕2号,2026-10-30")
    bad = (f"004,东村二组,否,,周敏,女,1987-09-09,{bad_id},13900004444,婚入,2026-11-01,"
           "成员确认决〔2026〕2号,2026-10-30")
    head = log_head()
    for pressed in ("0", "1"):  # 检查, then 导入
        page = wang.post(f"/desk/{ORG}/members/import",
                         {"import": pressed, "key": key, **sheet(good, bad)}, status=422)
        problems = re.search(r'<section id="problems">(.*?)</section>', page, re.S).group(1)
        rows = re.findall(r"<tr>(.*?)</tr>", problems.split("<tbody>")[1], re.S)
        assert len(rows) == 1, rows  # the row, its column's header and cell, and why
        cells = re.findall(r"<td[^>]*>(.*?)</td>", rows[0], re.S)
        assert cells[0] == "3" and "身份证号" in cells[1]
        assert '<code translate="no">H3</code>' in cells[1]
        assert cells[2] == ("校验码不对，有一位录错了 "
                            "(the check digit is wrong: a digit was mistyped)")
        for number in (bad_id, good_id, "13900004444", "13900003333"):
            assert number not in page  # no personal data in the report
        assert "没有导入任何内容" in page
        assert log_head() == head
    page = wang.post(f"/desk/{ORG}/members/import",
                     {"import": "0", "key": key, **sheet(good)}, status=200)
    assert "2 人可导入" not in page and "1 人可导入" in page
    assert log_head() == head  # a check writes nothing
    page = wang.post(f"/desk/{ORG}/members/import", {"import": "1", "key": key},
                     status=422)
    assert 'id="import-file-error">请选择 .xlsx 或 .csv 文件。' in page
    location = wang.post(f"/desk/{ORG}/members/import",
                         {"import": "1", "key": key, **sheet(good)})
    assert location.startswith(f"/desk/{ORG}/members?done=imported")
    assert log_head() > head
    page = wang.get(location)
    assert "名册已导入。" in page and "孙立" in member_row(page, "0007")
    assert ledger_of(village).register.member_roll(ORG).households["004"].head == "0007"
    # The same key with another sheet is refused, not taken for the first.
    other = (f"004,东村二组,否,,周敏,女,1987-09-09,{other_id},,原始确认,2026-11-01,"
             "决〔2026〕3号,2026-10-30")
    page = wang.post(f"/desk/{ORG}/members/import",
                     {"import": "1", "key": key, **sheet(other)}, status=422)
    assert "这份表单已经以不同的内容提交过" in page
    assert len(ledger_of(village).register.member_roll(ORG).members) == 7


def holder_cells(page: str, holder: str) -> list[str]:
    row = re.search(rf'<tr id="holder-{holder}">(.*?)</tr>', page, re.S).group(1)
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)


def test_the_share_register_on_a_day(village, project):
    ledger_of(village).register.move_shares(ORG, kind="transfer", on=date(2026, 1, 10),
                                            source="household:001", target="household:002",
                                            share_class="population", quantity=5,
                                            basis="转让协议 2026-1",
                                            actor="wang")
    fang = browser(village, project, "fang")
    page = fang.get(f"/desk/{ORG}/shares")
    facts = re.search(r'<dl class="facts" id="quantification">(.*?)</dl>', page, re.S).group(1)
    assert QUANTIFIED.isoformat() in facts and RESOLUTION in facts and "按户持有" in facts
    first = holder_cells(page, "household-001")
    assert "户号 001" in first[0] and "张大山" in first[0]
    assert first[1:] == ["户", "有表决权", "25", "55", "0", "<strong>80</strong>", "26.67"]
    assert holder_cells(page, "household-002")[3:] == [
        "25", "60", "0", "<strong>85</strong>", "28.33"]
    assert holder_cells(page, "org")[1:] == [
        "集体", "—", "40", "0", "60", "<strong>100</strong>", "33.33"]
    totals = re.search(r'<tr class="total" id="totals">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r'<td class="num"[^>]*>(.*?)</td>', totals) == [
        "100", "140", "60", "300", "100.00"]
    assert "人口股" in page and "劳龄股" in page and "集体股" in page
    movements = re.search(r'<ul class="items" id="movements">(.*?)</ul>', page, re.S).group(1)
    assert "2026-01-10" in movements and "转让" in movements and "转让协议 2026-1" in movements
    assert "户号 001" in movements and "户号 002" in movements
    # As it stood before the transfer, and before the quantification.
    before = fang.get(f"/desk/{ORG}/shares?date=2025-12-31")
    assert holder_cells(before, "household-001")[3:6] == ["30", "55", "0"]
    assert "截至当日没有股份变动" in before
    earlier = fang.get(f"/desk/{ORG}/shares?date=2025-06-29")
    assert "2025-06-29 尚未量化股份" in earlier and 'id="totals"' not in earlier
    english = fang.get(f"/desk/{ORG}/shares?lang=en")
    assert "Share register" in english and "Income only" not in english and "Votes" in english


def test_every_form_needs_its_csrf_token(village, project, log_head):
    wang = browser(village, project, "wang")
    wang.get(f"/desk/{ORG}/members/new")
    head = log_head()
    for path, form in (
            ("members/new", {"household": "001", "name": "张小红", "sex": "female",
                             "born": "2026-03-01", "basis": "birth",
                             "confirmed_on": "2026-03-01"}),
            ("households", {"number": "004", "registered_on": "2026-11-01"}),
            ("members/0003/end", {"basis": "death", "ended_on": "2026-11-01"}),
            ("members/0003/move", {"household": "003", "on": "2026-11-01", "reason": "合户"}),
            ("members/0003/correct", {"name": "张晓明", "reason": "户口簿"}),
            ("members/0003/head", {"on": "2026-11-01"}),
            ("members/import", {"import": "1"})):
        upload = sheet() if path == "members/import" else {}
        page = wang.post(f"/desk/{ORG}/{path}", {**form, **upload}, status=403, csrf=False)
        assert "表单已过期" in page, path
        upload = sheet() if path == "members/import" else {}
        page = wang.post(f"/desk/{ORG}/{path}", {**form, **upload, "csrf_token": "forged"},
                         status=403, csrf=False)
        assert "表单已过期" in page, path
    assert log_head() == head


def test_the_pages_fit_a_phone(village, project):
    wang = browser(village, project, "wang")
    for path in ("members", "members/0001", "members/new", "members/import", "shares"):
        page = wang.get(f"/desk/{ORG}/{path}")
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
        assert "desk.css" in page and "style=" not in page and "<script" not in page
        assert 'data-label="' in page or "<table" not in page  # tables become cards
    css = CSS.read_text(encoding="utf-8")
    ours = css[css.index("/* The member roll and the share register"):]
    for value, unit in re.findall(r"(?<![\w-])(?:min-)?width:\s*([0-9.]+)(px|rem|em)", ours):
        assert float(value) * (1 if unit == "px" else 16) <= 360, (value, unit)


def test_the_download_links_on_the_pages_answer_with_spreadsheets(village, project):
    wang = browser(village, project, "wang")
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    for page in (f"/desk/{ORG}/members?date=2025-12-31", f"/desk/{ORG}/shares?date=2025-12-31",
                 f"/desk/{ORG}/members/import"):
        links = re.findall(r'href="(/api/v1/orgs/[^"]+format=xlsx[^"]*)"', wang.get(page))
        assert links, page
        for link in links:
            response = wang.client.get(link.replace("&amp;", "&"))
            assert response.status_code == 200, (link, response.get_data(as_text=True)[:200])
            assert response.mimetype == xlsx


def test_a_checked_sheet_is_imported_without_choosing_it_again(village, project, log_head):
    wang = browser(village, project, "wang")
    key = field(wang.get(f"/desk/{ORG}/members/import"), "key")
    row = (f"004,东村二组,是,,孙立,男,1985-04-02,{id_number(date(1985, 4, 2), 'male', 51)},,"
           "原始确认,2026-11-01,成员确认决〔2026〕2号,2026-10-30")
    head = log_head()
    page = wang.post(f"/desk/{ORG}/members/import", {"import": "0", "key": key, **sheet(row)},
                     status=200)
    assert "表格 roll.csv 中 1 人可导入" in page and log_head() == head
    carried = {"checked_file": field(page, "checked_file"),
               "checked_name": field(page, "checked_name")}
    assert carried["checked_name"] == "roll.csv"
    broken = {**carried, "checked_file": "not base64!"}
    page = wang.post(f"/desk/{ORG}/members/import", {"import": "1", "key": key, **broken},
                     status=422)
    assert 'id="import-file-error">请选择 .xlsx 或 .csv 文件。' in page
    location = wang.post(f"/desk/{ORG}/members/import", {"import": "1", "key": key, **carried})
    assert location.startswith(f"/desk/{ORG}/members?done=imported")
    assert "孙立" in member_row(wang.get(location), "0007")
