"""A report's spreadsheet as an Excel user works it: a sub-account or a statement's 其中 row is
set in by the cell's indent, its name alone in the cell (so VLOOKUP and filters find it, where
leading full-width spaces broke them); a ledger's days are days, a statement's 行次 numbers,
and a line's other side blank as on the desk. The CSV keeps the spaces: it has no format."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import load_workbook

from tests.api.test_report_desk import ORG, books  # noqa: F401 - a fixture

REPORTS = f"/api/v1/orgs/{ORG}/reports"


def rows(client, path: str) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(client.get(f"{REPORTS}/{path}").data)).active
    return [list(row) for row in sheet.iter_rows(min_row=7)]


def test_a_sub_account_is_indented_by_the_cell_not_by_spaces(client, books):  # noqa: F811
    found = {row[0].value: row[1] for row in rows(client, "trial-balance?period=2025-01"
                                                  "&format=xlsx")}
    assert found["51301"].value == "干部报酬" and found["51301"].alignment.indent == 2
    assert found["513"].value == "管理费用" and not found["513"].alignment.indent
    csv = client.get(f"{REPORTS}/trial-balance?period=2025-01&format=csv").data.decode("utf-8-sig")
    assert ",　干部报酬," in csv


def test_a_statements_rows_are_numbered_by_numbers(client, books):  # noqa: F811
    lines = rows(client, "balance-sheet?date=2025-01-31&format=xlsx")
    assert all(isinstance(row[1].value, int) for row in lines if row[1].value is not None)
    assert not any(str(row[0].value or "").startswith("　") for row in lines)


def test_a_ledgers_days_are_days_and_a_lines_other_side_is_blank(client, books):  # noqa: F811
    lines = rows(client, "ledger?account=102&from=2025-01-01&to=2025-01-31&format=xlsx")
    posted = [row for row in lines if row[1].value]  # a voucher's line has its number
    assert [type(row[0].value) for row in posted] == [datetime, datetime]
    assert posted[0][0].number_format == "yyyy-mm-dd"
    assert [(row[4].value, row[5].value) for row in posted] == [(12345.6, None), (None, 1200)]
