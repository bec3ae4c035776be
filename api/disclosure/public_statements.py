"""A statement (资产负债表, 收益表) as a villager reads it on a phone: a plain summary first — the
money the village has, what it owes, what it is owed, what it earned — taken from the statement's
own lines by their layout key, and which lines are empty (0.00 in both columns), hidden until
asked for. Rule: the summary only repeats published figures; it never computes a new one.
"""

from __future__ import annotations

from typing import Any

from api.i18n import lazy_gettext
from ledger.kernel.money import AmountError, parse_fen

# Which line answers which plain question, by statement kind; the first column's figure.
SUMMARY = {
    "balance_sheet": (
        ("cash", lazy_gettext("Money the village has (cash and bank)")),
        ("receivables", lazy_gettext("Owed to the village")),
        ("liabilities_total", lazy_gettext("The village owes")),
        ("assets_total", lazy_gettext("Everything the village owns")),
    ),
    "income_statement": (
        ("operating_revenue", lazy_gettext("Operating revenue")),
        ("net_income", lazy_gettext("Earned")),
    ),
}
# A cooperative's balance sheet asks the same questions of the cooperative.
COOPERATIVE_SHEET = (
    ("cash", lazy_gettext("Money the cooperative has (cash and bank)")),
    ("receivables", lazy_gettext("Owed to the cooperative")),
    ("liabilities_total", lazy_gettext("The cooperative owes")),
    ("assets_total", lazy_gettext("Everything the cooperative owns")),
)


def _fen(text: str | None) -> int:
    try:
        return parse_fen(text or "0")
    except AmountError:
        return 0


def is_empty(line: dict[str, Any], second: str) -> bool:
    """A line with nothing in either column, and not a total: hidden until asked for."""
    return not line.get("total") and _fen(line.get("amount")) == 0 \
        and _fen(line.get(second)) == 0


def summary(kind: str, lines: list[dict[str, Any]], *,
            cooperative: bool = False) -> list[dict[str, Any]]:
    """The plain figures of a statement, in the order a villager asks for them; each with the
    line it comes from, so a reader can find it in the full table."""
    by_key = {line.get("key"): line for line in lines}
    questions = COOPERATIVE_SHEET if kind == "balance_sheet" and cooperative \
        else SUMMARY.get(kind, ())
    return [{"label": str(label), "no": by_key[key]["no"], "shown": by_key[key]["shown"],
             "second": by_key[key]["second"]}
            for key, label in questions if key in by_key]
