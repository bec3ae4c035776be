"""Hostile input gets a 4xx in the one error shape and writes nothing — a page number beyond 64
bits, JSON nested 100,000 deep, a reading position beyond the log's head — and the JSON API
takes each amount, day, whole number and flag in exactly one written form. On SQLite and on
PostgreSQL."""

from __future__ import annotations

import io

import pytest

from tests.api.conftest import error_of, voucher

HUGE_PAGE = "70758882569296280"  # × 500 rows a page is beyond a 64-bit offset
PAGED = ("/api/v1/orgs", "/api/v1/orgs/v1/accounts", "/api/v1/orgs/v1/vouchers",
         "/api/v1/orgs/v1/receipts", "/api/v1/orgs/v1/members",
         "/api/v1/orgs/v1/shares/movements", "/api/v1/orgs/v1/spending-requests")
DEEP = "[" * 100_000 + "]" * 100_000


def fields_of(response) -> list[str]:
    return [item["field"] for item in error_of(response)["errors"]]


# -- page numbers -------------------------------------------------------------------------------

@pytest.mark.parametrize("path", PAGED)
def test_a_page_beyond_64_bits_is_a_422_naming_page(client, org, path):
    response = client.get(path, query_string={"page": HUGE_PAGE, "per_page": "500"})

    assert response.status_code == 422
    assert fields_of(response) == ["page"]


def test_the_last_page_allowed_is_answered_empty(client, org, project):
    project()

    response = client.get("/api/v1/orgs/v1/receipts",
                          query_string={"page": "1000000", "per_page": "500"})

    assert response.status_code == 200
    assert response.get_json()["items"] == []


# -- JSON nested too deeply ---------------------------------------------------------------------

def test_a_body_nested_100000_deep_is_a_400_and_writes_nothing(client, org, log_head):
    before = log_head()

    response = client.post("/api/v1/orgs/v1/vouchers", data='{"summary": ' + DEEP + "}",
                           content_type="application/json",
                           headers={"Idempotency-Key": "deep-1"})

    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_request"
    assert log_head() == before


def test_a_form_field_of_json_nested_100000_deep_is_a_422_naming_it(client, org, log_head):
    before = log_head()
    sheet = (io.BytesIO("户号,成员编号,姓名\n".encode()), "roll.csv")

    response = client.post("/api/v1/orgs/v1/members/import", data={
        "file": sheet, "quantified_on": "2025-06-30", "reserve": DEEP})

    assert response.status_code == 422
    assert "reserve" in fields_of(response)
    assert log_head() == before


# -- reading positions --------------------------------------------------------------------------

@pytest.fixture
def waits(app, monkeypatch) -> list[int]:
    """Every wait for the read models; each answers at once that they are behind."""
    seen: list[int] = []

    def wait_for(position, timeout=5.0):
        seen.append(position)
        return False

    monkeypatch.setattr(app.extensions["sunlight"], "wait_for", wait_for)
    return seen


def test_a_position_beyond_the_log_head_is_a_422_naming_the_head_without_waiting(
        client, org, log_head, waits):
    head = log_head()

    response = client.get("/api/v1/orgs/v1/receipts", query_string={"after": head + 1})

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "beyond_log_head"
    assert fields_of(response) == ["after"]
    assert error["context"] == {"log_head": head}
    assert str(head) in error["message"]
    assert waits == []


def test_a_position_the_log_has_reached_is_still_waited_for(client, org, log_head, waits):
    response = client.get("/api/v1/orgs/v1/receipts", query_string={"after": log_head()})

    assert response.status_code == 503
    assert waits == [log_head()]


@pytest.mark.parametrize("after", ["999999", "²"])
def test_a_desk_page_does_not_wait_for_a_position_no_write_has_reached(client, org, project,
                                                                      waits, after):
    project()

    response = client.get("/desk/v1/members", query_string={"after": after})

    assert response.status_code == 200
    assert waits == []


# -- one written form ---------------------------------------------------------------------------

@pytest.mark.parametrize("amount", [" 5000.00", "5000.00 ", "5000.00\n", "+5000.00"])
def test_an_amount_is_taken_only_as_written(client, org, log_head, amount):
    before = log_head()

    response = client.post("/api/v1/orgs/v1/vouchers", json=voucher(amount=amount))

    assert response.status_code == 422
    assert fields_of(response) == ["lines[0].debit", "lines[1].credit"]
    assert log_head() == before


@pytest.mark.parametrize("day", ["20250105", "2025-W02-7", "2025-005", " 2025-01-05"])
def test_a_day_is_taken_only_as_yyyy_mm_dd(client, org, log_head, day):
    before = log_head()

    response = client.post("/api/v1/orgs/v1/vouchers", json=voucher(day=day))

    assert response.status_code == 422
    assert fields_of(response) == ["date"]
    assert log_head() == before


@pytest.mark.parametrize("day", ["20251231", "0001-01-01", "1899-12-31", "9999-12-31"])
def test_a_day_in_the_address_is_taken_only_as_yyyy_mm_dd_within_1900_to_2099(client, org,
                                                                               project, day):
    project()

    response = client.get("/api/v1/orgs/v1/reports/balance-sheet", query_string={"date": day})

    assert response.status_code == 422
    assert fields_of(response) == ["date"]


def test_a_month_of_year_zero_is_a_422_not_a_crash(client, org):
    response = client.get("/api/v1/orgs/v1/reports/income-statement",
                          query_string={"from": "0000-01", "to": "0000-01"})

    assert response.status_code == 422
    assert set(fields_of(response)) == {"from", "to"}


def test_a_period_to_close_is_taken_only_within_1900_to_2099(client, org, log_head):
    before = log_head()

    response = client.post("/api/v1/orgs/v1/periods/0000-01/close")

    assert response.status_code == 422
    assert fields_of(response) == ["period"]
    assert log_head() == before


@pytest.mark.parametrize("count", [2.5, 1e-42, "2"])
def test_a_whole_number_in_a_body_is_a_json_integer(client, org, log_head, count):
    before = log_head()

    response = client.post("/api/v1/orgs/v1/vouchers", json=voucher(attachments=count))

    assert response.status_code == 422
    assert fields_of(response) == ["attachments"]
    assert log_head() == before


@pytest.mark.parametrize("flag", ["yes", 1, "true"])
def test_a_flag_in_a_body_is_a_json_boolean(client, org, log_head, flag):
    client.post("/api/v1/orgs/v1/households", json={
        "number": "001", "address": "东组1号", "registered_on": "2025-01-01"})
    before = log_head()

    response = client.post("/api/v1/orgs/v1/members", json={
        "number": "0001", "name": "张三", "sex": "male", "born": "1980-01-01",
        "household": "001", "head": flag, "basis": "original", "confirmed_on": "2025-01-01",
        "resolution": "成员确认决〔2025〕1号", "resolution_date": "2025-01-01"})

    assert response.status_code == 422
    assert fields_of(response) == ["head"]
    assert log_head() == before


def test_the_written_forms_are_taken(client, org):
    response = client.post("/api/v1/orgs/v1/vouchers",
                           json=voucher(day="2025-01-05", amount="5000.5", attachments=2))

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["debit_total"] == "5000.50"


# -- methods ------------------------------------------------------------------------------------

def test_a_method_not_allowed_names_the_methods_that_are(client):
    response = client.delete("/api/v1/orgs")

    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert {m.strip() for m in response.headers["Allow"].split(",")} >= {"GET", "POST"}
