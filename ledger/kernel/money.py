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
        if re.fullmatch(r"-?[0-9]{14,}(\.[0-9]{1,2})?", text.strip()):
            raise AmountError("too large: at most 9999999999999.99")
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


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿", "万亿")


def _group(number: int) -> str:
    """0 < number < 10000 in capital numerals, with inner zeros read once (壹仟零伍)."""
    text, zero = "", False
    for position in range(3, -1, -1):
        digit = number // 10**position % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += _DIGITS[digit] + _SMALL_UNITS[position]
    return text


def capital_numerals(fen: int) -> str:
    """The amount as written on cheques and disclosure forms (大写): 500000 -> "伍仟元整",
    100250 -> "壹仟零贰元伍角整", 5 -> "伍分"; a negative amount is prefixed 负."""
    if fen == 0:
        return "零元整"
    prefix = "负" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    jiao, fen_digit = divmod(cents, 10)
    groups: list[int] = []
    while whole:
        whole, rest = divmod(whole, 10000)
        groups.append(rest)
    yuan, pending_zero = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            pending_zero = bool(yuan)
            continue
        if yuan and (pending_zero or group < 1000):
            yuan += "零"
        yuan += _group(group) + _BIG_UNITS[index]
        pending_zero = False
    text = prefix + (yuan + "元" if yuan else "")
    if jiao == 0 and fen_digit == 0:
        return text + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen_digit:
        text += _DIGITS[fen_digit] + "分"
    else:
        text += "整"
    return text
