"""The books on the desk, read as the accountant reads them: a month's trial balance whose accounts
open their detail ledger, whose lines open their voucher; the two statements; and each report
downloaded as .xlsx (read back with openpyxl: numbers, their format, frozen headings, the header,
the print setup), .csv and PDF, from the desk and from the JSON API alike."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from datetime import datetime

import pytest
from openpyxl import load_workbook

from tests.api.conftest import make_user
from tests.api.desk_browser import browser

ORG = "v1"
JANUARY = [
    {"date": "2025-01-05", "summary": "收取一组发包款",
     "lines": [{"account": "102", "debit": "12345.60"},
               {"account": "50101", "credit": "12345.60"}]},
    {"date": "2025-01-09", "summary": "支付干部报酬",
     "lines": [{"account": "51301", "debit": "1200.00"}, {"account": "102", "credit": "1200.00"}]},
]
TB = f"/desk/{ORG}/reports/trial-balance?period=2025-01"


@pytest.fixture
def books(app, client, org, project):
    """v1's January: contract income of 12,345.60 into the bank, 1,200.00 of salaries paid."""
    ids = []
    for body in JANUARY:
        response = client.post(f"/api/v1/orgs/{ORG}/vouchers", json=body)
        assert response.status_code == 201, response.get_json()
        ids.append(response.get_json()["id"])
    project()
    return ids


def workbook(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def test_an_account_in_the_trial_balance_opens_its_ledger_and_a_line_its_voucher(
        app, project, books):
    wang = browser(app, project, "wang")
    page = wang.get(TB)
    assert "科目余额表" in page and "12,345.60" in page and "11,145.60" in page
    assert 'id="balanced" class="pass"' in page
    ledger = re.search(r'href="(/desk/v1/reports/ledger\?account=102&[^"]+)"', page).group(1)
    assert "from=2025-01-01" in ledger and "to=2025-01-31" in ledger

    page = wang.get(ledger.replace("&amp;", "&"))
    assert "明细账" in page and "银行存款" in page
    balances = re.findall(r'data-label="余额" translate="no">([^<]+)<', page)
    # brought forward, each line, then January's 本月合计 with the month's closing balance
    assert balances == ["0.00", "12,345.60", "11,145.60", "11,145.60"]
    assert re.search(r'data-label="期末余额" translate="no">11,145.60<', page)
    links = re.findall(r'href="(/desk/v1/vouchers/[^"]+)" class="voucher"', page)
    assert links == [f"/desk/v1/vouchers/{ref}" for ref in books]
    # The link addresses the voucher as the JSON API does.
    token = make_user(app, "reader", (ORG, "auditor"))
    answer = app.test_client().get(f"/api/v1/orgs/{ORG}/vouchers/{books[0]}",
                                   headers={"Authorization": f"Bearer {token}"})
    assert answer.get_json()["summary"] == "收取一组发包款"


def test_the_switch_lists_every_account(app, project, books):
    wang = browser(app, project, "wang")
    assert ">121<" not in wang.get(TB)  # 应收款 has no figures in January
    assert ">121<" in wang.get(TB + "&all=on")


def test_the_statements_read_on_the_desk(app, project, books):
    wang = browser(app, project, "wang")
    sheet = wang.get(f"/desk/{ORG}/reports/balance-sheet?date=2025-01-31")
    assert "资产负债表" in sheet and 'id="balanced" class="pass"' in sheet and "11,145.60" in sheet
    income = wang.get(f"/desk/{ORG}/reports/income-statement?from=2025-01&to=2025-01")
    assert "收益及收益分配表" in income and "12,345.60" in income and "1,200.00" in income


def test_a_bad_month_is_refused_naming_the_field(app, project, books):
    wang = browser(app, project, "wang")
    page = wang.get(f"/desk/{ORG}/reports/trial-balance?period=2025-13", status=422)
    assert "period" in page
    for months in ("from=2025-03&to=2025-01", "from=2024-11&to=2025-02"):
        page = wang.get(f"/desk/{ORG}/reports/income-statement?{months}", status=422)
        # Said as what is wrong (it said the month could not be read), with the way back.
        assert "请选择同一年内的月份" in page and "无法识别" not in page
        assert f'id="back-to-report" href="/desk/{ORG}/reports/income-statement"' in page
    for account in ("199", "5130"):  # no such account; no account's code at all
        page = wang.get(f"/desk/{ORG}/reports/ledger?account={account}", status=422)
        assert "account" in page and "没有这个科目" in page


def test_someone_without_a_role_in_the_village_reads_no_books(app, client, project, books):
    assert client.post("/api/v1/orgs", json={
        "code": "v2", "name_zh": "二村股份经济合作社", "kind": "village_collective",
        "books_start": "2025-01-01"}).status_code == 201
    make_user(app, "stranger", ("v2", "accountant"))
    stranger = browser(app, project, "stranger")
    stranger.get(TB, status=403)


def test_the_trial_balance_downloads_as_xlsx_with_numbers_and_a_header(app, project, books):
    wang = browser(app, project, "wang")
    response = wang.client.get(TB + "&format=xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('trial-balance-2025-01.xlsx"')
    sheet = workbook(response.data)
    assert sheet["A1"].value == "科目余额表"
    assert sheet["A2"].value == "编制单位：一村股份经济合作社"
    assert sheet["A3"].value == "期间：2025年1月"
    assert sheet["A4"].value == "制表日期：2026-11-22"  # the clock's today
    assert [c.value for c in sheet[6]][:3] == ["科目编码", "科目名称", "期初借方"]
    assert sheet.freeze_panes == "A7"
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=7)}
    bank = rows["102"]
    assert bank[4].value == 12345.6 and bank[5].value == 1200  # numbers, not text
    assert bank[4].number_format == "#,##0.00"
    assert bank[0].data_type == "s"  # the code stays text
    total = rows[None]
    assert total[1].value == "合计" and total[4].value == total[5].value == 13545.6
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4 in the spreadsheet standard
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$6:$6"
    assert "一村股份经济合作社" in sheet.oddHeader.left.text
    # A balance sheet is of a day, not a period.
    balance = workbook(wang.client.get(f"/desk/{ORG}/reports/balance-sheet?date=2025-01-31"
                                       "&format=xlsx").data)
    assert balance["A3"].value == "日期：2025-01-31"


@pytest.mark.parametrize(("report", "query", "first", "amount"), [
    ("trial-balance", "period=2025-01", "科目编码", "12345.60"),
    ("ledger", "account=102&from=2025-01-01&to=2025-01-31", "日期", "12345.60"),
    ("balance-sheet", "date=2025-01-31", "项目", "11145.60"),  # the bank at the month's end
    ("income-statement", "from=2025-01&to=2025-01", "项目", "12345.60"),
])
def test_every_report_of_the_api_answers_as_xlsx_and_csv(client, books, report, query, first,
                                                         amount):
    path = f"/api/v1/orgs/{ORG}/reports/{report}?{query}"
    xlsx = client.get(path + "&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("spreadsheetml.sheet")
    sheet = workbook(xlsx.data)
    assert sheet["A6"].value == first
    # Column B of a statement is its 行次, numbers too but not yuan.
    amounts = [c for row in sheet.iter_rows(min_row=7) for c in row
               if isinstance(c.value, int | float) and (first != "项目" or c.column != 2)]
    assert amounts and all(c.number_format == "#,##0.00" for c in amounts)
    assert float(amount) in [c.value for c in amounts]

    text = client.get(path + "&format=csv")
    assert text.status_code == 200 and text.mimetype == "text/csv"
    body = text.data.decode("utf-8")
    assert body.startswith("\ufeff" + first) and "\r\n" in body
    assert amount in [cell for row in csv.reader(io.StringIO(body[1:])) for cell in row]


def test_the_api_refuses_a_format_it_does_not_write(client, books):
    response = client.get(f"/api/v1/orgs/{ORG}/reports/trial-balance?period=2025-01&format=pdf")
    assert response.status_code == 422
    assert response.get_json()["error"]["errors"][0]["field"] == "format"


def test_the_ledger_downloads_every_line_beyond_one_page(client, books):
    xlsx = client.get(f"/api/v1/orgs/{ORG}/reports/ledger?account=102&from=2025-01-01"
                      "&to=2025-01-31&per_page=1&format=xlsx")
    sheet = workbook(xlsx.data)
    summaries = [row[2].value for row in sheet.iter_rows(min_row=7)]
    assert summaries == ["期初余额", "收取一组发包款", "支付干部报酬", "本月合计", "本年累计",
                         "本期合计"]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils' pdftotext")
def test_a_report_prints_as_pdf(app, project, books, tmp_path):
    wang = browser(app, project, "wang")
    response = wang.client.get(TB + "&format=pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    pdf = tmp_path / "tb.pdf"
    pdf.write_bytes(response.data)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "科目余额表" in text and "12,345.60" in text and "制表日期：2026-11-22" in text


def test_a_summary_that_looks_like_a_formula_stays_text(client, project, books):
    posted = client.post(f"/api/v1/orgs/{ORG}/vouchers", json={
        **JANUARY[1], "date": "2025-01-20", "summary": "=HYPERLINK(\"x\")"})
    assert posted.status_code == 201, posted.get_json()
    project()
    path = (f"/api/v1/orgs/{ORG}/reports/ledger?account=102&from=2025-01-01&to=2025-01-31"
            "&format=")
    sheet = workbook(client.get(path + "xlsx").data)
    cell = next(row[2] for row in sheet.iter_rows(min_row=7)
                if row[0].value == datetime(2025, 1, 20))
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("x")' and cell.quotePrefix
    body = client.get(path + "csv").data.decode("utf-8")
    assert "'=HYPERLINK" in body  # csv: the apostrophe keeps it text


def test_a_ledger_line_shows_its_memo_only_where_it_says_more_than_the_summary(
        app, client, org, project):
    body = {"date": "2025-01-12", "summary": "发放干部报酬",
            "lines": [{"account": "51301", "debit": "86.00", "memo": "发放干部报酬"},
                      {"account": "51301", "debit": "14.00", "memo": "补发上月"},
                      {"account": "102", "credit": "100.00"}]}
    response = client.post(f"/api/v1/orgs/{ORG}/vouchers", json=body)
    assert response.status_code == 201, response.get_json()
    wang = browser(app, project, "wang")
    page = wang.get(f"/desk/{ORG}/reports/ledger?account=513&from=2025-01-01&to=2025-01-31")
    summaries = re.findall(r'data-label="摘要" translate="no">(.*?)</td>', page)
    assert summaries == ["发放干部报酬", '发放干部报酬<br><small class="muted">补发上月</small>']


def test_a_report_that_fails_on_the_server_does_not_blame_the_reader(
        app, project, books, monkeypatch):
    # Given a fault in the server while it reads the trial balance
    from api.books import desk_reports

    def broken(*args, **kwargs):
        raise RuntimeError("a fault of the server")

    monkeypatch.setattr(desk_reports.reports, "trial_balance", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    # When the accountant opens it, then the page says the fault is the server's
    page = browser(app, project, "wang").get(TB, status=500)
    assert "不是您填写的问题" in page and "请检查填写的内容" not in page
    assert 'id="back-to-report"' in page  # and leads back to the report
