"""The allocation rule: how an amount reaches each holder, exact to the fen.

A per-share rate r (yuan per share) gives each holder sᵢ × r; when r has more than fen precision
the product is rounded half up (四舍五入) to the fen, holder by holder, and the total is the sum
of the rounded amounts. A total A gives ⌊A·sᵢ/S⌋, and the fen left over go one each to the
holders with the largest remainders, ties to the lower holder number, so Σ aᵢ = A exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ledger.distribution.errors import InvalidDistribution, NegativeHolding

HOLDER_KINDS = ("household", "member", "outside", "collective")
FEN = Decimal(1)


@dataclass(frozen=True)
class Holding:
    """One holder's shares on the record date, as the register holds them."""

    holder: str  # the holder's number in the register
    shares: int
    kind: str = "household"


@dataclass(frozen=True)
class Allocated:
    holder: str
    kind: str
    shares: int
    amount: int  # fen


def holder_order(holder: str) -> tuple[str | int, ...]:
    """Holder numbers in the order people read them: "H2" before "H10"."""
    # re.split with a group alternates text and digits, so equal positions compare like types.
    return tuple(int(part) if index % 2 else part
                 for index, part in enumerate(re.split(r"(\d+)", holder)))


def parse_rate(text: object, field: str, *, at_most: Decimal | None = None) -> Decimal:
    """A rate given as a decimal string ("0.15", "50.00"), never a float: not negative, finite,
    and at most `at_most` when given."""
    if not isinstance(text, str):
        raise InvalidDistribution('a decimal string such as "0.15"', field=field)
    try:
        rate = Decimal(text.strip())
    except InvalidOperation:
        raise InvalidDistribution('a decimal string such as "0.15"', field=field) from None
    if not rate.is_finite() or rate < 0 or (at_most is not None and rate > at_most):
        limit = f" and at most {at_most}" if at_most is not None else ""
        raise InvalidDistribution(f"not negative{limit}", field=field)
    return rate


def checked(holdings: Iterable[Holding], field: str = "shares") -> tuple[Holding, ...]:
    """The holdings in holder order, each holder once, none negative and each of a known kind."""
    given = tuple(holdings)
    seen: set[str] = set()
    for holding in given:
        if type(holding.shares) is not int:
            raise InvalidDistribution("a whole number of shares", field=field,
                                      holder=holding.holder)
        if holding.shares < 0:
            raise NegativeHolding(f"{holding.holder} holds {holding.shares} shares",
                                  field=field, holder=holding.holder)
        if holding.kind not in HOLDER_KINDS:
            raise InvalidDistribution(f"one of {', '.join(HOLDER_KINDS)}", field=field,
                                      holder=holding.holder)
        if holding.holder in seen:
            raise InvalidDistribution(f"{holding.holder} is listed twice", field=field,
                                      holder=holding.holder)
        seen.add(holding.holder)
    return tuple(sorted(given, key=lambda h: holder_order(h.holder)))


def round_fen(fen: Decimal) -> int:
    """An exact amount of fen to a whole fen, half up (四舍五入)."""
    return int(fen.quantize(FEN, rounding=ROUND_HALF_UP))


def fen_of(yuan: Decimal) -> int:
    """Yuan to fen, rounded half up (四舍五入) when finer than a fen."""
    return round_fen(yuan * 100)


def by_rate(holdings: Iterable[Holding], rate: Decimal) -> tuple[Allocated, ...]:
    """Each holder sᵢ × r yuan, rounded half up to the fen on its own."""
    return tuple(Allocated(h.holder, h.kind, h.shares, fen_of(h.shares * rate))
                 for h in checked(holdings))


def by_total(holdings: Iterable[Holding], total: int) -> tuple[Allocated, ...]:
    """The total A in fen shared by shares: ⌊A·sᵢ/S⌋ each, then the leftover fen one each to
    the largest remainders (ties to the lower holder number), so the amounts sum to A."""
    ordered = checked(holdings)
    if type(total) is not int or total < 0:
        raise InvalidDistribution("not negative", field="to_members")
    shares = sum(h.shares for h in ordered)
    if shares == 0:
        if total:
            raise InvalidDistribution("no shares to share the total among", field="to_members")
        return tuple(Allocated(h.holder, h.kind, 0, 0) for h in ordered)
    floors, remainders = zip(*(divmod(total * h.shares, shares) for h in ordered), strict=True)
    leftover = total - sum(floors)  # fewer than len(ordered): each remainder is below S
    # sorted() is stable and `ordered` is in holder order, so equal remainders keep that order.
    lucky = set(sorted(range(len(ordered)), key=lambda i: -remainders[i])[:leftover])
    return tuple(Allocated(h.holder, h.kind, h.shares, floors[i] + (i in lucky))
                 for i, h in enumerate(ordered))


def total_of(lines: Sequence[Allocated]) -> int:
    return sum(line.amount for line in lines)
