"""The member roll's sheets, beyond reading them: the domain's problems described row by row,
the roll written as .xlsx and .csv reading back the same (a named sheet, a frozen header, text
ID numbers, a BOM, no formula), the template, and imports through the application that write
nothing while any row is bad."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from api.register.roll_sheets import describe, read_roll, roll_template
from api.sheets import Format, write_table
from ledger.application import Ledger
from ledger.register import ImportRejected, Problem, Quantification
from tests.api.test_spreadsheets import CLASSES, HEADERS, read_xlsx, sheet_row, xlsx
from tests.registers import PEOPLE, id_number

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
