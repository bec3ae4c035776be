"""Vouchers in spreadsheets over HTTP: a year's sheet of a thousand vouchers imports in one write;
one bad cell writes nothing and is named by row, column and cell; check_only writes nothing; and
the books exported from one village and imported into a fresh one give the same trial balance."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook, load_workbook

from api.books.voucher_cells import COLUMNS
from tests.api.conftest import ORG, error_of, voucher

V = "/api/v1/orgs/v1"
HEADERS = [names[0] for names in COLUMNS.values()]
SPEC = ["凭证号", "日期", "摘要", "科目编码", "科目名称", "借方金额", "贷方金额"]


def xlsx(rows: list[list[Any]], headers: list[str] = SPEC) -> bytes:
    book = Workbook()
    sheet = book.active
    for line in [headers, *rows]:
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client: FlaskClient, data: bytes, filename: str = "凭证.xlsx", org: str = "v1",
           **form: Any) -> Any:
    return client.post(f"/api/v1/orgs/{org}/vouchers/import",
                       data={"file": (io.BytesIO(data), filename), **form},
                       content_type="multipart/form-data")


def year_of_vouchers(count: int) -> list[list[Any]]:
    """`count` two-line vouchers spread over 2025: rent received into cash, fees paid."""
    rows = []
    for i in range(count):
        day = date(2025, 1, 1) + timedelta(days=i * 365 // count)
        amount = 100 + i % 97 + (i % 100) / 100
        if i % 3:
            rows += [[f"S{i}", day, "收取一组发包款", "102", "银行存款", amount, None],
                     [f"S{i}", day, "收取一组发包款", "50101", "发包收入", None, amount]]
        else:
            rows += [[f"S{i}", day, "支付干部报酬", "51301", "干部报酬", amount, None],
                     [f"S{i}", day, None, "102", "银行存款", None, amount]]
    return rows


def trial_balances(client: FlaskClient, org: str) -> list[dict[str, Any]]:
    shown = []
    for month in range(1, 13):
        body = client.get(f"/api/v1/orgs/{org}/reports/trial-balance?period=2025-{month:02d}")
        assert body.status_code == 200, body.get_json()
        report = body.get_json()
        for key in ("org", "name_zh", "position"):
            report.pop(key)
        shown.append(report)
    return shown


def test_a_thousand_voucher_sheet_imports_in_one_write(app: Flask, client, org, project,
                                                        monkeypatch):
    # given a year's sheet of a thousand vouchers
    sheet = xlsx(year_of_vouchers(1000))
    appends = []
    joint = app.extensions["sunlight"].ledger.store.appends
    real_record = joint.record
    monkeypatch.setattr(joint, "record",
                        lambda processing: appends.append(processing) or real_record(processing))
    # when it is imported
    response = upload(client, sheet)
    # then every voucher is posted by one append of the books and the thousand vouchers
    assert response.status_code == 201, response.get_json()
    assert response.get_json() == {"vouchers": 1000, "lines": 2000}
    assert len(appends) == 1
    assert len(appends[0].aggregates) == 1 + 1000 + 1  # and the fact of the sheet's import
    project()
    listed = client.get(f"{V}/vouchers?period=2025-12&per_page=500").get_json()
    assert listed["items"][0]["number"] == "2025-12-0001"
    assert client.get(f"{V}/vouchers?per_page=1").get_json()["pagination"]["total"] == 1000
    # numbered by day, without gaps, in each month
    january = client.get(f"{V}/vouchers?period=2025-01&per_page=500").get_json()["items"]
    assert [v["number"] for v in january] == [f"2025-01-{n:04d}"
                                              for n in range(1, len(january) + 1)]


def test_one_bad_cell_writes_nothing_and_is_named(client, org, log_head):
    # given a thousand good vouchers and one amount with three decimals on row 1,401
    rows = year_of_vouchers(1000)
    rows[1399][5] = "12.345"
    rows[20][3] = "999"  # and one account the chart does not have, on row 22
    before = log_head()
    # when the sheet is imported
    response = upload(client, xlsx(rows))
    # then nothing is written, and both are named by row, column and cell
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "import_rejected"
    assert [(e["row"], e["column"], e["cell"], e["header"]) for e in error["errors"]] == [
        (22, "account", "D22", "科目编码"), (1401, "debit", "F1401", "借方金额")]
    assert "two decimals" in error["errors"][1]["reason"]
    assert "no account 999" in error["errors"][0]["reason"]
    assert log_head() == before


def test_an_unbalanced_voucher_is_named_by_its_rows_and_check_only_writes_nothing(
        client, org, log_head):
    # given a voucher whose credit is short by a fen
    rows = [["A1", "2025-03-05", "收取发包款", "102", "", "500.00", ""],
            ["A1", "2025-03-05", "", "50101", "", "", "499.99"]]
    before = log_head()
    # when it is checked, then imported
    checked = upload(client, xlsx(rows), check_only="true")
    imported = upload(client, xlsx(rows))
    # then both name its first row and the debit column, and nothing is written
    for response in (checked, imported):
        assert response.status_code == 422
        [problem] = error_of(response)["errors"]
        assert (problem["row"], problem["column"]) == (2, "debit")
        assert "rows 2–3" in problem["reason"] and "499.99" in problem["reason"]
    rows[1][6] = "500.00"
    fine = upload(client, xlsx(rows), check_only="true")
    assert fine.status_code == 200
    assert fine.get_json() == {"ok": True, "vouchers": 1, "lines": 2, "problems": []}
    assert log_head() == before


def test_rows_of_one_voucher_may_not_disagree_on_its_date(client, org, log_head):
    rows = [["A1", "2025-03-05", "收取发包款", "102", "", "500", ""],
            ["A1", "2025-03-06", "", "50101", "", "", "500"]]
    response = upload(client, xlsx(rows))
    [problem] = error_of(response)["errors"]
    assert (problem["cell"], problem["reason"]) == ("B3", "voucher A1 has 2025-03-05 on row 2")


def test_a_sheet_without_the_required_columns_is_refused(client, org):
    response = upload(client, xlsx([["A1", "2025-03-05"]], headers=["凭证号", "日期"]))
    missing = {e["column"] for e in error_of(response)["errors"]}
    assert missing == {"summary", "account", "debit", "credit"}


def posted_books(client: FlaskClient) -> None:
    """A few months of books: opening balances, rent, salaries, a voucher reversed in red."""
    opening = {"date": "2025-01-01", "summary": "期初余额", "kind": "opening",
               "lines": [{"account": "102", "debit": "80000.00"},
                         {"account": "311", "credit": "80000.00"}]}
    for body in (opening, voucher("2025-01-05", "5000.00"), voucher("2025-02-10", "1234.56"),
                 {"date": "2025-02-20", "summary": "支付干部报酬", "attachments": 2,
                  "lines": [{"account": "51301", "debit": "3000.00", "memo": "一月"},
                            {"account": "101", "debit": "500.00", "memo": "备用金"},
                            {"account": "102", "credit": "3500.00"}]}):
        response = client.post(f"{V}/vouchers", json=body)
        assert response.status_code == 201, response.get_json()
    reversal = client.post(f"{V}/vouchers/2025-02-0001/reversal",
                           json={"date": "2025-03-02", "reason": "金额录错"})
    assert reversal.status_code == 201, reversal.get_json()


def fresh_village(client: FlaskClient, code: str) -> None:
    assert client.post("/api/v1/orgs", json={**ORG, "code": code}).status_code == 201
    assert client.post(f"/api/v1/orgs/{code}/roles", json={
        "login": "wang", "role": "accountant", "reason": "keeps the books"}).status_code == 201
    for parent, sub, name in (("501", "50101", "发包收入"), ("513", "51301", "干部报酬")):
        assert client.post(f"/api/v1/orgs/{code}/accounts", json={
            "parent": parent, "code": sub, "name_zh": name}).status_code == 201


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_exported_books_imported_into_a_fresh_village_give_the_same_trial_balance(
        client, org, project, fmt):
    # given a village's books, exported
    posted_books(client)
    project()
    exported = client.get(f"{V}/vouchers/export?format={fmt}")
    assert exported.status_code == 200
    assert exported.headers["Content-Disposition"] == f'attachment; filename="v1-vouchers.{fmt}"'
    headers, rows = read_sheet(exported.data, fmt)
    assert headers == HEADERS
    assert len(rows) == 2 + 2 + 2 + 3 + 2
    # when the sheet is imported into a fresh village
    fresh_village(client, "v2")
    imported = upload(client, exported.data, f"v1.{fmt}", org="v2")
    assert imported.status_code == 201, imported.get_json()
    project()
    # then its trial balance is the first village's, month by month
    assert trial_balances(client, "v2") == trial_balances(client, "v1")
    # and the reversal still names what it reverses
    reversed_ = client.get("/api/v1/orgs/v2/vouchers/2025-02-0001").get_json()
    assert reversed_["reversed_by"] == "2025-03-0001"


def test_an_export_of_a_range_holds_only_its_days(client, org, project):
    posted_books(client)
    project()
    exported = client.get(f"{V}/vouchers/export?from=2025-02-01&to=2025-02-28")
    _, rows = read_sheet(exported.data, "xlsx")
    assert {row[0] for row in rows} == {"2025-02-0001", "2025-02-0002"}
    [salary] = [row for row in rows if row[3] == "51301"]
    assert salary[4:8] == ["干部报酬", 3000, None, "一月"]  # a number, not text
    backwards = client.get(f"{V}/vouchers/export?from=2025-03-01&to=2025-02-01")
    assert error_of(backwards)["errors"][0]["field"] == "to"


def read_sheet(data: bytes, fmt: str) -> tuple[list[Any], list[list[Any]]]:
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(data)).active
        lines = [list(row) for row in sheet.iter_rows(values_only=True)]
    else:
        lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return lines[0], lines[1:]


def test_a_retried_import_is_answered_once(client, org, log_head):
    key = {"Idempotency-Key": "move-in-2025"}
    data = xlsx(year_of_vouchers(3))

    def send() -> Any:
        return client.post(f"{V}/vouchers/import", headers=key, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(data), "a.xlsx")})

    first = send()
    assert first.status_code == 201, first.get_json()
    head = log_head()
    again = send()
    assert (again.status_code, again.headers.get("Idempotent-Replayed")) == (201, "true")
    assert log_head() == head


@pytest.mark.parametrize(("data", "filename", "reason"), [
    (b"PK\x03\x04 not really a workbook", "v.xlsx", "cannot be read as .xlsx"),
    (b"\xd0\xcf\x11\xe0", "v.xls", "save it as .xlsx or .csv"),
    ("凭证号,日期\n".encode("utf-16"), "v.csv", "UTF-8 or GB18030"),
])
def test_a_file_that_cannot_be_read_is_refused_and_writes_nothing(client, org, log_head, data,
                                                                   filename, reason):
    before = log_head()
    response = upload(client, data, filename)
    assert response.status_code == 422
    assert reason in error_of(response)["errors"][0]["reason"]
    assert log_head() == before


def test_a_red_ink_voucher_names_what_it_reverses(client, org, log_head):
    rows = [["A1", "2025-03-05", "收取发包款", "102", "", "500", "", "", "", "记账"],
            ["A1", "2025-03-05", "", "50101", "", "", "500", "", "", "记账"],
            ["A2", "2025-03-06", "冲销A1", "102", "", "-500", "", "", "", "冲销"],
            ["A2", "2025-03-06", "", "50101", "", "", "-500", "", "", "冲销"]]
    headers = [*SPEC, "备注", "往来对象", "凭证类别"]
    refused = upload(client, xlsx(rows, headers))
    [problem] = error_of(refused)["errors"]
    assert (problem["row"], problem["column"]) == (4, "reverses")
    named = upload(client, xlsx([[*row, "A1" if row[0] == "A2" else ""] for row in rows],
                                [*headers, "冲销凭证号"]))
    assert named.status_code == 201, named.get_json()


def test_the_xlsx_export_shows_amounts_as_yuan_under_a_frozen_header(client, org, project):
    posted_books(client)
    big = client.post(f"{V}/vouchers", json=voucher("2025-03-10", "9999999999999.99"))
    assert big.status_code == 201, big.get_json()
    project()
    exported = client.get(f"{V}/vouchers/export?format=xlsx")
    sheet = load_workbook(io.BytesIO(exported.data)).active
    assert sheet.freeze_panes == "A2"  # the header stays in view as the lines scroll
    columns = {cell.value: cell.column_letter for cell in sheet[1]}
    amounts = [sheet[f"{columns[name]}{row}"] for name in ("借方金额", "贷方金额")
               for row in range(2, sheet.max_row + 1)]
    shown = [cell for cell in amounts if cell.value is not None]
    assert shown and all(cell.data_type == "n" and cell.number_format == "#,##0.00"
                         for cell in shown)
    assert {repr(cell.value) for cell in shown} >= {"1234.56", "9999999999999.99", "80000"}
    assert sheet[f"{columns['附件数']}2"].number_format == "General"  # not an amount
