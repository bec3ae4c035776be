"""Matters decided by 四议两公开 over HTTP: proposed with a budget, each meeting recorded in turn,
a failed meeting stopping the matter (a recorded fact, 201), the resolution carried out; bad input
is a 422 naming the field with nothing written; and the approval ladder among the settings."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.api.conftest import error_of, make_user, signed_in

MATTERS = "/api/v1/orgs/v1/matters"

# The default rules: joint meeting more than half present and for; the party members' and the
# deciding meeting at least two thirds present, more than half of those present for.
MEETINGS = {
    "deliberate": {"date": "2026-03-02", "entitled": 7, "present": 6, "votes_for": 5},
    "review": {"date": "2026-03-03", "entitled": 30, "present": 25, "votes_for": 20,
               "votes_against": 3, "abstain": 2},
    "decide": {"date": "2026-03-04", "body": "representatives_meeting", "entitled": 40,
               "present": 35, "votes_for": 30, "votes_against": 5,
               "minutes": "同意修建东组水泥路", "resolution_no": "2026-1"},
}


def office_holders(app: Flask, org: str) -> dict[str, FlaskClient]:
    """The village's other office holders, each signed in with a token of their own."""
    roles = {"lead": "finance_lead", "com1": "committee", "com2": "committee", "sup1": "supervisor",
             "aud1": "auditor"}
    return {login: signed_in(app, make_user(app, login, (org, role)))
            for login, role in roles.items()}


@pytest.fixture
def people(app: Flask, org: str) -> dict[str, FlaskClient]:
    return office_holders(app, org)


def matter_body(**overrides: Any) -> dict[str, Any]:
    return {"date": "2026-03-01", "title": "修建东组水泥路", "category": "project",
            "description": "东组至村部道路硬化，长1.2公里", "proposed_by": "village_committee",
            "budget_total": "48000.00",
            "budget_lines": [{"account": "153", "item": "路面工程", "amount": "40000.00"},
                             {"account": "513", "item": "监理与杂项", "amount": "8000.00"}],
            **overrides}


def propose(client: FlaskClient, **overrides: Any) -> dict[str, Any]:
    response = client.post(MATTERS, json=matter_body(**overrides))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def meet(client: FlaskClient, number: str, step: str, **overrides: Any) -> Any:
    """Record the meeting of `step` as in MEETINGS, with the changes given (even to the step)."""
    return client.post(f"{MATTERS}/{number}/meetings",
                       json={"step": step, **MEETINGS[step], **overrides})


def decided_matter(client: FlaskClient, **overrides: Any) -> str:
    """A matter proposed with the given changes and passed by all three meetings."""
    number = propose(client, **overrides)["number"]
    for step in MEETINGS:
        response = meet(client, number, step)
        assert response.status_code == 201, response.get_json()
    assert response.get_json()["status"] == "decided"
    return number


def test_a_matter_is_proposed_deliberated_reviewed_and_decided(client, org, project):
    proposed = propose(client)
    assert (proposed["number"], proposed["status"]) == ("M2026-0001", "proposed")
    assert proposed["steps"] == ["deliberate", "review", "decide"]
    assert proposed["budget_lines"][0] == {"no": 1, "account": "153", "item": "路面工程",
                                           "amount": "40000.00", "spent": "0.00",
                                           "remaining": "40000.00"}
    statuses = []
    for step in MEETINGS:
        response = meet(client, "M2026-0001", step)
        assert response.status_code == 201, response.get_json()
        statuses.append(response.get_json()["status"])
    assert statuses == ["deliberated", "reviewed", "decided"]
    decided = response.get_json()
    assert decided["resolution_no"] == "2026-1"
    assert [m["passed"] for m in decided["meetings"]] == [True, True, True]
    assert decided["meetings"][2]["body"] == "representatives_meeting"
    project()
    read = client.get(f"{MATTERS}/M2026-0001")
    assert read.status_code == 200, read.get_json()
    body = read.get_json()
    assert body["status"] == "decided" and body["proposed_by_login"] == "wang"
    assert [(m["step"], m["present"], m["votes_for"]) for m in body["meetings"]] == [
        ("deliberate", 6, 5), ("review", 25, 20), ("decide", 35, 30)]
    assert (body["budget_total"], body["spent"], body["remaining"]) == (
        "48000.00", "0.00", "48000.00")
    assert body["payments"] == []
    listed = client.get(MATTERS, query_string={"status": "decided"}).get_json()
    assert [m["number"] for m in listed["items"]] == ["M2026-0001"]
    assert listed["pagination"]["total"] == 1
    assert client.get(MATTERS, query_string={"status": "stopped"}).get_json()["items"] == []


def test_reading_a_matter_names_the_meeting_due_next(client, org, project):
    # Given a matter proposed, then deliberated
    number = propose(client)["number"]
    due = []
    for step in (None, *MEETINGS):
        if step is not None:
            written = meet(client, number, step)
            assert written.status_code == 201, written.get_json()
        project()
        # When it is read, then it names the meeting due, as the write's answer did
        read = client.get(f"{MATTERS}/{number}").get_json()
        if step is not None:
            assert read["next_step"] == written.get_json()["next_step"]
        due.append(read["next_step"])
    assert due == ["deliberate", "review", "decide", None]


@pytest.mark.parametrize(("step", "counts", "reason"), [
    ("deliberate", {"present": 3, "votes_for": 3}, "quorum not met"),
    ("deliberate", {"votes_for": 3}, "not carried"),
])
def test_a_meeting_that_fails_is_recorded_and_stops_the_matter(client, org, project, step,
                                                               counts, reason):
    number = propose(client)["number"]
    failed = meet(client, number, step, **counts)
    assert failed.status_code == 201, failed.get_json()
    body = failed.get_json()
    assert body["status"] == "stopped" and reason in body["stop_reason"]
    assert body["meetings"][-1]["passed"] is False
    assert body["meetings"][-1]["reason"] == body["stop_reason"]
    later = meet(client, number, "review")
    assert (later.status_code, error_of(later)["code"]) == (409, "matter_state")
    project()
    read = client.get(f"{MATTERS}/{number}").get_json()
    assert (read["status"], read["stop_reason"]) == ("stopped", body["stop_reason"])
    assert read["meetings"][-1]["passed"] is False


def test_the_deciding_meeting_missing_two_thirds_stops_the_matter(client, org):
    number = propose(client)["number"]
    meet(client, number, "deliberate")
    meet(client, number, "review")
    failed = meet(client, number, "decide", present=26, votes_for=20, votes_against=6)
    assert failed.status_code == 201
    assert failed.get_json()["status"] == "stopped"
    assert "26 of 40 present" in failed.get_json()["stop_reason"]


def test_a_meeting_out_of_turn_is_a_conflict_and_writes_nothing(client, org, log_head):
    number = propose(client)["number"]
    before = log_head()
    response = meet(client, number, "decide")
    error = error_of(response)
    assert (response.status_code, error["code"]) == (409, "matter_state")
    assert error["errors"][0]["field"] == "step"
    assert log_head() == before


def test_a_meeting_of_a_matter_that_does_not_exist_is_404(client, org):
    response = meet(client, "M2026-0099", "deliberate")
    assert (response.status_code, error_of(response)["code"]) == (404, "matter_not_found")
    assert client.get(f"{MATTERS}/M2026-0099").status_code == 404


BAD_MATTERS = [
    (lambda m: m.update(category="road"), "category"),
    (lambda m: m.update(proposed_by="mayor"), "proposed_by"),
    (lambda m: m.update(title=""), "title"),
    (lambda m: m.update(date="2026-11-23"), "date"),
    (lambda m: m.update(budget_total=48000), "budget_total"),
    (lambda m: m.update(budget_total="-1.00"), "budget_total"),
    (lambda m: m.update(budget_total="48000.00", budget_lines=m["budget_lines"][:1]),
     "budget_lines"),
    (lambda m: m["budget_lines"][0].update(account="999"), "budget_lines[0].account"),
    (lambda m: m["budget_lines"][1].update(amount="0.00"), "budget_lines[1].amount"),
    (lambda m: m["budget_lines"][1].update(item=""), "budget_lines[1].item"),
    (lambda m: m.update(colour="red"), "colour"),
]


@pytest.mark.parametrize(("spoil", "field"), BAD_MATTERS)
def test_a_bad_proposal_is_refused_with_its_field_and_nothing_is_written(client, org, log_head,
                                                                        spoil, field):
    body = matter_body()
    spoil(body)
    before = log_head()
    response = client.post(MATTERS, json=body)
    assert response.status_code == 422, response.get_json()
    assert field in [e["field"] for e in error_of(response)["errors"]]
    assert log_head() == before


BAD_MEETINGS = [
    ({"step": "vote"}, "step"),
    ({"entitled": 0}, "entitled"),
    ({"present": 8}, "present"),
    ({"votes_for": 6, "votes_against": 1}, "votes_for"),
    ({"entitled": -1}, "entitled"),
    ({"date": "2026-02-28"}, "date"),
    ({"date": "2026-11-23"}, "date"),
    ({"body": "family_meeting"}, "body"),
    ({"minutes": "x" * 2001}, "minutes"),
]


@pytest.mark.parametrize(("change", "field"), BAD_MEETINGS)
def test_a_bad_meeting_is_refused_with_its_field_and_nothing_is_written(client, org, log_head,
                                                                       change, field):
    number = propose(client)["number"]
    before = log_head()
    response = client.post(f"{MATTERS}/{number}/meetings",
                           json={"step": "deliberate", **MEETINGS["deliberate"], **change})
    assert response.status_code == 422, response.get_json()
    assert field in [e["field"] for e in error_of(response)["errors"]]
    assert log_head() == before


def test_the_decision_names_its_meeting_and_its_resolution(client, org, log_head):
    number = propose(client)["number"]
    meet(client, number, "deliberate")
    meet(client, number, "review")
    before = log_head()
    for change, field in (({"body": ""}, "body"), ({"resolution_no": ""}, "resolution_no")):
        response = meet(client, number, "decide", **change)
        assert response.status_code == 422
        assert [e["field"] for e in error_of(response)["errors"]] == [field]
    assert log_head() == before


def disclose_resolution(app: Flask, org: str, number: str) -> None:
    """Publish the matter's resolution (决议公开) through the disclosure workflow."""
    ledger = app.extensions["sunlight"].ledger
    ref = str(ledger.disclosure.draft_disclosure(
        org, kind="resolution", period="", title="决议公开", inputs={"matter": number},
        content="{}", position=ledger.log_head(), actor="wang").value.id)
    ledger.disclosure.submit_disclosure(org, ref, panel=["sup1"], actor="wang")
    ledger.disclosure.sign_disclosure(org, ref, member="sup1")
    ledger.disclosure.publish_disclosure(org, ref, actor="wang")


def test_a_resolution_is_carried_out_once_disclosed(app, client, org, people, project):
    number = decided_matter(client)
    early = client.post(f"{MATTERS}/{number}/carried-out",
                        json={"date": "2026-06-30", "summary": "道路完工并验收"})
    assert (early.status_code, error_of(early)["code"]) == (409, "matter_state")
    disclose_resolution(app, org, number)
    missing = client.post(f"{MATTERS}/{number}/carried-out", json={"date": "2026-06-30"})
    assert missing.status_code == 422
    assert [e["field"] for e in error_of(missing)["errors"]] == ["summary"]
    done = people["com1"].post(f"{MATTERS}/{number}/carried-out",
                             json={"date": "2026-06-30", "summary": "道路完工并验收"})
    assert done.status_code == 201, done.get_json()
    assert done.get_json()["status"] == "carried_out"
    project()
    read = client.get(f"{MATTERS}/{number}").get_json()
    assert (read["status"], read["carried_out_date"], read["carried_out_summary"]) == (
        "carried_out", "2026-06-30", "道路完工并验收")
    assert read["resolution_disclosure"]


def test_who_may_propose_and_read_matters(client, org, people, project):
    assert people["aud1"].post(MATTERS, json=matter_body()).status_code == 403
    assert people["lead"].post(MATTERS, json=matter_body()).status_code == 403
    assert people["sup1"].post(MATTERS, json=matter_body()).status_code == 403
    proposed = people["com1"].post(MATTERS, json=matter_body())
    assert proposed.status_code == 201
    project()
    for reader in ("lead", "aud1", "sup1"):
        assert people[reader].get(MATTERS).get_json()["pagination"]["total"] == 1


def test_the_approval_ladder_is_among_the_settings_as_amounts(client, org):
    settings = client.get("/api/v1/orgs/v1/settings").get_json()
    assert {key: settings[key] for key in ("approval_finance_lead_max",
                                           "approval_committees_max", "cash_limit",
                                           "split_window_days", "decision_meeting_quorum")} == {
        "approval_finance_lead_max": "1000.00", "approval_committees_max": "10000.00",
        "cash_limit": "5000.00", "split_window_days": 30, "decision_meeting_quorum": ">=2/3"}
    changed = client.put("/api/v1/orgs/v1/settings", json={
        "approval_finance_lead_max": "500.00", "joint_meeting_quorum": ">=2/3",
        "reason": "村民代表会议决定"})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["approval_finance_lead_max"] == "500.00"
    assert changed.get_json()["joint_meeting_quorum"] == ">=2/3"
    for bad, field in (({"cash_limit": 5000}, "cash_limit"),
                       ({"approval_finance_lead_max": "20000.00"}, "approval_finance_lead_max"),
                       ({"joint_meeting_majority": "half"}, "joint_meeting_majority"),
                       ({"matter_steps": "decide,review"}, "matter_steps"),
                       ({"split_window_days": 0}, "split_window_days")):
        response = client.put("/api/v1/orgs/v1/settings", json={**bad, "reason": "试一试"})
        assert response.status_code == 422, (bad, response.get_json())
        assert field in [e["field"] for e in error_of(response)["errors"]]
    asked = client.post("/api/v1/orgs/v1/spending-requests", json={
        "date": "2026-03-02", "payee": "张三", "purpose": "办公用品", "amount": "600.00",
        "account": "51301"})
    assert asked.get_json()["level"] == "committees"
