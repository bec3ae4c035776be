"""A member sheet's problems as the desk says them. Rule: the JSON API keeps the reasons of
reading the roll (api/register/roll_cells.py) and of the register's refusals in English for
programs; a Chinese page says them in Chinese — a known sentence by its pattern, a sentence in
both languages by its Chinese alone — and keeps any other reason as it came, so that nothing a
problem names is lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from api.i18n import current_locale, gettext
from api.refusals import CJK, ENGLISH_ASIDE

Words = Callable[[dict[str, str]], str]
SHOWN = re.compile(r'(?P<reason>.+), not "(?P<cell>.*)"', re.S)
SENTENCES: list[tuple[re.Pattern[str], Words]] = [(re.compile(pattern, re.S), words) for
                                                   pattern, words in (
    (r"required", lambda c: gettext("This is required.")),
    (r"男 or 女 \(male or female\)", lambda c: gettext("男 or 女.")),
    (r"是 or 否 \(yes or no\)", lambda c: gettext("是 or 否, or leave it empty.")),
    (r"a whole number of shares", lambda c: gettext("A whole number of shares.")),
    (r"0 or more shares", lambda c: gettext("0 or more shares.")),
    (r"a phone number of digits", lambda c: gettext("A phone number of digits, or leave it "
                                                    "empty.")),
    (r"text, not a date", lambda c: gettext("A date, not text.")),
    (r"a date such as 2025-06-01 or 2025年6月1日",
     lambda c: gettext("A date such as 2025-06-01 or 2025年6月1日.")),
    (r"no such day", lambda c: gettext("There is no such day.")),
    (r"member (?P<number>\S+) is already on the roll",
     lambda c: gettext("Member %(number)s is already on the roll.", **c)),
)]


def roll_problems(problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The report's items with each reason in the reader's language."""
    return [{**problem, "reason": roll_reason(str(problem.get("reason") or ""))}
            for problem in problems]


def roll_reason(reason: str) -> str:
    if current_locale() == "en":
        return reason
    if shown := SHOWN.fullmatch(reason):
        return gettext("%(reason)s (the cell holds “%(cell)s”)",
                       reason=roll_reason(shown["reason"]).rstrip("。."), cell=shown["cell"])
    for pattern, words in SENTENCES:
        if found := pattern.fullmatch(reason):
            return words({k: v or "" for k, v in found.groupdict().items()})
    return ENGLISH_ASIDE.sub("", reason) if CJK.search(reason) else reason


