"""A member's record corrected on the desk, as a browser drives it: only what changed is
recorded, a correction that disagrees with the ID on the roll or takes another member's ID is
refused, corrected numbers stay masked for the committees, and only the accountant corrects
and makes heads of households. On SQLite and on PostgreSQL."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import Flask

from ledger.kernel.personal import mask_id_number, mask_phone
from tests.api.desk_browser import browser, field
from tests.api.member_pages_kit import (
    NOT_A_DAY,
    ORG,
    ledger_of,
    member_row,
    selected,
    set_up_village,
)
from tests.registers import PEOPLE, id_number


@pytest.fixture
def village(app, client, project) -> Flask:
    """The sample village, one user per role (member_pages_kit.set_up_village)."""
    return set_up_village(app, project)


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
