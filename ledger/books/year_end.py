"""The year-end close (年终结账), as rules over the books' state: years close in order, after their
months and after the year has ended; the closing vouchers carry income and expenses into 321
本年收益, 321 into 322 收益分配—未分配收益 (32201), and the year's distributions into 32201.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ledger.books.accounts import is_within
from ledger.books.errors import PeriodAlreadyClosed, PeriodNotClosable
from ledger.books.periods import Period
from ledger.books.vouchers import Line, VoucherDraft
from ledger.kernel.chart import PROFIT_AND_LOSS, Chart


def check_year_closable(closed_year: int | None, first_year: int, next_open: Period,
                        year: int, today: date) -> None:
    if closed_year is not None and year <= closed_year:
        raise PeriodAlreadyClosed(f"{year} is already closed", year=year)
    expected_year = first_year if closed_year is None else closed_year + 1
    if year != expected_year:
        raise PeriodNotClosable(f"years close in order: close {expected_year} first",
                                year=year, next_year=expected_year)
    if next_open != Period(year, 12):
        raise PeriodNotClosable(
            f"close the months of {year} in order first; {next_open} is open",
            year=year, next_open=str(next_open),
        )
    if today <= date(year, 12, 31):
        raise PeriodNotClosable(f"{year} has not ended", year=year)


def is_swept(chart: Chart, code: str, category: str) -> bool:
    """Whether the year-end close brings the account to zero: income and expenses, 本年收益,
    and the distributions of 收益分配 other than 未分配收益."""
    if category in PROFIT_AND_LOSS or is_within(code, chart.current_year_income):
        return True
    return is_within(code, chart.distribution) and not is_within(code, chart.undistributed)


def closing_drafts(chart: Chart, accounts: dict[str, dict[str, Any]],
                   activity: dict[str, int], year: int) -> list[VoucherDraft]:
    """The closing vouchers of `year`, from the net debit of each swept account that year."""
    day = date(year, 12, 31)
    pl = {c: n for c, n in activity.items()
          if n and accounts[c]["category"] in PROFIT_AND_LOSS}
    year_income = activity.get(chart.current_year_income, 0) + sum(pl.values())
    distributed = {c: n for c, n in activity.items()
                   if n and is_within(c, chart.distribution)
                   and not is_within(c, chart.undistributed)}
    # In the chart's own words: a village's 本年收益 and 收益分配, a cooperative's 本年盈余 and
    # 盈余分配.
    names = {a.code: a.name_zh for a in chart.accounts}
    steps = [
        (pl, chart.current_year_income, f"结转{year}年度各项收入和费用"),
        ({chart.current_year_income: year_income} if year_income else {},
         chart.undistributed, f"结转{year}年度{names[chart.current_year_income]}"),
        (distributed, chart.undistributed, f"结转{year}年度{names[chart.distribution]}"),
    ]
    return [sweep(balances, into, day, summary) for balances, into, summary in steps
            if balances]


def sweep(balances: dict[str, int], into: str, day: date, summary: str) -> VoucherDraft:
    """Bring each balance to zero and carry the total into one account."""
    lines: list[Line] = [
        Line(code, credit=net) if net > 0 else Line(code, debit=-net)
        for code, net in sorted(balances.items())
    ]
    total = sum(balances.values())
    if total:
        lines.append(Line(into, debit=total) if total > 0 else Line(into, credit=-total))
    # Never fewer than two lines: one balance has its counter line, cancelling ones are several.
    return VoucherDraft(date=day, summary=summary, lines=tuple(lines), kind="closing")
