"""Posting, reading and reversing vouchers over HTTP, and every way a voucher can be refused."""

from __future__ import annotations

import pytest

from tests.api.conftest import error_of, voucher
from tests.registers import confirm_people

BAD_VOUCHERS = [
    # (change to a valid voucher, field named in the error, status)
    (lambda v: v["lines"][0].update(debit="5000.001"), "lines[0].debit", 422),
    (lambda v: v["lines"][0].update(debit=5000.00), "lines[0].debit", 422),
    (lambda v: v["lines"][0].update(debit=5000), "lines[0].debit", 422),
    (lambda v: v["lines"][0].update(debit="-5000.00"), "lines[0].debit", 422),
    (lambda v: v["lines"][0].update(debit="0.00"), "lines[0].debit", 422),
    (lambda v: v["lines"][0].update(debit="1e3"), "lines[0].debit", 422),
    (lambda v: v["lines"][0].update(credit="5000.00"), "lines[0].debit", 422),
    (lambda v: v["lines"][0].pop("debit"), "lines[0].debit", 422),
    (lambda v: v["lines"][0].update(account="999"), "lines[0].account", 422),
    (lambda v: v["lines"][0].update(account="10x"), "lines[0].account", 422),
    (lambda v: v["lines"][1].update(account="501"), "lines[1].account", 422),
    (lambda v: v["lines"][1].update(credit="4999.99"), "lines", 422),
    (lambda v: v.update(lines=v["lines"][:1]), "lines", 422),
    (lambda v: v.update(date="2024-12-31"), "date", 422),
    (lambda v: v.update(date="2026-11-23"), "date", 422),
    (lambda v: v.update(date="2025-02-30"), "date", 422),
    (lambda v: v.update(summary=""), "summary", 422),
    (lambda v: v.update(actor="王会计"), "actor", 422),
    (lambda v: v.update(colour="red"), "colour", 422),
    (lambda v: v.update(receipt_digests=["abc"]), "receipt_digests[0]", 422),
    (lambda v: v.update(receipt_digests=["a" * 64 + "\n"]), "receipt_digests[0]", 422),
    (lambda v: v.update(kind="closing"), "kind", 422),
    (lambda v: v.update(kind="opening"), "date", 422),
]


@pytest.mark.parametrize(("spoil", "field", "status"), BAD_VOUCHERS)
def test_a_bad_voucher_is_refused_with_its_field_and_nothing_is_written(
        client, org, log_head, spoil, field, status):
    body = voucher()
    spoil(body)
    before = log_head()
    response = client.post(f"/api/v1/orgs/{org}/vouchers", json=body)
    assert response.status_code == status, response.get_json()
    error = error_of(response)
    assert field in [e["field"] for e in error["errors"]], error
    assert all(e["reason"] for e in error["errors"])
    assert log_head() == before


def test_a_voucher_dated_in_a_closed_month_is_refused(client, org, log_head):
    assert client.post(f"/api/v1/orgs/{org}/periods/2025-01/close",
                       json={}).status_code == 200
    before = log_head()
    response = client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher("2025-01-31"))
    error = error_of(response)
    assert (response.status_code, error["code"]) == (422, "period_closed")
    assert error["errors"] == [{"field": "date", "reason": error["message"]}]
    assert log_head() == before


def test_a_body_that_is_not_json_is_refused(client, org):
    response = client.post(f"/api/v1/orgs/{org}/vouchers", data="date=2025-01-05",
                           content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_request"


def test_what_a_post_answers_is_what_a_later_get_shows(client, org, project):
    posted = client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher(
        attachments=2, receipt_digests=["ab" * 32]))
    assert posted.status_code == 201
    body = posted.get_json()
    assert body["number"] == "2025-01-0001"
    assert body["lines"][0] == {"line_no": 1, "account": "102", "debit": "5000.00",
                                "credit": None, "memo": ""}
    assert body["debit_total"] == body["credit_total"] == "5000.00"
    project()
    by_number = client.get(f"/api/v1/orgs/{org}/vouchers/2025-01-0001")
    by_id = client.get(f"/api/v1/orgs/{org}/vouchers/{body['id']}")
    assert by_number.get_json() == body == by_id.get_json()


def test_numbers_run_without_gaps_within_each_month(client, org, project):
    days = ["2025-01-05", "2025-02-01", "2025-01-09", "2025-02-11", "2025-01-20"]
    numbers = [client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher(day)).get_json()["number"]
               for day in days]
    assert numbers == ["2025-01-0001", "2025-02-0001", "2025-01-0002", "2025-02-0002",
                       "2025-01-0003"]


def test_a_write_can_wait_until_the_read_models_include_it(client, org, project):
    response = client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher())
    position = int(response.headers["Sunlight-Position"])
    behind = client.get(f"/api/v1/orgs/{org}/vouchers/2025-01-0001?after={position}")
    assert behind.status_code == 503
    assert error_of(behind)["code"] == "read_model_behind"
    project()
    after = client.get(f"/api/v1/orgs/{org}/vouchers/2025-01-0001?after={position}")
    assert after.status_code == 200
    assert int(after.headers["Sunlight-Read-Position"]) >= position


def test_a_reversal_negates_the_original_and_both_refer_to_each_other(client, org, project):
    client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher())
    reversal = client.post(f"/api/v1/orgs/{org}/vouchers/2025-01-0001/reversal",
                           json={"date": "2025-01-06", "reason": "金额录错"})
    assert reversal.status_code == 201
    red = reversal.get_json()
    assert (red["number"], red["kind"], red["reverses"]) == ("2025-01-0002", "reversal",
                                                             "2025-01-0001")
    assert [line["debit"] for line in red["lines"]] == ["-5000.00", None]
    assert [line["credit"] for line in red["lines"]] == [None, "-5000.00"]
    project()
    original = client.get(f"/api/v1/orgs/{org}/vouchers/2025-01-0001").get_json()
    assert (original["reversed_by"], original["reversal_reason"]) == ("2025-01-0002", "金额录错")
    listed = client.get(f"/api/v1/orgs/{org}/vouchers").get_json()
    assert [v["number"] for v in listed["items"]] == ["2025-01-0001", "2025-01-0002"]

    again = client.post(f"/api/v1/orgs/{org}/vouchers/2025-01-0001/reversal",
                        json={"date": "2025-01-07", "reason": "再冲"})
    assert again.status_code == 409
    assert error_of(again)["code"] == "already_reversed"


def test_reversing_an_unknown_voucher_is_not_found(client, org):
    response = client.post(f"/api/v1/orgs/{org}/vouchers/2025-01-0042/reversal",
                           json={"date": "2025-01-07", "reason": "x"})
    assert response.status_code == 404
    assert error_of(response)["code"] == "voucher_not_found"


def test_lists_are_paginated(client, org, project):
    for day in range(1, 8):
        client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher(f"2025-01-{day:02d}"))
    project()
    page = client.get(f"/api/v1/orgs/{org}/vouchers?per_page=3&page=3").get_json()
    assert page["pagination"] == {"page": 3, "per_page": 3, "total": 7, "pages": 3}
    assert [v["number"] for v in page["items"]] == ["2025-01-0007"]
    month = client.get(f"/api/v1/orgs/{org}/vouchers?period=2025-02").get_json()
    assert month["pagination"]["total"] == 0
    too_big = client.get(f"/api/v1/orgs/{org}/vouchers?per_page=501")
    assert too_big.status_code == 422
    assert error_of(too_big)["errors"][0]["field"] == "per_page"


def test_a_line_may_name_the_member_it_is_with_and_a_reversal_names_them_too(
        app, client, org, project):
    confirm_people(app.extensions["sunlight"].ledger)
    body = voucher("2025-07-01")
    body["lines"][0]["party"] = "member:0003"
    posted = client.post(f"/api/v1/orgs/{org}/vouchers", json=body)
    assert posted.status_code == 201, posted.get_json()
    lines = posted.get_json()["lines"]
    assert lines[0]["party"] == "member:0003"
    # A line that names no one looks exactly as every line did before parties existed.
    assert set(lines[1]) == {"line_no", "account", "debit", "credit", "memo"}
    red = client.post(f"/api/v1/orgs/{org}/vouchers/{posted.get_json()['number']}/reversal",
                      json={"date": "2025-07-02", "reason": "录错"}).get_json()
    assert [line.get("party") for line in red["lines"]] == ["member:0003", None]
    for party in ("张三", "member:0099", "household:"):
        body["lines"][0]["party"] = party
        refused = client.post(f"/api/v1/orgs/{org}/vouchers", json=body)
        assert refused.status_code == 422, refused.get_json()
        assert error_of(refused)["errors"][0]["field"] == "lines[0].party"


def test_a_voucher_read_back_shows_the_party_its_post_answered(app, client, org, project):
    confirm_people(app.extensions["sunlight"].ledger)
    body = voucher("2025-07-01")
    body["lines"][0]["party"] = "household:002"
    posted = client.post(f"/api/v1/orgs/{org}/vouchers", json=body).get_json()
    project()
    read = client.get(f"/api/v1/orgs/{org}/vouchers/{posted['number']}").get_json()
    assert read == posted
    listed = client.get(f"/api/v1/orgs/{org}/vouchers").get_json()["items"]
    assert listed[-1]["lines"][0]["party"] == "household:002"
