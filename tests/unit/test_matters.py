"""四议两公开 as small stories: given a proposed matter and the meetings held so far, when the
next meeting is recorded, then the matter moves on, or stops with the reason; and a decided
resolution's budget bounds what may be charged to it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ledger.books import DEFAULT_SETTINGS
from ledger.spending import (
    InvalidMatter,
    Matter,
    MatterStateError,
    MeetingWouldStop,
    OverBudget,
    meets,
)

TODAY = date(2026, 11, 22)
DAY = date(2026, 10, 8)


def proposed(**overrides: Any) -> Matter:
    args: dict[str, Any] = {
        "org": "v1", "number": "M2026-0001", "on": date(2026, 10, 1), "today": TODAY,
        "title": "硬化东路", "category": "project", "description": "东路 1.2 公里",
        "proposed_by": "party_branch", "budget_total": 4_800_000,
        "budget_lines": [{"account": "153", "item": "工程款", "amount": 4_500_000},
                         {"account": "513", "item": "监理费", "amount": 300_000}],
        "settings": dict(DEFAULT_SETTINGS), "actor": "kuaiji"} | overrides
    matter = Matter.propose(**args)
    matter.collect_events()
    return matter


def meeting(matter: Matter, step: str, *, entitled: int = 30, present: int = 25,
            votes_for: int = 20, body: str = "", resolution_no: str = "") -> bool:
    return matter.hold_meeting(step=step, on=DAY, today=TODAY, body=body, entitled=entitled,
                               present=present, votes_for=votes_for,
                               votes_against=max(min(2, present - votes_for), 0), abstain=0,
                               minutes="",
                               resolution_no=resolution_no,
                               actor="kuaiji")


def decided(**overrides: Any) -> Matter:
    matter = proposed(**overrides)
    meeting(matter, "deliberate", entitled=7, present=7, votes_for=7)
    meeting(matter, "review")
    meeting(matter, "decide", body="representatives_meeting", resolution_no="东村决〔2026〕3号")
    matter.collect_events()
    return matter


def test_the_four_deliberations_decide_a_matter() -> None:
    matter = proposed()
    assert matter.next_step == "deliberate"
    assert meeting(matter, "deliberate", entitled=7, present=6, votes_for=5)
    assert meeting(matter, "review")
    assert meeting(matter, "decide", body="representatives_meeting", resolution_no="决3号")
    kinds = [type(e).__name__ for e in matter.collect_events()]
    assert kinds == ["Deliberated", "Reviewed", "Decided"]
    assert matter.status == "decided" and matter.resolution_no == "决3号"
    assert matter.decided and matter.next_step is None


def test_a_step_out_of_order_is_refused() -> None:
    matter = proposed()
    with pytest.raises(MatterStateError) as refused:
        meeting(matter, "decide", body="representatives_meeting", resolution_no="x")
    assert refused.value.context["expected"] == "deliberate"
    assert not matter.collect_events()


@pytest.mark.parametrize(("present", "votes_for", "why"), [
    (19, 19, "到会人数不足：应到30人，实到19人，须三分之二以上 "
             "(quorum not met: 19 of 30 present, >=2/3 needed)"),
    (20, 10, "未获通过：到会20人中10人赞成，须到会人员过半数同意 "
             "(not carried: 10 of 20 present for, >1/2 needed)"),
])
def test_a_meeting_that_fails_its_quorum_or_vote_stops_the_matter(
        present: int, votes_for: int, why: str) -> None:
    matter = proposed()
    meeting(matter, "deliberate", entitled=7, present=7, votes_for=7)
    matter.collect_events()
    assert not meeting(matter, "review", present=present, votes_for=votes_for)
    [stopped] = matter.collect_events()
    assert isinstance(stopped, Matter.Stopped) and stopped.reason == why
    assert matter.status == "stopped" and matter.stop_reason == why
    with pytest.raises(MatterStateError):
        meeting(matter, "decide", body="representatives_meeting", resolution_no="x")


def test_twenty_of_thirty_is_two_thirds_and_fifteen_is_not_more_than_half() -> None:
    assert meets(20, 30, ">=2/3") and not meets(19, 30, ">=2/3")
    assert not meets(15, 30, ">1/2") and meets(16, 30, ">1/2")


def test_the_steps_and_rules_are_those_set_when_the_matter_was_proposed() -> None:
    settings = dict(DEFAULT_SETTINGS) | {"matter_steps": "decide",
                                        "decision_meeting_majority": ">=2/3"}
    matter = proposed(settings=settings)
    assert matter.steps == ["decide"]
    assert not meeting(matter, "decide", body="villagers_meeting", present=30, votes_for=19)
    assert "19 of 30 present for, >=2/3 needed" in matter.stop_reason


def test_a_reserved_matter_needs_two_thirds_of_all_members_at_the_members_meeting() -> None:
    matter = proposed(category="distribution", budget_total=0, budget_lines=[],
                      settings=dict(DEFAULT_SETTINGS) | {"matter_steps": "decide"})
    assert matter.reserved
    with pytest.raises(InvalidMatter) as refused:
        meeting(matter, "decide", body="representatives_meeting", resolution_no="x")
    assert refused.value.field == "body"
    # 25 of 30 present and 19 for: a majority of those present, not two thirds of all members.
    assert not meeting(matter, "decide", body="members_meeting", entitled=30, present=25,
                       votes_for=19, resolution_no="x")
    assert "19 of all 30 members for" in matter.stop_reason


@pytest.mark.parametrize(("counts", "field"), [
    ({"present": 31}, "present"),
    ({"votes_for": 26}, "votes_for"),
    ({"entitled": 0, "present": 0, "votes_for": 0}, "entitled"),
])
def test_impossible_counts_are_refused(counts: dict[str, int], field: str) -> None:
    matter = proposed()
    with pytest.raises(InvalidMatter) as refused:
        meeting(matter, "deliberate", **counts)
    assert refused.value.field == field


def test_budget_lines_add_up_to_the_total() -> None:
    with pytest.raises(InvalidMatter) as refused:
        proposed(budget_total=4_900_000)
    assert refused.value.field == "budget_lines"


def test_charges_stay_within_the_line_and_the_total() -> None:
    matter = decided()
    matter.charge(request="S2026-0001", voucher="2026-10-0003", account="153",
                  amount=4_000_000, actor="kuaiji")
    assert matter.remaining == 800_000 and matter.spent_by_line == [4_000_000, 0]
    with pytest.raises(OverBudget) as over_line:
        matter.check_charge("153", 500_001)
    assert over_line.value.context["remaining"] == "5000.00"
    with pytest.raises(OverBudget):
        matter.check_charge("514", 100)  # 公益支出 is in no line of this budget
    assert matter.check_charge("153", 500_000) == 0  # exactly what is left of the line


def test_nothing_is_charged_to_a_stopped_matter() -> None:
    matter = proposed()
    meeting(matter, "deliberate", entitled=7, present=2, votes_for=2)
    with pytest.raises(MatterStateError):
        matter.check_charge("153", 100)


def test_the_resolution_is_disclosed_before_it_is_carried_out_and_then_the_result() -> None:
    matter = decided()
    with pytest.raises(MatterStateError):
        matter.carry_out(on=TODAY, today=TODAY, summary="完工", actor="kuaiji")
    matter.disclose_resolution("d-1", "kuaiji")
    matter.carry_out(on=TODAY, today=TODAY, summary="完工验收", actor="kuaiji")
    with pytest.raises(MatterStateError):
        matter.check_charge("153", 100)
    matter.disclose_result("d-2", "kuaiji")
    assert matter.status == "result_disclosed"


@pytest.mark.parametrize(("present", "votes_for", "field"), [(3, 3, "present"),
                                                             (6, 2, "votes_for")])
def test_a_meeting_that_would_stop_the_matter_is_refused_unless_stopping_is_allowed(
        present: int, votes_for: int, field: str) -> None:
    # Given a proposed matter, when a failing joint meeting is recorded only if it carries
    matter = proposed()
    with pytest.raises(MeetingWouldStop) as refused:
        matter.hold_meeting(step="deliberate", on=DAY, today=TODAY, body="", entitled=7,
                            present=present, votes_for=votes_for, votes_against=0, abstain=0,
                            minutes="", resolution_no="", actor="kuaiji", stop_allowed=False)
    # then nothing happens, the refusal naming the count at fault and the reason
    assert not matter.collect_events() and matter.next_step == "deliberate"
    assert refused.value.field == field
    assert refused.value.context["reason"].startswith(("到会人数不足", "未获通过"))
    # and allowed, the same meeting stops it
    assert not matter.hold_meeting(step="deliberate", on=DAY, today=TODAY, body="", entitled=7,
                                   present=present, votes_for=votes_for, votes_against=0,
                                   abstain=0, minutes="", resolution_no="", actor="kuaiji")
    assert [type(e).__name__ for e in matter.collect_events()] == ["Stopped"]
