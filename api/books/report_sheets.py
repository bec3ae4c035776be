"""The books' reports as spreadsheets: one table per report with its Chinese column headings, as
.xlsx for people (amounts as numbers in #,##0.00, the organization, period and 制表日期 above the
frozen headings, set to print on A4 landscape) or as .csv for programs (api/sheets.py's writer:
the headings row, then the rows, amounts as decimal yuan). A text cell never runs as a formula.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import zip_longest
from typing import Any

from flask import Response
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from api.sheets import FORMULA_START, Format, write_table
from ledger.kernel.money import fen_to_decimal

AMOUNT_FORMAT = "#,##0.00"
MEDIA_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "csv": "text/csv"}
HEADING_ROWS = 4  # title, 编制单位, 期间, 制表日期; then a blank row, then the column headings


@dataclass
class Table:
    """A report as rows: text cells, and amounts as Decimal yuan (numbers in a spreadsheet)."""

    title: str
    org_name: str
    period: str
    made_on: date
    columns: list[str]
    rows: list[list[object]] = field(default_factory=list)
    totals: set[int] = field(default_factory=set)  # indexes of rows printed in bold
    period_label: str = "期间"  # a balance sheet is of a day: 日期
    # A balance sheet prints as the form does, its liabilities and equity beside its assets,
    # from this row on; a spreadsheet keeps the one list, for lookups and filters.
    right_from: int | None = None

    def add(self, cells: list[object], *, total: bool = False) -> None:
        if total:
            self.totals.add(len(self.rows))
        self.rows.append(cells)

    def side_by_side(self) -> list[tuple[tuple[list[object] | None, bool], ...]]:
        """The rows paired, left half and right half: each a row (None for a blank) and whether
        it is printed in bold. The right half's last row (负债和所有者权益总计) is set beside
        the left's (资产总计), as on the form."""
        split = len(self.rows) if self.right_from is None else self.right_from
        last = len(self.rows) - 1
        left: list[int | None] = list(range(split))
        right: list[int | None] = list(range(split, last))
        right += [None] * (len(left) - len(right) - 1) + [last]
        return [tuple((self.rows[i], i in self.totals) if i is not None else (None, False)
                      for i in pair) for pair in zip_longest(left, right)]


class Nested(str):
    """A row's name set in from the left (a sub-account, a statement's 其中 row): as text, led
    by full-width spaces (CSV, PDF); in a spreadsheet, the name alone with the cell's indent, so
    that a lookup or filter by name finds it."""

    def __new__(cls, text: str, level: int) -> Nested:
        made = super().__new__(cls, "　" * level + text)
        made.text, made.level = text, level
        return made

    text: str
    level: int


def yuan(fen: int | None) -> Decimal | None:
    """None (a figure the column does not have) stays an empty cell."""
    return None if fen is None else fen_to_decimal(fen)


def trial_balance_table(org_name: str, report: dict[str, Any], made_on: date) -> Table:
    keys = ("opening_debit", "opening_credit", "debit", "credit", "year_debit", "year_credit",
            "closing_debit", "closing_credit")
    table = Table("科目余额表", org_name, period_label(report["period"]), made_on,
                  ["科目编码", "科目名称", "期初借方", "期初贷方", "本期借方", "本期贷方",
                   "本年累计借方", "本年累计贷方", "期末借方", "期末贷方"])
    for row in report["rows"]:
        table.add([row["code"], Nested(row["name_zh"], row["level"] - 1),
                   *(yuan(row[k]) for k in keys)])
    table.add([None, "合计", *(yuan(report["totals"][k]) for k in keys)], total=True)
    return table


def ledger_rows(report: dict[str, Any], *, complete: bool = True) -> list[tuple[str, Any]]:
    """The ledger's lines with each month's 本月合计 and 本年累计 after its last line, as the paper
    ledger closes a month: ("line", line), ("month", totals), ("year", totals). A page that
    ends inside a month leaves its totals to the page holding its last line (`complete`: no
    page follows)."""
    totals = {m["period"]: m for m in report.get("months", ())}
    lines = report["lines"]
    rows: list[tuple[str, Any]] = []
    for i, line in enumerate(lines):
        rows.append(("line", line))
        month = str(line["date"])[:7]
        following = str(lines[i + 1]["date"])[:7] if i + 1 < len(lines) else None
        if month in totals and following != month and (following is not None or complete):
            rows += [("month", totals[month]), ("year", totals[month])]
    return rows


def ledger_table(org_name: str, report: dict[str, Any], made_on: date) -> Table:
    account = report["account"]
    table = Table(f"明细账 {account['code']} {account['name_zh']}", org_name,
                  f"{report['start'].isoformat()} 至 {report['end'].isoformat()}", made_on,
                  ["日期", "凭证号", "摘要", "科目", "借方", "贷方", "方向", "余额"])
    table.add([report["start"], None, "期初余额", None, None, None,
               report["opening_direction"], yuan(report["opening_balance"])])
    for kind, row in ledger_rows(report):
        if kind == "line":
            # A line's other side is blank, as on the desk and in the PDF, not 0.00.
            table.add([_day(row["date"]), row["number"], row["summary"], row["account"],
                       yuan(row["debit"] or None), yuan(row["credit"] or None),
                       row["direction"], yuan(row["balance"])])
        else:
            month = kind == "month"
            table.add([row["period"], None, "本月合计" if month else "本年累计", None,
                       yuan(row["debit" if month else "year_debit"]),
                       yuan(row["credit" if month else "year_credit"]),
                       row["direction"] if month else None,
                       yuan(row["balance"]) if month else None], total=True)
    table.add([report["end"], None, "本期合计", None, yuan(report["debit_total"]),
               yuan(report["credit_total"]), report["closing_direction"],
               yuan(report["closing_balance"])], total=True)
    return table


def balance_sheet_table(org_name: str, report: dict[str, Any], made_on: date) -> Table:
    # 年初数 are December 31's but in the year the books start after January 1: then the
    # opening balances of the day before they start, and the head says which day, as the desk's.
    brought_in: date = report["start_of_year"]
    opening = "年初数" if brought_in == date(report["date"].year - 1, 12, 31) \
        else f"年初数（{brought_in.isoformat()}）"
    table = Table("资产负债表", org_name, report["date"].isoformat(), made_on,
                  ["项目", "行次", opening, "期末数"], period_label="日期")
    for line in report["lines"]:
        table.add([Nested(line["label_zh"], line["indent"]), line["row"],
                   yuan(line["start_of_year"]), yuan(line["end"])], total=line["total"])
        if line["key"] == "assets_total":
            table.right_from = len(table.rows)
    return table


def income_statement_table(org_name: str, report: dict[str, Any], made_on: date, *,
                           cooperative: bool = False) -> Table:
    """`cooperative`: the cooperative's form is named 盈余及盈余分配表."""
    start, end = report["start"], report["end"]
    span = period_label(start) if start == end else f"{period_label(start)}至{int(end[5:])}月"
    title = "盈余及盈余分配表" if cooperative else "收益及收益分配表"
    table = Table(title, org_name, span, made_on,
                  ["项目", "行次", "本期数", "本年累计数"])
    for line in report["lines"]:
        table.add([Nested(line["label_zh"], line["indent"]), line["row"],
                   yuan(line["amount"]), yuan(line["year_to_date"])], total=line["total"])
    return table


def equity_changes_table(org_name: str, report: dict[str, Any], made_on: date) -> Table:
    """成员权益变动表: a row per 年初余额, 本年增加, 本年减少, 年末余额; a column per part."""
    columns = report["columns"]
    table = Table("成员权益变动表", org_name, f"{report['year']}年", made_on,
                  ["项目", *(column["label_zh"] for column in columns)])
    for row in report["rows"]:
        table.add([row["label_zh"], *(yuan(row[column["key"]]) for column in columns)],
                  total=row["key"] == "end")
    return table


def _day(text: str) -> date | str:
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return text


def period_label(period: str) -> str:
    """"2025-03" as 2025年3月."""
    return f"{period[:4]}年{int(period[5:7])}月"


def table_file(table: Table, fmt: Format) -> bytes:
    if fmt == "csv":
        return write_table(table.columns, table.rows, "csv", table.title)
    return xlsx(table)


def xlsx(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its one sheet
    sheet.title = table.title[:31].replace(":", "").replace("/", "")
    _heading(sheet, table)
    top = HEADING_ROWS + 2  # the column headings' row
    bold = Font(bold=True)
    for index, name in enumerate(table.columns, start=1):
        cell = sheet.cell(top, index, name)
        cell.font = bold
        cell.alignment = Alignment(horizontal="center")
    for offset, cells in enumerate(table.rows):
        for index, value in enumerate(cells, start=1):
            cell = sheet.cell(top + 1 + offset, index)
            _put(cell, value)
            if offset in table.totals:
                cell.font = bold
    _widths(sheet, table)
    sheet.freeze_panes = sheet.cell(top + 1, 1)  # the headings stay in view as rows scroll
    _print_setup(sheet, table, top)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _heading(sheet: Worksheet, table: Table) -> None:
    sheet.cell(1, 1, table.title).font = Font(bold=True, size=14)
    sheet.cell(2, 1, f"编制单位：{table.org_name}")
    sheet.cell(3, 1, f"{table.period_label}：{table.period}")
    sheet.cell(4, 1, f"制表日期：{table.made_on.isoformat()}")


def _put(cell: Any, value: object) -> None:
    if isinstance(value, Decimal):
        cell.value = value
        cell.number_format = AMOUNT_FORMAT
    elif isinstance(value, date):  # sorted and filtered as a day
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, int) and not isinstance(value, bool):  # a statement's 行次
        cell.value = value
    elif isinstance(value, Nested):
        cell.value = value.text
        cell.data_type = "s"
        cell.alignment = Alignment(indent=value.level * 2)
    elif value is not None:
        text = str(value)
        cell.value = text
        cell.data_type = "s"  # a code such as 50101 stays text; '=…' never becomes a formula
        cell.number_format = "@"
        # The quote prefix keeps it text in Excel even after the cell is edited.
        cell.quotePrefix = text.startswith(FORMULA_START)


def _widths(sheet: Worksheet, table: Table) -> None:
    for index, name in enumerate(table.columns, start=1):
        widest = max([_width(name), *(_width(row[index - 1]) for row in table.rows)])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(widest + 2, 8), 50)


def _width(value: object) -> int:
    if isinstance(value, Decimal):
        return len(f"{value:,.2f}")
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _print_setup(sheet: Worksheet, table: Table, top: int) -> None:
    """A4 landscape, as wide as the page, the headings repeated on every printed page, and the
    organization, period and 制表日期 in the page header."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{top}:{top}"
    sheet.oddHeader.left.text = table.org_name
    sheet.oddHeader.center.text = f"{table.title} {table.period}"
    sheet.oddHeader.right.text = f"制表日期：{table.made_on.isoformat()}"
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def download(table: Table, fmt: Format, name: str) -> Response:
    """The table as an attachment, `name`.xlsx or `name`.csv (an ASCII name every browser keeps)."""
    charset = "; charset=utf-8" if fmt == "csv" else ""  # our CSV is UTF-8, with a BOM for Excel
    response = Response(table_file(table, fmt), content_type=MEDIA_TYPES[fmt] + charset)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
