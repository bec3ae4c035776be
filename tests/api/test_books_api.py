"""Organizations, accounts, periods and idempotent retries over HTTP."""

from __future__ import annotations

import pytest

from tests.api.conftest import ORG, error_of, voucher


def test_an_organization_is_registered_once(client, project):
    first = client.post("/api/v1/orgs", json=ORG)
    assert first.status_code == 201
    assert first.get_json()["registered_by"] == "wang"
    again = client.post("/api/v1/orgs", json=ORG | {"name_zh": "别的村"})
    assert again.status_code == 409
    assert error_of(again)["code"] == "organization_exists"
    project()
    assert client.get("/api/v1/orgs/v1").get_json() == first.get_json()
    listed = client.get("/api/v1/orgs").get_json()
    assert [o["code"] for o in listed["items"]] == ["v1"]


@pytest.mark.parametrize(("change", "field"), [
    ({"code": "Bad Code"}, "code"),
    ({"code": "api"}, "code"),
    ({"kind": "company"}, "kind"),
    ({"chart": "mof-2004-village"}, "chart"),
    ({"books_start": "2025-13-01"}, "books_start"),
    ({"name_zh": ""}, "name_zh"),
])
def test_a_bad_registration_names_its_field(client, log_head, change, field):
    before = log_head()
    response = client.post("/api/v1/orgs", json=ORG | change)
    assert response.status_code == 422
    assert field in [e["field"] for e in error_of(response)["errors"]]
    assert log_head() == before


def test_an_unknown_organization_looks_like_one_you_hold_no_role_in(client, org):
    # wang is admin and accountant of v1 only: "nowhere" and an existing village without a
    # role of wang's must answer alike, so that nobody learns which villages exist.
    client.post("/api/v1/orgs", json=ORG | {"code": "v2"})
    for village in ("nowhere", "v2"):
        for response in (client.get(f"/api/v1/orgs/{village}/accounts"),
                         client.post(f"/api/v1/orgs/{village}/vouchers", json=voucher())):
            assert response.status_code == 403
            error = error_of(response)
            assert (error["code"], error["message"]) == ("forbidden", "you may not do this here")
    # The centre's admin may know which organizations exist.
    assert error_of(client.get("/api/v1/orgs/nowhere"))["code"] == "organization_not_found"


def test_routing_errors_have_the_same_shape(client):
    assert error_of(client.get("/api/v1/no-such-thing"))["code"] == "not_found"
    not_allowed = client.delete("/api/v1/orgs")
    assert not_allowed.status_code == 405
    assert error_of(not_allowed)["code"] == "method_not_allowed"


def test_sub_accounts_open_under_accounts_without_postings(client, org, project, log_head):
    opened = client.post(f"/api/v1/orgs/{org}/accounts", json={
        "parent": "50101", "code": "5010101", "name_zh": "一组"})
    assert opened.status_code == 201
    assert opened.get_json() == {"code": "5010101", "parent": "50101", "level": 3,
                                 "name_zh": "一组", "name_en": "", "category": "income",
                                 "normal_balance": "credit", "leaf": True, "closed": False}
    client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher())  # posts to 50101: not a leaf
    client.post(f"/api/v1/orgs/{org}/vouchers", json={
        "date": "2025-01-05", "summary": "收款",
        "lines": [{"account": "102", "debit": "1.00"}, {"account": "5010101", "credit": "1.00"}]})
    before = log_head()
    refused = client.post(f"/api/v1/orgs/{org}/accounts", json={
        "parent": "102", "code": "10201", "name_zh": "农商行"})
    assert refused.status_code == 409
    assert error_of(refused)["code"] == "account_in_use"
    bad_code = client.post(f"/api/v1/orgs/{org}/accounts", json={
        "parent": "101", "code": "10301", "name_zh": "x"})
    assert bad_code.status_code == 422
    assert error_of(bad_code)["errors"][0]["field"] == "code"
    assert log_head() == before
    project()
    accounts = client.get(f"/api/v1/orgs/{org}/accounts?per_page=500").get_json()
    by_code = {a["code"]: a for a in accounts["items"]}
    assert by_code["50101"]["leaf"] is False and by_code["5010101"]["leaf"] is True
    assert accounts["pagination"]["total"] == 47 + 3


def test_an_account_with_a_balance_cannot_be_closed(client, org):
    client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher())
    refused = client.post(f"/api/v1/orgs/{org}/accounts/50101/close",
                          json={"reason": "不再使用"})
    assert refused.status_code == 409
    assert error_of(refused)["context"]["balance"] == "-5000.00"
    closed = client.post(f"/api/v1/orgs/{org}/accounts/51301/close",
                         json={"reason": "不再使用"})
    assert closed.status_code == 200 and closed.get_json()["closed"] is True
    posting = client.post(f"/api/v1/orgs/{org}/vouchers", json={
        "date": "2025-01-05", "summary": "报酬",
        "lines": [{"account": "51301", "debit": "1.00"}, {"account": "101", "credit": "1.00"}]})
    assert posting.status_code == 422
    assert error_of(posting)["code"] == "account_closed"


def test_months_close_in_order_and_never_reopen(client, org, project):
    skipped = client.post(f"/api/v1/orgs/{org}/periods/2025-02/close", json={})
    assert skipped.status_code == 409
    assert error_of(skipped)["context"]["next_open"] == "2025-01"
    assert client.post(f"/api/v1/orgs/{org}/periods/2025-01/close",
                       json={}).get_json() == {"period": "2025-01",
                                                             "closed_through": "2025-01"}
    again = client.post(f"/api/v1/orgs/{org}/periods/2025-01/close", json={})
    assert (again.status_code, error_of(again)["code"]) == (409, "period_already_closed")
    malformed = client.post(f"/api/v1/orgs/{org}/periods/2025-1/close", json={})
    assert malformed.status_code == 422
    assert error_of(malformed)["errors"][0]["field"] == "period"
    project()
    periods = client.get(f"/api/v1/orgs/{org}/periods").get_json()
    assert (periods["closed_through"], periods["next_open"]) == ("2025-01", "2025-02")
    assert [c["period"] for c in periods["closures"]] == ["2025-01"]


def test_the_year_end_close_posts_its_closing_vouchers(client, org, project):
    client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher("2025-03-05"))
    for month in range(1, 12):
        assert client.post(f"/api/v1/orgs/{org}/periods/2025-{month:02d}/close",
                           json={}).status_code == 200
    closed = client.post(f"/api/v1/orgs/{org}/years/2025/close", json={})
    assert closed.status_code == 200
    assert closed.get_json() == {"year": 2025, "closed_through": "2025-12",
                                 "closing_vouchers": ["2025-12-0001", "2025-12-0002"]}
    project()
    sweep = client.get(f"/api/v1/orgs/{org}/vouchers/2025-12-0001").get_json()
    assert sweep["kind"] == "closing" and sweep["date"] == "2025-12-31"
    refused = client.post(f"/api/v1/orgs/{org}/vouchers/2025-12-0001/reversal",
                          json={"date": "2026-01-05", "reason": "x"})
    assert refused.status_code == 409


def test_a_retry_with_the_same_idempotency_key_posts_nothing_new(client, org, log_head):
    headers = {"Idempotency-Key": "4b0e7a7e-1"}
    first = client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher(), headers=headers)
    head = log_head()
    retry = client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher(), headers=headers)
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.get_json() == first.get_json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert log_head() == head

    other = client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher(amount="1.00"),
                        headers=headers)
    assert other.status_code == 422
    assert error_of(other)["code"] == "idempotency_key_reused"
    assert log_head() == head

    bad_key = client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher(),
                          headers={"Idempotency-Key": "has space"})
    assert bad_key.status_code == 422
    assert error_of(bad_key)["errors"][0]["field"] == "Idempotency-Key"


def test_a_failed_command_does_not_use_up_its_idempotency_key(client, org):
    headers = {"Idempotency-Key": "k-2"}
    bad = voucher()
    bad["lines"][0]["account"] = "999"
    assert client.post(f"/api/v1/orgs/{org}/vouchers", json=bad, headers=headers).status_code \
        == 422
    good = client.post(f"/api/v1/orgs/{org}/vouchers", json=bad | {"lines": voucher()["lines"]},
                       headers=headers)
    assert good.status_code == 201
