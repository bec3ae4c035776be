"""A plan is decided and posted only with the figures it was drafted with, on SQLite and
PostgreSQL: a voucher of the plan's year posted after the draft (本年收益 moves), or a
cooperative member's trade of that year recorded after it (交易额 moves), makes the meeting and
the posting refused (409, field "figures", naming each change) with nothing written, so that the
accountant drafts the plan again; what happens after the year changes nothing. A year whose
plan stands is not previewed again either (its own posting would count as shared out)."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.application import Ledger
from ledger.distribution import DistributionStateError
from tests.application import test_cooperative_surplus as co
from tests.application.test_distribution import PLAN as PLAN_TERMS
from tests.application.test_distribution import (
    decide,
    decided,
    disclose,
    drafted,
    posted,
    village,
)
from tests.conftest import Clock
from tests.registers import ORG

__all__ = ["village"]  # the fixture, shared with the distribution's own tests


def test_a_voucher_of_the_year_posted_after_the_meeting_stops_the_posting(
        village: Ledger, clock: Clock) -> None:
    # Given a plan of 30 % reserve and 100.00 a share on 80,000.00 of income, decided,
    distribution = decided(village, clock)
    # when a December voucher of 1,000.00 more income is posted only after the meeting,
    posted(village, "2025-12-20", "102", "501", 100_000)
    head = village.log_head()
    # then posting is refused, naming the income and the reserve that moved, and nothing is
    # written; the holders' amounts (per share) did not move, so no line is named.
    with pytest.raises(DistributionStateError) as refused:
        village.distribution.post(ORG, distribution, actor="kuaiji")
    assert refused.value.field == "figures"
    changed = refused.value.context["changed"]
    assert "net_income 80000.00→81000.00" in changed
    assert "reserve 24000.00→24300.00" in changed
    assert not any(item.startswith("household:") for item in changed)
    assert refused.value.message.startswith("the books changed after plan 2025-1 was drafted (")
    assert village.log_head() == head
    assert village.distribution.distribution(ORG, distribution).status == "drafted"


def test_a_voucher_of_the_next_year_leaves_the_plan_as_it_was(village: Ledger,
                                                              clock: Clock) -> None:
    # Given a decided plan, when a voucher dated in the next year is posted,
    distribution = decided(village, clock)
    posted(village, "2026-01-10", "102", "501", 100_000)
    # then the plan still posts, with the figures it was drafted with.
    plan = village.distribution.post(ORG, distribution, actor="kuaiji").value
    assert plan.status == "posted" and plan.figures["net_income"] == 8_000_000


def test_the_meeting_does_not_decide_a_plan_the_books_moved_under(village: Ledger,
                                                                  clock: Clock) -> None:
    # Given a plan disclosed on 5 January,
    number, distribution = drafted(village, to_members={"total": "20000.00"})
    disclose(village, distribution)
    # when a 2025 voucher of 500.00 of expense is posted after the disclosure,
    posted(village, "2025-12-31", "513", "102", 50_000)
    clock.today = date(2026, 1, 16)
    head = village.log_head()
    # then the members' meeting is refused: the disclosed plan is no longer the books' plan.
    with pytest.raises(DistributionStateError) as refused:
        decide(village, number, date(2026, 1, 16))
    assert "net_income 80000.00→79500.00" in refused.value.context["changed"]
    assert village.log_head() == head


@pytest.fixture
def coop(ledger: Ledger, clock: Clock) -> Ledger:
    return co.cooperative(ledger, clock)


def test_a_members_trade_recorded_after_the_meeting_stops_the_posting(coop: Ledger,
                                                                      clock: Clock) -> None:
    # Given the cooperative's plan (0002 traded 10,000.00), disclosed and decided,
    number, distribution = co.drafted(coop)
    co.disclose(coop, distribution)
    clock.today = date(2026, 1, 20)
    assert co.decide(coop, number, date(2026, 1, 20))
    # when a sale to 0002 of 1,000.00 dated 20 December 2025 is recorded only now,
    coop.register.record_trade(co.COOP, on=date(2025, 12, 20),
                               direction="bought_from_cooperative", product="有机肥",
                               quantity="1", unit="吨", amount=100_000, member="0002",
                               actor="kuaiji")
    head = coop.log_head()
    # then posting is refused, naming 0002's trade, and nothing is written.
    with pytest.raises(DistributionStateError) as refused:
        coop.distribution.post(co.COOP, distribution, actor="kuaiji")
    assert refused.value.field == "figures"
    assert "member:0002 trade 10000.00→11000.00" in refused.value.context["changed"]
    assert refused.value.message.startswith("the books or the trade changed after plan 2025-1")
    assert coop.log_head() == head
    assert coop.distribution.distribution(co.COOP, distribution).status == "drafted"


def test_a_cooperatives_plan_with_nothing_changed_still_posts(coop: Ledger,
                                                              clock: Clock) -> None:
    # Given a decided plan and a trade of the next year recorded after it,
    number, distribution = co.drafted(coop)
    co.disclose(coop, distribution)
    clock.today = date(2026, 1, 20)
    assert co.decide(coop, number, date(2026, 1, 20))
    coop.register.record_trade(co.COOP, on=date(2026, 1, 10),
                               direction="bought_from_cooperative", product="有机肥",
                               quantity="1", unit="吨", amount=100_000, member="0002",
                               actor="kuaiji")
    # then the plan posts as drafted.
    assert coop.distribution.post(co.COOP, distribution, actor="kuaiji").value.status == "posted"


def test_a_year_with_a_plan_is_not_previewed_again(village: Ledger, clock: Clock) -> None:
    # Given the year's plan posted (its reserve and shares booked to 各项分配),
    distribution = decided(village, clock)
    village.distribution.post(ORG, distribution, actor="kuaiji")
    # when another plan of the year is previewed, then it is refused by the plan standing,
    # not figured as if the plan's own posting had been shared out by hand.
    with pytest.raises(DistributionStateError) as refused:
        village.surplus.preview_plan(ORG, **PLAN_TERMS)
    assert refused.value.context["distribution"] == distribution
    assert refused.value.field == "year"
