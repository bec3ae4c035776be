"""An Idempotency-Key belongs to whoever sent it, in the organization and for the operation it was
sent for: another village's accountant using the same key is not refused (and so learns nothing
of the first), while the same user sending a different request under their own key still is."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.api.conftest import ORG, error_of, make_user, signed_in, voucher


def village(client: FlaskClient, code: str, accountant: str, app: Flask) -> FlaskClient:
    assert client.post("/api/v1/orgs", json=ORG | {"code": code}).status_code == 201
    keeper = signed_in(app, make_user(app, accountant, (code, "accountant")))
    assert keeper.post(f"/api/v1/orgs/{code}/accounts", json={
        "parent": "501", "code": "50101", "name_zh": "发包收入"}).status_code == 201
    return keeper


def post(client: FlaskClient, org: str, key: str, **changes: Any) -> Any:
    return client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher(**changes),
                       headers={"Idempotency-Key": key})


def test_two_villages_accountants_may_use_the_same_key(app, client, log_head):
    a = village(client, "va", "kuaiji_a", app)
    b = village(client, "vb", "kuaiji_b", app)
    first = post(a, "va", "order-1")
    assert first.status_code == 201
    head = log_head()

    other = post(b, "vb", "order-1", amount="800.00")
    assert other.status_code == 201, other.get_json()
    assert "Idempotent-Replayed" not in other.headers
    assert other.get_json()["id"] != first.get_json()["id"]
    assert log_head() > head

    # Each still has their own key: a retry replays, a different request is refused.
    again = post(b, "vb", "order-1", amount="800.00")
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.get_json()["id"] == other.get_json()["id"]
    refused = post(a, "va", "order-1", amount="900.00")
    assert refused.status_code == 422
    assert error_of(refused)["errors"][0]["field"] == "Idempotency-Key"


def test_one_user_may_use_a_key_in_two_villages_and_for_two_operations(app, client):
    for code in ("va", "vb"):
        assert client.post("/api/v1/orgs", json=ORG | {"code": code}).status_code == 201
        assert client.post(f"/api/v1/orgs/{code}/roles", json={
            "login": "wang", "role": "accountant", "reason": "记账"}).status_code == 201
    opened = [client.post(f"/api/v1/orgs/{code}/accounts", headers={"Idempotency-Key": "k-7"},
                          json={"parent": "501", "code": "50101", "name_zh": "发包收入"})
              for code in ("va", "vb")]
    assert [r.status_code for r in opened] == [201, 201]
    assert "Idempotent-Replayed" not in opened[1].headers
    posted = post(client, "va", "k-7")
    assert posted.status_code == 201, posted.get_json()
    assert "Idempotent-Replayed" not in posted.headers
