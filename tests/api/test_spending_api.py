"""Spending under democratic decision over HTTP: the approval ladder, a resolution's budget, a
grant's purpose, payment once and no more than approved; receipts numbered without gaps; and the
warnings (split payments, payments with no receipt) an auditor looks for, acknowledged with a
reason. A refusal names its field or rule, and leaves the event log as it was."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.api.conftest import error_of
from tests.api.test_matters_api import decided_matter, office_holders, propose

V = "/api/v1/orgs/v1"
REQUESTS = f"{V}/spending-requests"
COMMITTEES = ("com1", "com2", "sup1")


@pytest.fixture
def people(app: Flask, org: str) -> dict[str, FlaskClient]:
    return office_holders(app, org)


@pytest.fixture
def funded(client: FlaskClient, org: str) -> str:
    """Money in the bank: a year's contracting fee received."""
    response = client.post(f"{V}/receipts", json=receipt_body(amount="200000.00"))
    assert response.status_code == 201, response.get_json()
    return org


def receipt_body(**overrides: Any) -> dict[str, Any]:
    return {"date": "2026-01-05", "category": "contracting_leasing", "payer": "张三",
            "amount": "12000.00", "paid_into": "102", "relates_to": "2026",
            "account": "50101", **overrides}


def ask(client: FlaskClient, **overrides: Any) -> dict[str, Any]:
    response = client.post(REQUESTS, json=request_body(**overrides))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def request_body(**overrides: Any) -> dict[str, Any]:
    return {"date": "2026-03-05", "payee": "东组路桥工程队", "purpose": "办公用品",
            "amount": "400.00", "account": "51301", "receipt_count": 1, **overrides}


def approve(people: dict[str, FlaskClient], number: str, *who: str) -> dict[str, Any]:
    for login in who or ("lead",):
        response = people[login].post(f"{REQUESTS}/{number}/approvals", json={"note": "同意"})
        assert response.status_code == 201, response.get_json()
    return response.get_json()


def pay(client: FlaskClient, number: str, amount: str = "400.00", day: str = "2026-03-06",
        paid_from: str = "102") -> Any:
    return client.post(f"{REQUESTS}/{number}/payment",
                       json={"date": day, "amount": amount, "paid_from": paid_from})


def paid(client: FlaskClient, people: dict[str, FlaskClient], day: str = "2026-03-06",
         **overrides: Any) -> dict[str, Any]:
    """A finance-lead-sized request asked for, approved and paid on `day`."""
    number = ask(client, date=day, **overrides)["number"]
    approve(people, number)
    response = pay(client, number, overrides.get("amount", "400.00"), day)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


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


# -- (3) warnings ------------------------------------------------------------------------------

def warnings(client: FlaskClient, **query: Any) -> list[dict[str, Any]]:
    response = client.get(f"{V}/warnings", query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def test_payments_split_to_stay_under_the_finance_leads_limit_are_flagged(
        client, funded, people, project):
    numbers = [paid(client, people, day, payee="李四建材店", purpose=purpose)["number"]
               for day, purpose in (("2026-03-02", "买水泥"), ("2026-03-04", "买沙子"),
                                    ("2026-03-07", "买砖"))]
    project()
    split = warnings(client, kind="split_payment")
    assert len(split) == 1
    flag = split[0]
    assert flag["key"] == numbers[2]
    assert (flag["trigger"]["threshold"], flag["trigger"]["total"]) == ("1000.00", "1200.00")
    assert [p["request"] for p in flag["trigger"]["payments"]] == numbers
    assert warnings(client, kind="no_receipt") == []


@pytest.mark.parametrize("payments", [
    # Different payees, different purposes, the same week.
    [("2026-03-02", "李四建材店", "买水泥"), ("2026-03-04", "王五五金店", "买灯泡")],
    # The same payee and purpose, two months apart.
    [("2026-03-02", "李四建材店", "买水泥"), ("2026-05-01", "李四建材店", "买水泥")],
])
def test_legitimate_payments_raise_no_split_warning(client, funded, people, project, payments):
    for day, payee, purpose in payments:
        paid(client, people, day, payee=payee, purpose=purpose, amount="600.00")
    project()
    assert warnings(client) == []


def test_a_payment_with_no_receipt_is_flagged_and_acknowledged_with_a_reason(
        client, funded, people, project, log_head):
    number = paid(client, people, receipt_count=0)["number"]
    project()
    [flag] = warnings(client, kind="no_receipt")
    assert (flag["key"], flag["acknowledged"], flag["raised_by"]) == (number, False, "wang")
    url = f"{V}/warnings/{flag['id']}"
    assert people["aud1"].post(f"{url}/acknowledgements", json={"reason": "看过"}).status_code \
        == 403
    before = log_head()
    no_reason = people["sup1"].post(f"{url}/acknowledgements", json={"reason": ""})
    assert no_reason.status_code == 422
    assert [e["field"] for e in error_of(no_reason)["errors"]] == ["reason"]
    assert log_head() == before
    acked = people["sup1"].post(f"{url}/acknowledgements",
                              json={"reason": "收据已补，见凭证附件"})
    assert acked.status_code == 201, acked.get_json()
    assert acked.get_json()["acknowledged"] is True
    twice = people["sup1"].post(f"{url}/acknowledgements", json={"reason": "再次确认"})
    assert (twice.status_code, error_of(twice)["code"]) == (409, "warning_state")
    project()
    read = client.get(url).get_json()
    assert [(a["by"], a["reason"]) for a in read["acknowledgements"]] == [
        ("sup1", "收据已补，见凭证附件")]
    assert [w["id"] for w in warnings(client)] == [flag["id"]]
    assert warnings(client, open="true") == []
    assert client.get(f"{V}/warnings/{'0' * 8}-0000-0000-0000-{'0' * 12}").status_code == 404


def test_receipts_attached_later_are_counted(client, funded, people):
    number = ask(client, receipt_count=0)["number"]
    attached = people["lead"].post(f"{REQUESTS}/{number}/receipts",
                                 json={"count": 1, "digests": ["ab" * 32]})
    assert attached.status_code == 201, attached.get_json()
    assert attached.get_json()["receipt_count"] == 1
    assert attached.get_json()["receipt_digests"] == ["ab" * 32]
    empty = client.post(f"{REQUESTS}/{number}/receipts", json={})
    assert empty.status_code == 422


# -- receipts and grants -----------------------------------------------------------------------

def test_receipts_are_numbered_per_year_without_gaps(client, org, project, log_head):
    first = client.post(f"{V}/receipts", json=receipt_body())
    assert first.status_code == 201, first.get_json()
    assert (first.get_json()["number"], first.get_json()["voucher"]) == ("R2026-0001",
                                                                         "2026-01-0001")
    before = log_head()
    bad = client.post(f"{V}/receipts", json=receipt_body(paid_into="51301"))
    assert bad.status_code == 422
    assert log_head() == before
    second = client.post(f"{V}/receipts", json=receipt_body(
        date="2026-03-01", category="subsidy", account="", payer="镇财政所", summary=""))
    assert second.status_code == 201, second.get_json()
    assert (second.get_json()["number"], second.get_json()["voucher"],
            second.get_json()["account"]) == ("R2026-0002", "2026-03-0001", "503")
    project()
    read = client.get(f"{V}/receipts/R2026-0001").get_json()
    assert (read["payer"], read["amount"], read["issued_by"]) == ("张三", "12000.00", "wang")
    listed = client.get(f"{V}/receipts", query_string={"year": 2026}).get_json()
    assert [r["number"] for r in listed["items"]] == ["R2026-0002", "R2026-0001"]
    assert client.get(f"{V}/receipts", query_string={"year": 2025}).get_json()["items"] == []
    assert client.get(f"{V}/receipts/R2026-0003").status_code == 404


BAD_RECEIPTS = [
    ({"category": "rent"}, "category"),
    ({"payer": ""}, "payer"),
    ({"amount": "-5.00"}, "amount"),
    ({"amount": "5.001"}, "amount"),
    ({"paid_into": "51301"}, "paid_into"),
    ({"account": "102"}, "account"),
    ({"date": "2026-11-23"}, "date"),
]


@pytest.mark.parametrize(("change", "field"), BAD_RECEIPTS)
def test_a_bad_receipt_is_refused_and_takes_no_number(client, org, log_head, change, field):
    before = log_head()
    response = client.post(f"{V}/receipts", json=receipt_body(**change))
    assert response.status_code == 422, response.get_json()
    assert field in [e["field"] for e in error_of(response)["errors"]]
    assert log_head() == before


def grant_body(**overrides: Any) -> dict[str, Any]:
    return {"date": "2026-02-01", "kind": "earmarked", "name": "农村道路专项补助",
            "grantor": "县交通运输局", "amount": "50000.00", "account": "241",
            "paid_into": "102", "purpose_accounts": ["153"], **overrides}


def test_a_grant_is_spent_on_its_purpose_only(client, org, people, project, log_head):
    received = client.post(f"{V}/grants", json=grant_body())
    assert received.status_code == 201, received.get_json()
    grant = received.get_json()
    assert (grant["number"], grant["unspent"]) == ("G2026-0001", "50000.00")
    before = log_head()
    misuse = client.post(REQUESTS, json=request_body(
        fund_source="grant", grant="G2026-0001", amount="5000.00"))
    assert (misuse.status_code, error_of(misuse)["code"]) == (409, "grant_misuse")
    assert log_head() == before
    number = ask(client, fund_source="grant", grant="G2026-0001", amount="5000.00",
                 account="153")["number"]
    approve(people, number, *COMMITTEES)
    assert pay(client, number, "5000.00").status_code == 201
    project()
    read = client.get(f"{V}/grants/G2026-0001").get_json()
    assert (read["spent"], read["unspent"]) == ("5000.00", "45000.00")
    assert [s["request"] for s in read["spending"]] == [number]
    assert client.get(f"{V}/grants").get_json()["pagination"]["total"] == 1
    before = log_head()
    for change, field in (({"account": "102"}, "account"), ({"kind": "loan"}, "kind"),
                          ({"purpose_accounts": ["999"]}, "purpose_accounts[0]"),
                          ({"matter": "M2026-0009"}, None)):
        bad = client.post(f"{V}/grants", json=grant_body(**change))
        assert bad.status_code in (404, 422), bad.get_json()
        if field:
            assert field in [e["field"] for e in error_of(bad)["errors"]], bad.get_json()
    assert log_head() == before
