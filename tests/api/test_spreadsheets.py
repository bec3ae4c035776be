"""The member roll read from and written to spreadsheets: every unreadable cell is a problem
named by row and column, no problem repeats an ID or phone number, and a sheet with any bad row
imports nothing.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import openpyxl
import pytest

from api.register.roll_cells import NUMERIC_ID
from api.register.roll_sheets import SheetRead, describe, read_roll, roll_template
from api.sheets import Format, write_table
from ledger.application import Ledger
from ledger.register import ImportRejected, Problem, Quantification
from tests.registers import PEOPLE, id_number

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


# --- describing the domain's problems ---------------------------------------------------------

def test_describe_orders_by_row_then_column_letter() -> None:
    columns = {"name": ("姓名", "B"), "share:population": ("人口股", "AA"),
               "confirmed_on": ("确认日期", "K")}
    rejected = [{"row": 3, "column": "share:population", "reason": "too many"},
                {"row": 3, "column": "name", "reason": "required"},
                {"row": 2, "column": "registered_on", "reason": "a date from 1900 on"},
                {"row": 0, "column": "quantified_on", "reason": "shares need a date"}]
    assert describe([*rejected, Problem(3, "", "the whole row")], columns) == [
        {"row": 0, "column": "quantified_on", "header": "", "cell": "",
         "reason": "shares need a date"},
        {"row": 2, "column": "confirmed_on", "header": "确认日期", "cell": "K2",
         "reason": "a date from 1900 on"},
        {"row": 3, "column": "", "header": "", "cell": "", "reason": "the whole row"},
        {"row": 3, "column": "name", "header": "姓名", "cell": "B3", "reason": "required"},
        {"row": 3, "column": "share:population", "header": "人口股", "cell": "AA3",
         "reason": "too many"}]


# --- writing ---------------------------------------------------------------------------------

def test_the_roll_written_as_xlsx_reads_back_the_same() -> None:
    rows: list[list[object]] = [sheet_row(p) for p in PEOPLE]
    data = write_table(HEADERS, rows, "xlsx", "成员名册")

    read = read_roll(data, "export.xlsx", CLASSES)

    assert read.problems == []
    assert [(r.number, r.name, r.born, r.id_number, r.household, r.head) for r in read.rows] == [
        (p["number"], p["name"], p["born"], p["id_number"], p["household"], bool(p.get("head")))
        for p in PEOPLE]


def test_xlsx_has_a_named_sheet_a_bold_frozen_header_and_text_id_numbers() -> None:
    ids = [id_number(date(1990, 1, 15), "male", 3), "11010519491231002X"]
    data = write_table(["姓名", "身份证号", "人口股", "说明"],
                       [["张小明", ids[0], 10, "=1+1"], ["王", ids[1], -5, "-2"]],
                       "xlsx", "名册: 2025/东村")

    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]

    assert sheet.title == "名册 2025东村"
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    for cell, number in (("B2", ids[0]), ("B3", ids[1])):
        assert (sheet[cell].value, sheet[cell].data_type, sheet[cell].number_format) == (
            number, "s", "@")
    assert (sheet["C2"].value, sheet["C2"].data_type, sheet["C3"].value) == (10, "n", -5)
    assert (sheet["D2"].value, sheet["D2"].data_type, sheet["D2"].quotePrefix) == (
        "=1+1", "s", True)
    assert sheet.column_dimensions["B"].width >= 18


def test_csv_has_a_bom_and_runs_no_formula() -> None:
    data = write_table(["姓名", "说明", "人口股"],
                       [["=HYPERLINK(\"http://x\")", "+1", 10], ["@SUM(A1)", "-2", -5],
                        ["张三", None, 0]], "csv", "ignored")

    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[:4] == ["姓名,说明,人口股", "\"'=HYPERLINK(\"\"http://x\"\")\",'+1,10",
                         "'@SUM(A1),'-2,-5", "张三,,0"]


def test_the_roll_written_as_csv_reads_back_the_same_text() -> None:
    rows: list[list[object]] = [sheet_row(p) for p in PEOPLE[:2]]
    rows[0][1], rows[1][1] = "=东村一组", "-二组"
    rows[1][7] = "'" + PEOPLE[1]["id_number"]  # typed with an apostrophe to keep Excel off it

    read = read_roll(write_table(HEADERS, rows, "csv", ""), "export.csv", CLASSES)

    assert read.problems == []
    assert [(r.address, r.id_number, r.born) for r in read.rows] == [
        ("=东村一组", PEOPLE[0]["id_number"], PEOPLE[0]["born"]),
        ("-二组", PEOPLE[1]["id_number"], PEOPLE[1]["born"])]


def test_the_template_has_every_header_and_an_example_that_reads() -> None:
    formats: list[tuple[Format, str]] = [("xlsx", "t.xlsx"), ("csv", "t.csv")]
    for fmt, name in formats:
        data = roll_template(CLASSES, fmt)
        read = read_roll(data, name, CLASSES)
        assert read.problems == []
        assert len(read.rows) == 1 and read.rows[0].basis == "original"
        assert [h for h, _ in read.columns.values()] == [*HEADERS, "劳龄股"]
    sheet = openpyxl.load_workbook(io.BytesIO(roll_template(CLASSES, "xlsx"))).worksheets[0]
    assert sheet.column_dimensions["H"].number_format == "@"  # typed ID numbers stay text


# --- through the application -----------------------------------------------------------------

def register(app: Ledger) -> None:
    app.books.register_organization(code="v1", name_zh="东村", kind="village_collective",
                                    books_start=date(2025, 1, 1), actor="admin")


def test_an_import_with_a_bad_id_number_writes_nothing(memory_ledger: Ledger) -> None:
    register(memory_ledger)
    rows = [sheet_row(p) for p in PEOPLE]
    wrong = PEOPLE[2]["id_number"][:-1] + ("0" if PEOPLE[2]["id_number"][-1] != "0" else "1")
    rows[2] = sheet_row(PEOPLE[2], id_cell=wrong)
    read = read_xlsx([r[:-1] for r in rows], HEADERS[:-1])
    assert read.problems == [] and len(read.rows) == len(PEOPLE)
    head = memory_ledger.log_head()

    with pytest.raises(ImportRejected) as rejected:
        memory_ledger.register.import_roll("v1", rows=read.rows, problems=read.problems,
                                           actor="kuaiji")

    items = describe(rejected.value.context["rows"], read.columns)
    assert [(i["row"], i["column"], i["cell"]) for i in items] == [(4, "id_number", "H4")]
    assert wrong not in str(items)
    assert memory_ledger.log_head() == head
    assert memory_ledger.register.member_roll("v1").members == {}

    fixed = read_xlsx([sheet_row(p)[:-1] for p in PEOPLE], HEADERS[:-1])
    memory_ledger.register.import_roll("v1", rows=fixed.rows, problems=fixed.problems,
                                       actor="kuaiji")

    roll = memory_ledger.register.member_roll("v1")
    assert sorted(roll.members) == [p["number"] for p in PEOPLE]
    assert {h: roll.households[h].head for h in roll.households} == {
        "001": "0001", "002": "0004", "003": "0006"}
    assert roll.members["0001"].id_masked.endswith(PEOPLE[0]["id_number"][-4:])


def test_problems_of_the_sheet_reject_the_import_with_the_rules_own(
        memory_ledger: Ledger) -> None:
    register(memory_ledger)
    rows = [sheet_row(p)[:-1] for p in PEOPLE]
    rows[0][6] = "1960-02-30"
    rows[3][4] = ""
    read = read_xlsx(rows, HEADERS[:-1])

    with pytest.raises(ImportRejected) as rejected:
        memory_ledger.register.import_roll("v1", rows=read.rows, problems=read.problems,
                                           actor="kuaiji")

    assert [(i["cell"], i["reason"]) for i in describe(rejected.value.context["rows"],
                                                      read.columns)] == [
        ("G2", 'no such day, not "1960-02-30"'), ("E5", "required")]
    assert memory_ledger.register.member_roll("v1").members == {}


def test_the_shares_of_the_sheet_are_quantified_with_the_roll(memory_ledger: Ledger) -> None:
    register(memory_ledger)
    memory_ledger.register.define_share_class("v1", code="population", name_zh="人口股",
                                              basis="per_person", per_person=10, actor="kuaiji")
    defined = memory_ledger.register.share_register("v1").classes
    classes = {c.code: c.name_zh for c in defined.values()}
    read = read_roll(xlsx([sheet_row(p) for p in PEOPLE]), "roll.xlsx", classes)

    memory_ledger.register.import_roll(
        "v1", rows=read.rows, problems=read.problems, actor="kuaiji",
        quantification=Quantification(on=date(2025, 6, 30), resolution="股改决〔2025〕1号",
                                      resolution_date=date(2025, 6, 28)))

    register_ = memory_ledger.register.share_register("v1")
    assert register_.quantified_on == date(2025, 6, 30)
    assert len(memory_ledger.register.member_roll("v1").members) == len(PEOPLE)
