"""What a request no longer costs: its arguments are read by the one instance of their schema
the process keeps, and a bearer token is checked on the cached token and user without copying
them; each keeps every answer it gave (422 naming the field, 401 once revoked)."""

from __future__ import annotations

from typing import Any

import pytest
from flask_smorest import Blueprint

from api.books.schemas import VoucherIn
from tests.api.conftest import error_of, signed_in, voucher


def test_a_voucher_is_read_by_the_one_schema_instance_of_the_process(client, org):
    parser = Blueprint.ARGUMENTS_PARSER
    assert client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher()).status_code == 201
    made = parser._get_schema(VoucherIn, None)
    bad = voucher()
    bad["lines"][0]["debit"] = "5000.001"
    refused = client.post(f"/api/v1/orgs/{org}/vouchers", json=bad)
    assert refused.status_code == 422
    assert "lines[0].debit" in [e["field"] for e in error_of(refused)["errors"]]
    assert client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher()).status_code == 201
    assert parser._get_schema(VoucherIn, None) is made


def test_authenticating_does_not_copy_the_cached_token_and_user(app, client, org, project,
                                                                monkeypatch: Any):
    project()
    store = app.extensions["sunlight"].ledger.store
    copied: list[str] = []
    find = store.find

    def counting(cls: type, aggregate_id: Any, version: int | None = None, *,
                 copy: bool = True) -> Any:
        if copy:
            copied.append(cls.__name__)
        return find(cls, aggregate_id, version, copy=copy)

    monkeypatch.setattr(store, "find", counting)
    assert client.get(f"/api/v1/orgs/{org}/vouchers").status_code == 200
    assert {"ApiToken", "User"}.isdisjoint(copied), copied


@pytest.mark.parametrize("by", ["this process", "another process"])
def test_a_token_revoked_after_it_was_used_is_refused_at_once(app, client, storage, clock, by):
    from api import create_app
    from tests.api.conftest import FAST_HASHER

    created = client.post("/api/v1/users/me/tokens", json={"label": "导入"}).get_json()
    mine = signed_in(app, created["token"])
    assert mine.get("/api/v1/users/me").status_code == 200  # the token is in the cache now
    if by == "this process":
        revoker = app
    else:
        revoker = create_app(storage, clock=clock, passwords=FAST_HASHER)
    try:
        revoker.extensions["sunlight"].ledger.identity.revoke_token(
            "wang", _token_id(created), reason="丢了", actor="wang")
    finally:
        if revoker is not app:
            revoker.extensions["sunlight"].close()
    refused = mine.get("/api/v1/users/me")
    assert refused.status_code == 401 and error_of(refused)["code"] == "unauthorized"


def _token_id(created: dict[str, Any]) -> Any:
    from uuid import UUID
    return UUID(created["id"])


def test_a_route_that_declared_no_limit_is_passed_over_by_the_limiter(app, client, org,
                                                                      monkeypatch: Any):
    manager = app.extensions["sunlight.limiter"].limit_manager
    resolved: list[str] = []
    resolve = manager.resolve_limits

    def recording(flask_app: Any, endpoint: str, *args: Any) -> Any:
        resolved.append(endpoint)
        return resolve(flask_app, endpoint, *args)

    monkeypatch.setattr(manager, "resolve_limits", recording)
    assert client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher()).status_code == 201
    # Routes that declared their limit are still counted: tests/api/test_rate_limits.py.
    assert resolved == []


def test_a_write_that_meets_no_conflict_builds_no_retry_machinery(client, org,
                                                                 monkeypatch: Any):
    from ledger.kernel import writing

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a first attempt went through tenacity")

    monkeypatch.setattr(writing, "Retrying", refused)
    assert client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher()).status_code == 201
