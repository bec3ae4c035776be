"""What a request no longer costs: its arguments are read by the one instance of their schema
the process keeps; a bearer token is checked on the cached token and user, not copied and
brought up to date in one query, and a voucher reads its books and organization in one; a
route without a rate limit skips the limiter, a write without a conflict skips the retrying.
Each keeps every answer it gave: 422 naming the field, 401 once revoked, 403 once a role is
lost, the next number after another process's, whichever process wrote it."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
from flask_smorest import Blueprint

from api import create_app
from api.books.schemas import VoucherIn
from ledger.books import Line, VoucherDraft
from ledger.kernel import writing
from tests.api.conftest import FAST_HASHER, error_of, signed_in, voucher


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


def _token_id(created: dict[str, Any]) -> UUID:
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
    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a first attempt went through tenacity")

    monkeypatch.setattr(writing, "Retrying", refused)
    assert client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher()).status_code == 201


class Selects:
    """The event store's reads of one process, counted: one aggregate at a time, and several
    together."""

    def __init__(self, app: Any, monkeypatch: Any) -> None:
        self.one = self.together = 0
        recorder = app.extensions["sunlight"].ledger.recorder
        one, together = recorder.select_events, recorder.select_newer

        def select_one(*args: Any, **kwargs: Any) -> Any:
            self.one += 1
            return one(*args, **kwargs)

        def select_together(*args: Any, **kwargs: Any) -> Any:
            self.together += 1
            return together(*args, **kwargs)

        monkeypatch.setattr(recorder, "select_events", select_one)
        monkeypatch.setattr(recorder, "select_newer", select_together)


def test_a_known_token_and_its_user_are_brought_up_to_date_in_one_query(app, client, org,
                                                                       project, monkeypatch):
    project()
    assert client.get(f"/api/v1/orgs/{org}/vouchers").status_code == 200  # the token is cached
    selects = Selects(app, monkeypatch)
    assert client.get(f"/api/v1/orgs/{org}/vouchers").status_code == 200
    assert (selects.one, selects.together) == (0, 1)


def test_a_voucher_reads_its_books_and_organization_in_one_query(app, client, org, monkeypatch):
    assert client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher()).status_code == 201
    selects = Selects(app, monkeypatch)
    assert client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher()).status_code == 201
    assert (selects.one, selects.together) == (0, 2)  # the token and user; the books and org


def test_what_another_process_wrote_is_read_at_once(app, client, org, storage, clock):
    """Given this process's cached token, user and books, when another process takes the next
    number and then the accountant's role, then this one numbers after it, and refuses."""
    url = f"/api/v1/orgs/{org}/vouchers"
    assert client.post(url, json=voucher()).get_json()["number"] == "2025-01-0001"
    other = create_app(storage, clock=clock, passwords=FAST_HASHER)
    try:
        ledger = other.extensions["sunlight"].ledger
        ledger.books.post_voucher(org, VoucherDraft(date(2025, 1, 5), "另一进程", (
            Line("102", debit=100), Line("50101", credit=100))), actor="wang")
        assert client.post(url, json=voucher()).get_json()["number"] == "2025-01-0003"
        ledger.identity.revoke_role("wang", org=org, role="accountant", reason="换届",
                                    actor="wang")
    finally:
        other.extensions["sunlight"].close()
    refused = client.post(url, json=voucher())
    assert refused.status_code == 403 and error_of(refused)["code"] == "forbidden"
