"""The detail ledger closes each month as the paper ledger does: after a month's last line its
本月合计 (the month's debits and credits and the balance at its end) and its 本年累计 (the
year's, as the trial balance counts them), on the desk, in the download and in the API; a page
that ends inside a month leaves them to the page holding its last line."""

from __future__ import annotations

import io
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from api.books.report_sheets import ledger_rows
from tests.api.desk_browser import browser
from tests.api.test_report_desk import ORG, books  # noqa: F401 - a fixture

LEDGER = "/reports/ledger?account=102&from=2025-01-01&to=2025-02-28"


def _february(client: FlaskClient, project: Any) -> None:
    response = client.post(f"/api/v1/orgs/{ORG}/vouchers", json={
        "date": "2025-02-03", "summary": "支付保洁费", "attachments": 1,
        "lines": [{"account": "51301", "debit": "500.00"}, {"account": "102", "credit": "500.00"}]})
    assert response.status_code == 201, response.get_json()
    project()


def test_each_month_closes_with_its_totals_which_tie_to_its_trial_balance(
        client: FlaskClient, project: Any, books: list[str]) -> None:  # noqa: F811
    # Given January (12,345.60 in, 1,200.00 out of the bank) and February (500.00 out),
    _february(client, project)
    # when the bank's ledger of both months is read,
    ledger = client.get(f"/api/v1/orgs/{ORG}{LEDGER}").get_json()
    # then each month has its totals and the year's to its end,
    assert ledger["months"] == [
        {"period": "2025-01", "debit": "12345.60", "credit": "1200.00",
         "year_debit": "12345.60", "year_credit": "1200.00", "balance": "11145.60",
         "direction": "借"},
        {"period": "2025-02", "debit": "0.00", "credit": "500.00",
         "year_debit": "12345.60", "year_credit": "1700.00", "balance": "10645.60",
         "direction": "借"}]
    # each what that month's trial balance says of the account.
    for month in ledger["months"]:
        rows = client.get(f"/api/v1/orgs/{ORG}/reports/trial-balance"
                          f"?period={month['period']}").get_json()["rows"]
        bank = next(row for row in rows if row["code"] == "102")
        assert (bank["debit"], bank["credit"], bank["year_debit"], bank["year_credit"],
                bank["closing_debit"]) == (month["debit"], month["credit"], month["year_debit"],
                                           month["year_credit"], month["balance"])


def test_the_desk_and_the_download_show_the_totals_after_each_month(
        app: Flask, client: FlaskClient, project: Any, books: list[str]) -> None:  # noqa: F811
    _february(client, project)
    wang = browser(app, project, "wang")
    page = wang.get(f"/desk/{ORG}{LEDGER}")
    january, february = page.index('id="month-total-2025-01"'), page.index("2025-02-03")
    assert page.index('id="year-total-2025-01"') > january and february > january
    assert page.index('id="month-total-2025-02"') > february
    assert "本月合计" in page and "本年累计" in page
    sheet = load_workbook(io.BytesIO(wang.client.get(
        f"/desk/{ORG}{LEDGER}&format=xlsx").data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=7)]
    said = [(r[0], r[2], r[4], r[5], r[7]) for r in rows if r[2] in ("本月合计", "本年累计")]
    assert said == [("2025-01", "本月合计", 12345.6, 1200, 11145.6),
                    ("2025-01", "本年累计", 12345.6, 1200, None),
                    ("2025-02", "本月合计", 0, 500, 10645.6),
                    ("2025-02", "本年累计", 12345.6, 1700, None)]


def test_a_page_ending_inside_a_month_leaves_its_totals_to_the_next() -> None:
    report = {"lines": [{"date": "2025-01-05"}, {"date": "2025-01-09"}],
              "months": [{"period": "2025-01"}]}
    assert [kind for kind, _ in ledger_rows(report, complete=False)] == ["line", "line"]
    assert [kind for kind, _ in ledger_rows(report)] == ["line", "line", "month", "year"]
    report["lines"].append({"date": "2025-02-01"})
    assert [kind for kind, _ in ledger_rows(report, complete=False)] == [
        "line", "line", "month", "year", "line"]
