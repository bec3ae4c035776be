"""成员权益变动表: how each part of a cooperative's owners' equity moved over a year.

Rule: every column is read from the same leaf sums as the balance sheet, so its 年初余额 and
年末余额 are the balance sheet's equity lines, and start + increase − decrease = end in every
column. 股金, 专项基金, 资本公积 and 盈余公积 increase by their credits and decrease by their
debits. 未分配盈余 (331, 332 and the income and expense accounts not yet closed) increases by the
year's surplus and decreases by the year's distributions (332's 各项分配) and by a loss; the
closing vouchers only move the result within the column and are never counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from projections.books.layouts_cooperative import PL_ACCOUNTS, UNDISTRIBUTED_ACCOUNTS
from projections.books.queries import Sums

COLUMNS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("share_capital", "股金", "Share capital", ("301",)),
    ("special_fund", "专项基金", "Special fund", ("311",)),
    ("capital_reserve", "资本公积", "Capital reserve", ("321",)),
    ("surplus_reserve", "盈余公积", "Surplus reserve", ("322",)),
    ("undistributed", "未分配盈余", "Undistributed surplus", UNDISTRIBUTED_ACCOUNTS),
)
TOTAL = ("total", "合计", "Total")
ROWS = (
    ("start", "年初余额", "Balance at start of year"),
    ("increase", "本年增加", "Increase during the year"),
    ("decrease", "本年减少", "Decrease during the year"),
    ("end", "年末余额", "Balance at end of year"),
)
DISTRIBUTED = "33202"  # 各项分配: the year's distributions, swept into 33201 by the close


def _within(sums: Mapping[str, Sums], prefixes: tuple[str, ...]) -> list[Sums]:
    return [s for code, s in sums.items() if code.startswith(prefixes)]


def _plain(sums: Mapping[str, Sums], prefixes: tuple[str, ...]) -> dict[str, int]:
    """A credit-side column: credits increase it, debits decrease it."""
    leaves = _within(sums, prefixes)
    return {"start": -sum(s.before for s in leaves), "increase": sum(s.credit for s in leaves),
            "decrease": sum(s.debit for s in leaves), "end": -sum(s.after for s in leaves)}


def _net_activity(sums: Mapping[str, Sums], prefixes: tuple[str, ...],
                  but: tuple[str, ...] = ()) -> int:
    """Net debit over the range without the closing vouchers."""
    return sum(s.debit - s.credit - s.closing_net for code, s in sums.items()
               if code.startswith(prefixes) and not (but and code.startswith(but)))


def _undistributed(sums: Mapping[str, Sums]) -> dict[str, int]:
    surplus = -_net_activity(sums, PL_ACCOUNTS)
    distributed = _net_activity(sums, (DISTRIBUTED,))
    other = -_net_activity(sums, ("331", "332"), but=(DISTRIBUTED,))
    leaves = _within(sums, UNDISTRIBUTED_ACCOUNTS)
    return {"start": -sum(s.before for s in leaves),
            "increase": max(surplus, 0) + max(other, 0),
            "decrease": distributed + max(-surplus, 0) + max(-other, 0),
            "end": -sum(s.after for s in leaves)}


def equity_changes(sums: Mapping[str, Sums], year: int, end: date, *,
                   brought_in: date | None = None) -> dict[str, Any]:
    """The statement from leaf sums over [January 1 of `year`, `end`], or, in the year the
    books start after January 1, over [their first day, `end`]: then `brought_in` is the day
    before it, whose balances (the opening ones) are the 年初余额."""
    columns = {key: (_undistributed(sums) if key == "undistributed" else _plain(sums, codes))
               for key, _, _, codes in COLUMNS}
    rows = []
    for key, zh, en in ROWS:
        figures = {column: values[key] for column, values in columns.items()}
        rows.append({"key": key, "label_zh": zh, "label_en": en, **figures,
                     "total": sum(figures.values())})
    return {
        "year": year,
        "start_of_year": brought_in or date(year, 1, 1) - timedelta(days=1),
        "date": end,
        "columns": [{"key": key, "label_zh": zh, "label_en": en}
                    for key, zh, en, _ in COLUMNS] + [dict(zip(("key", "label_zh", "label_en"),
                                                               TOTAL, strict=True))],
        "rows": rows,
    }
