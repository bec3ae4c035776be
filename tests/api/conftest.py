"""API tests run the Flask app in-process on real SQLite and PostgreSQL; `project()` brings the
read models up to date, as the projection process would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api import create_app
from ledger.storage import Storage
from projections.runner import catch_up_all


@pytest.fixture
def app(storage: Storage, clock: Any) -> Iterator[Flask]:
    flask_app = create_app(storage, clock=clock)
    yield flask_app
    flask_app.extensions["sunlight"].close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def project(app: Flask) -> Callable[[], int]:
    services = app.extensions["sunlight"]
    return lambda: catch_up_all(services.ledger, services.views)


@pytest.fixture
def log_head(app: Flask) -> Callable[[], int]:
    return app.extensions["sunlight"].ledger.log_head


ORG = {"code": "v1", "name_zh": "一村股份经济合作社", "kind": "village_collective",
       "books_start": "2025-01-01", "actor": "王会计"}


@pytest.fixture
def org(client: FlaskClient) -> str:
    assert client.post("/api/v1/orgs", json=ORG).status_code == 201
    for parent, code, name in (("501", "50101", "发包收入"), ("513", "51301", "干部报酬")):
        response = client.post("/api/v1/orgs/v1/accounts", json={
            "parent": parent, "code": code, "name_zh": name, "actor": "王会计"})
        assert response.status_code == 201, response.get_json()
    return "v1"


def voucher(day: str = "2025-01-05", amount: str = "5000.00", **extra: Any) -> dict[str, Any]:
    return {"date": day, "summary": "收取一组发包款", "actor": "王会计",
            "lines": [{"account": "102", "debit": amount},
                      {"account": "50101", "credit": amount}], **extra}


def error_of(response: Any) -> dict[str, Any]:
    body = response.get_json()
    assert set(body) == {"error"}, body
    assert body["error"]["status"] == response.status_code
    return body["error"]
