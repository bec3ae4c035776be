"""The reports as the books had been recorded at a moment (?recorded_at), for an auditor: given
vouchers posted one after another, the trial balance, balance sheet and income statement as
recorded when the first was posted leave out the later one, though it is dated earlier, and
name it among the vouchers recorded later; on SQLite and on PostgreSQL."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from io import BytesIO
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from tests.api.conftest import error_of, voucher
from tests.api.desk_browser import browser

REPORTS = "/api/v1/orgs/{org}/reports"


@pytest.fixture
def books(client, org, project) -> dict[str, str]:
    """5,000.00 received on 2025-01-05; then, posted later but dated 2025-01-03, 800.00 paid."""
    first = client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher("2025-01-05", "5000.00"))
    later = client.post(f"/api/v1/orgs/{org}/vouchers", json={
        "date": "2025-01-03", "summary": "补记：支付干部报酬",
        "lines": [{"account": "51301", "debit": "800.00"}, {"account": "102", "credit": "800.00"}]})
    assert first.status_code == later.status_code == 201
    project()
    return {"org": org, "first": first.get_json()["posted_at"],
            "later": later.get_json()["number"]}


def bank(body: dict) -> dict:
    return next(row for row in body["rows"] if row["code"] == "102")


def test_the_trial_balance_as_recorded_leaves_out_what_was_posted_later(client, books):
    url = REPORTS.format(org=books["org"]) + "/trial-balance"
    now = client.get(url, query_string={"period": "2025-01"}).get_json()
    assert (bank(now)["debit"], bank(now)["credit"]) == ("5000.00", "800.00")
    assert "recorded_at" not in now
    then = client.get(url, query_string={"period": "2025-01",
                                         "recorded_at": books["first"]}).get_json()
    assert (bank(then)["debit"], bank(then)["credit"]) == ("5000.00", "0.00")
    assert then["balanced"] is True and not any(r["code"] == "513" for r in then["rows"])
    moment = datetime.fromisoformat(books["first"])
    assert datetime.fromisoformat(then["recorded_at"]) == moment.replace(microsecond=0)
    assert then["recorded_at"].endswith("+08:00")  # said in China's time
    later = then["recorded_later"]
    assert later["count"] == 1
    [entry] = later["vouchers"]
    assert (entry["number"], entry["date"], entry["debit_total"]) == (
        books["later"], "2025-01-03", "800.00")
    assert entry["posted_at"] > books["first"]


def test_a_day_means_its_end_and_a_moment_before_any_posting_shows_nothing(client, books):
    base = REPORTS.format(org=books["org"])
    before = (datetime.fromisoformat(books["first"]) - timedelta(days=1)).date().isoformat()
    sheet = client.get(f"{base}/balance-sheet?date=2025-01-31&recorded_at={before}").get_json()
    lines = {line["key"]: line for line in sheet["lines"]}
    assert lines["assets_total"]["end"] == "0.00" and sheet["balanced"] is True
    assert sheet["recorded_later"]["count"] == 2
    assert sheet["recorded_at"].startswith(f"{before}T23:59:59")
    # A moment after every posting gives the books as they are, with nothing recorded later.
    now = client.get(f"{base}/income-statement?from=2025-01&to=2025-01").get_json()
    late = client.get(f"{base}/income-statement?from=2025-01&to=2025-01"
                      "&recorded_at=2099-12-31").get_json()
    assert late["lines"] == now["lines"] and late["recorded_later"]["count"] == 0


def test_a_recorded_sheet_says_so_in_its_name(client, books):
    base = REPORTS.format(org=books["org"])
    answer = client.get(f"{base}/trial-balance?period=2025-01&format=xlsx"
                        "&recorded_at=2099-12-31T08:00")
    assert answer.status_code == 200
    assert "recorded-2099-12-31T0800" in answer.headers["Content-Disposition"]
    sheet = load_workbook(BytesIO(answer.data)).active
    cells = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert any("按 2099-12-31 08:00 的记录" in cell for cell in cells)


@pytest.mark.parametrize("moment", ["2025-13-01", "2025-02-30", "yesterday", "2025-01-05 10:00",
                                    "2025-01-05T25:00", "1899-12-31"])
def test_a_moment_that_is_not_one_is_refused_naming_the_field(client, books, moment):
    answer = client.get(REPORTS.format(org=books["org"]) + "/trial-balance",
                        query_string={"period": "2025-01", "recorded_at": moment})
    assert answer.status_code == 422
    assert error_of(answer)["errors"][0]["field"] == "recorded_at"


def test_the_desk_shows_the_books_as_recorded_and_what_was_entered_since(app, project, books):
    wang = browser(app, project, "wang")
    org = books["org"]
    page = wang.get(f"/desk/{org}/reports/trial-balance?period=2025-01")
    assert 'name="recorded_at"' in page and 'id="as-recorded"' not in page
    # The form sent with the field left blank is the books as they are now.
    page = wang.get(f"/desk/{org}/reports/trial-balance?period=2025-01&all=on&recorded_at=")
    assert 'id="as-recorded"' not in page and "800.00" in page
    then = quote(books["first"])
    page = wang.get(f"/desk/{org}/reports/trial-balance?period=2025-01&recorded_at={then}")
    notice = re.search(r'<section class="notice" id="as-recorded".*?</section>', page, re.S)
    assert notice and "时的记录重现的账" in notice.group(0)
    assert "本表未计入" in notice.group(0) and books["later"] in notice.group(0)
    assert "800.00" in notice.group(0) and "补记：支付干部报酬" in notice.group(0)
    link = re.search(r'<a href="([^"]+)">' + books["later"], notice.group(0)).group(1)
    assert "补记：支付干部报酬" in wang.get(link)  # the voucher it names opens
    table = re.search(r'<table class="report trial-balance".*?</table>', page, re.S).group(0)
    assert "5,000.00" in table and "800.00" not in table  # the later voucher is not counted
    download = re.search(r'href="([^"]*)" id="download-xlsx"', page).group(1)
    assert "recorded_at=" in download and "format=xlsx" in download  # the same view, downloaded
    now = re.search(r'href="([^"]*)" id="books-now"', page).group(1)
    assert "recorded_at" not in now and "period=2025-01" in now
    # The balance sheet and the income statement take the same field, a day meaning its end.
    sheet = wang.get(f"/desk/{org}/reports/balance-sheet?date=2025-01-31&recorded_at=2099-12-31")
    assert "2099-12-31 23:59" in sheet and "0 张" in sheet
    assert 'id="as-recorded"' in wang.get(
        f"/desk/{org}/reports/income-statement?from=2025-01&to=2025-01&recorded_at=2099-12-31")
    page = wang.get(f"/desk/{org}/reports/trial-balance?period=2025-01&recorded_at=someday",
                    status=422)
    assert "recorded_at" in page or "这个值" in page
