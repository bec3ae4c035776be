"""The approval ladder as small stories: given a spending request and its approvals so far, when
someone approves, rejects, withdraws or pays, then the new events or the domain error."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ledger.spending import (
    InvalidSpending,
    NotAnApprover,
    SpendingRequest,
    SpendingStateError,
    ladder_level,
)

TODAY = date(2026, 11, 22)
LIMITS = {"finance_lead_max": 100_000, "committees_max": 1_000_000}


def requested(amount: int = 50_000, **overrides: Any) -> SpendingRequest:
    args: dict[str, Any] = {
        "org": "v1", "number": "S2026-0001", "on": TODAY, "today": TODAY, "payee": "五金店",
        "purpose": "村部灯泡", "amount": amount, "account": "513", "fund_source": "collective",
        "grant": None, "matter": None, "receipt_count": 1, "receipt_digests": [],
        "actor": "kuaiji"} | LIMITS | overrides
    request = SpendingRequest.request(**args)
    request.collect_events()
    return request


def test_the_ladder_has_three_steps_with_the_limits_included() -> None:
    assert ladder_level(100_000, **LIMITS) == "finance_lead"
    assert ladder_level(100_001, **LIMITS) == "committees"
    assert ladder_level(1_000_000, **LIMITS) == "committees"
    assert ladder_level(1_000_001, **LIMITS) == "resolution"


def test_the_finance_lead_alone_approves_up_to_a_thousand() -> None:
    request = requested()
    assert request.approve(approver="caiwu", roles={"finance_lead"}) == "finance_lead"
    assert request.status == "approved"
    [approved] = request.collect_events()
    assert isinstance(approved, SpendingRequest.Approved) and approved.actor == "caiwu"


def test_between_the_limits_two_committee_members_and_a_supervisor_approve() -> None:
    request = requested(500_000)
    request.approve(approver="cunzhang", roles={"committee"})
    # Holding both roles counts once, as the first role the ladder still lacks.
    assert request.approve(approver="shuji", roles={"committee", "supervisor"}) == "committee"
    assert request.status == "pending"
    with pytest.raises(NotAnApprover) as refused:
        request.approve(approver="zuzhang", roles={"committee"})
    assert refused.value.context["missing"] == ["supervisor"]
    request.approve(approver="jiandu", roles={"supervisor"})
    assert request.status == "approved"
    assert [a["role"] for a in request.approvals] == ["committee", "committee", "supervisor"]


def test_the_finance_leads_own_small_request_goes_up_to_the_committees() -> None:
    # Given the village's finance lead asks for 500.00, within their own rung,
    request = requested(50_000, actor="caiwu", requester_roles={"finance_lead"})
    # then two committee members and a supervisor approve it, as the rung above asks;
    assert (request.level, request.needs) == ("committees", {"committee": 2, "supervisor": 1})
    with pytest.raises(NotAnApprover):
        request.approve(approver="caiwu", roles={"finance_lead"})
    for login, role in (("cunzhang", "committee"), ("shuji", "committee"),
                        ("jiandu", "supervisor")):
        request.approve(approver=login, roles={role})
    assert request.status == "approved"
    # the same amount asked by anyone else stays the finance lead's alone.
    assert requested(50_000, requester_roles={"committee"}).needs == {"finance_lead": 1}


def test_nobody_approves_their_own_request_or_twice() -> None:
    request = requested(500_000, actor="cunzhang")
    with pytest.raises(NotAnApprover):
        request.approve(approver="cunzhang", roles={"committee"})
    request.approve(approver="shuji", roles={"committee"})
    with pytest.raises(NotAnApprover):
        request.approve(approver="shuji", roles={"committee", "supervisor"})
    assert len(request.collect_events()) == 1


def test_a_role_the_ladder_does_not_ask_for_cannot_approve() -> None:
    with pytest.raises(NotAnApprover):
        requested().approve(approver="kuaiji2", roles={"accountant"})


def test_above_the_committees_limit_a_matter_is_required() -> None:
    with pytest.raises(InvalidSpending) as refused:
        requested(1_000_001)
    assert refused.value.field == "matter"
    assert requested(1_000_001, matter="M2026-0001").level == "resolution"


def test_paid_once_and_never_more_than_approved() -> None:
    request = requested()
    with pytest.raises(SpendingStateError):
        request.check_payable(50_000)  # not yet approved
    request.approve(approver="caiwu", roles={"finance_lead"})
    with pytest.raises(SpendingStateError) as over:
        request.check_payable(50_001)
    assert over.value.field == "amount"
    request.pay(voucher="2026-11-0004", on=TODAY, amount=50_000, paid_from="101",
                actor="kuaiji")
    with pytest.raises(SpendingStateError) as twice:
        request.check_payable(50_000)
    assert twice.value.context["voucher"] == "2026-11-0004"


def test_a_withdrawn_or_rejected_request_is_never_paid() -> None:
    withdrawn = requested()
    withdrawn.approve(approver="caiwu", roles={"finance_lead"})
    withdrawn.withdraw(reason="不买了", actor="kuaiji")
    with pytest.raises(SpendingStateError):
        withdrawn.check_payable(50_000)
    rejected = requested()
    rejected.reject(approver="caiwu", roles={"finance_lead"}, reason="价格过高")
    with pytest.raises(SpendingStateError):
        rejected.approve(approver="caiwu2", roles={"finance_lead"})


@pytest.mark.parametrize(("overrides", "field"), [
    ({"amount": 0}, "amount"), ({"amount": 12.5}, "amount"), ({"payee": " "}, "payee"),
    ({"fund_source": "loan"}, "fund_source"), ({"fund_source": "grant"}, "grant"),
    ({"receipt_digests": ["abc"]}, "receipt_digests[0]"),
    ({"on": date(2026, 11, 23)}, "date"),
])
def test_bad_requests_name_the_field(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidSpending) as refused:
        requested(**overrides)
    assert refused.value.field == field
