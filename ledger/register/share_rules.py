"""The rules of shares that need no register's history: what a class, an allocation and a
movement may be, how much of all shares one class or one holder may hold, and who may hold shares
from outside the organization (the organization's own rules, `Rules`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ledger.register.errors import InvalidShares, ShareCapExceeded, SharesStateError

ORG = "org"  # the organization itself: the collective share and the reserve pool
KINDS = ("transfer", "inheritance", "buy_back", "allocation", "return")
MAX_QUANTITY = 10**9


@dataclass(frozen=True)
class ShareClass:
    code: str
    name_zh: str
    basis: str
    per_person: int  # given to each new member of a per-person register
    cap_percent: int  # at most this share of all shares (集体股 ≤ 30 %); 0: no cap


@dataclass(frozen=True)
class Rules:
    """The organization's local rules, as its settings say when the movement is made."""

    transfer: str = "inside"  # or "outside"
    outside_heirs: str = "income_only"  # or "refuse"
    holder_cap_percent: int = 0


def whole(value: object, low: int, high: int) -> bool:
    return type(value) is int and low <= value <= high


def percent(part: int, whole_: int) -> str:
    return f"{part * 100 / whole_:.2f}%" if whole_ else "0%"


def check_holder_cap(holder: str, held: int, grand: int, rules: Rules) -> None:
    cap = rules.holder_cap_percent
    if holder != ORG and cap and held * 100 > cap * grand:
        raise ShareCapExceeded(
            f"{holder} would hold {percent(held, grand)} of all shares; one holder may hold "
            f"at most {cap}%", field="target", holder=holder)


def check_caps(classes: Mapping[str, ShareClass], allocations: list[dict[str, str | int]],
               rules: Rules) -> None:
    """No class above its cap of all shares, no holder above the organization's cap."""
    totals: dict[str, int] = {}
    by_holder: dict[str, int] = {}
    for row in allocations:
        code, holder, quantity = str(row["share_class"]), str(row["holder"]), int(row["quantity"])
        totals[code] = totals.get(code, 0) + quantity
        by_holder[holder] = by_holder.get(holder, 0) + quantity
    grand = sum(totals.values())
    for code, total in totals.items():
        cap = classes[code].cap_percent
        if cap and total * 100 > cap * grand:
            raise ShareCapExceeded(
                f"{classes[code].name_zh} would be {percent(total, grand)} of all "
                f"shares; the cap is {cap}%", field="allocations", share_class=code)
    for holder, held in by_holder.items():
        check_holder_cap(holder, held, grand, rules)


def check_movement(classes: Mapping[str, ShareClass], *, kind: str, source: str, target: str,
                   share_class: str, quantity: int, price: int) -> None:
    """What any movement must be, whatever the register holds."""
    if kind not in KINDS:
        raise InvalidShares(f"one of {', '.join(KINDS)}", field="kind")
    if share_class not in classes:
        raise InvalidShares(f"no class {share_class}", field="share_class")
    if classes[share_class].basis == "collective":
        raise SharesStateError("the collective share stays with the organization",
                               field="share_class")
    if not whole(quantity, 1, MAX_QUANTITY):
        raise InvalidShares("a whole number above zero", field="quantity")
    if not whole(price, 0, 10**13):
        raise InvalidShares("a whole number of fen, zero or more", field="price")
    if source == target:
        raise InvalidShares("a holder cannot move shares to itself", field="target")


def check_direction(kind: str, source: str, target: str) -> None:
    """Which way each kind of movement goes, to or from the organization."""
    if kind in ("buy_back", "return") and target != ORG:
        raise InvalidShares(f"a {kind.replace('_', '-')} goes to the organization",
                            field="target")
    if kind == "allocation" and source != ORG:
        raise InvalidShares("an allocation comes from the organization's reserve",
                            field="source")
    if kind in ("transfer", "inheritance") and ORG in (source, target):
        raise InvalidShares("between holders; the organization allocates or buys back",
                            field="target")


def check_outside_allowed(kind: str, rules: Rules) -> None:
    allowed = (kind == "transfer" and rules.transfer == "outside") or (
        kind == "inheritance" and rules.outside_heirs == "income_only")
    if not allowed:
        raise SharesStateError(
            "the organization's rules keep these shares inside: transfer to a member "
            "or household, or let the organization buy them back", field="target")
