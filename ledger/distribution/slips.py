"""The number and the code on a payment slip (发放通知单), as a holder types them on a phone.

Rule: a number is read as people read it, whatever way it was typed — full-width digits (１２３)
made plain, spaces dropped, and leading zeros not counted — so household 001 is found by "001"
or "1", and outside heir 1 by "1" or "001". Because a household and an outside heir (or a member)
may then read as the same number, the codes of one plan are drawn all different: a number and a
code never find two lines of a plan drafted so. A plan drafted before keeps its codes.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

CODE_DIGITS = 6
_DIGITS = re.compile(r"\d+")


def lookup_key(number: str) -> str:
    """A holder's number as a look-up compares it: "００１ " and "1" both read as "1"."""
    plain = "".join(unicodedata.normalize("NFKC", number).split()).casefold()
    return _DIGITS.sub(lambda run: str(int(run.group())), plain)


def draw_codes(count: int) -> list[str]:
    """`count` six-digit codes, no two the same, drawn by the operating system's randomness."""
    drawn: list[str] = []
    seen: set[str] = set()
    while len(drawn) < count:
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        if code not in seen:
            seen.add(code)
            drawn.append(code)
    return drawn
