"""A cooperative's surplus through the application, on SQLite and PostgreSQL: drafted from the
books, the year's trade and the member accounts (2017 Law Art. 44), decided by the members'
meeting only fifteen days after its plan was disclosed (Art. 40), posted Dr 332 / Cr 322, 221 and
222 a line per member, the year's 盈余公积 quantified to the members by trade, and paid."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from ledger.application import Ledger
from ledger.books import Line, Period, VoucherDraft
from ledger.cooperative import AdditionalVotesOverLimit, TradeReturnBelowFloor
from ledger.distribution import DistributionStateError, InvalidDistribution, NotDisclosedInTime
from ledger.spending import InvalidMatter
from tests.conftest import Clock

COOP = "fengshou"
PLAN: dict[str, Any] = {"year": 2025, "record_date": None}


def posted(app: Ledger, day: str, debit: str, credit: str, fen: int, party: str = "") -> None:
    app.books.post_voucher(COOP, VoucherDraft(
        date=date.fromisoformat(day), summary="业务",
        lines=(Line(debit, debit=fen), Line(credit, credit=fen, party=party))), actor="kuaiji")


@pytest.fixture
def coop(ledger: Ledger, clock: Clock) -> Ledger:
    return cooperative(ledger, clock)


def cooperative(ledger: Ledger, clock: Clock) -> Ledger:
    """丰收合作社: members 0001 (contributed 50,000.00, traded 30,000.00), 0002 (30,000.00,
    10,000.00) and 0003 (nothing; traded 5,000.00, left at the year's end); 100,000.00 of trade
    with a non-member; 2025 earned 120,000.00 and was granted 9,000.00 into 311 专项基金."""
    clock.today = date(2025, 1, 1)
    ledger.books.register_organization(code=COOP, name_zh="丰收果蔬专业合作社",
                                       kind="farmers_cooperative",
                                       books_start=date(2025, 1, 1), actor="admin")
    ledger.books.change_settings(COOP, {"matter_steps": "decide"}, reason="章程",
                                 actor="admin")
    clock.today = date(2026, 1, 5)
    for name in ("周农", "吴果", "郑菜"):
        ledger.register.confirm_member(COOP, name=name, sex="male", born=date(1970, 1, 1),
                                       household="", on=date(2025, 1, 2), basis="admitted",
                                       actor="kuaiji")
    for member, fen in (("0001", 5_000_000), ("0002", 3_000_000)):
        ledger.register.record_contribution(COOP, member, on=date(2025, 1, 2), form="money",
                                            amount=fen, actor="kuaiji")
    for member, fen in (("0001", 3_000_000), ("0002", 1_000_000), ("0003", 500_000)):
        ledger.register.record_trade(COOP, on=date(2025, 6, 1), direction="sold_to_cooperative",
                                     product="苹果", quantity="100", unit="公斤", amount=fen,
                                     member=member, actor="kuaiji")
    ledger.register.record_trade(COOP, on=date(2025, 6, 2), direction="bought_from_cooperative",
                                 product="化肥", quantity="2", unit="吨", amount=10_000_000,
                                 counterparty="李四", actor="kuaiji")
    ledger.register.notify_exit(COOP, "0003", on=date(2025, 9, 1), document="退社申请书",
                                actor="kuaiji")
    posted(ledger, "2025-06-30", "102", "50101", 20_000_000)
    posted(ledger, "2025-07-31", "52101", "102", 8_000_000)
    posted(ledger, "2025-08-31", "102", "311", 900_000)
    ledger.identity.create_user(login="jiandu", display_name="监督", password="a long password",
                                actor="admin")
    ledger.identity.grant_role("jiandu", org=COOP, role="supervisor", reason="elected",
                               actor="admin")
    return ledger


def matter(app: Ledger) -> str:
    return app.spending.propose_matter(COOP, on=date(2026, 1, 5), title="2025年度盈余分配",
                                       category="distribution", description="",
                                       proposed_by="board", budget_total=0,
                                       budget_lines=[], actor="kuaiji").value.number


def drafted(app: Ledger, **changes: Any) -> tuple[str, str]:
    number = matter(app)
    plan = app.surplus.draft_plan(COOP, **(PLAN | {"matter": number} | changes),
                                  actor="kuaiji")
    return number, plan.value.number


def disclose(app: Ledger, distribution: str) -> None:
    ref = str(app.disclosure.draft_disclosure(
        COOP, kind="distribution", period="2025", title="2025年度盈余分配方案",
        inputs={"distribution": distribution, "stage": "plan"},
        content=json.dumps({"lines": []}), position=app.log_head(), actor="kuaiji").value.id)
    app.disclosure.submit_disclosure(COOP, ref, panel=["jiandu"], actor="kuaiji")
    app.disclosure.sign_disclosure(COOP, ref, member="jiandu")
    app.disclosure.publish_disclosure(COOP, ref, actor="kuaiji")


def decide(app: Ledger, number: str, on: date, **votes: int) -> bool:
    return app.spending.hold_meeting(COOP, number, step="decide", on=on, body="members_meeting",
                                     **({"entitled": 3, "present": 3, "votes_for": 3} | votes),
                                     resolution_no="丰收决〔2026〕1号",
                                     actor="kuaiji").value.decided


def test_the_plan_returns_sixty_percent_by_trade_and_the_rest_by_weight(coop: Ledger) -> None:
    _, number = drafted(coop)
    plan = coop.distribution.distribution(COOP, number)
    figures = plan.figures
    assert (figures["net_income"], figures["reserve"]) == (12_000_000, 1_200_000)
    assert (figures["distributable"], figures["trade_return"], figures["remaining"]) == (
        10_800_000, 6_480_000, 4_320_000)
    assert plan.terms == {"scheme": "cooperative_surplus", "reserve.rate": "0.10",
                          "trade_return.rate": "0.60"}
    # 311's 9,000.00 is shared equally; the member who left at the year's end shares (Art. 28);
    # the non-member's trade earns nobody anything.
    assert [(x["holder"], x["trade"], x["weight"], x["return"], x["remaining"], x["amount"])
            for x in plan.lines] == [
        ("member:0001", 3_000_000, 5_300_000, 4_320_000, 2_572_584, 6_892_584),
        ("member:0002", 1_000_000, 3_300_000, 1_440_000, 1_601_798, 3_041_798),
        ("member:0003", 500_000, 300_000, 720_000, 145_618, 865_618)]
    assert all(x["kind"] == "member" and x["shares"] == x["weight"] for x in plan.lines)


def test_a_plan_returning_less_than_sixty_percent_by_trade_is_refused(coop: Ledger) -> None:
    number = matter(coop)
    head = coop.log_head()
    with pytest.raises(TradeReturnBelowFloor) as refused:
        coop.surplus.draft_plan(COOP, **PLAN, trade_return={"rate": "0.5999"}, matter=number,
                                actor="kuaiji")
    assert refused.value.field == "trade_return.rate" and "Art. 44" in refused.value.message
    assert coop.log_head() == head
    with pytest.raises(InvalidDistribution) as village_terms:
        coop.surplus.draft_plan(COOP, **PLAN, to_members={"total": "1.00"}, matter=number,
                                actor="kuaiji")
    assert village_terms.value.field == "to_members"


def test_the_meeting_decides_only_fifteen_days_after_disclosure(coop: Ledger,
                                                                clock: Clock) -> None:
    number, distribution = drafted(coop)
    disclose(coop, distribution)
    clock.today = date(2026, 1, 19)
    with pytest.raises(NotDisclosedInTime) as refused:
        decide(coop, number, date(2026, 1, 19))
    assert "Art. 40" in refused.value.message and refused.value.context["earliest"] == (
        "2026-01-20")
    clock.today = date(2026, 1, 20)
    assert decide(coop, number, date(2026, 1, 20))


def test_posting_and_paying_write_a_line_per_member_and_quantify_the_reserve(
        coop: Ledger, clock: Clock) -> None:
    number, distribution = drafted(coop)
    disclose(coop, distribution)
    clock.today = date(2026, 1, 20)
    assert decide(coop, number, date(2026, 1, 20))
    plan = coop.distribution.post(COOP, distribution, actor="kuaiji").value
    assert plan.accounts == {"reserve": "322", "return": "221", "remaining": "222"}
    voucher = coop.books.voucher(COOP, plan.voucher)
    assert voucher.date == date(2025, 12, 31)
    assert [(x.account, x.debit, x.credit, x.party) for x in voucher.line_items] == [
        ("3320201", 1_200_000, 0, ""), ("322", 0, 1_200_000, ""),
        ("3320202", 6_480_000, 0, ""), ("221", 0, 4_320_000, "member:0001"),
        ("221", 0, 1_440_000, "member:0002"), ("221", 0, 720_000, "member:0003"),
        ("3320203", 4_320_000, 0, ""), ("222", 0, 2_572_584, "member:0001"),
        ("222", 0, 1_601_798, "member:0002"), ("222", 0, 145_618, "member:0003")]
    # The year's 盈余公积 goes to the members' accounts by trade, 6 : 2 : 1 (Art. 42).
    assert [coop.register.member_account(COOP, m, "").reserve_by_year.get(2025)
            for m in ("0001", "0002", "0003")] == [800_000, 266_667, 133_333]
    clock.today = date(2026, 1, 22)
    paid = coop.distribution.pay(COOP, distribution, holders=["member:0002"], paid_from="102",
                                 on=date(2026, 1, 21), actor="kuaiji").value
    lines = coop.books.voucher(COOP, paid.paid["member:0002"]["voucher"]).line_items
    assert [(x.account, x.debit, x.credit, x.party) for x in lines] == [
        ("221", 1_440_000, 0, "member:0002"), ("222", 1_601_798, 0, "member:0002"),
        ("102", 0, 3_041_798, "")]
    rest = coop.distribution.pay(COOP, distribution, holders="all", paid_from="102",
                                 on=date(2026, 1, 22), actor="kuaiji").value
    assert rest.status == "paid"
    assert coop.books.of(COOP).balance_within("221") == 0
    assert coop.books.of(COOP).balance_within("222") == 0


def test_a_year_posted_to_its_distribution_accounts_outside_a_plan_is_refused_in_yuan(
        coop: Ledger) -> None:
    # Given 2025's reserve booked by a voucher of the accountant's, not by a plan,
    posted(coop, "2025-12-31", "3320201", "322", 1_380_873)
    # when a plan of 2025 is previewed, then it is refused naming the amount in yuan.
    with pytest.raises(InvalidDistribution) as refused:
        coop.surplus.preview_plan(COOP, **PLAN)
    assert refused.value.context["already_distributed"] == "13808.73"
    assert "13808.73 posted to 332" in refused.value.message


def test_a_year_with_a_posted_plan_is_refused_by_its_plan(coop: Ledger, clock: Clock) -> None:
    number, distribution = drafted(coop)
    disclose(coop, distribution)
    clock.today = date(2026, 1, 20)
    assert decide(coop, number, date(2026, 1, 20))
    coop.distribution.post(COOP, distribution, actor="kuaiji")
    with pytest.raises(DistributionStateError) as refused:
        coop.surplus.preview_plan(COOP, **PLAN)
    assert refused.value.context["distribution"] == distribution


def five_members(app: Ledger) -> None:
    for name in ("王四", "冯五", "陈六"):  # 0003 left at 2025's end: 5 members now
        app.register.confirm_member(COOP, name=name, sex="male", born=date(1970, 1, 1),
                                    household="", on=date(2026, 1, 5), basis="admitted",
                                    actor="kuaiji")


def test_the_charter_grants_additional_votes_up_to_twenty_percent_of_the_members(
        coop: Ledger) -> None:
    with pytest.raises(AdditionalVotesOverLimit) as refused:  # 1 of 2 members' votes is 50 %
        coop.books.change_settings(COOP, {"additional_votes": 1}, reason="章程", actor="admin")
    assert refused.value.field == "additional_votes" and "Art. 22" in refused.value.message
    five_members(coop)
    coop.books.change_settings(COOP, {"additional_votes": 1}, reason="章程", actor="admin")
    assert coop.books.organization(COOP).setting("additional_votes") == 1


def test_additional_votes_count_within_twenty_percent_of_the_basic_votes(
        coop: Ledger, clock: Clock) -> None:
    five_members(coop)
    coop.books.change_settings(COOP, {"additional_votes": 1}, reason="章程第二十条",
                               actor="admin")
    number, distribution = drafted(coop)
    disclose(coop, distribution)
    clock.today = date(2026, 1, 20)
    with pytest.raises(InvalidMatter) as too_many:  # 1 additional vote is over 20 % of 3
        decide(coop, number, date(2026, 1, 20), additional_votes_for=1)
    assert too_many.value.field == "additional_votes" and "Art. 22" in too_many.value.message
    with pytest.raises(InvalidMatter) as over_granted:
        decide(coop, number, date(2026, 1, 20), entitled=5, present=5, votes_for=3,
               additional_votes_for=2)
    assert over_granted.value.field == "additional_votes_for"
    # 3 basic votes and the 1 additional vote for: 4 of all 6 votes, two thirds (a distribution
    # is reserved to the members' meeting).
    assert decide(coop, number, date(2026, 1, 20), entitled=5, present=5, votes_for=3,
                  votes_against=2, additional_votes_for=1)
    assert coop.spending.matter(COOP, number).meetings[-1]["additional_votes_for"] == 1


def test_the_additional_votes_not_cast_for_count_against_a_reserved_matter(
        coop: Ledger, clock: Clock) -> None:
    five_members(coop)
    coop.books.change_settings(COOP, {"additional_votes": 1}, reason="章程第二十条",
                               actor="admin")
    number, distribution = drafted(coop)
    disclose(coop, distribution)
    clock.today = date(2026, 1, 20)
    assert not decide(coop, number, date(2026, 1, 20), entitled=5, present=5, votes_for=3,
                      votes_against=1, additional_votes_against=1)
    assert "Art. 22" in coop.spending.matter(COOP, number).stop_reason


def test_a_closed_year_is_shared_from_its_closing_and_posted_in_the_next(
        coop: Ledger, clock: Clock) -> None:
    period = Period(2025, 1)
    while period <= Period(2025, 11):
        coop.books.close_period(COOP, period, actor="kuaiji")
        period = period.next()
    coop.books.close_year(COOP, 2025, actor="kuaiji")
    number, distribution = drafted(coop)
    figures = coop.distribution.distribution(COOP, distribution).figures
    assert (figures["net_income"], figures["distributable"]) == (12_000_000, 10_800_000)
    disclose(coop, distribution)
    clock.today = date(2026, 1, 20)
    assert decide(coop, number, date(2026, 1, 20))
    plan = coop.distribution.post(COOP, distribution, actor="kuaiji").value
    assert plan.posted_on == date(2026, 1, 20)
    assert coop.books.voucher(COOP, plan.voucher).date == date(2026, 1, 20)
