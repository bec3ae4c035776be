"""Spreadsheets the product writes, as accountants open them in Excel: CSV in UTF-8 with a
byte-order mark (so Excel reads the Chinese) and CRLF line ends, or .xlsx with a bold, frozen
header row and columns wide enough for their Chinese. Rule: no text cell can run as a formula,
no ID number or long code becomes a float, and numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Format = Literal["csv", "xlsx"]
# Spreadsheets run a cell starting with = + - @ (or a tab or return before one) as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_DIGITS = re.compile(r"[0-9][0-9Xx]*")
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def defused_cell(value: Any) -> str:
    """A text cell a spreadsheet shows as text: a leading apostrophe where it would be a formula.
    Amounts stay numbers (a leading minus there is a sign)."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_file(rows: Iterable[Iterable[str]]) -> bytes:
    """Rows of text as a CSV file: CRLF line ends as spreadsheets expect, and the BOM for Excel."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


AMOUNT_FORMAT = "#,##0.00"  # yuan as accountants read them: 1,234,567.89, the fen always shown


def write_table(headers: list[str], rows: list[list[object]], fmt: Format, title: str, *,
                amount_columns: Iterable[int] = ()) -> bytes:
    """A header row and rows as .csv (UTF-8 with BOM) or .xlsx (one sheet named `title`); in
    the .xlsx the numbers of `amount_columns` (0-based) show as yuan, #,##0.00."""
    return write_sheet(headers, rows, fmt, title, text_columns=(),
                       amount_columns=amount_columns)


def write_sheet(headers: list[str], rows: list[list[object]], fmt: Format, title: str, *,
                text_columns: Iterable[int], amount_columns: Iterable[int] = ()) -> bytes:
    if fmt == "csv":
        return csv_file([_csv_value(value) for value in line]
                        for line in [list(headers), *rows])
    if fmt == "xlsx":
        return _xlsx(headers, rows, title, text_columns, frozenset(amount_columns))
    raise ValueError(f"no spreadsheet format {fmt!r}")


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)  # a number's minus is its sign, not a formula
    return defused_cell(value)


def _xlsx(headers: list[str], rows: list[list[object]], title: str,
          text_columns: Iterable[int], amounts: frozenset[int] = frozenset()) -> bytes:
    book = Workbook(write_only=True)  # streams the rows: a whole roll at a fraction of the time
    sheet = book.create_sheet(_BAD_TITLE.sub("", title)[:31] or "Sheet1")
    widths: dict[int, int] = {}
    for line in [headers, *rows]:
        for index, value in enumerate(line, start=1):
            widths[index] = max(widths.get(index, 0), _width(value))
    for index in text_columns:
        # Typed into a text column, an ID number stays text instead of becoming 3.30102E+17.
        sheet.column_dimensions[get_column_letter(index + 1)].number_format = "@"
        widths[index + 1] = max(widths.get(index + 1, 0), 18)
    for index in amounts:
        sheet.column_dimensions[get_column_letter(index + 1)].number_format = AMOUNT_FORMAT
        widths[index + 1] = widths.get(index + 1, 0) * 4 // 3  # room for the separators
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 50)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for value in headers:
        cell = _cell(sheet, value)
        if not isinstance(cell, Cell):
            cell = WriteOnlyCell(sheet, value=cell)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for line in rows:
        sheet.append([_amount_cell(sheet, value) if index in amounts else _cell(sheet, value)
                      for index, value in enumerate(line)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(sheet: Any, value: object) -> object:
    """The value as it is appended: itself, or a cell that carries its format."""
    if isinstance(value, datetime | date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd" if type(value) is date else "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
        return _cell(sheet, str(value))  # Excel keeps 15 significant digits; a longer int is text
    if isinstance(value, bool | int | float | Decimal) or value is None:
        return value
    text = str(value)
    if text.startswith(FORMULA_START):
        # openpyxl writes text starting with = as a formula; the quote prefix keeps it text
        # in Excel even after the cell is edited.
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    if _DIGITS.fullmatch(text):
        cell = WriteOnlyCell(sheet, value=text)
        cell.number_format = "@"
        return cell
    return text


def _amount_cell(sheet: Any, value: object) -> object:
    """An amount in yuan: the number itself, exact as written (a Decimal from fen), shown
    #,##0.00; anything else as any cell."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = AMOUNT_FORMAT
        return cell
    return _cell(sheet, value)


def _width(value: object) -> int:
    if isinstance(value, datetime | date):
        return 10
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)
