"""The accountant imports the member roll on a 360-px phone, against the real `sunlight serve`:
a sheet with one mistyped ID number is checked, the problem is named by row and column and
nothing is written; the corrected sheet is checked and then imported whole without being chosen
again, and the roll shows it. The ID numbers never appear in a page but whole to the accountant."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect

from api.sheets import write_table
from tests.e2e.browser import assert_no_horizontal_scroll, save_screenshot
from tests.e2e.conftest import Server
from tests.e2e.test_spending_phone import ORG, PASSWORD, sign_in
from tests.registers import PEOPLE

pytestmark = pytest.mark.e2e

HEADERS = ["户号", "户主", "成员编号", "姓名", "性别", "出生日期", "身份证号", "确认依据",
           "确认日期", "决议文号", "决议日期"]


def provision(server: Server) -> None:
    headers = {"Authorization": f"Bearer {server.token}"}
    for path, body in (
            ("/orgs", {"code": ORG, "name_zh": "阳光测试村股份经济合作社",
                       "kind": "village_collective", "books_start": "2025-01-01"}),
            ("/users", {"login": "kuaiji", "display_name": "王会计", "password": PASSWORD}),
            (f"/orgs/{ORG}/roles", {"login": "kuaiji", "role": "accountant", "reason": "e2e"}),
            # The test reads the roll through the API as the village's auditor.
            (f"/orgs/{ORG}/roles", {"login": "e2e", "role": "auditor", "reason": "e2e"})):
        done = requests.post(f"{server.url}/api/v1{path}", json=body, headers=headers,
                             timeout=30)
        assert done.status_code == 201, done.text


def roll_sheet(folder: Path, *, mistyped: bool) -> Path:
    rows: list[list[object]] = []
    for i, person in enumerate(PEOPLE):
        number = person["id_number"]
        if mistyped and i == 2:
            number = number[:-1] + ("0" if number[-1] != "0" else "1")
        rows.append([person["household"], "是" if person.get("head") else "", person["number"],
                     person["name"], "男" if person["sex"] == "male" else "女", person["born"],
                     number, "原始确认", date(2025, 6, 1), "成员决〔2025〕1号",
                     date(2025, 5, 28)])
    path = folder / ("mistyped.xlsx" if mistyped else "roll.xlsx")
    path.write_bytes(write_table(HEADERS, rows, "xlsx", "成员名册"))
    return path


def members_on_the_roll(server: Server) -> int:
    done = requests.get(f"{server.url}/api/v1/orgs/{ORG}/members",
                        headers={"Authorization": f"Bearer {server.token}"}, timeout=30)
    assert done.status_code == 200, done.text
    return done.json()["pagination"]["total"]


def test_the_accountant_imports_the_roll_on_a_phone(server: Server, phone: Page,
                                                    tmp_path: Path) -> None:
    provision(server)
    sign_in(phone, server, "kuaiji")
    phone.locator(f"#members-{ORG}").click()
    expect(phone.locator("h1")).to_contain_text("成员名册")
    phone.goto(f"{server.url}/desk/{ORG}/members/import")
    assert_no_horizontal_scroll(phone)

    phone.set_input_files("#import-file", str(roll_sheet(tmp_path, mistyped=True)))
    phone.get_by_role("button", name="检查").click()
    problems = phone.locator("#problems tbody tr")
    expect(problems).to_have_count(1)
    expect(problems.first).to_contain_text("4")  # the sheet's row: the third person
    expect(problems.first).to_contain_text("身份证号")
    expect(problems.first).to_contain_text("G4")
    expect(problems.first).to_contain_text("校验码不对")
    assert PEOPLE[2]["id_number"][:-1] not in phone.content()
    assert_no_horizontal_scroll(phone)
    save_screenshot(phone, "members-import-problems")
    assert members_on_the_roll(server) == 0  # nothing was written

    phone.set_input_files("#import-file", str(roll_sheet(tmp_path, mistyped=False)))
    phone.get_by_role("button", name="检查").click()
    expect(phone.locator("#checked")).to_contain_text(f"{len(PEOPLE)} 人可导入")
    assert members_on_the_roll(server) == 0
    # The checked sheet rides in the page: no second upload on a phone.
    phone.get_by_role("button", name="导入").click()
    expect(phone.locator("h1")).to_contain_text("成员名册")
    for person in PEOPLE:
        expect(phone.locator(f"#m-{person['number']}")).to_contain_text(person["name"])
    # The accountant keeps the register, so she sees the whole number.
    expect(phone.locator("#m-0001")).to_contain_text(PEOPLE[0]["id_number"])
    assert_no_horizontal_scroll(phone)
    save_screenshot(phone, "members-roll")
    assert members_on_the_roll(server) == len(PEOPLE)
