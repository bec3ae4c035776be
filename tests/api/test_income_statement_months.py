"""The income statement of months that start after their year does: 可分配收益 and 年末未分配收益
are figures of a whole year, so the months' column leaves the distribution rows blank (JSON null,
an empty cell, "—" on the public page) and says why; where it does fill them they end where the
balance sheet does. Before, February's column added February's income to January 1's
undistributed income: −1,200.50 beside a balance sheet holding 3,799.50."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from projections.disclosure.content import FORMATS, build, canonical
from projections.disclosure.verify import verify
from tests.api.conftest import make_user
from tests.api.desk_browser import browser
from tests.api.test_midyear_books import midyear  # noqa: F401 - a fixture
from tests.api.test_midyear_disclosures import PANEL, _draft, _publish

HINT = "收益分配各行是全年的数，本期栏不填"


@pytest.fixture
def quarter(client: FlaskClient, org: str, project: Any) -> str:
    """v1: 5,000.00 of contract income in January, 1,200.50 of salaries in February, 800.00 of
    income in March."""
    for day, debit, credit, amount in (("2025-01-05", "102", "50101", "5000.00"),
                                       ("2025-02-10", "51301", "102", "1200.50"),
                                       ("2025-03-12", "102", "50101", "800.00")):
        response = client.post(f"/api/v1/orgs/{org}/vouchers", json={
            "date": day, "summary": "本月业务",
            "lines": [{"account": debit, "debit": amount},
                      {"account": credit, "credit": amount}]})
        assert response.status_code == 201, response.get_json()
    project()
    return org


def _statement(client: FlaskClient, org: str, first: int, last: int) -> dict[str, Any]:
    response = client.get(f"/api/v1/orgs/{org}/reports/income-statement"
                          f"?from=2025-{first:02d}&to=2025-{last:02d}")
    assert response.status_code == 200, response.get_json()
    return {line["key"]: line for line in response.get_json()["lines"]}


def test_every_range_of_months_either_ends_where_the_balance_sheet_does_or_leaves_it_blank(
        client: FlaskClient, quarter: str) -> None:
    for last in (1, 2, 3):
        sheet = {line["key"]: line for line in client.get(
            f"/api/v1/orgs/{quarter}/reports/balance-sheet?date=2025-{last:02d}-28"
        ).get_json()["lines"]}
        for first in range(1, last + 1):
            lines = _statement(client, quarter, first, last)
            distribution = [line for line in lines.values() if line["section"] == "distribution"]
            assert lines["undistributed_end"]["year_to_date"] == sheet["undistributed"]["end"]
            if first == 1:
                assert lines["undistributed_end"]["amount"] == sheet["undistributed"]["end"]
            else:
                assert all(line["amount"] is None for line in distribution), (first, last)
            # The months' own income is always theirs.
            assert lines["net_income"]["amount"] is not None
    assert _statement(client, quarter, 2, 3)["net_income"]["amount"] == "-400.50"


def test_the_desk_says_why_the_rows_are_blank_and_the_download_leaves_them_empty(
        app: Flask, project: Any, quarter: str) -> None:
    wang = browser(app, project, "wang")
    february = wang.get(f"/desk/{quarter}/reports/income-statement?from=2025-02&to=2025-02")
    assert 'id="whole-year-rows"' in february and HINT in february
    assert "-1,200.50" in february  # February's income, and its year to date 3,799.50
    january = wang.get(f"/desk/{quarter}/reports/income-statement?from=2025-01&to=2025-01")
    assert 'id="whole-year-rows"' not in january
    data = wang.client.get(f"/desk/{quarter}/reports/income-statement?from=2025-02&to=2025-02"
                           "&format=xlsx").data
    rows = {row[0].strip("　"): row[2:4] for row in load_workbook(io.BytesIO(data)).active
            .iter_rows(values_only=True) if row and isinstance(row[0], str)}
    assert rows["六、年末未分配收益"] == (None, 3799.5)
    assert rows["四、本年收益"] == (-1200.5, 3799.5)


def test_a_months_disclosure_leaves_the_rows_to_the_year_and_a_format_7_one_rebuilds(
        app: Flask, client: FlaskClient, midyear: str, project: Any) -> None:  # noqa: F811
    """The books of v2 start in July: August's statement starts after its year does."""
    services = app.extensions["sunlight"]
    with services.queries.read() as reader:
        old = build(reader, "v2", "income_statement", "2025-08", "旧", {}, format=FORMATS[6])
        position = reader.position()
    assert {line["key"]: line["amount"] for line in old["lines"]}["undistributed_end"] \
        == "35000.00"  # format 7: July 1's 30,000.00 plus August's income
    old_ref = str(services.ledger.disclosure.draft_disclosure(
        "v2", kind="income_statement", period="2025-08", title="旧", inputs={},
        content=canonical(old), position=position, actor="wang").value.id)
    new = _draft(client, "income_statement", "2025-08")
    lines = {line["key"]: line for line in new["content"]["lines"]}
    assert (lines["undistributed_end"]["amount"], lines["undistributed_end"]["amount_capital"],
            lines["undistributed_end"]["year_to_date"]) == ("", "", "35000.00")
    assert lines["net_income"]["amount"] == "5000.00"
    for login in PANEL:
        make_user(app, login, ("v2", "supervisor"))
    for ref in (old_ref, new["id"]):
        _publish(app, ref)
    project()
    findings = verify(services.ledger, "v2")
    assert len(findings) == 2 and all(f.ok for f in findings), [f.problems for f in findings]
    public = app.test_client()
    page = public.get(f"/v2/disclosures/{new['id']}").get_data(as_text=True)
    assert HINT in page and "—" in page
    assert HINT not in public.get(f"/v2/disclosures/{old_ref}").get_data(as_text=True)
