"""Vouchers in a spreadsheet, a row per line: read from .xlsx or .csv into the vouchers of the
import, and written back out in the same columns so that an export imports again. Rule: every
cell that cannot be read is a problem named by its row and column, and its voucher is left out —
never guessed; the lines of one voucher share its number, and may not disagree on its date.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

from api.register.roll_cells import (
    CellError,
    Unreadable,
    is_blank,
    read_date,
    read_text,
    sheet_lines,
)
from ledger.books import Line, RowProblem, SheetVoucher, VoucherDraft
from ledger.kernel.money import MAX_FEN
from ledger.kernel.text import text_problem

MAX_LINES = 300_000  # a year of a large village's vouchers, with room

# Canonical key → headers; the first is the one written in exports.
COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("凭证号", "凭证编号", "number"),
    "date": ("日期", "凭证日期", "date"),
    "summary": ("摘要", "summary"),
    "account": ("科目编码", "科目代码", "account"),
    "account_name": ("科目名称", "account_name"),
    "debit": ("借方金额", "借方", "debit"),
    "credit": ("贷方金额", "贷方", "credit"),
    "memo": ("备注", "memo"),
    "party": ("往来对象", "party"),
    "kind": ("凭证类别", "类别", "kind"),
    "attachments": ("附件数", "附件张数", "attachments"),
    "reverses": ("冲销凭证号", "reverses"),
}
REQUIRED = ("number", "date", "summary", "account", "debit", "credit")
KINDS = {"记账": "regular", "期初": "opening", "冲销": "reversal", "红字冲销": "reversal",
         "结转": "closing", "regular": "regular", "opening": "opening",
         "reversal": "reversal", "closing": "closing"}
KIND_ZH = {"regular": "记账", "opening": "期初", "reversal": "冲销", "closing": "结转"}
# What a voucher has once, whichever of its rows gives it; the rest are per line.
VOUCHER_KEYS = ("date", "kind", "attachments", "reverses")

_AMOUNT = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?")
_SPACES = re.compile(r"\s+")
_SHOWN = 30


@dataclass(frozen=True)
class VoucherSheet:
    vouchers: list[SheetVoucher]
    problems: list[RowProblem]
    columns: dict[str, str] = field(default_factory=dict)  # key → column letter


# --- cells -----------------------------------------------------------------------------------

def read_amount(value: Any) -> int:
    """Fen from a number or a text such as 1,234.50; blank and zero are the empty side."""
    if is_blank(value):
        return 0
    if isinstance(value, bool):
        raise CellError("an amount such as 1234.50")
    if isinstance(value, int):
        return _within(value * 100)
    text = _plain(value) if isinstance(value, float) else str(value).strip()
    if not _AMOUNT.fullmatch(text):
        raise CellError("an amount with at most two decimals, such as 1234.50")
    try:
        return _within(int(Decimal(text.replace(",", "")) * 100))
    except InvalidOperation:
        raise CellError("an amount such as 1234.50") from None


def _within(fen: int) -> int:
    if abs(fen) > MAX_FEN:
        raise CellError(f"too large: at most {MAX_FEN // 100:,}.{MAX_FEN % 100:02d}")
    return fen


def _plain(number: float) -> str:
    """A number cell as its digits, never as 1e+17: what the sheet shows and the reader reads."""
    try:
        return format(Decimal(repr(number)), "f")
    except InvalidOperation:  # inf, nan
        return repr(number)


def read_account(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return read_text(value)  # 50101 typed as a number
    text = read_text(value)
    if not text:
        raise CellError("required")
    return text


def read_kind(value: Any) -> str:
    if is_blank(value):
        return "regular"
    kind = KINDS.get(str(value).strip().lower())
    if kind is None:
        raise CellError("记账, 期初 or 冲销")
    if kind == "closing":
        raise CellError("year-end closing vouchers are posted by closing the year "
                        "(POST …/years/{year}/close), not imported")
    return kind


def read_count(value: Any) -> int:
    if is_blank(value):
        return 0
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise CellError("a whole number of attachments")
    return value


def read_summary(value: Any) -> str:
    return read_text(value)


READERS = {"number": read_account, "date": read_date, "summary": read_summary,
           "account": read_account, "account_name": read_text, "debit": read_amount,
           "credit": read_amount, "memo": read_text, "party": read_text, "kind": read_kind,
           "attachments": read_count, "reverses": read_text}


# --- the sheet -------------------------------------------------------------------------------

def read_vouchers(data: bytes, filename: str) -> VoucherSheet:
    """The vouchers of a sheet, in the order their numbers first appear."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    try:
        header, body = _table(data, suffix)
    except Unreadable as error:
        return VoucherSheet([], [RowProblem(0, "", str(error))])
    positions, columns, problems = _header(header)
    if any(key not in columns for key in REQUIRED):
        return VoucherSheet([], problems, columns)
    if len(body) > MAX_LINES:
        return VoucherSheet([], [RowProblem(0, "", f"at most {MAX_LINES} lines at once")],
                            columns)
    groups: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    spoilt: set[str] = set()
    misdated: set[str] = set()  # a date cell already named: not "required" as well
    for number, values in body:
        cells, found = _cells(number, values, positions)
        problems += found
        key = str(cells.get("number") or f"row {number}")
        groups.setdefault(key, []).append((number, cells))
        if found:
            spoilt.add(key)
        if any(problem.column == "date" for problem in found):
            misdated.add(key)
    vouchers = []
    for key, rows in groups.items():
        voucher, found = _voucher(key, rows, dated=key in misdated)
        problems += found
        if voucher is not None and key not in spoilt:
            vouchers.append(voucher)
    return VoucherSheet(vouchers, problems, columns)


def _xlsx_lines(data: bytes) -> Iterable[list[Any]]:
    """The first sheet's values by calamine (Rust), several times faster than openpyxl on a
    year of vouchers: numbers as float, days as date, an empty cell as ""."""
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, IndexError):
        raise Unreadable("the file cannot be read as .xlsx") from None
    for values in rows:
        yield [value.strip() if isinstance(value, str) else value for value in values]


def _table(data: bytes, suffix: str) -> tuple[list[Any], list[tuple[int, list[Any]]]]:
    header: list[Any] = []
    body: list[tuple[int, list[Any]]] = []
    lines = _xlsx_lines(data) if suffix == "xlsx" else sheet_lines(data, suffix)
    try:
        for number, values in enumerate(lines, start=1):
            if number == 1:
                header = values
            elif any(not is_blank(value) for value in values):
                body.append((number, values))
                if len(body) > MAX_LINES:
                    break
    except Unreadable:
        raise
    except Exception:  # a damaged file can fail anywhere inside the parser
        raise Unreadable(f"the file cannot be read as .{suffix}") from None
    return header, body


def _header(header: list[Any]) -> tuple[dict[int, str], dict[str, str], list[RowProblem]]:
    positions: dict[int, str] = {}
    columns: dict[str, str] = {}
    problems: list[RowProblem] = []
    for index, value in enumerate(header):
        if is_blank(value):
            continue
        letter, wanted = get_column_letter(index + 1), _SPACES.sub("", str(value)).lower()
        key = next((k for k, names in COLUMNS.items() if wanted in names), None)
        if key is None:
            problems.append(RowProblem(1, letter, f'unknown column "{_shown(value)}"'))
        elif key in columns:
            problems.append(RowProblem(1, letter, f"repeats column {columns[key]}"))
        else:
            columns[key], positions[index] = letter, key
    problems += [RowProblem(1, key, f"the column {COLUMNS[key][0]} ({key}) is missing")
                 for key in REQUIRED if key not in columns]
    return positions, columns, problems


def _cells(number: int, values: list[Any], positions: dict[int, str],
           ) -> tuple[dict[str, Any], list[RowProblem]]:
    cells: dict[str, Any] = {}
    problems: list[RowProblem] = []
    for index, key in positions.items():
        value = values[index] if index < len(values) else None
        if isinstance(value, str) and (unclean := text_problem(value.strip())):
            problems.append(RowProblem(number, key, unclean))
            continue
        if key in VOUCHER_KEYS and is_blank(value) and key != "kind":
            continue  # given on another row of the voucher, or not at all
        try:
            cells[key] = READERS[key](value)
        except CellError as error:
            reason = error.reason if is_blank(value) else f'{error.reason}, not "{_shown(value)}"'
            problems.append(RowProblem(number, key, reason))
    return cells, problems


def _voucher(key: str, rows: list[tuple[int, dict[str, Any]]], *, dated: bool = False,
             ) -> tuple[SheetVoucher | None, list[RowProblem]]:
    """One voucher from the rows that share its number: what it has once may be given on any of
    them but never differently; a later row's own summary is that line's memo. `dated`: a date
    was given but could not be read (named already), so it is not also missing."""
    problems: list[RowProblem] = []
    once: dict[str, tuple[Any, int]] = {}
    for row, cells in rows:
        for name in VOUCHER_KEYS:
            if name not in cells or (name == "kind" and cells[name] == "regular"
                                     and row != rows[0][0]):
                continue
            given, where = once.setdefault(name, (cells[name], row))
            if given != cells[name]:
                problems.append(RowProblem(row, name, f"voucher {key} has {_shown(given)} "
                                           f"on row {where}"))
    first_row, first = rows[0]
    if "date" not in once and not dated:
        problems.append(RowProblem(first_row, "date", "required"))
    if problems or "date" not in once:
        return None, problems
    summary = first.get("summary", "")
    lines = []
    for row, cells in rows:
        memo = cells.get("memo", "")
        own = cells.get("summary", "")
        if own and own != summary:
            if memo:
                problems.append(RowProblem(row, "summary", f"voucher {key}'s summary is on "
                                           f"row {first_row}; put this line's words in 备注"))
            memo = own
        lines.append(Line(cells.get("account", ""), cells.get("debit", 0),
                          cells.get("credit", 0), memo, cells.get("party", "")))
    if problems:
        return None, problems
    draft = VoucherDraft(date=once["date"][0], summary=summary, lines=tuple(lines),
                         attachments=once.get("attachments", (0, 0))[0],
                         kind=once.get("kind", ("regular", 0))[0])
    return SheetVoucher(number=key, rows=tuple(row for row, _ in rows), draft=draft,
                        reverses=once.get("reverses", ("", 0))[0]), []


def _shown(value: Any) -> str:
    text = value.isoformat() if isinstance(value, date) else \
        _plain(value) if isinstance(value, float) else str(value).strip()
    return text if len(text) <= _SHOWN else text[:_SHOWN - 1] + "…"


# --- reporting and writing -------------------------------------------------------------------

def describe(problems: Iterable[RowProblem | Mapping[str, Any]],
             columns: Mapping[str, str]) -> list[dict[str, Any]]:
    """Problems as report items {row, column, header, cell, reason}, by row then column."""
    items = []
    for problem in problems:
        if isinstance(problem, RowProblem):
            row, column, reason = problem.row, problem.column, problem.reason
        else:
            row, column = int(problem.get("row") or 0), str(problem.get("column") or "")
            reason = str(problem.get("reason") or "")
        letter = columns.get(column, column if re.fullmatch(r"[A-Z]{1,3}", column) else "")
        header = COLUMNS[column][0] if column in COLUMNS else ""
        items.append({"row": row, "column": column, "header": header,
                      "cell": f"{letter}{row}" if letter and row >= 1 else "", "reason": reason})
    return sorted(items, key=lambda item: (item["row"], len(item["cell"]), item["cell"]))


def export_rows(vouchers: Iterable[Mapping[str, Any]], names: Mapping[str, str],
                ) -> list[list[object]]:
    """A row per line in the columns of COLUMNS; amounts as numbers, red ink negative."""
    rows: list[list[object]] = []
    for v in vouchers:
        day = date.fromisoformat(str(v["date"])[:10])
        for line in v["lines"]:
            cells = {"number": v["number"], "date": day, "summary": v["summary"],
                     "account": line["account"], "account_name": names.get(line["account"], ""),
                     "debit": _yuan(line["debit"]), "credit": _yuan(line["credit"]),
                     "memo": line["memo"], "party": line.get("party", ""),
                     "kind": KIND_ZH.get(v["kind"], v["kind"]),
                     "attachments": v["attachments"], "reverses": v["reverses"] or ""}
            rows.append([cells[key] for key in COLUMNS])
    return rows


def _yuan(fen: int) -> Decimal | None:
    return None if not fen else Decimal(fen).scaleb(-2).quantize(Decimal("0.01"))
