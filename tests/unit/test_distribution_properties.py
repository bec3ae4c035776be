"""Properties of the allocation and the plan over random registers as the register hands them
over: households, members, outside holders and the collective share, numbered as the register
numbers them, with holdings from none to very large, and random totals, rates and books figures.

test_distribution_allocation.py checks the rule on "H<n>" households alone; these registers mix
the kinds and the numbering, and the plan's figures are checked to account for every fen."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ledger.distribution import (
    Holding,
    OverDistributable,
    ReserveRates,
    ToHolders,
    by_rate,
    by_total,
    draft_plan,
    holder_order,
)

PREFIX = {"household": "household:{:03d}", "member": "member:{:04d}", "outside": "outside:{}"}
# Mostly small holdings, with the extremes a register can hold: none, and very many.
share_counts = st.one_of(st.integers(0, 200), st.just(0), st.integers(10**6, 10**9))


@st.composite
def registers(draw: st.DrawFn, min_size: int = 1) -> list[Holding]:
    """A register's holders of every kind, each number once, and at most one collective share."""
    rows = draw(st.lists(st.tuples(st.sampled_from(sorted(PREFIX)), st.integers(1, 9999),
                                   share_counts),
                         min_size=min_size, max_size=40,
                         unique_by=lambda row: (row[0], row[1])))
    holdings = [Holding(PREFIX[kind].format(number), shares, kind)
                for kind, number, shares in rows]
    if draw(st.booleans()):
        holdings.append(Holding("org", draw(share_counts), "collective"))
    return holdings


@settings(max_examples=300, deadline=None)
@given(holdings=registers(), total=st.integers(0, 10**13))
def test_a_total_over_any_register_sums_exactly_and_keeps_each_holder_within_a_fen(
        holdings, total):
    shares = sum(h.shares for h in holdings)
    assume(shares > 0)
    lines = by_total(holdings, total)
    assert sum(line.amount for line in lines) == total
    for line in lines:
        exact = Fraction(total * line.shares, shares)
        assert line.amount >= 0
        assert abs(line.amount - exact) < 1, line
        # Each holder gets its floor or one fen more, never anything else.
        assert line.amount in (exact.numerator // exact.denominator,
                               exact.numerator // exact.denominator + 1)
    # The kinds pass through untouched: the plan sets the collective's part apart by kind.
    assert {(line.holder, line.kind) for line in lines} == {(h.holder, h.kind) for h in holdings}


@settings(max_examples=300, deadline=None)
@given(holdings=registers(min_size=2), total=st.integers(0, 10**9))
def test_a_fen_over_goes_to_the_larger_remainder_and_on_a_tie_to_the_lower_number(
        holdings, total):
    shares = sum(h.shares for h in holdings)
    assume(shares > 0)
    lines = by_total(holdings, total)
    remainder = {line.holder: (total * line.shares) % shares for line in lines}
    got = [line for line in lines if line.amount * shares > total * line.shares]
    missed = [line for line in lines if line.amount * shares < total * line.shares]
    for lucky in got:
        for unlucky in missed:
            if remainder[lucky.holder] == remainder[unlucky.holder]:
                assert holder_order(lucky.holder) < holder_order(unlucky.holder)
            else:
                assert remainder[lucky.holder] > remainder[unlucky.holder]


@settings(max_examples=300, deadline=None)
@given(holdings=registers(),
       rate=st.decimals(min_value=0, max_value=10_000, places=4, allow_nan=False,
                        allow_infinity=False))
def test_a_per_share_rate_gives_shares_times_rate_rounded_half_up(holdings, rate):
    for line in by_rate(holdings, rate):
        exact = Fraction(line.shares) * Fraction(rate) * 100
        # Half up: the whole fen at or below exact + ½.
        half_up = exact + Fraction(1, 2)
        assert line.amount == half_up.numerator // half_up.denominator, line


reserve_rates = st.one_of(
    st.decimals(min_value=0, max_value=1, places=2).map(lambda r: {"rate": str(r)}),
    st.tuples(st.decimals(min_value=0, max_value=Decimal("0.5"), places=3),
              st.decimals(min_value=0, max_value=Decimal("0.5"), places=3)).map(
        lambda pair: {"accumulation_rate": str(pair[0]), "welfare_rate": str(pair[1])}),
)
to_holders = st.one_of(
    st.integers(0, 10**9).map(lambda fen: ToHolders(total=fen)),
    st.decimals(min_value=0, max_value=500, places=2, allow_nan=False,
                allow_infinity=False).map(lambda rate: ToHolders(per_share=rate)),
)


@settings(max_examples=400, deadline=None)
@given(holdings=registers(), net_income=st.integers(-10**10, 10**10),
       brought_in=st.integers(-10**10, 10**10), already=st.integers(0, 10**8),
       rates=reserve_rates, given_to=to_holders,
       collective_share=st.sampled_from(["keep", "reserve"]))
def test_every_plan_puts_each_fen_of_what_is_left_to_distribute_somewhere(
        holdings, net_income, brought_in, already, rates, given_to, collective_share):
    if not sum(h.shares for h in holdings) and given_to.total:
        given_to = ToHolders(total=0)
    try:
        plan = draft_plan(year=2025, net_income=net_income, undistributed_at_start=brought_in,
                          reserve=ReserveRates.parse(**rates), to_holders=given_to,
                          holdings=holdings, collective_share=collective_share,
                          already_distributed=already)
    except OverDistributable:
        return
    collective = plan.collective.amount if plan.collective else 0
    # The identity the plan's table prints: reserve + to members + what stays = what was left.
    assert (plan.reserve + plan.to_members + plan.undistributed_at_end
            == plan.distributable - already)
    assert plan.reserve == plan.accumulation + plan.welfare + plan.collective_to_reserve
    # The collective's part goes one way only, and with the members' lines makes the whole.
    assert plan.collective_kept + plan.collective_to_reserve == collective
    assert 0 in (plan.collective_kept, plan.collective_to_reserve)
    assert plan.to_members + collective == sum(a.amount for a in given_to.allocate(holdings))
    assert all(line.kind != "collective" and line.amount >= 0 for line in plan.lines)
    # What is kept for the collective is still there at the end: never spent on members.
    if plan.to_members + collective:
        assert plan.undistributed_at_end >= plan.collective_kept
    assert plan.accumulation >= 0 and plan.welfare >= 0
