"""Spending over HTTP, what an auditor looks for: payments split to stay under the finance
lead's limit and payments with no receipt, flagged and acknowledged with a reason; receipts
numbered per year without gaps; a grant spent on its purpose only. A refusal names its field."""

from __future__ import annotations

from typing import Any

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
    paid,
    pay,
    receipt_body,
    request_body,
)
from tests.api.test_matters_api import office_holders


@pytest.fixture
def people(app: Flask, org: str) -> dict[str, FlaskClient]:
    return office_holders(app, org)


@pytest.fixture
def funded(client: FlaskClient, org: str) -> str:
    return fund(client, org)


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
