"""The member roll's spreadsheet below the level of rows: the file's lines of cell values (.xlsx
or .csv in UTF-8 or GB18030), the columns with their Chinese or English headers, and how one cell
is read — 男/女, 是/否, the Chinese names of the bases, dates as Excel keeps them or as text.
Rule: a cell is read or refused with a reason that never holds the cell's value; the caller adds
the value only for columns that carry no personal data.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook

from api.sheets import FORMULA_START
from ledger.register import CONFIRM_BASES

# Canonical key → headers; the first is the one written in templates and exports.
COLUMNS: dict[str, tuple[str, ...]] = {
    "household": ("户号", "household"),
    "address": ("住址", "地址", "address"),
    "head": ("户主", "head"),
    "number": ("成员编号", "number"),
    "name": ("姓名", "name"),
    "sex": ("性别", "sex"),
    "born": ("出生日期", "born"),
    "id_number": ("身份证号", "身份证号码", "id_number"),
    "phone": ("联系电话", "电话", "phone"),
    "basis": ("确认依据", "取得依据", "basis"),
    "confirmed_on": ("确认日期", "confirmed_on"),
    "resolution": ("决议文号", "resolution"),
    "resolution_date": ("决议日期", "resolution_date"),
}
REQUIRED = ("household", "name", "sex", "born", "basis", "confirmed_on")
PERSONAL = frozenset({"id_number", "phone"})
SHARE = "share:"

SEXES = {"男": "male", "女": "female", "male": "male", "female": "female"}
BASES = {"出生": "birth", "婚入": "marriage_in", "收养": "adoption",
         "政策性迁入": "policy_migration", "原始确认": "original", "入社": "admitted"}
_CODES = {code for codes in CONFIRM_BASES.values() for code in codes}
_YES = frozenset({"是", "yes", "y", "1", "true", "√"})
_NO = frozenset({"否", "no", "n", "0", "false"})

_DATE = re.compile(r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?"
                   r"(?:\s+0?0:00(?::00)?)?")
_WHOLE = re.compile(r"\d{1,3}(?:,\d{3})+|\d+(?:\.0*)?")
_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?E\+?\d+", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
NUMERIC_ID = "store ID numbers as text: Excel rounds 18-digit numbers"


class CellError(ValueError):
    """Why a cell cannot be read; the message never quotes the cell."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Unreadable(Exception):
    """The file as a whole cannot be read."""


def sheet_lines(data: bytes, suffix: str) -> Iterable[list[Any]]:
    """The cell values of the first sheet, line by line from row 1, text trimmed."""
    if suffix == "xlsx":
        return _xlsx_lines(data)
    if suffix == "csv":
        return _csv_lines(data)
    if suffix == "xls":
        raise Unreadable("an old .xls workbook: save it as .xlsx or .csv")
    raise Unreadable("a .xlsx or .csv file")


def _xlsx_lines(data: bytes) -> Iterable[list[Any]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # zip, XML and openpyxl errors alike mean "not a workbook"
        raise Unreadable("the file cannot be read as .xlsx") from None
    try:
        if not book.worksheets:
            return
        sheet = book.worksheets[0]
        # Some programs write a wrong used range, and read-only mode would cut the rows to it.
        sheet.reset_dimensions()
        for values in sheet.iter_rows(values_only=True):
            yield [value.strip() if isinstance(value, str) else value for value in values]
    finally:
        book.close()


def _csv_lines(data: bytes) -> Iterable[list[Any]]:
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="strict")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Chinese Excel saves "CSV" in the system code page, GBK, which GB18030 contains.
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                raise Unreadable("text in UTF-8 or GB18030") from None
    for values in csv.reader(io.StringIO(text, newline="")):
        yield [_undefused(value.strip()).strip() for value in values]


def _undefused(text: str) -> str:
    # Our own CSV puts an apostrophe before text that would run as a formula; take it off again.
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_START else text


def header_key(header: str, classes: Mapping[str, str]) -> str | None:
    """The canonical key of a header, or None; `classes` maps share class code → Chinese name."""
    # Chinese sheets often space out short headers to align them (姓  名), in full-width too.
    wanted = _SPACES.sub("", header).lower()
    for key, names in COLUMNS.items():
        if wanted in names:
            return key
    for code, name_zh in classes.items():
        if wanted in (_SPACES.sub("", name_zh), code.lower(), f"{SHARE}{code}".lower()):
            return f"{SHARE}{code}"
    return None


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime | date):
        raise CellError("text, not a date")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def read_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if is_blank(value):
        raise CellError("required")
    if not isinstance(value, str):
        # A bare serial number may be a date without its format or a plain number; guessing
        # would put a wrong birthday on the roll without anyone seeing it.
        raise CellError("a date such as 2025-06-01 or 2025年6月1日")
    found = _DATE.fullmatch(value.strip())
    if found is None:
        raise CellError("a date such as 2025-06-01 or 2025年6月1日")
    try:
        return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        raise CellError("no such day") from None


def read_optional_date(value: Any) -> date | None:
    return None if is_blank(value) else read_date(value)


def read_whole(value: Any) -> int:
    if isinstance(value, bool):
        raise CellError("a whole number of shares")
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError("a whole number of shares")
        value = int(value)
    if isinstance(value, str):
        cleaned = value.strip()
        if cleaned.startswith("-") and _WHOLE.fullmatch(cleaned[1:]):
            raise CellError("0 or more shares")
        if not _WHOLE.fullmatch(cleaned):
            raise CellError("a whole number of shares")
        value = int(cleaned.replace(",", "").split(".")[0])
    if not isinstance(value, int):
        raise CellError("a whole number of shares")
    if value < 0:
        raise CellError("0 or more shares")
    return value


def read_id_number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | None):
        raise CellError(NUMERIC_ID if isinstance(value, int | float) else "an ID number as text")
    # Numbers are often typed in groups (330102 19600308 0133), or after an apostrophe to keep
    # Excel off them; the digits are what count.
    cleaned = _SPACES.sub("", value or "").upper().removeprefix("'")
    if _SCIENTIFIC.fullmatch(cleaned):
        raise CellError(NUMERIC_ID)  # a numeric cell as Excel saves it in a CSV
    return cleaned


def read_phone(value: Any) -> str:
    if isinstance(value, bool):
        raise CellError("a phone number of digits")
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return str(int(value))
    if not isinstance(value, str | None):
        raise CellError("a phone number of digits")
    return (value or "").strip()


def read_sex(value: Any) -> str:
    if is_blank(value):
        raise CellError("required")
    found = SEXES.get(str(value).strip().lower())
    if found is None:
        raise CellError("男 or 女 (male or female)")
    return found


def read_head(value: Any) -> bool:
    if is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    word = str(value).strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise CellError("是 or 否 (yes or no)")


def read_basis(value: Any) -> str:
    if is_blank(value):
        raise CellError("required")
    word = str(value).strip()
    if word in BASES:
        return BASES[word]
    if word.lower() in _CODES:
        return word.lower()
    raise CellError(f"one of {'、'.join(BASES)}")


READERS: dict[str, Callable[[Any], Any]] = {
    "household": read_text, "address": read_text, "head": read_head, "number": read_text,
    "name": read_text, "sex": read_sex, "born": read_date, "id_number": read_id_number,
    "phone": read_phone, "basis": read_basis, "confirmed_on": read_date,
    "resolution": read_text, "resolution_date": read_optional_date,
}


def reader(key: str) -> Callable[[Any], Any]:
    return read_whole if key.startswith(SHARE) else READERS[key]
