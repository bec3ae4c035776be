"""Money is an integer number of fen (0.01 yuan); text at the edges has at most two decimals.

Floats never enter: amounts arrive as decimal strings and are parsed exactly.
"""

from __future__ import annotations

import re
from decimal import Decimal

_AMOUNT = re.compile(r"(-)?([0-9]{1,13})(?:\.([0-9]{1,2}))?")

# Thirteen integer digits keep every sum of a 30-year book far inside 64-bit integers.
MAX_FEN = 10**15 - 1


class AmountError(ValueError):
    """The text is not an amount of yuan with at most two decimals."""


def parse_fen(text: str) -> int:
    """Parse "1234.50" (or "1234.5", "1234", "-3.00") into fen, exactly."""
    if not isinstance(text, str):
        raise AmountError("must be a decimal string such as \"1234.50\"")
    match = _AMOUNT.fullmatch(text.strip())
    if match is None:
        if re.fullmatch(r"-?[0-9]+\.[0-9]{3,}", text.strip()):
            raise AmountError("at most two decimals (fen)")
        raise AmountError("must be a decimal string such as \"1234.50\"")
    sign, whole, frac = match.groups()
    fen = int(whole) * 100 + int((frac or "").ljust(2, "0"))
    return -fen if sign else fen


def format_fen(fen: int) -> str:
    """Render fen as yuan with exactly two decimals: 123450 -> "1234.50"."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def fen_to_decimal(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)
