"""The reports over HTTP: each computed from one snapshot, amounts as decimal strings."""

from __future__ import annotations

import pytest

from tests.api.conftest import error_of, voucher


@pytest.fixture
def posted(client, org, project):
    client.post(f"/api/v1/orgs/{org}/vouchers", json={
        "date": "2025-01-01", "kind": "opening", "summary": "期初余额",
        "lines": [{"account": "102", "debit": "100000.00"},
                  {"account": "301", "credit": "100000.00"}]})
    client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher("2025-01-05", "5000.00"))
    client.post(f"/api/v1/orgs/{org}/vouchers", json={
        "date": "2025-02-10", "summary": "支付干部报酬",
        "lines": [{"account": "51301", "debit": "1200.50"},
                  {"account": "102", "credit": "1200.50"}]})
    project()
    return org


def test_the_trial_balance_ties_out_and_brings_opening_balances_forward(client, posted):
    january = client.get(f"/api/v1/orgs/{posted}/reports/trial-balance?period=2025-01")
    assert january.status_code == 200
    body = january.get_json()
    assert body["balanced"] is True and body["period"] == "2025-01"
    bank = next(row for row in body["rows"] if row["code"] == "102")
    assert (bank["opening_debit"], bank["debit"], bank["closing_debit"]) == (
        "100000.00", "5000.00", "105000.00")
    assert body["totals"]["opening_debit"] == body["totals"]["opening_credit"] == "100000.00"
    february = client.get(f"/api/v1/orgs/{posted}/reports/trial-balance?period=2025-02")
    bank = next(row for row in february.get_json()["rows"] if row["code"] == "102")
    assert (bank["opening_debit"], bank["credit"], bank["year_debit"]) == (
        "105000.00", "1200.50", "5000.00")


def test_the_balance_sheet_balances(client, posted):
    sheet = client.get(f"/api/v1/orgs/{posted}/reports/balance-sheet?date=2025-02-28").get_json()
    assert sheet["balanced"] is True
    lines = {line["key"]: line for line in sheet["lines"]}
    assert lines["assets_total"]["end"] == lines["liabilities_and_equity_total"]["end"] \
        == "103799.50"
    assert lines["undistributed"]["end"] == "3799.50"
    assert lines["cash"]["start_of_year"] == "100000.00"
    assert sheet["position"] > 0


def test_the_income_statement_matches_the_balance_sheet(client, posted):
    statement = client.get(
        f"/api/v1/orgs/{posted}/reports/income-statement?from=2025-02&to=2025-02").get_json()
    lines = {line["key"]: line for line in statement["lines"]}
    assert lines["administrative"]["amount"] == "1200.50"
    assert lines["net_income"]["amount"] == "-1200.50"
    assert lines["net_income"]["year_to_date"] == "3799.50"
    # February's column has no distribution rows: January 1's undistributed income plus
    # February's alone (-1,200.50) is no balance the books hold. The year to date ends where
    # the balance sheet does.
    distribution = [line for line in statement["lines"] if line["section"] == "distribution"]
    assert distribution and all(line["amount"] is None for line in distribution)
    assert all(line["amount"] is not None for line in statement["lines"]
               if line["section"] != "distribution")
    assert lines["undistributed_start"]["year_to_date"] == "0.00"
    assert lines["undistributed_end"]["year_to_date"] == "3799.50"


def test_the_detail_ledger_runs_its_balance(client, posted):
    ledger = client.get(f"/api/v1/orgs/{posted}/reports/ledger?account=102"
                        "&from=2025-01-01&to=2025-12-31").get_json()
    assert (ledger["opening_balance"], ledger["opening_direction"]) == ("100000.00", "借")
    assert [(line["number"], line["balance"]) for line in ledger["lines"]] == [
        ("2025-01-0002", "105000.00"), ("2025-02-0001", "103799.50")]
    assert ledger["closing_balance"] == "103799.50"
    second_page = client.get(f"/api/v1/orgs/{posted}/reports/ledger?account=102"
                             "&from=2025-01-01&to=2025-12-31&per_page=1&page=2").get_json()
    assert [line["balance"] for line in second_page["lines"]] == ["103799.50"]


@pytest.mark.parametrize(("query", "field"), [
    ("trial-balance?period=2025-13", "period"),
    ("trial-balance", "period"),
    ("balance-sheet?date=2025-02-30", "date"),
    ("income-statement?from=2025-03&to=2025-02", "to"),
    ("income-statement?from=2025-12&to=2026-01", "to"),
    ("ledger?account=102&from=2025-02-01&to=2025-01-01", "to"),
    ("ledger?account=1x2&from=2025-01-01&to=2025-01-31", "account"),
    ("ledger?account=999&from=2025-01-01&to=2025-01-31", "account"),
])
def test_a_bad_report_query_names_its_parameter(client, posted, query, field):
    response = client.get(f"/api/v1/orgs/{posted}/reports/{query}")
    assert response.status_code == 422
    assert field in [e["field"] for e in error_of(response)["errors"]]


def test_a_report_of_an_organization_without_your_role_is_forbidden(client, posted):
    response = client.get("/api/v1/orgs/nowhere/reports/trial-balance?period=2025-01")
    assert response.status_code == 403


def test_in_the_year_the_books_start_the_opening_column_is_the_opening_balances(
        client, org, project):
    """年初数 of the books' first year: the balances the books started with, brought in as of
    the day before they start, even when that is not January 1 (the books moved here mid-year,
    the year's income so far brought in on 321)."""
    from tests.api.conftest import ORG
    assert client.post("/api/v1/orgs", json={**ORG, "code": "v2",
                                             "books_start": "2025-07-01"}).status_code == 201
    assert client.post("/api/v1/orgs/v2/roles", json={
        "login": "wang", "role": "accountant", "reason": "keeps the books"}).status_code == 201
    opening = client.post("/api/v1/orgs/v2/vouchers", json={
        "date": "2025-07-01", "kind": "opening", "summary": "期初余额",
        "lines": [{"account": "102", "debit": "100000.00"},
                  {"account": "301", "credit": "80000.00"},
                  {"account": "321", "credit": "20000.00"}]})
    assert opening.status_code == 201, opening.get_json()
    project()
    for org_code, day, start in (("v2", "2025-12-31", "2025-06-30"),
                                 (org, "2025-12-31", "2024-12-31")):
        sheet = client.get(f"/api/v1/orgs/{org_code}/reports/balance-sheet?date={day}")
        body = sheet.get_json()
        assert body["start_of_year"] == start, body
    lines = {line["key"]: line for line in client.get(
        "/api/v1/orgs/v2/reports/balance-sheet?date=2025-12-31").get_json()["lines"]}
    assert (lines["cash"]["start_of_year"], lines["cash"]["end"]) == ("100000.00", "100000.00")
    assert lines["equity_total"]["start_of_year"] == "100000.00"
    later = {line["key"]: line for line in client.get(
        "/api/v1/orgs/v2/reports/balance-sheet?date=2026-03-31").get_json()["lines"]}
    assert later["cash"]["start_of_year"] == "100000.00"  # the next year: December 31's
