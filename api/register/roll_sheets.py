"""The member roll as accountants keep it, in Excel: read from .xlsx or .csv into the rows of the
import, and the roll, the share register or an empty template written back out. Rule: every cell
that cannot be read is a problem named by its row and column and its row is left out — never
guessed — and no problem repeats an ID or phone number; what is written cannot run as a formula
and no ID number becomes a float.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl.utils import column_index_from_string, get_column_letter

from api.register.roll_cells import (
    COLUMNS,
    PERSONAL,
    REQUIRED,
    SHARE,
    CellError,
    Unreadable,
    header_key,
    is_blank,
    reader,
    sheet_lines,
)
from api.sheets import Format, write_sheet
from ledger.kernel.text import text_problem
from ledger.register import MAX_ROWS, Problem, RollRow

Columns = dict[str, tuple[str, str]]  # key → (header as written, column letter)

_DIGITS = re.compile(r"[0-9][0-9Xx]*")
_LETTER = re.compile(r"[A-Z]{1,3}")
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
# The domain names the household's registration date; in the sheet it is the first 确认日期.
_DOMAIN_FIELDS = {"registered_on": "confirmed_on"}
_SHOWN = 30


@dataclass(frozen=True)
class SheetRead:
    rows: list[RollRow]
    problems: list[Problem]
    columns: Columns = field(default_factory=dict)


# --- reading ---------------------------------------------------------------------------------

def read_roll(data: bytes, filename: str, classes: Mapping[str, str]) -> SheetRead:
    """The rows of a member roll sheet; `classes` maps share class code → Chinese name.

    Header problems are on row 1 and name a column by its key, or by its letter when the header
    is not one of ours. Without the required columns no row is read.
    """
    try:
        header, body, cut = _table(data, filename)
    except Unreadable as error:
        return SheetRead([], [Problem(0, "", str(error))])
    columns, positions, problems = _header(header, classes)
    if any(key not in columns for key in REQUIRED):
        return SheetRead([], problems, columns)
    rows: list[RollRow] = []
    stray: set[int] = set()
    named = {i for i, value in enumerate(header) if not is_blank(value)}
    for number, values in body:
        stray |= {i for i, value in enumerate(values) if i not in named and not is_blank(value)}
        row, found = _row(number, values, positions)
        problems += found
        if row is not None:
            rows.append(row)
    problems += [Problem(1, get_column_letter(i + 1), "values under a column without a header")
                 for i in sorted(stray)]
    if cut:
        problems.append(Problem(0, "", f"at most {MAX_ROWS} rows at once"))
    return SheetRead(rows, problems, columns)


def _table(data: bytes, filename: str) -> tuple[list[Any], list[tuple[int, list[Any]]], bool]:
    """The header, the rows that are not blank with their sheet row numbers, and whether the
    sheet had more rows than one import takes."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    lines = sheet_lines(data, suffix)
    header: list[Any] = []
    body: list[tuple[int, list[Any]]] = []
    try:
        for number, values in enumerate(lines, start=1):
            if number == 1:
                header = values
            elif any(not is_blank(value) for value in values):
                if len(body) == MAX_ROWS:
                    return header, body, True
                body.append((number, values))
    except Unreadable:
        raise
    except Exception:  # a damaged file can fail anywhere inside the parser
        raise Unreadable(f"the file cannot be read as .{suffix}") from None
    return header, body, False


def _header(header: list[Any], classes: Mapping[str, str]
            ) -> tuple[Columns, dict[int, str], list[Problem]]:
    columns: Columns = {}
    positions: dict[int, str] = {}
    problems: list[Problem] = []
    for index, value in enumerate(header):
        if is_blank(value):
            continue
        text, letter = _shown(value), get_column_letter(index + 1)
        key = header_key(str(value), classes)
        if key is None:
            problems.append(Problem(1, letter, f'unknown column "{text}"'))
        elif key in columns:
            problems.append(Problem(1, letter, f'"{text}" repeats column {columns[key][1]}'))
        else:
            columns[key] = (str(value).strip(), letter)
            positions[index] = key
    problems += [Problem(1, key, f"the column {COLUMNS[key][0]} ({key}) is missing")
                 for key in REQUIRED if key not in columns]
    return columns, positions, problems


def _row(number: int, values: list[Any], positions: dict[int, str]
         ) -> tuple[RollRow | None, list[Problem]]:
    cells: dict[str, Any] = {}
    problems: list[Problem] = []
    for index, key in positions.items():
        value = values[index] if index < len(values) else None
        if key.startswith(SHARE) and is_blank(value):
            continue
        if isinstance(value, str) and (unclean := text_problem(value.strip())):
            problems.append(Problem(number, key, unclean))  # the cell is not echoed back
            continue
        try:
            cells[key] = reader(key)(value)
        except CellError as error:
            problems.append(Problem(number, key, _reason(key, error.reason, value)))
    if problems:
        return None, problems
    shares = {key.removeprefix(SHARE): cells.pop(key) for key in list(cells)
              if key.startswith(SHARE)}
    return RollRow(row=number, shares=shares, **cells), []


def _reason(key: str, reason: str, value: Any) -> str:
    if key in PERSONAL or is_blank(value):
        return reason
    return f'{reason}, not "{_shown(value)}"'


def _shown(value: Any) -> str:
    if isinstance(value, datetime):
        value = value.date()
    text = value.isoformat() if isinstance(value, date) else str(value).strip()
    return text if len(text) <= _SHOWN else text[:_SHOWN - 1] + "…"


# --- reporting -------------------------------------------------------------------------------

def describe(problems: Iterable[Problem | Mapping[str, Any]],
             columns: Mapping[str, tuple[str, str]]) -> list[dict[str, Any]]:
    """Problems from reading or from ImportRejected.context["rows"] as report items {row, column,
    header, cell, reason}, by row and then by column as the sheet orders them."""
    items: list[tuple[tuple[int, int, str], dict[str, Any]]] = []
    for problem in problems:
        if isinstance(problem, Problem):
            row, column, reason = problem.row, problem.column, problem.reason
        else:
            row = int(problem.get("row") or 0)
            column, reason = str(problem.get("column") or ""), str(problem.get("reason") or "")
        key = _DOMAIN_FIELDS.get(column, column)
        if key in columns:
            header, letter = columns[key]
        elif _LETTER.fullmatch(key):
            header, letter = "", key
        else:
            header, letter = (COLUMNS[key][0] if key in COLUMNS else ""), ""
        order = (row, column_index_from_string(letter) if letter else 0, key)
        items.append((order, {"row": row, "column": key, "header": header,
                              "cell": f"{letter}{row}" if letter and row >= 1 else "",
                              "reason": reason}))
    return [item for _, item in sorted(items, key=lambda pair: pair[0])]


# --- writing ---------------------------------------------------------------------------------

def roll_template(classes: Mapping[str, str], fmt: Format) -> bytes:
    """The headers of the roll, a column per share class and one example row to overwrite.

    The example has no ID or phone number: any number that passes the checks could be someone's.
    """
    headers = [names[0] for names in COLUMNS.values()] + list(classes.values())
    example: dict[str, object] = {
        "household": "001", "address": "东村一组", "head": "是", "number": "0001",
        "name": "张三", "sex": "男", "born": date(1980, 5, 1), "id_number": "", "phone": "",
        "basis": "原始确认", "confirmed_on": date(2025, 6, 1),
        "resolution": "成员确认决〔2025〕1号", "resolution_date": date(2025, 5, 28)}
    row = [example[key] for key in COLUMNS] + [10 if i == 0 else None
                                               for i in range(len(classes))]
    keys = list(COLUMNS)
    text_columns = [keys.index(key) for key in ("household", "number", "id_number", "phone")]
    return write_sheet(headers, [row], fmt, "成员名册", text_columns=text_columns)
