"""API tests run the Flask app in-process on real SQLite and PostgreSQL; `project()` brings the
read models up to date, as the projection process would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

from api import create_app
from infra.storage import Storage
from projections.runner import catch_up_all

# Cheap to compute, so that tests creating users stay fast; production uses argon2's defaults.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture
def app(storage: Storage, clock: Any) -> Iterator[Flask]:
    flask_app = create_app(storage, clock=clock, passwords=FAST_HASHER)
    yield flask_app
    flask_app.extensions["sunlight"].close()


def make_user(app: Flask, login: str, *grants: tuple[str, str]) -> str:
    """A user holding the given (org, role) grants, and an API token of theirs."""
    ledger = app.extensions["sunlight"].ledger
    ledger.identity.create_user(login=login, display_name=login, password="a long password",
                                actor="test")
    for org, role in grants:
        ledger.identity.grant_role(login, org=org, role=role, reason="test", actor="test")
    _, token = ledger.identity.issue_token(login, label="tests", expires_at=None, actor=login)
    return token


def signed_in(app: Flask, token: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Signed in as wang, the centre's admin; the org fixture makes wang its accountant too."""
    return signed_in(app, make_user(app, "wang", ("*", "admin")))


@pytest.fixture
def project(app: Flask) -> Callable[[], int]:
    services = app.extensions["sunlight"]
    return lambda: catch_up_all(services.ledger, services.views)


@pytest.fixture
def log_head(app: Flask) -> Callable[[], int]:
    return app.extensions["sunlight"].ledger.log_head


ORG = {"code": "v1", "name_zh": "一村股份经济合作社", "kind": "village_collective",
       "books_start": "2025-01-01"}


@pytest.fixture
def org(client: FlaskClient) -> str:
    assert client.post("/api/v1/orgs", json=ORG).status_code == 201
    assert client.post("/api/v1/orgs/v1/roles", json={
        "login": "wang", "role": "accountant", "reason": "keeps the books"}).status_code == 201
    for parent, code, name in (("501", "50101", "发包收入"), ("513", "51301", "干部报酬")):
        response = client.post("/api/v1/orgs/v1/accounts", json={
            "parent": parent, "code": code, "name_zh": name})
        assert response.status_code == 201, response.get_json()
    return "v1"


def voucher(day: str = "2025-01-05", amount: str = "5000.00", **extra: Any) -> dict[str, Any]:
    return {"date": day, "summary": "收取一组发包款",
            "lines": [{"account": "102", "debit": amount},
                      {"account": "50101", "credit": amount}], **extra}


def error_of(response: Any) -> dict[str, Any]:
    body = response.get_json()
    assert set(body) == {"error"}, body
    assert body["error"]["status"] == response.status_code
    return body["error"]
