"""The allocation rule as small ledgers: given a register's shares and an amount decided, then
each holder's fen; and, over random registers, the properties every allocation keeps."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.distribution import (
    Holding,
    InvalidDistribution,
    NegativeHolding,
    by_rate,
    by_total,
    parse_rate,
)


def amounts(lines) -> dict[str, int]:
    return {line.holder: line.amount for line in lines}


def test_a_total_is_shared_by_shares_and_the_leftover_fen_go_to_the_largest_remainders():
    # Given three households holding 1, 2 and 4 shares, when 100.00 yuan is shared,
    lines = by_total([Holding("H1", 1), Holding("H2", 2), Holding("H3", 4)], 10000)
    # then the exact shares are 1428 4/7, 2857 1/7 and 5714 2/7 fen: the floors leave 1 fen
    # over, and it goes to H1 (remainder 4/7, the largest), though H3 holds the most shares.
    assert amounts(lines) == {"H1": 1429, "H2": 2857, "H3": 5714}


def test_equal_remainders_give_the_leftover_to_the_lower_holder_number():
    # Given three equal holders, whatever order the register lists them in,
    holders = [Holding("H10", 3), Holding("H2", 3), Holding("H1", 3)]
    # when 1.00 yuan is shared, then the one fen over goes to H1, the lowest number,
    # and H2 comes before H10 as people read the numbers.
    lines = by_total(holders, 100)
    assert amounts(lines) == {"H1": 34, "H2": 33, "H10": 33}
    assert [line.holder for line in lines] == ["H1", "H2", "H10"]


def test_a_holder_without_shares_gets_nothing_and_is_still_listed():
    lines = by_total([Holding("H1", 0), Holding("H2", 5)], 999)
    assert amounts(lines) == {"H1": 0, "H2": 999}


def test_a_per_share_rate_gives_shares_times_the_rate():
    # Given the demo's 50.00 yuan a share, then a household of 4 shares gets 200.00.
    lines = by_rate([Holding("H1", 4), Holding("M7", 1, kind="member")], Decimal("50.00"))
    assert amounts(lines) == {"H1": 20000, "M7": 5000}
    assert [line.kind for line in lines] == ["household", "member"]


def test_a_rate_finer_than_a_fen_rounds_each_holder_half_up():
    # 0.125 yuan a share: 3 shares are 37.5 fen (rounds up), 1 share 12.5 (up), 2 shares 25.
    lines = by_rate([Holding("H1", 3), Holding("H2", 1), Holding("H3", 2)], Decimal("0.125"))
    assert amounts(lines) == {"H1": 38, "H2": 13, "H3": 25}
    # 0.0149 yuan a share: 1 share is 1.49 fen, which rounds down.
    assert amounts(by_rate([Holding("H1", 1)], Decimal("0.0149"))) == {"H1": 1}


def test_a_negative_holding_is_refused_naming_the_holder():
    with pytest.raises(NegativeHolding) as refused:
        by_total([Holding("H1", 5), Holding("H2", -1)], 100)
    assert (refused.value.field, refused.value.context["holder"]) == ("shares", "H2")


def test_a_holder_listed_twice_is_refused():
    with pytest.raises(InvalidDistribution, match="twice"):
        by_total([Holding("H1", 5), Holding("H1", 1)], 100)


def test_a_total_with_no_shares_to_share_it_among_is_refused():
    with pytest.raises(InvalidDistribution) as refused:
        by_total([Holding("H1", 0)], 100)
    assert refused.value.field == "to_members"
    assert amounts(by_total([Holding("H1", 0)], 0)) == {"H1": 0}


@pytest.mark.parametrize("text", ["-0.10", "abc", "NaN", "Infinity", ""])
def test_a_rate_is_a_decimal_string_not_negative(text):
    with pytest.raises(InvalidDistribution) as refused:
        parse_rate(text, "to_members.per_share")
    assert refused.value.field == "to_members.per_share"


def test_a_float_rate_is_refused():
    with pytest.raises(InvalidDistribution):
        parse_rate(0.15, "reserve.rate")  # type: ignore[arg-type]


# -- properties over random registers ------------------------------------------------------------

registers = st.lists(
    st.tuples(st.integers(min_value=1, max_value=5000), st.integers(min_value=0, max_value=10**6)),
    min_size=1, max_size=60, unique_by=lambda row: row[0],
).map(lambda rows: [Holding(f"H{number}", shares) for number, shares in rows])
totals = st.integers(min_value=0, max_value=10**12)


@settings(max_examples=300, deadline=None)
@given(holdings=registers, total=totals)
def test_any_total_is_shared_exactly_never_negative_and_within_a_fen(holdings, total):
    shares = sum(h.shares for h in holdings)
    if shares == 0:
        total = 0
    lines = by_total(holdings, total)
    # Exact sum, no negative amount, and nobody more than 1 fen from the exact share.
    assert sum(line.amount for line in lines) == total
    assert all(line.amount >= 0 for line in lines)
    for line in lines:
        exact = Fraction(total * line.shares, shares) if shares else Fraction(0)
        assert abs(line.amount - exact) < 1, line


@settings(max_examples=200, deadline=None)
@given(holdings=registers, total=totals, seed=st.integers(min_value=0, max_value=2**32))
def test_the_result_does_not_depend_on_the_order_the_register_lists_holders(holdings, total,
                                                                            seed):
    if not sum(h.shares for h in holdings):
        total = 0
    shuffled = list(holdings)
    random.Random(seed).shuffle(shuffled)
    assert by_total(shuffled, total) == by_total(holdings, total)


@settings(max_examples=200, deadline=None)
@given(holdings=registers, total=totals)
def test_a_fen_over_never_passes_a_larger_remainder_nor_a_lower_number_with_an_equal_one(
        holdings, total):
    shares = sum(h.shares for h in holdings)
    if not shares:
        return
    lines = by_total(holdings, total)
    remainder = {line.holder: (total * line.shares) % shares for line in lines}
    lucky = [line for line in lines if line.amount * shares > total * line.shares]
    unlucky = [line for line in lines if line.amount * shares < total * line.shares]
    number = {line.holder: int(line.holder[1:]) for line in lines}
    for got in lucky:
        for missed in unlucky:
            assert (remainder[got.holder], -number[got.holder]) > (
                remainder[missed.holder], -number[missed.holder]), (got, missed)


@settings(max_examples=200, deadline=None)
@given(holdings=registers,
       rate=st.decimals(min_value=0, max_value=1000, places=4, allow_nan=False))
def test_any_rate_gives_each_holder_within_half_a_fen_of_shares_times_rate(holdings, rate):
    for line in by_rate(holdings, rate):
        assert line.amount >= 0
        assert abs(Fraction(line.amount) - Fraction(line.shares * rate * 100)) <= Fraction(1, 2)
