"""A year's figures as the books hold them on the day a plan is drafted: 本年收益, 年初未分配收益
and what was already posted to 各项分配 for that year.

An open year reads the books' running year activity. The last closed year reads its closing
vouchers, which carried the year's income and distributions into 未分配收益 (32201); an earlier
closed year is refused, because later years have moved 未分配收益 since.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ledger.books import Books, Voucher
from ledger.distribution.errors import InvalidDistribution
from ledger.kernel.chart import PROFIT_AND_LOSS


@dataclass(frozen=True)
class YearFigures:
    net_income: int  # 本年收益, fen
    undistributed_at_start: int  # 年初未分配收益; below zero, a loss carried forward
    already_distributed: int  # 各项分配 posted that year before the plan
    closed: bool  # the year-end close has run, so the plan posts in a later year


def _is_distribution(books: Books, code: str) -> bool:
    chart = books.chart_spec
    return code.startswith(chart.distribution) and not code.startswith(chart.undistributed)


def _pl(books: Books, code: str) -> bool:
    return books.accounts[code]["category"] in PROFIT_AND_LOSS


def year_figures(books: Books, year: int, voucher: Callable[[str], Voucher]) -> YearFigures:
    """The figures of `year`; `voucher` loads a voucher of these books by its number."""
    undistributed = -books.balance_within(books.chart_spec.undistributed)
    if books.closed_year is not None and year <= books.closed_year:
        if year != books.closed_year:
            raise InvalidDistribution(
                f"{year} is closed and {books.closed_year} was closed after it; a plan is "
                f"drafted for {books.closed_year} or a year still open", field="year")
        lines = [line for number in books.closing_vouchers.get(str(year), [])
                 for line in voucher(number).line_items]
        net_income = sum(line.net_debit for line in lines if _pl(books, line.account))
        distributed = -sum(line.net_debit for line in lines
                           if _is_distribution(books, line.account))
        later = books.year_activity.get(str(year + 1), {})
        after = sum(n for code, n in later.items() if _is_distribution(books, code))
        return YearFigures(net_income, undistributed - net_income + distributed,
                           distributed + after, closed=True)
    activity = books.year_activity.get(str(year), {})
    # Years before `year` still open will carry their activity into 32201 when they close.
    earlier = sum(n for y, by_code in books.year_activity.items() if int(y) < year
                  for n in by_code.values())
    return YearFigures(
        net_income=-sum(n for code, n in activity.items() if _pl(books, code)),
        undistributed_at_start=undistributed - earlier,
        already_distributed=sum(n for code, n in activity.items()
                                if _is_distribution(books, code)),
        closed=False)
