"""A cooperative keeping its books here, over HTTP: a contribution and a trade answer with the
voucher they were posted as, the voucher's lines name the member, refusals name their field;
the member account page and its export, in Chinese."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.api.conftest import error_of

C = "/api/v1/orgs/coop"


@pytest.fixture
def coop(client: FlaskClient) -> str:
    """A cooperative on the 2021 chart with three members, wang its accountant."""
    response = client.post("/api/v1/orgs", json={
        "code": "coop", "name_zh": "东村水稻专业合作社", "kind": "farmers_cooperative",
        "books_start": "2026-01-01"})
    assert response.status_code == 201, response.get_json()
    assert client.post(f"{C}/roles", json={"login": "wang", "role": "accountant",
                                           "reason": "记账"}).status_code == 201
    for name, sex, born in (("周大勇", "male", "1975-04-02"), ("吴春花", "female", "1980-08-08"),
                            ("郑国华", "male", "1968-12-01")):
        response = client.post(f"{C}/members", json={
            "name": name, "sex": sex, "born": born, "confirmed_on": "2026-01-10",
            "basis": "admitted"})
        assert response.status_code == 201, response.get_json()
    return "coop"


def post(client: FlaskClient, path: str, body: dict[str, Any], status: int = 201) -> Any:
    response = client.post(path, json=body)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def lines(client: FlaskClient, number: str) -> list[tuple[str, str, str, str]]:
    found = client.get(f"{C}/vouchers/{number}").get_json()
    return [(line["account"], line.get("debit") or "0.00", line.get("credit") or "0.00",
             line.get("party") or "") for line in found["lines"]]


def test_a_contribution_answers_with_its_voucher(client, coop, project):
    made = post(client, f"{C}/member-accounts/0001/contributions", {
        "on": "2026-03-01", "form": "kind", "amount": "8000.00", "share_capital": "6000.00",
        "account": "142", "description": "耕牛一头，成员大会评估作价8000元"})
    assert (made["voucher"], made["contributed"]) == ("2026-03-0001", "6000.00")
    project()
    assert lines(client, made["voucher"]) == [
        ("142", "8000.00", "0.00", ""), ("301", "0.00", "6000.00", "member:0001"),
        ("321", "0.00", "2000.00", "member:0001")]
    typed = client.post(f"{C}/member-accounts/0001/contributions", json={
        "on": "2026-03-01", "form": "money", "amount": "1.00", "voucher": "记-1"})
    assert (typed.status_code, error_of(typed)["errors"][0]["field"]) == (422, "voucher")
    into_debt = client.post(f"{C}/member-accounts/0001/contributions", json={
        "on": "2026-03-01", "form": "money", "amount": "1.00", "account": "201"})
    assert (into_debt.status_code, error_of(into_debt)["errors"][0]["field"]) == (422, "account")
    project()
    account = client.get(f"{C}/member-accounts/0001").get_json()
    assert [(c["amount"], c["share_capital"], c["capital_reserve"], c["voucher"])
            for c in account["contributions"]] == [
        ("8000.00", "6000.00", "2000.00", "2026-03-0001")]
    assert account["contributed"] == "6000.00"


def test_a_trade_answers_with_its_voucher(client, coop, project):
    sold = post(client, f"{C}/trades", {
        "on": "2026-10-08", "member": "0003", "direction": "sold_to_cooperative",
        "product": "稻谷", "quantity": "1250.5", "unit": "公斤", "amount": "3501.40",
        "settlement": "114"})
    assert sold["voucher"] == "2026-10-0001"
    project()
    assert lines(client, sold["voucher"]) == [
        ("121", "3501.40", "0.00", ""), ("114", "0.00", "3501.40", "member:0003")]
    outside = client.post(f"{C}/trades", json={
        "on": "2026-10-08", "counterparty": "县粮食收储公司",
        "direction": "bought_from_cooperative",
        "product": "稻谷", "quantity": "1", "unit": "公斤", "amount": "1.00",
        "settlement": "114"})
    assert (outside.status_code, error_of(outside)["errors"][0]["field"]) == (422, "settlement")
    project()
    listed = client.get(f"{C}/trades?party=member").get_json()["items"]
    assert [(t["member"], t["voucher"]) for t in listed] == [("0003", "2026-10-0001")]


def test_the_member_account_shares_the_special_fund_and_counts_trade_by_year(
        client, coop, project):
    # 100.00 of 专项基金 among three members: 33.34 to the lowest number, 33.33 to the others.
    post(client, f"{C}/vouchers", {"date": "2026-04-01", "summary": "收到财政扶持资金",
                                   "lines": [{"account": "102", "debit": "100.00"},
                                             {"account": "311", "credit": "100.00"}]})
    for member, direction, amount in (("0002", "sold_to_cooperative", "300.00"),
                                      ("0002", "bought_from_cooperative", "45.50"),
                                      ("0003", "sold_to_cooperative", "9.99")):
        post(client, f"{C}/trades", {"on": "2026-10-08", "member": member,
                                     "direction": direction, "product": "稻谷",
                                     "quantity": "10", "unit": "公斤", "amount": amount,
                                     "settlement": "101"})
    project()
    first = client.get(f"{C}/member-accounts/0001?year=2026").get_json()
    second = client.get(f"{C}/member-accounts/0002?year=2026").get_json()
    assert first["special_fund_share_by_year"] == [
        {"year": 2026, "balance": "100.00", "members": 3, "amount": "33.34"}]
    assert (second["special_fund_share"], first["special_fund_share"]) == ("33.33", "33.34")
    (year,) = second["trade_by_year"]
    assert (year["year"], year["amount"], year["sold_to_cooperative"],
            year["bought_from_cooperative"]) == (2026, "345.50", "300.00", "45.50")
    assert [(t["amount"], t["voucher"]) for t in second["trade_list"]] == [
        ("300.00", "2026-10-0001"), ("45.50", "2026-10-0002")]
    assert first["trade_by_year"] == [] and second["distributions"] == []
