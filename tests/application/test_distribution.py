"""A year's distribution through the application, on SQLite and PostgreSQL: drafted from the books
and the register on its record date, decided by the members' meeting only ten days after its plan
was disclosed, posted in one voucher with a line per holder, and paid so that nobody is paid twice,
however many clerks press the button at once."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest

from infra.storage import Storage
from ledger.application import Ledger
from ledger.books import Line, PaidByAnotherRecord, Period, VoucherDraft
from ledger.distribution import (
    DistributionStateError,
    InvalidDistribution,
    MatterUndecided,
    NotDisclosedInTime,
    OverDistributable,
)
from ledger.register import SharesStateError
from projections.books.view import BooksView
from projections.distribution.queries import DistributionQueries
from projections.runner import catch_up, open_ledger
from tests.conftest import Clock
from tests.registers import ORG, village_with_shares

PLAN = {"year": 2025, "record_date": None, "reserve": {"rate": "0.30"},
        "to_members": {"per_share": "100.00"}}


def posted(app: Ledger, day: str, debit: str, credit: str, fen: int) -> None:
    app.books.post_voucher(ORG, VoucherDraft(date=date.fromisoformat(day), summary="业务",
                                             lines=(Line(debit, debit=fen),
                                                    Line(credit, credit=fen))), actor="kuaiji")


@pytest.fixture
def village(ledger: Ledger, clock: Clock) -> Ledger:
    """东村: households 001 (85 shares), 002 (80), 003 (35), the collective share 60; 2025
    earned 80,000.00 (100,000.00 of contracting income less 20,000.00 of management)."""
    clock.today = date(2026, 1, 5)
    village_with_shares(ledger, matter_steps="decide")
    ledger.books.open_account(ORG, parent="211", code="21102", name_zh="应付收益分配",
                              name_en="Distributions payable", actor="kuaiji")
    posted(ledger, "2025-03-01", "102", "501", 10_000_000)
    posted(ledger, "2025-09-01", "513", "102", 2_000_000)
    ledger.identity.create_user(login="jiandu", display_name="监督", password="a long password",
                                actor="admin")
    ledger.identity.grant_role("jiandu", org=ORG, role="supervisor", reason="elected",
                               actor="admin")
    return ledger


def matter(app: Ledger) -> str:
    return app.spending.propose_matter(ORG, on=date(2026, 1, 5), title="2025年度收益分配",
                                       category="distribution", description="",
                                       proposed_by="party_branch", budget_total=0,
                                       budget_lines=[], actor="kuaiji").value.number


def drafted(app: Ledger, **changes: Any) -> tuple[str, str]:
    number = matter(app)
    plan = app.distribution.draft(ORG, **(PLAN | {"matter": number} | changes), actor="kuaiji")
    return number, plan.value.number


def disclose(app: Ledger, distribution: str, stage: str = "plan") -> None:
    ref = str(app.disclosure.draft_disclosure(
        ORG, kind="distribution", period="2025", title="2025年度收益分配方案",
        inputs={"distribution": distribution, "stage": stage}, content=json.dumps({"lines": []}),
        position=app.log_head(), actor="kuaiji").value.id)
    app.disclosure.submit_disclosure(ORG, ref, panel=["jiandu"], actor="kuaiji")
    app.disclosure.sign_disclosure(ORG, ref, member="jiandu")
    app.disclosure.publish_disclosure(ORG, ref, actor="kuaiji")


def decide(app: Ledger, number: str, on: date) -> bool:
    return app.spending.hold_meeting(ORG, number, step="decide", on=on, body="members_meeting",
                                     entitled=6, present=6, votes_for=6,
                                     resolution_no="东村决〔2026〕1号",
                                     actor="kuaiji").value.decided


def decided(app: Ledger, clock: Clock, **changes: Any) -> str:
    number, distribution = drafted(app, **changes)
    disclose(app, distribution)
    clock.today = date(2026, 1, 16)
    assert decide(app, number, date(2026, 1, 16))
    return distribution


def test_the_plan_gives_each_household_its_shares_times_the_rate(village: Ledger) -> None:
    _, number = drafted(village)
    plan = village.distribution.distribution(ORG, number)
    assert number == "2025-1" and plan.record_date == date(2025, 12, 31)
    assert all(len(x["code"]) == 6 and x["code"].isdigit() for x in plan.lines)
    assert [(x["holder"], x["shares"], x["amount"]) for x in plan.lines] == [
        ("household:001", 85, 850_000), ("household:002", 80, 800_000),
        ("household:003", 35, 350_000)]
    assert plan.collective == {"holder": "org", "kind": "collective", "shares": 60,
                               "amount": 600_000}
    figures = plan.figures
    assert figures["net_income"] == 8_000_000 and figures["reserve"] == 2_400_000
    assert figures["to_members"] == 2_000_000 and figures["collective_kept"] == 600_000
    assert figures["undistributed_at_end"] == 8_000_000 - 2_400_000 - 2_000_000


def test_a_plan_over_what_is_left_after_the_reserve_writes_nothing(village: Ledger) -> None:
    number = matter(village)
    head = village.log_head()
    with pytest.raises(OverDistributable) as refused:
        village.distribution.draft(ORG, **(PLAN | {"matter": number,
                                                   "to_members": {"total": "56000.01"}}),
                                   actor="kuaiji")
    assert refused.value.field == "to_members" and village.log_head() == head


def test_a_second_plan_of_the_year_waits_for_the_first_to_be_cancelled(village: Ledger) -> None:
    number, first = drafted(village)
    with pytest.raises(DistributionStateError) as refused:
        village.distribution.draft(ORG, **(PLAN | {"matter": number}), actor="kuaiji")
    assert refused.value.context["distribution"] == first
    village.distribution.cancel(ORG, first, reason="方案有误", actor="kuaiji")
    second = village.distribution.draft(ORG, **(PLAN | {"matter": number}), actor="kuaiji")
    assert second.value.number == "2025-2"


def test_a_year_not_yet_ended_has_no_plan(village: Ledger, clock: Clock) -> None:
    number = matter(village)
    clock.today = date(2025, 12, 31)
    with pytest.raises(InvalidDistribution) as refused:
        village.distribution.draft(ORG, **(PLAN | {"matter": number}), actor="kuaiji")
    assert refused.value.field == "year"


def test_the_meeting_is_refused_until_ten_days_after_the_plan_was_disclosed(
        village: Ledger, clock: Clock) -> None:
    number, distribution = drafted(village)
    with pytest.raises(NotDisclosedInTime):
        decide(village, number, date(2026, 1, 5))
    disclose(village, distribution)
    clock.today = date(2026, 1, 20)
    with pytest.raises(NotDisclosedInTime) as refused:
        decide(village, number, date(2026, 1, 14))  # nine days after 01-05
    assert "2026-01-05" in refused.value.message and refused.value.field == "date"
    assert decide(village, number, date(2026, 1, 15))


def test_an_undecided_plan_is_not_posted(village: Ledger) -> None:
    _, distribution = drafted(village)
    with pytest.raises(MatterUndecided):
        village.distribution.post(ORG, distribution, actor="kuaiji")


def test_posting_writes_one_voucher_with_a_line_per_holder_and_fixes_the_register(
        village: Ledger, clock: Clock) -> None:
    distribution = decided(village, clock)
    village.distribution.post(ORG, distribution, actor="kuaiji")
    plan = village.distribution.distribution(ORG, distribution)
    voucher = village.books.voucher(ORG, plan.voucher)
    assert voucher.date == date(2025, 12, 31)
    lines = [(x.account, x.debit, x.credit, x.party) for x in voucher.line_items]
    assert lines == [("3220201", 2_400_000, 0, ""), ("311", 0, 2_400_000, ""),
                     ("3220202", 2_000_000, 0, ""),
                     ("21102", 0, 850_000, "household:001"),
                     ("21102", 0, 800_000, "household:002"),
                     ("21102", 0, 350_000, "household:003")]
    with pytest.raises(DistributionStateError):
        village.distribution.post(ORG, distribution, actor="kuaiji")
    with pytest.raises(SharesStateError) as refused:
        village.register.move_shares(ORG, kind="transfer", on=date(2025, 12, 1),
                                     source="household:001", target="household:002",
                                     share_class="labour", quantity=5, basis="转让协议",
                                     actor="kuaiji")
    assert refused.value.context["distribution"] == distribution


def test_a_holder_is_paid_once(village: Ledger, clock: Clock) -> None:
    distribution = decided(village, clock)
    village.distribution.post(ORG, distribution, actor="kuaiji")
    village.distribution.pay(ORG, distribution, holders=["household:002"], paid_from="102",
                             on=date(2026, 1, 16), actor="kuaiji")
    with pytest.raises(DistributionStateError) as refused:
        village.distribution.pay(ORG, distribution, holders=["household:002"],
                                 paid_from="101", on=date(2026, 1, 16), actor="kuaiji")
    assert refused.value.field == "holders[0]"
    village.distribution.pay(ORG, distribution, holders="all", paid_from="102",
                             on=date(2026, 1, 16), actor="kuaiji")
    plan = village.distribution.distribution(ORG, distribution)
    assert plan.status == "paid" and not plan.unpaid()
    assert village.books.of(ORG).balances["21102"] == 0


def test_two_processes_paying_everyone_at_once_pay_each_holder_once(
        village: Ledger, clock: Clock, storage: Storage) -> None:
    distribution = decided(village, clock)
    village.distribution.post(ORG, distribution, actor="kuaiji")
    other = open_ledger(storage, clock=clock, cipher=village.cipher)

    def pay(app: Ledger) -> str:
        try:
            app.distribution.pay(ORG, distribution, holders="all", paid_from="102",
                                 on=date(2026, 1, 16), actor="kuaiji")
        except DistributionStateError:
            return "refused"
        return "paid"

    try:
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(pay, [village, other, village, other]))
    finally:
        other.close()
    assert sorted(results) == ["paid", "refused", "refused", "refused"]
    assert village.books.of(ORG).balances["21102"] == 0


def test_the_read_model_shows_each_holder_paid_or_owed(village: Ledger, clock: Clock,
                                                       view: BooksView) -> None:
    distribution = decided(village, clock)
    village.distribution.post(ORG, distribution, actor="kuaiji")
    village.distribution.pay(ORG, distribution, holders=["household:002"], paid_from="102",
                             on=date(2026, 1, 16), actor="kuaiji")
    catch_up(village, view)
    plan = DistributionQueries(view).distribution(ORG, distribution)
    assert plan["status"] == "posted" and plan["plan_disclosed_on"] == "2026-01-05"
    assert [(x["holder"], x["name"], x["paid"]) for x in plan["lines"]] == [
        ("household:001", "张大山", False), ("household:002", "王建国", True),
        ("household:003", "刘志强", False)]
    assert (plan["paid_total"], plan["unpaid_total"]) == (800_000, 1_200_000)
    code = village.distribution.distribution(ORG, distribution).lines[2]["code"]
    found = DistributionQueries(view).lookup(ORG, distribution, "003", code)
    assert found is not None and found["amount"] == 350_000
    assert DistributionQueries(view).lookup(ORG, distribution, "003", "000000" if code != "000000"
                                            else "111111") is None


def test_an_outside_heir_on_the_record_date_is_a_holder_with_a_line_of_its_own(
        village: Ledger, clock: Clock) -> None:
    # 刘志强, household 003's only member, died in October; a son in the city inherited.
    village.register.end_membership(ORG, "0006", on=date(2025, 10, 1), basis="death",
                                    document="死亡证明", actor="kuaiji")
    for share_class, quantity in (("population", 10), ("labour", 25)):
        village.register.move_shares(ORG, kind="inheritance", on=date(2025, 10, 15),
                                     source="household:003", target="outside:1",
                                     share_class=share_class, quantity=quantity,
                                     basis="继承公证书", target_name="刘小强", actor="kuaiji")
    distribution = decided(village, clock)
    plan = village.distribution.distribution(ORG, distribution)
    assert [(x["holder"], x["kind"], x["name"], x["shares"]) for x in plan.lines] == [
        ("household:001", "household", "张大山", 85), ("household:002", "household", "王建国", 80),
        ("outside:1", "outside", "刘小强", 35)]
    village.distribution.post(ORG, distribution, actor="kuaiji")
    voucher = village.books.voucher(ORG, village.distribution.distribution(
        ORG, distribution).voucher)
    assert [x.party for x in voucher.line_items][-1] == "outside:1"


def test_a_member_who_died_after_the_record_date_is_paid_to_the_household(
        ledger: Ledger, clock: Clock) -> None:
    clock.today = date(2026, 1, 5)
    village_with_shares(ledger, holding="person", matter_steps="decide")
    ledger.books.open_account(ORG, parent="211", code="21102", name_zh="应付收益分配",
                              name_en="Distributions payable", actor="kuaiji")
    posted(ledger, "2025-03-01", "102", "501", 10_000_000)
    ledger.identity.create_user(login="jiandu", display_name="监督", password="a long password",
                                actor="admin")
    ledger.identity.grant_role("jiandu", org=ORG, role="supervisor", reason="elected",
                               actor="admin")
    distribution = decided(ledger, clock)
    ledger.distribution.post(ORG, distribution, actor="kuaiji")
    ledger.register.end_membership(ORG, "0003", on=date(2026, 1, 10), basis="death",
                                   document="死亡证明", actor="kuaiji")
    ledger.distribution.pay(ORG, distribution, holders="all", paid_from="102",
                            on=date(2026, 1, 16), actor="kuaiji")
    paid = ledger.distribution.distribution(ORG, distribution).paid
    assert paid["member:0003"]["payee"] == "household:001"
    assert paid["member:0002"]["payee"] == "member:0002"


def test_a_closed_year_is_shared_from_its_closing_figures_and_posted_in_the_next(
        village: Ledger, clock: Clock) -> None:
    for month in range(1, 12):
        village.books.close_period(ORG, Period(2025, month), actor="kuaiji")
    village.books.close_year(ORG, 2025, actor="kuaiji")
    distribution = decided(village, clock)
    plan = village.distribution.distribution(ORG, distribution)
    assert plan.figures["net_income"] == 8_000_000
    assert plan.figures["undistributed_at_start"] == 0
    village.distribution.post(ORG, distribution, on=date(2026, 1, 16), actor="kuaiji")
    voucher = village.books.voucher(ORG, village.distribution.distribution(
        ORG, distribution).voucher)
    assert voucher.date == date(2026, 1, 16) and voucher.number.startswith("2026-01-")


def test_a_plan_drafted_again_after_the_meeting_is_not_the_plan_decided(
        village: Ledger, clock: Clock) -> None:
    first = decided(village, clock)
    matter_number = village.distribution.distribution(ORG, first).matter
    village.distribution.cancel(ORG, first, reason="改按总额分配", actor="kuaiji")
    second = village.distribution.draft(ORG, **(PLAN | {"matter": matter_number}),
                                        actor="kuaiji").value.number
    disclose(village, second)  # on 01-16, the day of the meeting
    with pytest.raises(NotDisclosedInTime) as refused:
        village.distribution.post(ORG, second, actor="kuaiji")
    assert refused.value.context["distribution"] == second


def test_a_plan_the_register_moved_under_is_not_posted(village: Ledger, clock: Clock) -> None:
    # Given a plan decided on 85 shares of household 001 and 80 of 002,
    distribution = decided(village, clock)
    # when a transfer dated 1 December 2025 is recorded only after the meeting,
    village.register.move_shares(ORG, kind="transfer", on=date(2025, 12, 1),
                                 source="household:001", target="household:002",
                                 share_class="labour", quantity=5, basis="转让协议",
                                 actor="kuaiji")
    head = village.log_head()
    # then posting is refused, naming both households, and nothing is written.
    with pytest.raises(DistributionStateError) as refused:
        village.distribution.post(ORG, distribution, actor="kuaiji")
    assert refused.value.field == "record_date"
    assert refused.value.context["holders"] == ["household:001 85→80", "household:002 80→85"]
    assert village.log_head() == head
    assert village.distribution.distribution(ORG, distribution).status == "drafted"


def test_a_distributions_vouchers_are_not_reversed_alone(village: Ledger, clock: Clock) -> None:
    # Given a plan posted and one holder paid,
    distribution = decided(village, clock)
    posted = village.distribution.post(ORG, distribution, actor="kuaiji").value.voucher
    village.distribution.pay(ORG, distribution, holders=["household:002"], paid_from="102",
                             on=date(2026, 1, 16), actor="kuaiji")
    paid = village.distribution.distribution(ORG, distribution).paid["household:002"]["voucher"]
    # when either voucher alone is reversed, then it is refused, naming the plan.
    for voucher in (posted, paid):
        with pytest.raises(PaidByAnotherRecord) as refused:
            village.books.reverse_voucher(ORG, voucher, on=date(2026, 1, 20), reason="错了",
                                          actor="kuaiji")
        assert refused.value.context["record"] == distribution
