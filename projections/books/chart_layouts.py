"""Which statement layouts an organization's books are read with: its chart decides.

Rule: a cooperative on the 2021 cooperative chart gets 资产负债表 and 盈余及盈余分配表 of
layouts_cooperative.py; every other chart (the village chart, and none) the village layouts,
so the villages' statements stay exactly what they were.
"""

from __future__ import annotations

from dataclasses import dataclass

from ledger.kernel.chart import get_chart
from projections.books import layouts, layouts_cooperative
from projections.books.layouts import LayoutLine

COOPERATIVE_CHART = "mof-2021-cooperative"


@dataclass(frozen=True)
class StatementLayouts:
    balance_sheet: tuple[LayoutLine, ...]
    income_statement: tuple[LayoutLine, ...]
    two_sided: str  # the account read by side, party by party (内部往来 / 成员往来)
    cooperative: bool = False


VILLAGE = StatementLayouts(layouts.BALANCE_SHEET, layouts.INCOME_STATEMENT,
                           get_chart("mof-2023-village").two_sided)
COOPERATIVE = StatementLayouts(layouts_cooperative.BALANCE_SHEET,
                               layouts_cooperative.INCOME_STATEMENT,
                               get_chart(COOPERATIVE_CHART).two_sided, cooperative=True)


def layouts_for(chart_id: str | None) -> StatementLayouts:
    return COOPERATIVE if chart_id == COOPERATIVE_CHART else VILLAGE
