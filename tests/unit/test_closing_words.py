"""The year-end closing vouchers speak the chart's words: a cooperative carries its 本年盈余 and
its 盈余分配 into 未分配盈余, a village its 本年收益 and its 收益分配."""

from __future__ import annotations

from ledger.books import closing_drafts
from ledger.kernel.chart import get_chart


def _summaries(chart_id: str, activity: dict[str, int]) -> list[str]:
    chart = get_chart(chart_id)
    accounts = {a.code: {"category": a.category} for a in chart.accounts}
    return [draft.summary for draft in closing_drafts(chart, accounts, activity, 2025)]


def test_a_cooperatives_closing_vouchers_say_surplus():
    # Given a cooperative's year: 1,000.00 earned from members, 200.00 of it to 盈余公积
    activity = {"50101": -100_000, "3320201": 20_000}
    # When its closing vouchers are drafted, they carry 本年盈余 and 盈余分配, in those words
    assert _summaries("mof-2021-cooperative", activity) == [
        "结转2025年度各项收入和费用", "结转2025年度本年盈余", "结转2025年度盈余分配"]


def test_a_villages_closing_vouchers_keep_their_words():
    activity = {"501": -100_000, "3220201": 20_000}
    assert _summaries("mof-2023-village", activity) == [
        "结转2025年度各项收入和费用", "结转2025年度本年收益", "结转2025年度收益分配"]
