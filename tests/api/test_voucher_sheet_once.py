"""A sheet of vouchers is imported into a village's books once: the same sheet sent again is
refused (409) naming when it was imported and as which vouchers, and writes nothing, unless the
accountant says again=true; and the sheet's cells are named for what is wrong with them — a day
that does not exist once, an amount too large as too large."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook

from tests.api.conftest import error_of
from tests.api.test_voucher_sheets import SPEC, upload, xlsx

V = "/api/v1/orgs/v1"
ROWS: list[list[Any]] = [
    ["A1", date(2025, 3, 5), "收取发包款", "102", "银行存款", 500, None],
    ["A1", date(2025, 3, 5), None, "50101", "发包收入", None, 500],
    ["A2", date(2025, 3, 9), "支付干部报酬", "51301", "干部报酬", 120.5, None],
    ["A2", date(2025, 3, 9), None, "102", "银行存款", None, 120.5],
]


def csv_of(rows: list[list[Any]]) -> bytes:
    lines = [",".join(SPEC)] + [",".join("" if v is None else str(v) for v in row)
                                for row in rows]
    return "\n".join(lines).encode()


def total(client: Any) -> int:
    return client.get(f"{V}/vouchers?per_page=1").get_json()["pagination"]["total"]


def test_the_same_sheet_sent_twice_is_refused_the_second_time_and_writes_nothing(
        client, org, project, log_head):
    # given a sheet of two vouchers imported once
    first = upload(client, xlsx(ROWS))
    assert first.status_code == 201, first.get_json()
    head = log_head()
    # when the same vouchers are sent again: the same file, re-saved, and as .csv
    again = [upload(client, xlsx(ROWS)), upload(client, csv_of(ROWS), "凭证.csv"),
             upload(client, xlsx(ROWS), check_only="true")]
    # then each is refused, naming when and as which vouchers, and nothing is written
    for response in again:
        assert response.status_code == 409, response.get_json()
        error = error_of(response)
        assert error["code"] == "sheet_already_imported"
        assert error["context"]["vouchers"] == ["2025-03-0001–2025-03-0002"]
        assert error["context"]["imported_at"][:4] == str(date.today().year)
        assert error["context"]["imported_by"]
    assert log_head() == head
    project()
    assert total(client) == 2


def test_a_sheet_imported_again_on_purpose_is_imported_and_the_next_refusal_names_the_last(
        client, org, project):
    # given a sheet imported once
    assert upload(client, xlsx(ROWS)).status_code == 201
    # when the accountant says it is meant
    meant = upload(client, xlsx(ROWS), again="true")
    # then its vouchers are posted once more, and a third try names the second import
    assert meant.status_code == 201, meant.get_json()
    project()
    assert total(client) == 4
    third = error_of(upload(client, xlsx(ROWS)))
    assert third["context"]["vouchers"] == ["2025-03-0003–2025-03-0004"]
    assert third["context"]["times"] == 2


def test_a_refused_sheet_is_not_counted_as_imported_nor_is_a_different_one(client, org,
                                                                           log_head):
    # given a sheet refused by the books: its account 50102 is not opened yet
    rows = [[*row[:3], "50102" if row[3] == "50101" else row[3], *row[4:]] for row in ROWS]
    head = log_head()
    refused = upload(client, xlsx(rows))
    assert refused.status_code == 422 and log_head() == head
    # when the account is opened and the same sheet is sent again
    assert client.post(f"{V}/accounts", json={"parent": "501", "code": "50102",
                                              "name_zh": "出租收入"}).status_code == 201
    # then it is imported: the refusal left no trace of an import
    assert upload(client, xlsx(rows)).status_code == 201
    # and another sheet differing in one amount is another sheet
    other = [list(row) for row in rows]
    other[2][5] = other[3][6] = 120.6
    response = upload(client, xlsx(other))
    assert response.status_code == 201, response.get_json()


def test_a_day_that_does_not_exist_is_one_problem_of_its_cell(client, org):
    # given a voucher dated 2025-02-30 typed as text
    rows = [["A1", "2025-02-30", "收取发包款", "102", "", "500", ""],
            ["A1", "", "", "50101", "", "", "500"]]
    # when it is checked
    problems = error_of(upload(client, xlsx(rows), check_only="true"))["errors"]
    # then the day is named once, at its cell, and not also as missing
    assert [(p["cell"], p["reason"]) for p in problems] == [
        ("B2", 'no such day, not "2025-02-30"')]


def test_an_amount_too_large_is_called_too_large_and_quoted_as_typed(client, org):
    # given an amount of seventeen digits in a number cell, and one with three decimals
    book = Workbook()
    sheet = book.active
    for line in [SPEC, ["A1", date(2025, 3, 5), "发包款", "102", "", 99999999999999999, None],
                 ["A1", date(2025, 3, 5), None, "50101", "", None, 12.345]]:
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    # when it is checked
    problems = error_of(upload(client, out.getvalue(), check_only="true"))["errors"]
    # then the first is too large, shown in full; the second has too many decimals
    assert [(p["cell"], p["reason"]) for p in problems] == [
        ("F2", 'too large: at most 9,999,999,999,999.99, not "100000000000000000"'),
        ("G3", 'an amount with at most two decimals, such as 1234.50, not "12.345"')]
