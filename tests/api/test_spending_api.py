"""Spending under democratic decision over HTTP: the approval ladder, a resolution's budget, a
grant's purpose, payment once and no more than approved; receipts numbered without gaps; and the
warnings (split payments, payments with no receipt) an auditor looks for, acknowledged with a
reason. A refusal names its field or rule, and leaves the event log as it was."""
from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.api.conftest import error_of
from tests.api.spending_kit import (
    COMMITTEES,
    REQUESTS,
    V,
    approve,
    ask,
    fund,
    pay,
    request_body,
)
from tests.api.test_matters_api import decided_matter, office_holders, propose


@pytest.fixture
def people(app: Flask, org: str) -> dict[str, FlaskClient]:
    return office_holders(app, org)


@pytest.fixture
def funded(client: FlaskClient, org: str) -> str:
    return fund(client, org)


# -- (1) above the ladder's top: a decided resolution, and within its budget -------------------

def test_spending_above_the_committees_limit_needs_a_decided_resolution(
        client, funded, people, project, log_head):
    before = log_head()
    no_matter = client.post(REQUESTS, json=request_body(amount="15000.00", account="153"))
    assert no_matter.status_code == 422
    assert [e["field"] for e in error_of(no_matter)["errors"]] == ["matter"]
    assert log_head() == before

    undecided = propose(client)["number"]
    before = log_head()
    too_early = client.post(REQUESTS, json=request_body(amount="15000.00", account="153",
                                                        matter=undecided))
    assert too_early.status_code == 422
    assert [e["field"] for e in error_of(too_early)["errors"]] == ["matter"]
    assert log_head() == before

    number = decided_matter(client)
    asked = ask(client, amount="15000.00", account="153", matter=number, purpose="东组路面")
    assert (asked["level"], asked["needs"]) == ("resolution", {"committee": 2, "supervisor": 1})
    approved = approve(people, asked["number"], *COMMITTEES)
    assert approved["status"] == "approved"
    assert [(a["by"], a["role"]) for a in approved["approvals"]] == [
        ("com1", "committee"), ("com2", "committee"), ("sup1", "supervisor")]
    payment = pay(client, asked["number"], "15000.00")
    assert payment.status_code == 201, payment.get_json()
    body = payment.get_json()
    assert (body["status"], body["paid_amount"], body["paid_from"]) == ("paid", "15000.00",
                                                                        "102")
    assert body["paid_voucher"].startswith("2026-03-")
    project()
    voucher = client.get(f"{V}/vouchers/{body['paid_voucher']}").get_json()
    assert [(line["account"], line["debit"], line["credit"]) for line in voucher["lines"]] == [
        ("153", "15000.00", None), ("102", None, "15000.00")]
    matter = client.get(f"{V}/matters/{number}").get_json()
    assert (matter["spent"], matter["remaining"]) == ("15000.00", "33000.00")
    assert matter["budget_lines"][0]["spent"] == "15000.00"
    assert [p["voucher"] for p in matter["payments"]] == [body["paid_voucher"]]
    read = client.get(f"{REQUESTS}/{asked['number']}").get_json()
    assert (read["matter_title"], read["resolution_no"]) == ("修建东组水泥路", "2026-1")
    assert read["paid_voucher"] == body["paid_voucher"]
    listed = client.get(REQUESTS, query_string={"matter": number}).get_json()
    assert [r["number"] for r in listed["items"]] == [asked["number"]]


def test_spending_beyond_the_resolutions_budget_is_refused_and_writes_nothing(
        client, funded, people, project, log_head):
    number = decided_matter(client)
    before = log_head()
    too_much = client.post(REQUESTS, json=request_body(amount="40000.01", account="153",
                                                       matter=number))
    assert (too_much.status_code, error_of(too_much)["code"]) == (409, "over_budget")
    assert log_head() == before
    first, second = (ask(client, amount="30000.00", account="153", matter=number,
                         payee=payee)["number"] for payee in ("甲公司", "乙公司"))
    approve(people, first, *COMMITTEES)
    approve(people, second, *COMMITTEES)
    assert pay(client, first, "30000.00").status_code == 201
    before = log_head()
    over = pay(client, second, "30000.00")
    error = error_of(over)
    assert (over.status_code, error["code"]) == (409, "over_budget")
    assert error["context"]["remaining"] == "18000.00"
    assert log_head() == before
    project()
    budget = client.get(f"{V}/budget").get_json()["items"]
    assert [(m["number"], m["spent"], m["remaining"]) for m in budget] == [
        (number, "30000.00", "18000.00")]
    assert [(line["account"], line["spent"], line["remaining"])
            for line in budget[0]["budget_lines"]] == [("153", "30000.00", "10000.00"),
                                                       ("513", "0.00", "8000.00")]
    assert client.get(f"{REQUESTS}/{second}").get_json()["status"] == "approved"


# -- (2) approvals and payment ----------------------------------------------------------------

def test_the_person_who_asked_cannot_approve_their_own_request(client, funded, people,
                                                               log_head):
    number = ask(people["com1"], amount="5000.00")["number"]
    before = log_head()
    own = people["com1"].post(f"{REQUESTS}/{number}/approvals", json={})
    assert (own.status_code, error_of(own)["code"]) == (409, "not_an_approver")
    assert log_head() == before
    asked_by_lead = ask(people["lead"])["number"]
    own = people["lead"].post(f"{REQUESTS}/{asked_by_lead}/approvals", json={})
    assert (own.status_code, error_of(own)["code"]) == (409, "not_an_approver")


def test_an_approval_counts_only_under_a_role_still_needed(client, funded, people):
    number = ask(client)["number"]
    wrong_role = people["sup1"].post(f"{REQUESTS}/{number}/approvals", json={})
    assert (wrong_role.status_code, error_of(wrong_role)["code"]) == (409, "not_an_approver")
    bigger = ask(client, amount="5000.00")["number"]
    approve(people, bigger, "com1")
    twice = people["com1"].post(f"{REQUESTS}/{bigger}/approvals", json={})
    assert (twice.status_code, error_of(twice)["code"]) == (409, "not_an_approver")
    assert people["aud1"].post(f"{REQUESTS}/{bigger}/approvals", json={}).status_code == 403
    assert client.post(f"{REQUESTS}/{bigger}/approvals", json={}).status_code == 403


def test_a_request_is_paid_once_and_never_more_than_approved(client, funded, people,
                                                             log_head):
    number = ask(client)["number"]
    unapproved = pay(client, number)
    assert (unapproved.status_code, error_of(unapproved)["code"]) == (409, "spending_state")
    approve(people, number)
    before = log_head()
    over = pay(client, number, "400.01")
    error = error_of(over)
    assert (over.status_code, error["code"]) == (409, "spending_state")
    assert error["errors"][0]["field"] == "amount"
    assert log_head() == before
    assert pay(client, number, "380.00").status_code == 201
    before = log_head()
    again = pay(client, number, "20.00")
    assert (again.status_code, error_of(again)["code"]) == (409, "spending_state")
    assert "already paid" in error_of(again)["message"]
    assert log_head() == before


def test_a_payment_retried_with_its_idempotency_key_pays_once(client, funded, people, log_head):
    number = ask(client)["number"]
    approve(people, number)
    body = {"date": "2026-03-06", "amount": "400.00", "paid_from": "102"}
    headers = {"Idempotency-Key": "pay-S2026-0001-once"}
    first = client.post(f"{REQUESTS}/{number}/payment", json=body, headers=headers)
    assert first.status_code == 201, first.get_json()
    before = log_head()
    retried = client.post(f"{REQUESTS}/{number}/payment", json=body, headers=headers)
    assert retried.status_code == 201
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert retried.get_json()["paid_voucher"] == first.get_json()["paid_voucher"]
    assert log_head() == before


def test_a_withdrawn_or_rejected_request_cannot_be_paid(client, funded, people, project):
    withdrawn = ask(client)["number"]
    approve(people, withdrawn)
    pulled = client.post(f"{REQUESTS}/{withdrawn}/withdrawal", json={"reason": "重复申请"})
    assert pulled.status_code == 201
    assert (pulled.get_json()["status"], pulled.get_json()["closing_reason"]) == (
        "withdrawn", "重复申请")
    refused = pay(client, withdrawn)
    assert (refused.status_code, error_of(refused)["code"]) == (409, "spending_state")

    rejected = ask(client)["number"]
    no_reason = people["lead"].post(f"{REQUESTS}/{rejected}/rejection", json={})
    assert no_reason.status_code == 422
    turned_down = people["lead"].post(f"{REQUESTS}/{rejected}/rejection",
                                    json={"reason": "价格过高"})
    assert turned_down.status_code == 201
    assert turned_down.get_json()["rejected_by"] == "lead"
    refused = pay(client, rejected)
    assert (refused.status_code, error_of(refused)["code"]) == (409, "spending_state")
    late = people["lead"].post(f"{REQUESTS}/{rejected}/approvals", json={})
    assert (late.status_code, error_of(late)["code"]) == (409, "spending_state")
    project()
    read = client.get(f"{REQUESTS}/{rejected}").get_json()
    assert (read["status"], read["rejected_by"], read["closing_reason"]) == (
        "rejected", "lead", "价格过高")
    statuses = {r["number"]: r["status"] for r in client.get(REQUESTS).get_json()["items"]}
    assert statuses == {withdrawn: "withdrawn", rejected: "rejected"}
    only = client.get(REQUESTS, query_string={"status": "withdrawn"}).get_json()["items"]
    assert [r["number"] for r in only] == [withdrawn]


BAD_REQUESTS = [
    (lambda r: r.update(amount="abc"), "amount", 422),
    (lambda r: r.update(amount=400), "amount", 422),
    (lambda r: r.update(amount="0.00"), "amount", 422),
    (lambda r: r.update(date="2026-11-23"), "date", 422),
    (lambda r: r.update(payee=""), "payee", 422),
    (lambda r: r.update(account="999"), "account", 422),
    (lambda r: r.update(account="102"), "account", 422),
    (lambda r: r.update(account="50101"), "account", 422),
    (lambda r: r.update(fund_source="loan"), "fund_source", 422),
    (lambda r: r.update(grant="G2026-0001"), "grant", 422),
    (lambda r: r.update(fund_source="grant", grant="G2026-0009"), "grant", 422),
    (lambda r: r.update(receipt_digests=["abc"]), "receipt_digests[0]", 422),
    (lambda r: r.update(receipt_count=-1), "receipt_count", 422),
    (lambda r: r.update(matter="M2026-0009"), "matter", 422),
    (lambda r: r.update(approver="lead"), "approver", 422),
]


@pytest.mark.parametrize(("spoil", "field", "status"), BAD_REQUESTS)
def test_a_bad_request_is_refused_with_its_field_and_nothing_is_written(
        client, funded, log_head, spoil, field, status):
    body = request_body()
    spoil(body)
    before = log_head()
    response = client.post(REQUESTS, json=body)
    assert response.status_code == status, response.get_json()
    assert field in [e["field"] for e in error_of(response)["errors"]], response.get_json()
    assert log_head() == before


def test_a_payment_names_cash_or_a_bank_account(client, funded, people, log_head):
    number = ask(client)["number"]
    approve(people, number)
    before = log_head()
    for paid_from, field in (("51301", "paid_from"), ("1x", "paid_from")):
        response = pay(client, number, paid_from=paid_from)
        assert response.status_code == 422
        assert field in [e["field"] for e in error_of(response)["errors"]]
    missing = client.post(f"{REQUESTS}/{number}/payment", json={"date": "2026-03-06"})
    assert {e["field"] for e in error_of(missing)["errors"]} == {"amount", "paid_from"}
    assert log_head() == before
