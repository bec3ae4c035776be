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
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

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
    Iterative, so no depth of nesting can exhaust the stack. Every event passes here, so a
    clean text costs one regex search and a path is spelled out only for a container or a
    problem."""
    # (path of the container, key or index within it, value); the root has no key.
    stack: list[tuple[str, Any, Any]] = [(path, None, data)]
    while stack:
        parent, key, item = stack.pop()
        if type(item) in _PLAIN:
            continue
        if isinstance(item, str):
            if _SUSPECT.search(item) is not None and (
                    problem := text_problem(item, multiline=True)) is not None:
                yield _path(parent, key), problem
        elif isinstance(item, dict | Mapping):
            where = _path(parent, key)
            for name in item:
                if isinstance(name, str) and (problem := text_problem(name, multiline=True)):
                    yield (where or "(key)"), f"{KEY_PREFIX}{problem}"
            # Pushed in reverse, so that the first unclean text in reading order is found first.
            stack.extend((where, name, value) for name, value in reversed(item.items()))
        elif isinstance(item, list | tuple):
            where = _path(parent, key)
            stack.extend((where, _Index(i), value)
                         for i, value in reversed(list(enumerate(item))))


# What holds no text, told by its exact type at once (an ABC check per number is not free).
_PLAIN = frozenset({int, bool, float, type(None), date, datetime, UUID, Decimal})


class _Index(int):
    """A position in a list, spelled [i], where a map's key is spelled .key."""


def _path(parent: str, key: Any) -> str:
    if key is None:
        return parent
    if isinstance(key, _Index):
        return f"{parent}[{int(key)}]"
    return f"{parent}.{key}" if parent else str(key)


def check_all_clean(data: Mapping[str, Any]) -> None:
    """UncleanText for the first unclean string in an event's or a request's fields."""
    if not _suspect_inside(data):
        return  # the common case, decided without spelling out a single path
    for where, problem in unclean_strings(data):
        raise UncleanText(problem, field=where)


def _suspect_inside(data: Any) -> bool:
    """Whether any text inside may be unclean: one regex search per text, no paths. Every event
    passes here (an import of a year's vouchers, twenty thousand); anything but plain JSON-like
    data is left to unclean_strings."""
    stack = [data]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str:
            if _SUSPECT.search(item) is not None:
                return True
        elif kind is dict:
            if any(type(key) is not str or _SUSPECT.search(key) for key in item):
                return True
            stack.extend(item.values())
        elif kind is list or kind is tuple:
            stack.extend(item)
        elif kind not in _PLAIN:
            return True
    return False


def storable(value: str) -> str:
    """`value` as PostgreSQL can keep it in a text column: a NUL drawn as ␀ (U+2400). Only for
    texts kept in events before every door refused NUL (a read model must still show them);
    SQLite keeps NUL as it is, so a disclosure built from such a text there still verifies."""
    return value.replace("\x00", "\u2400") if "\x00" in value else value
