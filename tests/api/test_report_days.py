"""A statement of a day before the books start is refused, 422 naming the field, in the desk's
language on the desk, instead of answered with zeros that read like books; the day before the
books start (their opening balances' day) is the earliest, and a desk page that names no day
never picks one before the books.

Given v2, whose books start on 2025-07-01 with opening balances (tests/api/test_midyear_books.py).
"""

from __future__ import annotations

from datetime import date

import pytest
from flask.testing import FlaskClient

from tests.api.conftest import error_of
from tests.api.desk_browser import browser
from tests.api.test_midyear_books import midyear  # noqa: F401 - a fixture

REPORTS = "/api/v1/orgs/v2/reports"


@pytest.mark.parametrize(("address", "field"), [
    ("trial-balance?period=2025-05", "period"),
    ("balance-sheet?date=2025-06-29", "date"),
    ("income-statement?from=2025-01&to=2025-05", "to"),
    ("ledger?account=102&from=2025-01-01&to=2025-06-29", "to"),
])
def test_a_statement_before_the_books_is_refused_naming_its_field(
        client: FlaskClient, midyear: str, address: str, field: str) -> None:  # noqa: F811
    response = client.get(f"{REPORTS}/{address}")
    assert response.status_code == 422, response.get_json()
    error = error_of(response)
    assert error["code"] == "date_out_of_range"  # a rule of the books, not of the address
    said = {e["field"]: e["reason"] for e in error["errors"]}
    assert "2025-07-01" in said[field] and "2025-06-30" in said[field]


@pytest.mark.parametrize("address", [
    "trial-balance?period=2025-06", "balance-sheet?date=2025-06-30",
    "income-statement?from=2025-01&to=2025-06", "ledger?account=102&from=2025-01-01&to=2025-06-30"])
def test_the_opening_balances_day_is_the_earliest(
        client: FlaskClient, midyear: str, address: str) -> None:  # noqa: F811
    response = client.get(f"{REPORTS}/{address}")
    assert response.status_code == 200, response.get_json()


def test_the_balance_sheet_of_the_opening_day_holds_the_opening_balances(
        client: FlaskClient, midyear: str) -> None:  # noqa: F811
    lines = {line["key"]: line for line in client.get(
        f"{REPORTS}/balance-sheet?date=2025-06-30").get_json()["lines"]}
    assert lines["cash"]["end"] == "100000.00"


def test_the_desk_says_it_in_chinese(app, project, midyear) -> None:  # noqa: F811
    wang = browser(app, project, "wang")
    response = wang.client.get("/desk/v2/reports/balance-sheet?date=2025-03-31",
                               headers={"Accept": "text/html"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "账簿从2025-07-01开始" in page and "2025-06-30" in page


@pytest.mark.parametrize("page", ["trial-balance", "balance-sheet", "income-statement",
                                  "ledger?account=102"])
def test_a_desk_page_naming_no_day_starts_no_earlier_than_the_books(
        app, project, clock, midyear, page) -> None:  # noqa: F811
    """Today is before the books start (a village set up ahead of its first month): the desk
    shows the books' first month, not a refusal of a day nobody chose."""
    clock.today = date(2025, 5, 20)
    wang = browser(app, project, "wang")
    response = wang.client.get(f"/desk/v2/reports/{page}", headers={"Accept": "text/html"})
    assert response.status_code == 200, response.get_data(as_text=True)[-600:]
    assert "2025-07" in response.get_data(as_text=True)
