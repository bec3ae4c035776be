"""The roll's sheets and the share register on the desk, as a browser drives it: a sheet with a
bad row imports nothing, a checked sheet is imported without choosing it again, the share
register as it stood on a day, every form's CSRF token, a phone's width and the download
links. On SQLite and on PostgreSQL."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import Flask

from tests.api.desk_browser import browser, field
from tests.api.member_pages_kit import (
    CSS,
    ORG,
    ledger_of,
    member_row,
    set_up_village,
    sheet,
)
from tests.registers import QUANTIFIED, RESOLUTION, id_number


@pytest.fixture
def village(app, client, project) -> Flask:
    """The sample village, one user per role (member_pages_kit.set_up_village)."""
    return set_up_village(app, project)


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
        assert cells[2] == "校验码不对，有一位录错了"  # its English aside is the API's
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
