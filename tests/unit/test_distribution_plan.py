"""The year's plan as small ledgers: given the books' figures, the charter's rates and the
register on the record date, then the plan's figures and each holder's line, or a refusal
naming the field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.distribution import (
    Holding,
    InvalidDistribution,
    NegativeHolding,
    OverDistributable,
    ReserveBelowMinimum,
    ReserveRates,
    ToHolders,
    draft_plan,
)

REGISTER = [Holding("H1", 4), Holding("H2", 6), Holding("M3", 2, kind="member"),
            Holding("org", 3, kind="collective")]


def plan(**given):
    inputs = {"year": 2025, "net_income": 10_000_00, "undistributed_at_start": 0,
              "reserve": ReserveRates.parse(rate="0.30"),
              "to_holders": ToHolders.parse(per_share="100.00"), "holdings": REGISTER}
    return draft_plan(**(inputs | given))


def test_the_reserve_comes_first_then_each_holder_by_shares():
    # Given 10,000.00 earned, 2,000.00 brought in, a 30 % reserve and 100.00 a share,
    made = plan(undistributed_at_start=2_000_00)
    # then 可分配收益 is 12,000.00, the reserve 3,000.00 of the year's income,
    assert (made.distributable, made.accumulation, made.welfare) == (12_000_00, 3_000_00, 0)
    # each member holder gets shares × 100.00, the collective's 300.00 stays undistributed,
    assert [(line.holder, line.amount) for line in made.lines] == [
        ("H1", 400_00), ("H2", 600_00), ("M3", 200_00)]
    assert (made.to_members, made.collective_kept, made.collective_to_reserve) == (
        1_200_00, 300_00, 0)
    # and what is left is 12,000.00 − 3,000.00 − 1,200.00.
    assert made.undistributed_at_end == 7_800_00
    assert made.reserve == 3_000_00


def test_separate_accumulation_and_welfare_rates_as_in_shanghai():
    made = plan(reserve=ReserveRates.parse(accumulation_rate="0.15", welfare_rate="0.15"))
    assert (made.accumulation, made.welfare, made.reserve) == (1_500_00, 1_500_00, 3_000_00)


def test_a_reserve_rate_finer_than_a_fen_rounds_half_up():
    # 0.155 of 333.33 is 51.66615 yuan: 5166.615 fen rounds to 5167.
    made = plan(net_income=333_33, reserve=ReserveRates.parse(rate="0.155"),
                to_holders=ToHolders.parse(total="0"))
    assert made.accumulation == 5167


def test_a_loss_carried_forward_is_covered_before_the_reserve_is_taken():
    # Given 10,000.00 earned and a 4,000.00 loss brought in,
    made = plan(undistributed_at_start=-4_000_00, to_holders=ToHolders.parse(total="1000.00"))
    # then the loss is covered first, the reserve is 30 % of the 6,000.00 left,
    assert (made.loss_covered, made.reserve_base, made.accumulation) == (
        4_000_00, 6_000_00, 1_800_00)
    assert made.distributable == 6_000_00
    # and the total 1,000.00 is shared over all 15 shares, the collective's part kept.
    assert made.to_members + made.collective_kept == 1_000_00
    assert made.undistributed_at_end == 6_000_00 - 1_800_00 - 1_000_00 + made.collective_kept


def test_a_loss_larger_than_the_year_leaves_no_reserve_and_nothing_to_share():
    made = plan(net_income=1_000_00, undistributed_at_start=-3_000_00,
                to_holders=ToHolders.parse(total="0.00"))
    assert (made.loss_covered, made.reserve_base, made.accumulation) == (1_000_00, 0, 0)
    assert made.undistributed_at_end == -2_000_00
    with pytest.raises(OverDistributable):
        plan(net_income=1_000_00, undistributed_at_start=-3_000_00,
             to_holders=ToHolders.parse(total="0.01"))


def test_a_total_is_shared_to_the_fen_and_the_collective_part_may_go_to_the_reserve():
    # 1,000.00 over 15 shares: 66.66…, so the fen over go to the largest remainders.
    made = plan(to_holders=ToHolders.parse(total="1000.00"), collective_share="reserve")
    assert made.collective is not None
    assert sum(line.amount for line in made.lines) + made.collective.amount == 1_000_00
    assert made.collective_to_reserve == made.collective.amount == 200_00
    assert made.reserve == 3_000_00 + 200_00
    assert made.undistributed_at_end == 10_000_00 - made.reserve - made.to_members


def test_a_reserve_under_the_charters_minimum_is_refused():
    with pytest.raises(ReserveBelowMinimum) as refused:
        plan(reserve=ReserveRates.parse(rate="0.20", minimum="0.30"))
    assert refused.value.field == "reserve"
    assert plan(reserve=ReserveRates.parse(accumulation_rate="0.15", welfare_rate="0.15",
                                          minimum="0.30")).reserve == 3_000_00


def test_more_to_the_holders_than_is_left_after_the_reserve_is_refused():
    # 10,000.00 − 3,000.00 leaves 7,000.00; 15 shares at 466.67 would be 7,000.05.
    with pytest.raises(OverDistributable) as refused:
        plan(to_holders=ToHolders.parse(per_share="466.67"))
    assert (refused.value.field, refused.value.context["available"]) == (
        "to_members", "7000.00")
    # Exactly what is left is allowed; only the collective's kept part (3/15) stays behind.
    made = plan(to_holders=ToHolders.parse(total="7000.00"))
    assert (made.to_members, made.collective_kept) == (5_600_00, 1_400_00)
    assert made.undistributed_at_end == made.collective_kept


def test_a_negative_balance_on_the_record_date_is_refused_naming_the_holder():
    with pytest.raises(NegativeHolding) as refused:
        plan(holdings=[Holding("H1", 4), Holding("H2", -1)])
    assert (refused.value.field, refused.value.context["holder"]) == ("record_date", "H2")


@pytest.mark.parametrize(("reserve", "field"), [
    ({"rate": "1.5"}, "reserve.rate"),
    ({"rate": "-0.1"}, "reserve.rate"),
    ({"accumulation_rate": "0.15"}, "reserve"),
    ({"rate": "0.3", "welfare_rate": "0.1"}, "reserve"),
    ({"accumulation_rate": "x", "welfare_rate": "0.1"}, "reserve.accumulation_rate"),
    ({"rate": "0.3", "minimum": "2"}, "reserve.minimum"),
])
def test_reserve_rates_that_no_charter_has_are_refused(reserve, field):
    with pytest.raises(InvalidDistribution) as refused:
        ReserveRates.parse(**reserve)
    assert refused.value.field == field


def test_two_rates_above_the_whole_income_are_refused():
    with pytest.raises(InvalidDistribution) as refused:
        plan(reserve=ReserveRates.parse(accumulation_rate="0.6", welfare_rate="0.6"))
    assert refused.value.field == "reserve"


@pytest.mark.parametrize(("to_holders", "field"), [
    ({}, "to_members"),
    ({"per_share": "50", "total": "100"}, "to_members"),
    ({"total": "12.345"}, "to_members.total"),
    ({"total": "-1.00"}, "to_members.total"),
    ({"per_share": "-50"}, "to_members.per_share"),
])
def test_the_amount_to_holders_is_a_rate_or_a_total_never_both(to_holders, field):
    with pytest.raises(InvalidDistribution) as refused:
        ToHolders.parse(**to_holders)
    assert refused.value.field == field


def test_the_collective_share_is_kept_or_reserved_nothing_else():
    with pytest.raises(InvalidDistribution) as refused:
        plan(collective_share="members")
    assert refused.value.field == "collective_share"


def test_rates_stay_decimal_never_float():
    rates = ReserveRates.parse(accumulation_rate="0.15", welfare_rate="0.15")
    assert rates.total == Decimal("0.30") and isinstance(rates.accumulation, Decimal)


@settings(max_examples=200, deadline=None)
@given(net_income=st.integers(min_value=-10**9, max_value=10**9),
       brought_in=st.integers(min_value=-10**9, max_value=10**9),
       total=st.integers(min_value=0, max_value=10**9),
       shares=st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=30),
       collective_share=st.sampled_from(["keep", "reserve"]))
def test_every_plan_accounts_for_each_fen_of_what_was_distributable(
        net_income, brought_in, total, shares, collective_share):
    holdings = [Holding(f"H{i}", s) for i, s in enumerate(shares[1:], start=1)]
    holdings.append(Holding("org", shares[0], kind="collective"))
    if not sum(shares):
        total = 0
    # Independently: the loss is covered first, 15 % + 15 % of what remains, half up in fen.
    base = max(net_income + min(brought_in, 0), 0)
    reserve = 2 * ((base * 15 * 2 + 100) // 200)
    available = max(net_income + brought_in - reserve, 0)
    try:
        made = plan(net_income=net_income, undistributed_at_start=brought_in,
                    to_holders=ToHolders(total=total), holdings=holdings,
                    collective_share=collective_share,
                    reserve=ReserveRates.parse(accumulation_rate="0.15", welfare_rate="0.15"))
    except OverDistributable:
        assert total > available
        return
    assert total <= available
    assert made.accumulation + made.welfare == reserve
    collective = made.collective.amount if made.collective else 0
    assert made.to_members + collective == total
    assert made.undistributed_at_end == made.distributable - made.reserve - made.to_members
