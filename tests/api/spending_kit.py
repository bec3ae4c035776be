"""What the spending API's tests share (test_spending_api.py, test_spending_warnings_api.py): the
organization's addresses, money in the bank, and a request asked for, approved and paid."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

V = "/api/v1/orgs/v1"
REQUESTS = f"{V}/spending-requests"
COMMITTEES = ("com1", "com2", "sup1")


def fund(client: FlaskClient, org: str) -> str:
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
