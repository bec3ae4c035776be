"""The disclosure API: draft from the books, review by the committee, publish, question, verify;
bad input is a 422 naming the field, a step out of turn a 409, and nothing half-written."""

from __future__ import annotations

import hashlib

import pytest

from tests.api.conftest import error_of, make_user, signed_in, voucher


@pytest.fixture
def committee(app, org):
    return {login: signed_in(app, make_user(app, login, (org, "supervisor")))
            for login in ("zhang", "liu", "chen")}


@pytest.fixture
def draft(client, org, project):
    def make(**overrides):
        body = {"kind": "income_expenditure", "period": "2025-01", "title": "2025年1月收支明细",
                **overrides}
        project()
        response = client.post(f"/api/v1/orgs/{org}/disclosures", json=body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()
    client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher("2025-01-05", "5000.00"))
    client.post(f"/api/v1/orgs/{org}/vouchers", json={
        "date": "2025-01-20", "summary": "支付12月干部报酬",
        "lines": [{"account": "51301", "debit": "1200.50"}, {"account": "102",
                                                              "credit": "1200.50"}]})
    return make


def test_a_draft_shows_every_income_and_spending_line_with_capital_numerals(draft):
    created = draft()
    content = created["content"]
    assert created["status"] == "drafted"
    assert [(line["side"], line["amount"], line["amount_capital"]) for line in content["lines"]] \
        == [("income", "5000.00", "伍仟元整"), ("spending", "1200.50", "壹仟贰佰元伍角整")]
    assert content["totals"]["net"]["amount"] == "3799.50"
    assert content["lines"][1]["fund_source"] == "银行存款"


def test_the_whole_workflow_through_the_api(client, org, committee, draft, project):
    ref = draft(annotations={"2025-01-0002/1": {"responsible": "李主任"}})["id"]
    base = f"/api/v1/orgs/{org}/disclosures/{ref}"
    submitted = client.post(f"{base}/submit", json={})
    assert submitted.status_code == 200
    assert submitted.get_json()["panel"] == ["chen", "liu", "zhang"]
    assert submitted.get_json()["quorum"] == 2
    committee["zhang"].post(f"{base}/signatures", json={"opinion": "属实",
                                                        "line_notes": {"2": "已核对发放表"}})
    early = client.post(f"{base}/publish", json={})
    assert early.status_code == 409 and error_of(early)["code"] == "disclosure_state"
    assert committee["liu"].post(f"{base}/signatures", json={}).status_code == 200
    published = client.post(f"{base}/publish", json={})
    assert published.status_code == 200, published.get_json()
    body = published.get_json()
    assert body["status"] == "published" and body["signers"] == ["liu", "zhang"]
    assert (body["posting_from"], body["posting_to"]) == ("2026-11-22", "2026-11-26")
    late = committee["chen"].post(f"{base}/refusals", json={"reason": "晚了"})
    assert late.status_code == 409
    project()
    read = client.get(base).get_json()
    assert read["digest"] == body["digest"]
    assert read["content"]["lines"][1]["responsible"] == "李主任"
    assert {r["member"]: r["line_notes"] for r in read["reviews"]} == {
        "zhang": {"2": "已核对发放表"}, "liu": {}}


def test_a_refusal_returns_the_draft_and_a_new_draft_supersedes_it(client, org, committee,
                                                                  draft, project):
    first = draft()["id"]
    client.post(f"/api/v1/orgs/{org}/disclosures/{first}/submit", json={})
    refused = committee["zhang"].post(f"/api/v1/orgs/{org}/disclosures/{first}/refusals",
                                      json={"reason": "缺少经办人"})
    assert refused.get_json()["status"] == "returned"
    second = draft(supersedes=first)
    assert second["supersedes"] == first
    project()
    listed = {d["id"]: d["status"] for d in client.get(
        f"/api/v1/orgs/{org}/disclosures").get_json()["items"]}
    assert listed == {first: "superseded", second["id"]: "drafted"}


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "gossip", "period": "2025-01", "title": "x"}, "kind"),
    ({"kind": "income_expenditure", "period": "2025-13", "title": "x"}, "period"),
    ({"kind": "income_expenditure", "period": "2030-01", "title": "x"}, "period"),
    ({"kind": "income_expenditure", "period": "2025-01"}, "title"),
    ({"kind": "special", "title": "x", "items": [{"item": "修路", "amount": "1.234"}]},
     "items"),
    ({"kind": "income_expenditure", "period": "2025-01", "title": "x",
      "annotations": {"2025-01-0009/1": {"unit": "x"}}}, "annotations"),
])
def test_bad_drafts_are_refused_with_the_field_and_nothing_is_written(client, org, body, field,
                                                                     log_head, project):
    project()
    before = log_head()
    response = client.post(f"/api/v1/orgs/{org}/disclosures", json=body)
    assert response.status_code == 422, response.get_json()
    error = error_of(response)
    assert field in {e["field"] for e in error["errors"]} or field in str(error)
    assert log_head() == before


def test_a_bad_period_is_named_once_not_once_per_rule(client, org):
    response = client.post(f"/api/v1/orgs/{org}/disclosures", json={
        "kind": "income_expenditure", "period": "2026-13", "title": "x"})
    errors = error_of(response)["errors"]
    assert [e["field"] for e in errors] == ["period"], errors


def test_questions_are_screened_then_answered_and_verification_passes(
        app, client, org, committee, draft, project):
    ref = draft()["id"]
    base = f"/api/v1/orgs/{org}/disclosures/{ref}"
    client.post(f"{base}/submit", json={})
    for login in ("zhang", "liu"):
        committee[login].post(f"{base}/signatures", json={})
    client.post(f"{base}/publish", json={})
    ledger = app.extensions["sunlight"].ledger
    question = ledger.disclosure.ask_question(org, ref, line=2, text="干部报酬标准是多少？",
                                              name="赵四", phone="13900001111").value
    project()
    listed = client.get(f"/api/v1/orgs/{org}/questions").get_json()["items"]
    assert [(q["status"], q["asker"], q["has_phone"]) for q in listed] == [
        ("pending", "赵*", True)]
    assert "13900001111" not in str(listed)
    qid = str(question.id)
    early = client.post(f"/api/v1/orgs/{org}/questions/{qid}/answer", json={"text": "按标准"})
    assert early.status_code == 409
    shown = committee["chen"].post(f"/api/v1/orgs/{org}/questions/{qid}/screening",
                                   json={"visible": True})
    assert shown.get_json()["status"] == "visible"
    answered = client.post(f"/api/v1/orgs/{org}/questions/{qid}/answer",
                           json={"text": "每月600元，经村民代表会议通过。"})
    assert answered.get_json()["answer"] == "每月600元，经村民代表会议通过。"
    verified = committee["zhang"].get(f"{base}/verification").get_json()
    assert verified["ok"] and verified["checked"] == 1
    content = ledger.disclosure.disclosure(org, ref).content.encode()
    assert verified["findings"][0]["digest"] == hashlib.sha256(content).hexdigest()


def test_settings_are_the_defaults_until_the_admin_changes_them_with_a_reason(client, org):
    assert client.get(f"/api/v1/orgs/{org}/settings").get_json() == {
        "org": org, "disclosure_cadence": "month", "disclosure_deadline_day": 15,
        "disclosure_owed_from": "", "review_quorum": 0, "posting_days": 5,
        "objection_days": 5, "answer_days": 5, "approval_finance_lead_max": "1000.00",
        "approval_committees_max": "10000.00", "cash_limit": "5000.00",
        "voucher_confirm_from": "100000000.00", "split_window_days": 30,
        "matter_steps": "deliberate,review,decide",
        "joint_meeting_quorum": ">1/2", "joint_meeting_majority": ">1/2",
        "party_meeting_quorum": ">=2/3", "party_meeting_majority": ">1/2",
        "decision_meeting_quorum": ">=2/3", "decision_meeting_majority": ">1/2",
        "reserved_majority": ">=2/3",
        "reserved_matters": "articles,membership,land_contracting,distribution,merger,dissolution",
        "share_holding": "household", "share_transfer": "inside",
        "share_outside_heirs": "income_only", "share_holder_cap_percent": 0,
        "exit_notice_months": 3, "reserve_minimum": "", "collective_share": "keep",
        "distribution_payable": "21102", "reserve_accumulation_account": "31101",
        "reserve_welfare_account": "31102", "surplus_reserve_rate": "0.10",
        "trade_return_rate": "0.60", "additional_votes": 0}
    missing_reason = client.put(f"/api/v1/orgs/{org}/settings", json={"posting_days": 7})
    assert missing_reason.status_code == 422
    too_short = client.put(f"/api/v1/orgs/{org}/settings",
                           json={"posting_days": 3, "reason": "x"})
    assert too_short.status_code == 422
    changed = client.put(f"/api/v1/orgs/{org}/settings",
                         json={"posting_days": 7, "disclosure_cadence": "quarter",
                               "reason": "乡镇统一规定"})
    assert changed.status_code == 200
    assert changed.get_json()["posting_days"] == 7
    shares = client.put(f"/api/v1/orgs/{org}/settings", json={
        "share_holding": "person", "share_holder_cap_percent": 3, "reason": "村章程第十条"})
    assert shares.status_code == 200, shares.get_json()
    assert (shares.get_json()["share_holding"],
            shares.get_json()["share_holder_cap_percent"]) == ("person", 3)
    refused = client.put(f"/api/v1/orgs/{org}/settings",
                         json={"share_transfer": "anyone", "reason": "x"})
    assert error_of(refused)["errors"][0]["field"] == "share_transfer"


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "distribution", "period": "2025", "title": "x", "distribution": "2025-9",
      "stage": "plan"}, "distribution"),
    ({"kind": "resolution", "title": "x", "matter": "M2025-0099"}, "matter"),
])
def test_a_refused_draft_names_the_field_of_the_body_it_was_sent_in(client, org, body, field,
                                                                   project):
    # Given a draft naming a plan or a matter the organization does not have
    project()
    response = client.post(f"/api/v1/orgs/{org}/disclosures", json=body)
    # Then the refusal names the body's own field, not the content builder's inputs.<field>
    assert response.status_code in (404, 409, 422), response.get_json()
    assert [e["field"] for e in error_of(response)["errors"]] == [field]
