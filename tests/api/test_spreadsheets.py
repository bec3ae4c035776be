"""The member roll read from and written to spreadsheets: every unreadable cell is a problem
named by row and column, no problem repeats an ID or phone number, and a sheet with any bad row
imports nothing (writing the roll, and imports through the application:
test_roll_sheet_writing.py).
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import openpyxl
import pytest

from api.register.roll_cells import NUMERIC_ID
from api.register.roll_sheets import SheetRead, describe, read_roll
from tests.registers import PEOPLE

CLASSES = {"population": "人口股", "labour": "劳龄股"}
HEADERS = ["户号", "住址", "户主", "成员编号", "姓名", "性别", "出生日期", "身份证号", "联系电话",
           "确认依据", "确认日期", "决议文号", "决议日期", "人口股"]
RESOLUTION = "成员确认决〔2025〕1号"
ON = date(2025, 6, 1)
SEX_ZH = {"male": "男", "female": "女"}


def sheet_row(person: dict[str, Any], *, born: object = None,
              id_cell: object = None) -> list[object]:
    """One row of the roll as an accountant types it, from a person of tests/registers.py."""
    return [person["household"], "东村一组", "是" if person.get("head") else "",
            person["number"], person["name"], SEX_ZH[person["sex"]],
            person["born"] if born is None else born,
            person["id_number"] if id_cell is None else id_cell, person.get("phone", ""),
            "原始确认", ON, RESOLUTION, ON, 10 if person.get("head") else None]


def xlsx(rows: list[list[object]], headers: list[str] = HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(rows: list[list[str]], headers: list[str] = HEADERS) -> str:
    return "\r\n".join(",".join(line) for line in [headers, *rows]) + "\r\n"


def read_xlsx(rows: list[list[object]], headers: list[str] = HEADERS) -> SheetRead:
    return read_roll(xlsx(rows, headers), "成员名册.xlsx", CLASSES)


def only_problem(read: SheetRead) -> dict[str, Any]:
    items = describe(read.problems, read.columns)
    assert len(items) == 1, items
    return items[0]


# --- reading .xlsx ---------------------------------------------------------------------------

def test_a_bad_date_leaves_its_row_out_and_names_row_header_and_cell() -> None:
    rows = [sheet_row(p) for p in PEOPLE[:5]]
    rows[2] = sheet_row(PEOPLE[2], born="15/01/1990")

    read = read_xlsx(rows)

    assert [r.name for r in read.rows] == ["张大山", "李秀英", "王建国", "赵桂兰"]
    assert [r.row for r in read.rows] == [2, 3, 5, 6]
    assert only_problem(read) == {
        "row": 4, "column": "born", "header": "出生日期", "cell": "G4",
        "reason": 'a date such as 2025-06-01 or 2025年6月1日, not "15/01/1990"'}


def test_cells_become_the_values_of_the_import() -> None:
    read = read_xlsx([sheet_row(PEOPLE[0])])

    assert read.problems == []
    (row,) = read.rows
    assert (row.row, row.household, row.address, row.head, row.number, row.name, row.sex,
            row.born, row.id_number, row.phone, row.basis, row.confirmed_on, row.resolution,
            row.resolution_date, row.shares) == (
        2, "001", "东村一组", True, "0001", "张大山", "male", date(1960, 3, 8),
        PEOPLE[0]["id_number"], "13800001111", "original", ON, RESOLUTION, ON,
        {"population": 10})
    assert read.columns["born"] == ("出生日期", "G")
    assert read.columns["share:population"] == ("人口股", "N")


def test_excel_dates_and_dates_written_as_text() -> None:
    texts = ["1960-03-08", "1960/3/8", "1960.3.8", "1960年3月8日", " 1960-03-08 ",
             "1960/3/8 0:00"]
    rows = [sheet_row(PEOPLE[0], born=datetime(1960, 3, 8, 0, 0))]
    rows += [sheet_row(PEOPLE[0], born=text) for text in texts]

    read = read_xlsx(rows)

    assert read.problems == []
    assert {r.born for r in read.rows} == {date(1960, 3, 8)}
    assert len(read.rows) == 1 + len(texts)


@pytest.mark.parametrize(("cell", "reason"), [
    ("1960-02-30", 'no such day, not "1960-02-30"'),
    ("8 March 1960", 'a date such as 2025-06-01 or 2025年6月1日, not "8 March 1960"'),
    (21982, 'a date such as 2025-06-01 or 2025年6月1日, not "21982"'),
    ("", "required"),
])
def test_a_date_that_cannot_be_read(cell: object, reason: str) -> None:
    assert only_problem(read_xlsx([sheet_row(PEOPLE[0], born=cell)]))["reason"] == reason


@pytest.mark.parametrize("cell", [330102196003080133, 3.30102196003080e17])
def test_a_numeric_id_cell_is_a_problem_that_never_shows_the_number(cell: object) -> None:
    read = read_xlsx([sheet_row(PEOPLE[0], id_cell=cell)])

    problem = only_problem(read)
    assert read.rows == []
    assert problem == {"row": 2, "column": "id_number", "header": "身份证号", "cell": "H2",
                       "reason": NUMERIC_ID}
    assert "3301" not in str(problem) and "3.3" not in str(problem)


def test_a_phone_cell_that_cannot_be_read_never_shows_its_value() -> None:
    row = sheet_row(PEOPLE[0])
    row[8] = 13800001111.5
    problem = only_problem(read_xlsx([row]))
    assert problem["cell"] == "I2"
    assert "1380" not in problem["reason"]


def test_labels_of_head_sex_and_basis_in_chinese_and_english() -> None:
    people = [dict(p, head=False) for p in PEOPLE[:3]]
    rows = [sheet_row(p) for p in people]
    heads = ["是", "Y", "1"]
    for row, head in zip(rows, heads, strict=True):
        row[2] = head
    rows[1][5], rows[2][5] = "female", "Male"
    rows[0][9], rows[1][9], rows[2][9] = "出生", "婚入", "policy_migration"
    extra = [sheet_row(PEOPLE[3]), sheet_row(PEOPLE[4]), sheet_row(PEOPLE[5])]
    extra[0][2], extra[1][2], extra[2][2] = "否", "no", 0
    extra[0][9], extra[1][9], extra[2][9] = "收养", "政策性迁入", "入社"

    read = read_xlsx(rows + extra)

    assert read.problems == []
    assert [r.head for r in read.rows] == [True, True, True, False, False, False]
    assert [r.sex for r in read.rows] == ["male", "female", "male", "male", "female", "male"]
    assert [r.basis for r in read.rows] == ["birth", "marriage_in", "policy_migration",
                                           "adoption", "policy_migration", "admitted"]


@pytest.mark.parametrize(("column", "cell", "reason"), [
    (5, "M", '男 or 女 (male or female), not "M"'),
    (2, "maybe", '是 or 否 (yes or no), not "maybe"'),
    (9, "迁入", 'one of 出生、婚入、收养、政策性迁入、原始确认、入社, not "迁入"'),
    (9, None, "required"),
])
def test_a_label_that_is_not_one_of_ours(column: int, cell: object, reason: str) -> None:
    row = sheet_row(PEOPLE[0])
    row[column] = cell
    assert only_problem(read_xlsx([row]))["reason"] == reason


def test_share_columns_by_chinese_name_by_code_and_by_key() -> None:
    for header in ("人口股", "population", "share:population", "Population"):
        read = read_xlsx([sheet_row(PEOPLE[0])], [*HEADERS[:-1], header])
        assert read.problems == []
        assert read.rows[0].shares == {"population": 10}
        assert read.columns["share:population"] == (header, "N")


def test_share_quantities_are_whole_numbers() -> None:
    headers = [*HEADERS, "labour"]
    quantities: list[object] = [10.0, "25", 10.5, -3]
    rows = [[*sheet_row(p), q] for p, q in zip(PEOPLE[:4], quantities, strict=True)]

    read = read_xlsx(rows, headers)

    assert [r.shares for r in read.rows] == [{"population": 10, "labour": 10},
                                            {"labour": 25}]
    assert [(p["cell"], p["reason"]) for p in describe(read.problems, read.columns)] == [
        ("O4", 'a whole number of shares, not "10.5"'), ("O5", "0 or more shares, not \"-3\"")]


def test_blank_rows_are_skipped_and_rows_keep_their_sheet_numbers() -> None:
    rows: list[list[object]] = [sheet_row(PEOPLE[0]), [None] * len(HEADERS), ["  ", ""],
                                sheet_row(PEOPLE[1])]
    read = read_xlsx(rows)
    assert read.problems == []
    assert [r.row for r in read.rows] == [2, 5]


def test_trailing_spaces_are_trimmed_and_headers_may_be_spaced_out() -> None:
    headers = [h if h != "姓名" else "姓　名 " for h in HEADERS]
    row = sheet_row(PEOPLE[0])
    row[4] = "张大山  "
    read = read_xlsx([row], headers)
    assert read.problems == []
    assert read.rows[0].name == "张大山"


def test_english_headers_and_the_other_chinese_names() -> None:
    headers = ["household", "地址", "head", "number", "name", "sex", "born", "身份证号码", "电话",
               "取得依据", "confirmed_on", "resolution", "resolution_date", "population"]
    read = read_xlsx([sheet_row(PEOPLE[0])], headers)
    assert read.problems == []
    assert read.rows[0].phone == "13800001111"
    assert set(read.columns) == {"household", "address", "head", "number", "name", "sex", "born",
                                 "id_number", "phone", "basis", "confirmed_on", "resolution",
                                 "resolution_date", "share:population"}


# --- headers ---------------------------------------------------------------------------------

def test_unknown_headers_are_named_on_row_one() -> None:
    read = read_xlsx([[*sheet_row(PEOPLE[0]), "x", "y"]], [*HEADERS, "备注", "股金"])
    assert [(p["cell"], p["reason"]) for p in describe(read.problems, read.columns)] == [
        ("O1", 'unknown column "备注"'), ("P1", 'unknown column "股金"')]
    assert len(read.rows) == 1  # still read, so one pass reports every problem


def test_missing_required_columns_are_named_and_no_row_is_read() -> None:
    headers = [h for h in HEADERS if h not in ("出生日期", "确认依据")]
    row = [c for i, c in enumerate(sheet_row(PEOPLE[0])) if i not in (6, 9)]

    read = read_xlsx([row], headers)

    assert read.rows == []
    assert describe(read.problems, read.columns) == [
        {"row": 1, "column": "basis", "header": "确认依据", "cell": "",
         "reason": "the column 确认依据 (basis) is missing"},
        {"row": 1, "column": "born", "header": "出生日期", "cell": "",
         "reason": "the column 出生日期 (born) is missing"}]


def test_a_repeated_header_and_values_without_a_header() -> None:
    headers = [*HEADERS, "姓名"]
    read = read_xlsx([[*sheet_row(PEOPLE[0]), "张三", None, "?"]], headers)
    assert [(p["cell"], p["reason"]) for p in describe(read.problems, read.columns)] == [
        ("O1", '"姓名" repeats column E'), ("Q1", "values under a column without a header")]


def test_a_file_that_is_no_spreadsheet() -> None:
    for data, name, reason in [(b"PK\x03\x04 broken", "roll.xlsx", "cannot be read as .xlsx"),
                               (b"\xd0\xcf\x11\xe0", "roll.xls", "save it as .xlsx or .csv"),
                               (b"{}", "roll.json", "a .xlsx or .csv file")]:
        read = read_roll(data, name, CLASSES)
        assert read.rows == []
        assert [p.row for p in read.problems] == [0]
        assert reason in read.problems[0].reason


# --- reading .csv ----------------------------------------------------------------------------

def csv_row(person: dict[str, Any]) -> list[str]:
    cells = sheet_row(person)
    return ["" if c is None else c.isoformat() if isinstance(c, date) else str(c) for c in cells]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_with_chinese_headers_in_each_encoding(encoding: str) -> None:
    rows = [csv_row(p) for p in PEOPLE]
    rows[1][6] = "1962年7月1日"
    text = csv_text(rows)

    read = read_roll(text.encode(encoding), "成员名册.csv", CLASSES)

    assert read.problems == []
    assert [r.name for r in read.rows] == [p["name"] for p in PEOPLE]
    assert read.rows[1].born == date(1962, 7, 1)
    assert read.rows[0].id_number == PEOPLE[0]["id_number"]
    assert read.rows[0].shares == {"population": 10}


def test_a_csv_id_number_excel_saved_as_a_number() -> None:
    row = csv_row(PEOPLE[0])
    row[7] = "3.30102E+17"
    read = read_roll(csv_text([row]).encode("utf-8-sig"), "roll.csv", CLASSES)
    assert only_problem(read)["reason"] == NUMERIC_ID
    assert "3.30102" not in str(read.problems)
