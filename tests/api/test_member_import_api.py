"""Importing the roll from a spreadsheet over HTTP: a sheet with a bad row imports nothing and names
every problem by row, column, header and cell without repeating an ID number; check_only writes
nothing; a good .xlsx or .csv imports the roll and its shares in one write; and the template and
the exports open in Excel and import again."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import Workbook, load_workbook

from api.register.roll_cells import COLUMNS
from tests.api.conftest import error_of
from tests.api.test_members_api import ledger_of
from tests.api.test_shares_api import CLASSES
from tests.registers import PEOPLE

V = "/api/v1/orgs/v1"
HEADERS = [names[0] for names in COLUMNS.values()]
SHARES = {"0001": (30, 55), "0004": (20, 60), "0006": (10, 25)}  # on each head's row
QUANTIFIED = {"quantified_on": "2025-06-30", "resolution": "股改决〔2025〕1号",
              "resolution_date": "2025-06-28",
              "reserve": '{"population": 40, "collective": 60}'}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def person_row(person: dict[str, Any]) -> list[Any]:
    return [person["household"], "东村一组", "是" if person.get("head") else "否",
            person["number"], person["name"], "男" if person["sex"] == "male" else "女",
            person["born"], person["id_number"], person.get("phone", ""), "原始确认",
            date(2025, 6, 1), "成员确认决〔2025〕1号", date(2025, 6, 1)]


def roll_sheet(shares: bool = False) -> tuple[list[str], list[list[Any]]]:
    headers = HEADERS + (["人口股", "劳龄股"] if shares else [])
    rows = [person_row(p) + (list(SHARES.get(p["number"], (None, None))) if shares else [])
            for p in PEOPLE]
    return headers, rows


def xlsx(headers: list[str], rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for line in [headers, *rows]:
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_of(headers: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([headers, *[[v.isoformat() if isinstance(v, date) else v
                                          for v in row] for row in rows]])
    return out.getvalue().encode("utf-8")


def upload(client: FlaskClient, data: bytes, filename: str = "名册.xlsx", org: str = "v1",
           **form: Any) -> Any:
    return client.post(f"/api/v1/orgs/{org}/members/import",
                       data={"file": (io.BytesIO(data), filename), **form},
                       content_type="multipart/form-data")


def with_classes(client: FlaskClient, org: str = "v1") -> None:
    for share_class in CLASSES:
        assert client.post(f"/api/v1/orgs/{org}/share-classes",
                           json=share_class).status_code == 201


def roll_of(client: FlaskClient, org: str = "v1") -> list[dict[str, Any]]:
    keys = ("number", "name", "sex", "born", "household", "head", "basis", "confirmed_on",
            "resolution", "id_number", "phone")
    items = client.get(f"/api/v1/orgs/{org}/members?per_page=500").get_json()["items"]
    return [{k: row[k] for k in keys} for row in items]


@pytest.fixture
def second_village(app, client: FlaskClient) -> str:
    response = client.post("/api/v1/orgs", json={"code": "v2", "name_zh": "二村",
                                                 "kind": "village_collective",
                                                 "books_start": "2025-01-01"})
    assert response.status_code == 201
    ledger_of(app).identity.grant_role("wang", org="v2", role="accountant", reason="记账",
                                       actor="test")
    return "v2"


def test_a_sheet_with_bad_rows_imports_nothing_and_names_each_row_and_column(
        client, org, project, log_head):
    headers, rows = roll_sheet()
    rows[2][6] = "1990-13-15"  # sheet row 4: no such day
    rows[4][7] = PEOPLE[4]["id_number"][:-1] + ("0" if PEOPLE[4]["id_number"][-1] != "0"
                                                else "1")  # row 6: a mistyped check digit
    before = log_head()
    response = upload(client, xlsx(headers, rows))
    error = error_of(response)
    assert (response.status_code, error["code"]) == (422, "import_rejected")
    found = {(e["row"], e["column"]): e for e in error["errors"]}
    assert set(found) == {(4, "born"), (6, "id_number")}
    assert {k: v for k, v in found[4, "born"].items() if k != "reason"} == {
        "field": "出生日期", "row": 4, "column": "born", "header": "出生日期", "cell": "G4"}
    assert (found[6, "id_number"]["field"], found[6, "id_number"]["cell"]) == ("身份证号", "H6")
    assert "check digit" in found[6, "id_number"]["reason"]
    text = response.get_data(as_text=True)
    assert rows[4][7] not in text and not any(p["id_number"] in text for p in PEOPLE)
    assert log_head() == before
    project()
    assert client.get(f"{V}/members").get_json()["pagination"]["total"] == 0


def test_check_only_reports_and_writes_nothing(client, org, project, log_head):
    before = log_head()
    response = upload(client, xlsx(*roll_sheet()), check_only="true")
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"ok": True, "members": 6, "problems": []}
    headers, rows = roll_sheet()
    rows[0][5] = "未知"
    bad = upload(client, xlsx(headers, rows), check_only="true")
    assert [(e["row"], e["cell"]) for e in error_of(bad)["errors"]] == [(2, "F2")]
    assert log_head() == before
    project()
    assert client.get(f"{V}/members").get_json()["pagination"]["total"] == 0


def test_a_good_sheet_imports_the_roll_and_its_shares_in_one_write(client, org, project):
    with_classes(client)
    response = upload(client, xlsx(*roll_sheet(shares=True)), **QUANTIFIED)
    assert response.status_code == 201, response.get_json()
    assert response.get_json() == {"members": 6, "households": 3, "allocations": 8}
    project()
    roll = roll_of(client)
    assert [(m["number"], m["household"], m["head"]) for m in roll] == [
        (p["number"], p["household"], bool(p.get("head"))) for p in PEOPLE]
    assert [m["id_number"] for m in roll] == [p["id_number"] for p in PEOPLE]
    register = client.get(f"{V}/shares").get_json()
    assert (register["grand_total"], register["quantified_on"]) == (300, "2025-06-30")
    assert {h["holder"]: h["total"] for h in register["holders"]} == {
        "org": 100, "household:001": 85, "household:002": 80, "household:003": 35}


def test_a_csv_sheet_imports_too(client, org, project):
    response = upload(client, csv_of(*roll_sheet()), "roll.csv")
    assert response.status_code == 201, response.get_json()
    project()
    assert [m["name"] for m in roll_of(client)] == [p["name"] for p in PEOPLE]


@pytest.mark.parametrize(("form", "filename", "status", "field"), [
    ({"reserve": "{population: 40}", **{k: v for k, v in QUANTIFIED.items()
                                        if k != "reserve"}}, "a.xlsx", 422, "reserve"),
    ({"reserve": '{"population": 40}'}, "a.xlsx", 422, "quantified_on"),
    ({"check_only": "maybe"}, "a.xlsx", 422, "check_only"),
    ({}, "roll.txt", 422, None),
    ({}, "roll.xls", 422, None),
])
def test_a_file_or_form_that_cannot_be_read_is_refused(client, org, log_head, form, filename,
                                                       status, field):
    before = log_head()
    response = upload(client, xlsx(*roll_sheet()), filename, **form)
    assert response.status_code == status, response.get_json()
    assert error_of(response)["errors"][0]["field"] == field
    assert log_head() == before


def test_a_file_above_5_mb_or_no_file_is_refused(client, org):
    big = upload(client, b"a" * (5 * 1024 * 1024 + 1), "roll.csv")
    assert (big.status_code, error_of(big)["code"]) == (413, "too_large")
    none = client.post(f"{V}/members/import", data={"check_only": "true"},
                       content_type="multipart/form-data")
    assert (none.status_code, error_of(none)["errors"][0]["field"]) == (422, "file")


def test_a_retried_import_is_answered_once_and_another_file_under_its_key_refused(
        client, org, log_head):
    key = {"Idempotency-Key": "import-2025-roll"}
    data = xlsx(*roll_sheet())
    first = client.post(f"{V}/members/import", headers=key, content_type="multipart/form-data",
                        data={"file": (io.BytesIO(data), "a.xlsx")})
    assert first.status_code == 201, first.get_json()
    head = log_head()
    again = client.post(f"{V}/members/import", headers=key, content_type="multipart/form-data",
                        data={"file": (io.BytesIO(data), "a.xlsx")})
    assert (again.status_code, again.headers.get("Idempotent-Replayed")) == (201, "true")
    other = client.post(f"{V}/members/import", headers=key, content_type="multipart/form-data",
                        data={"file": (io.BytesIO(csv_of(*roll_sheet())), "a.csv")})
    assert error_of(other)["code"] == "idempotency_key_reused"
    assert log_head() == head


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_template_opens_with_the_classes_and_imports_once_filled(client, org, project,
                                                                     fmt):
    with_classes(client)
    project()
    response = client.get(f"{V}/members/template?format={fmt}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="v1-members-template.{fmt}"')
    headers, rows = read_sheet(response.data, fmt)
    assert headers == [*HEADERS, "人口股", "劳龄股", "集体股"]
    assert len(rows) == 1  # the example, to overwrite
    filled = [[*person_row(p), None, None, None] for p in PEOPLE]
    sheet = xlsx(headers, filled) if fmt == "xlsx" else csv_of(headers, filled)
    imported = upload(client, sheet, f"template.{fmt}")
    assert imported.status_code == 201, imported.get_json()


def read_sheet(data: bytes, fmt: str) -> tuple[list[Any], list[list[Any]]]:
    if fmt == "xlsx":
        lines = [list(r) for r in load_workbook(io.BytesIO(data)).active.iter_rows(
            values_only=True)]
    else:
        assert data.startswith(b"\xef\xbb\xbf")  # so that Excel reads it as UTF-8
        lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return lines[0], lines[1:]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_exported_roll_imports_again_into_another_village(
        client, org, second_village, project, fmt):
    assert upload(client, xlsx(*roll_sheet())).status_code == 201
    project()
    response = client.get(f"{V}/members/export?format={fmt}&date=2025-12-31")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(XLSX if fmt == "xlsx" else "text/csv")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="v1-members-2025-12-31.{fmt}"')
    headers, rows = read_sheet(response.data, fmt)
    assert headers == HEADERS and len(rows) == len(PEOPLE)
    again = upload(client, response.data, f"export.{fmt}", org="v2")
    assert again.status_code == 201, again.get_json()
    project()
    assert roll_of(client, "v2") == roll_of(client)
    today = client.get(f"{V}/members/export?format={fmt}")
    assert "v1-members-2026-11-22" in today.headers["Content-Disposition"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_exported_register_is_the_register_of_the_day(client, org, project, fmt):
    with_classes(client)
    assert upload(client, xlsx(*roll_sheet(shares=True)), **QUANTIFIED).status_code == 201
    project()
    response = client.get(f"{V}/shares/export?format={fmt}&date=2025-07-01")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="v1-shares-2025-07-01.{fmt}"')
    headers, rows = read_sheet(response.data, fmt)
    assert headers == ["持有人", "类别", "名称", "表决权", "人口股", "劳龄股", "集体股", "合计",
                       "占比(%)"]
    register = client.get(f"{V}/shares?date=2025-07-01").get_json()
    expected = [[h["holder"], h["name"], h["total"], h["percent"]] for h in register["holders"]]
    assert [[r[0], r[2], int(r[7]), r[8]] for r in rows[:-1]] == expected
    assert [rows[-1][0], int(rows[-1][7])] == ["合计", 300]
