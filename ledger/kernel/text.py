"""Clean text: what a text may hold before it becomes an event that is kept for thirty years.

A text holds no NUL, no other C0 control character, no DEL and no C1 control character, and no lone
surrogate (it has no UTF-8 form). Tab, line feed and carriage return are allowed only in a
multi-line field (minutes, answers, reasons). PostgreSQL cannot store NUL in text at all; the rest
are invisible on a printed sheet and can hide what a line really says. Every door into the books
(JSON API, desk and public forms, spreadsheets, the command line) asks this one module.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ledger.kernel.errors import InvalidCommand

_LAYOUT = "\t\n\r"
# Every control character and surrogate, whatever the field; layout characters are told apart
# after a match, so that the common case (clean text) is one regex search.
_SUSPECT = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
KEY_PREFIX = "键："  # a key of a map, where the OpenAPI document cannot say what a key may hold
_NAMES = {0x00: "NUL", 0x09: "TAB", 0x0A: "LF", 0x0D: "CR", 0x7F: "DEL"}


class UncleanText(InvalidCommand):
    """A text holds a character that may not be kept in the books."""

    code = "invalid_text"


def _describe(char: str) -> tuple[str, str]:
    """What the character is, in Chinese and in English."""
    point = f"U+{ord(char):04X}"
    if "\ud800" <= char <= "\udfff":
        return (f"孤立的代理项 {point}，无法以 UTF-8 保存",
                f"a lone surrogate {point}, which has no UTF-8 form")
    name = f" ({_NAMES[ord(char)]})" if ord(char) in _NAMES else ""
    return f"控制字符 {point}{name}", f"the control character {point}{name}"


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """Why `value` may not be kept, in Chinese and then English; None when it is clean."""
    for match in _SUSPECT.finditer(value):
        char = match.group()
        if multiline and char in _LAYOUT:
            continue
        zh, en = _describe(char)
        if char in _LAYOUT:
            return f"只能写一行，不能含有换行或制表符（{zh}） (one line only: no {en})"
        return f"含有不允许的{zh} (contains {en}, which a text may not hold)"
    return None


def check_clean(value: str, field: str, *, multiline: bool = False) -> str:
    """`value` itself when clean, else UncleanText naming `field`."""
    problem = text_problem(value, multiline=multiline)
    if problem is not None:
        raise UncleanText(problem, field=field)
    return value


def unclean_strings(data: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every (path, reason) of a string inside nested dicts, lists and tuples that is not clean
    even as a multi-line text; a key of a map is a text too, and its reason says so (键 key).
    Iterative, so no depth of nesting can exhaust the stack."""
    stack: list[tuple[str, Any]] = [(path, data)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            if (problem := text_problem(item, multiline=True)) is not None:
                yield where, problem
        elif isinstance(item, Mapping):
            for key in item:
                if isinstance(key, str) and (problem := text_problem(key, multiline=True)):
                    yield (where or "(key)"), f"{KEY_PREFIX}{problem}"
            # Pushed in reverse, so that the first unclean text in reading order is found first.
            stack.extend((f"{where}.{key}" if where else str(key), value)
                         for key, value in reversed(item.items()))
        elif isinstance(item, list | tuple):
            stack.extend((f"{where}[{i}]", value) for i, value in reversed(list(enumerate(item))))


def check_all_clean(data: Mapping[str, Any]) -> None:
    """UncleanText for the first unclean string in an event's or a request's fields."""
    for where, problem in unclean_strings(data):
        raise UncleanText(problem, field=where)


def storable(value: str) -> str:
    """`value` as PostgreSQL can keep it in a text column: a NUL drawn as ␀ (U+2400). Only for
    texts kept in events before every door refused NUL (a read model must still show them);
    SQLite keeps NUL as it is, so a disclosure built from such a text there still verifies."""
    return value.replace("\x00", "\u2400") if "\x00" in value else value
