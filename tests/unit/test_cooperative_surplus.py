"""The surplus returned by trade (2017 Law Art. 44) as a pure rule: given the year's figures and
each member's trade and weight, when the plan is drafted, then D, T and every member's line — or
the refusal naming its article."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.books.errors import InvalidSetting
from ledger.books.organizations import check_settings
from ledger.cooperative import Sharer, TradeReturnBelowFloor, draft_surplus_plan
from ledger.distribution import InvalidDistribution

MEMBERS = [Sharer("member:2", 30_000_00, 10_000_00), Sharer("member:10", 10_000_00, 30_000_00),
           Sharer("member:1", 0, 0)]


def plan(net: int = 110_000_00, start: int = 0, reserve: str = "0.10", trade: str = "0.60",
         sharers: list[Sharer] = MEMBERS):
    return draft_surplus_plan(year=2025, net_income=net, undistributed_at_start=start,
                              reserve_rate=reserve, trade_return_rate=trade, sharers=sharers)


def test_the_loss_is_covered_then_the_reserve_taken_then_sixty_percent_returned_by_trade():
    p = plan(net=120_000_00, start=-10_000_00)
    assert (p.loss_covered, p.reserve, p.distributable) == (10_000_00, 11_000_00, 99_000_00)
    assert (p.trade_return, p.remaining) == (59_400_00, 39_600_00)
    by = {line.holder: line for line in p.lines}
    # 3 : 1 by trade, 1 : 3 by weight; the member with neither gets nothing but is listed.
    assert (by["member:2"].trade_return, by["member:10"].trade_return) == (44_550_00, 14_850_00)
    assert (by["member:2"].remaining, by["member:10"].remaining) == (9_900_00, 29_700_00)
    assert by["member:1"].amount == 0
    assert [line.holder for line in p.lines] == ["member:1", "member:2", "member:10"]
    assert p.trade_return_percent == "60.00"


def test_the_trade_return_is_rounded_up_to_the_fen_so_sixty_percent_holds_after_rounding():
    p = plan(net=101, reserve="0")  # D = 1.01 yuan: 60 % is 60.6 fen
    assert (p.distributable, p.trade_return, p.remaining) == (101, 61, 40)


def test_a_plan_returning_59_99_percent_by_trade_is_refused_naming_art_44():
    with pytest.raises(TradeReturnBelowFloor) as refused:
        plan(trade="0.5999")
    assert refused.value.field == "trade_return.rate"
    assert "Art. 44" in refused.value.message


def test_a_setting_under_sixty_percent_is_refused_naming_art_44():
    with pytest.raises(InvalidSetting) as refused:
        check_settings({"trade_return_rate": "0.59"})
    assert refused.value.field == "trade_return_rate" and "Art. 44" in refused.value.message
    check_settings({"trade_return_rate": "0.75", "surplus_reserve_rate": "0.15"})


def test_surplus_to_return_with_no_member_trade_is_refused():
    with pytest.raises(InvalidDistribution) as refused:
        plan(sharers=[Sharer("member:1", 0, 100)])
    assert refused.value.field == "trade_return"


def test_a_year_without_surplus_gives_nothing_and_the_plan_stands():
    p = plan(net=-5_000_00, sharers=[Sharer("member:1", 0, 0)])
    assert (p.reserve, p.distributable, p.trade_return) == (0, 0, 0)
    assert p.lines[0].amount == 0 and p.trade_return_percent == "0.00"


sharers = st.lists(st.tuples(st.integers(1, 999), st.integers(0, 10**9), st.integers(0, 10**9)),
                   min_size=1, max_size=30, unique_by=lambda row: row[0])


@settings(max_examples=300, deadline=None)
@given(rows=sharers, net=st.integers(-10**10, 10**11), start=st.integers(-10**10, 10**10),
       reserve=st.integers(0, 10_000), trade=st.integers(6_000, 10_000))
def test_every_fen_of_d_reaches_a_member_and_sixty_percent_of_it_by_trade(
        rows, net, start, reserve, trade):
    members = [Sharer(f"member:{n}", v, w) for n, v, w in rows]
    rate = Decimal(trade) / 10_000
    try:
        p = plan(net=net, start=start, reserve=str(Decimal(reserve) / 10_000), trade=str(rate),
                 sharers=members)
    except InvalidDistribution as refused:
        assert refused.field in ("trade_return", "trade_return.rate")
        return
    d = p.distributable
    assert d == max(net - p.loss_covered, 0) - p.reserve >= 0
    assert sum(line.trade_return for line in p.lines) == p.trade_return
    assert sum(line.remaining for line in p.lines) == d - p.trade_return
    assert p.trade_return >= Fraction(6, 10) * d
    assert p.trade_return - Fraction(rate) * d < 1
    trade_total = sum(m.trade for m in members)
    for line in p.lines:
        if trade_total:
            assert abs(line.trade_return - Fraction(p.trade_return * line.trade, trade_total)) < 1
