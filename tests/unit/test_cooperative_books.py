"""A farmers' cooperative's books on its own chart (财会〔2021〕37号): vouchers post as a village's
do, and the year-end close carries income and expenses into 331 本年盈余, 331 into 33201 未分配盈余,
and the year's surplus distribution (332's items) into 33201.
"""

from __future__ import annotations

from datetime import date

import pytest

from ledger.application import Ledger
from ledger.books import InvalidOrganization, Line, Period, Voucher, VoucherDraft
from ledger.kernel.chart import get_chart

ACTOR = "会计"


@pytest.fixture
def coop(memory_ledger: Ledger) -> Ledger:
    memory_ledger.books.register_organization(code="c1", name_zh="东村果品专业合作社",
                                              kind="farmers_cooperative",
                                              books_start=date(2025, 1, 1), actor=ACTOR)
    return memory_ledger


def post(ledger: Ledger, day: date, *lines: Line) -> None:
    ledger.books.post_voucher("c1", VoucherDraft(date=day, summary="记账", lines=lines),
                              actor=ACTOR)


def closing_lines(ledger: Ledger) -> list[list[tuple[str, int, int]]]:
    found = []
    for n in ledger.recorder.select_notifications(start=1, limit=10000):
        event = ledger.mapper.to_domain_event(n)
        if type(event) is Voucher.Posted and event.kind == "closing":
            voucher = ledger.books.voucher("c1", event.number)
            found.append([(li.account, li.debit, li.credit) for li in voucher.line_items])
    return found


def test_the_cooperative_chart_keeps_every_account_of_the_2007_chart_but_141_142():
    chart = get_chart("mof-2021-cooperative")
    codes = {a.code for a in chart.accounts if len(a.code) == 3}
    assert {"101", "102", "113", "114", "121", "131", "151", "152", "201", "211", "221", "222",
            "235", "301", "311", "321", "322", "331", "332", "401", "501", "502", "511", "521",
            "522", "529"} <= codes
    # 2021: four biological-asset accounts in place of 牲畜（禽）资产 and 林木资产.
    names = {a.code: a.name_zh for a in chart.accounts}
    assert [names[c] for c in ("141", "142", "143", "144")] == [
        "消耗性生物资产", "生产性生物资产", "生产性生物资产累计折旧", "公益性生物资产"]
    assert (chart.current_year_income, chart.undistributed, chart.distribution,
            chart.two_sided) == ("331", "33201", "332", "114")


def test_a_village_may_not_keep_the_cooperative_chart(memory_ledger):
    with pytest.raises(InvalidOrganization) as error:
        memory_ledger.books.register_organization(
            code="v1", name_zh="小岗村", kind="village_collective",
            chart="mof-2021-cooperative", books_start=date(2025, 1, 1), actor=ACTOR)
    assert error.value.field == "chart"


def test_the_year_end_close_carries_the_surplus_into_331_then_33201(coop):
    post(coop, date(2025, 3, 1), Line("102", debit=800000), Line("50101", credit=500000),
         Line("50102", credit=300000))
    post(coop, date(2025, 4, 1), Line("52101", debit=350000), Line("522", debit=50000),
         Line("102", credit=400000))
    post(coop, date(2025, 12, 20), Line("3320201", debit=40000), Line("322", credit=40000))
    post(coop, date(2025, 12, 21), Line("3320202", debit=200000), Line("221", credit=200000))
    period = Period(2025, 1)
    while period <= Period(2025, 11):
        coop.books.close_period("c1", period, actor=ACTOR)
        period = period.next()

    coop.books.close_year("c1", 2025, actor=ACTOR)

    assert closing_lines(coop) == [
        [("50101", 500000, 0), ("50102", 300000, 0), ("52101", 0, 350000), ("522", 0, 50000),
         ("331", 0, 400000)],
        [("331", 400000, 0), ("33201", 0, 400000)],
        [("3320201", 0, 40000), ("3320202", 0, 200000), ("33201", 240000, 0)],
    ]
    balances = coop.books.of("c1").balances
    assert balances["33201"] == -160000  # 4,000.00 surplus less 2,400.00 distributed
    assert balances.get("331", 0) == 0
