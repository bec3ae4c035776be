"""Books that start after January 1 (moved here mid-year): the opening voucher's balances are
brought in as of the day before the books start, so the income statement's 年初未分配收益 and
the balance sheet's 年初数 of that year are them, dated, and never the year's activity."""

from __future__ import annotations

import pytest

from tests.api.conftest import ORG
from tests.api.desk_browser import browser


@pytest.fixture
def midyear(client, org, project):
    """v2, whose books start on 2025-07-01 with 321 (this year's result so far) and 32201
    (undistributed from before) brought in; 5,000.00 of contract income in August."""
    assert client.post("/api/v1/orgs", json={**ORG, "code": "v2",
                                             "books_start": "2025-07-01"}).status_code == 201
    assert client.post("/api/v1/orgs/v2/roles", json={
        "login": "wang", "role": "accountant", "reason": "keeps the books"}).status_code == 201
    for body in ({"date": "2025-07-01", "kind": "opening", "summary": "期初余额",
                  "lines": [{"account": "102", "debit": "100000.00"},
                            {"account": "301", "credit": "70000.00"},
                            {"account": "321", "credit": "20000.00"},
                            {"account": "32201", "credit": "10000.00"}]},
                 {"date": "2025-08-05", "summary": "收取一组发包款",
                  "lines": [{"account": "102", "debit": "5000.00"},
                            {"account": "501", "credit": "5000.00"}]}):
        response = client.post("/api/v1/orgs/v2/vouchers", json=body)
        assert response.status_code == 201, response.get_json()
    project()
    return "v2"


def _lines(client, months: str) -> dict[str, dict[str, str]]:
    response = client.get(f"/api/v1/orgs/v2/reports/income-statement?{months}")
    assert response.status_code == 200, response.get_json()
    return {line["key"]: line for line in response.get_json()["lines"]}


@pytest.mark.parametrize("months", ["from=2025-01&to=2025-12", "from=2025-07&to=2025-12",
                                    "from=2025-06&to=2025-08", "from=2025-08&to=2025-08"])
def test_the_opening_undistributed_income_is_brought_in_not_transferred(
        client, midyear, months):
    """In the year the books start, 年初未分配收益 is what the opening voucher brought to 321
    and 322, in the year's column and in months that start with the books; 其他转入 is nothing.
    Months that start after the books do (August) leave the distribution rows to the year."""
    lines = _lines(client, months)
    starts_year = months != "from=2025-08&to=2025-08"
    assert lines["undistributed_start"]["year_to_date"] == "30000.00"
    assert lines["undistributed_start"]["amount"] == ("30000.00" if starts_year else None)
    assert lines["other_transfers"]["year_to_date"] == "0.00"
    assert lines["other_transfers"]["amount"] == ("0.00" if starts_year else None)
    assert lines["net_income"]["year_to_date"] == "5000.00"
    # The year to date ends where the balance sheet does.
    sheet = {line["key"]: line for line in client.get(
        "/api/v1/orgs/v2/reports/balance-sheet?date=2025-12-31").get_json()["lines"]}
    assert lines["undistributed_end"]["year_to_date"] == sheet["undistributed"]["end"] \
        == "35000.00"
    assert sheet["undistributed"]["start_of_year"] == "30000.00"


def test_the_next_year_brings_in_december_31(client, midyear):
    lines = _lines(client, "from=2026-01&to=2026-03")
    assert lines["undistributed_start"]["year_to_date"] == "35000.00"
    assert lines["other_transfers"]["year_to_date"] == "0.00"


def test_the_desk_dates_the_opening_column_only_when_it_is_not_december_31(
        app, project, midyear):
    wang = browser(app, project, "wang")
    first = wang.get("/desk/v2/reports/balance-sheet?date=2025-12-31")
    assert "年初数（2025-06-30）" in first
    for page in (wang.get("/desk/v2/reports/balance-sheet?date=2026-03-31"),
                 wang.get("/desk/v1/reports/balance-sheet?date=2025-12-31")):
        assert "年初数" in page and "年初数（" not in page
    download = wang.client.get("/desk/v2/reports/balance-sheet?date=2025-12-31&format=csv")
    assert "年初数（2025-06-30）" in download.get_data(as_text=True).lstrip("\ufeff")
    usual = wang.client.get("/desk/v2/reports/balance-sheet?date=2026-03-31&format=csv")
    assert "项目,行次,年初数,期末数" in usual.get_data(as_text=True)
    income = wang.get("/desk/v2/reports/income-statement?from=2025-01&to=2025-12")
    assert "30,000.00" in income


def test_the_trial_balance_s_year_so_far_leaves_the_opening_balances_out(client, midyear):
    """The opening voucher brings balances in: in the books' first year, the trial balance's
    year columns hold the year's activity only, and its opening column the balances brought."""
    response = client.get("/api/v1/orgs/v2/reports/trial-balance?period=2025-08")
    assert response.status_code == 200, response.get_json()
    rows = {row["code"]: row for row in response.get_json()["rows"]}
    assert rows["102"]["opening_debit"] == "100000.00"
    assert rows["102"]["year_debit"] == rows["102"]["debit"] == "5000.00"
    assert rows["321"]["opening_credit"] == "20000.00"
    assert rows["321"]["year_credit"] == "0.00"
    assert rows["301"]["year_credit"] == "0.00"
    assert response.get_json()["balanced"] is True
