"""A member sheet's problems on the desk are said in Chinese: the reading of a cell ("男 or 女",
"a phone number of digits", "required") and the register's refusals ("member 0001 is already on
the roll") as the accountant would say them, a sentence in both languages by its Chinese; the
JSON API keeps the English for programs."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import Flask

from tests.api.desk_browser import browser, field
from tests.api.member_pages_kit import ORG, set_up_village, sheet
from tests.registers import id_number


@pytest.fixture
def village(app, client, project) -> Flask:
    """The sample village, one user per role (member_pages_kit.set_up_village)."""
    return set_up_village(app, project)


def reasons(page: str) -> list[str]:
    problems = re.search(r'<section id="problems">(.*?)</section>', page, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", problems.split("<tbody>")[1], re.S)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[2] for row in rows]


def test_the_cells_of_a_bad_sheet_are_named_in_chinese(village, project):
    wang = browser(village, project, "wang")
    key = field(wang.get(f"/desk/{ORG}/members/import"), "key")
    rows = ("009,北村,是,,新人,X,1990-01-01,,,原始确认,2026-11-01,决〔2026〕9号,2026-10-30",
            "009,北村,否,,新人二,女,1990-01-01,,12a,原始确认,2026-11-01,决〔2026〕9号,2026-10-30",
            "009,北村,否,,新人三,女,1990-01-01,,,婚入,2026-11-01,,2026-10-30")
    page = wang.post(f"/desk/{ORG}/members/import", {"import": "0", "key": key, **sheet(*rows)},
                     status=422)
    assert reasons(page) == ["应填“男”或“女”（单元格内容为“X”）",
                             "请填写数字组成的电话号码，或留空。", "此项必填。"]


def test_a_number_already_on_the_roll_and_a_mistyped_id_are_said_in_chinese(
        village, project):
    wang = browser(village, project, "wang")
    key = field(wang.get(f"/desk/{ORG}/members/import"), "key")
    other = id_number(date(1987, 9, 9), "female", 52)
    bad_id = other[:17] + ("0" if other[17] != "0" else "1")
    rows = ("001,东村一组,否,0001,重复,女,1990-01-01,,,原始确认,2026-11-01,决〔2026〕9号,"
            "2026-10-30",
            f"004,东村二组,否,,周敏,女,1987-09-09,{bad_id},,原始确认,2026-11-01,决〔2026〕9号,"
            "2026-10-30")
    page = wang.post(f"/desk/{ORG}/members/import", {"import": "0", "key": key, **sheet(*rows)},
                     status=422)
    assert reasons(page) == ["成员编号 0001 已在名册中。", "校验码不对，有一位录错了"]
