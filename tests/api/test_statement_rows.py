"""Every line of the two statements carries its 行次 wherever the statement is shown: the layout,
the desk page, its .xlsx, .csv and PDF, and the JSON reports API — numbered 1, 2, 3 … in the
order the lines are printed, each beside its own item."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess

import pytest

from projections.books.layouts import BALANCE_SHEET, INCOME_STATEMENT
from tests.api.desk_browser import browser
from tests.api.test_report_desk import ORG, books, workbook  # noqa: F401  (books: a fixture)

REPORTS = {
    "balance-sheet": ("date=2025-01-31", BALANCE_SHEET),
    "income-statement": ("from=2025-01&to=2025-01", INCOME_STATEMENT),
}


def expected(layout) -> list[tuple[int, str]]:
    return [(line.row, line.label_zh) for line in layout]


@pytest.mark.parametrize("layout", [BALANCE_SHEET, INCOME_STATEMENT])
def test_the_layouts_number_their_lines_in_order(layout):
    assert [line.row for line in layout] == list(range(1, len(layout) + 1))


@pytest.mark.parametrize("report", REPORTS)
def test_the_json_api_names_each_lines_row(client, books, report):  # noqa: F811
    query, layout = REPORTS[report]
    body = client.get(f"/api/v1/orgs/{ORG}/reports/{report}?{query}").get_json()
    assert [(line["row"], line["label_zh"]) for line in body["lines"]] == expected(layout)


@pytest.mark.parametrize("report", REPORTS)
def test_the_desk_page_shows_a_row_column(app, project, books, report):  # noqa: F811
    query, layout = REPORTS[report]
    page = browser(app, project, "wang").get(f"/desk/{ORG}/reports/{report}?{query}")
    assert "<th class=\"row-no\">行次</th>" in page
    shown = re.findall(r'class="indent-\d"[^>]*>([^<]+)</td>\s*'
                       r'<td class="row-no" data-label="行次" translate="no">(\d+)</td>', page)
    assert [(int(row), label) for label, row in shown] == expected(layout)


@pytest.mark.parametrize("report", REPORTS)
def test_the_downloads_have_a_row_column(client, books, report):  # noqa: F811
    query, layout = REPORTS[report]
    path = f"/api/v1/orgs/{ORG}/reports/{report}?{query}"
    sheet = workbook(client.get(path + "&format=xlsx").data)
    assert [c.value for c in sheet[6]][:2] == ["项目", "行次"]
    rows = [(int(row[1].value), row[0].value.strip("　")) for row in sheet.iter_rows(min_row=7)]
    assert rows == expected(layout)

    body = client.get(path + "&format=csv").data.decode("utf-8")[1:]
    table = list(csv.reader(io.StringIO(body)))
    assert table[0][:2] == ["项目", "行次"]
    assert [(int(r[1]), r[0].strip("　")) for r in table[1:]] == expected(layout)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils' pdftotext")
def test_the_printed_statement_has_a_row_column(app, project, books, tmp_path):  # noqa: F811
    wang = browser(app, project, "wang")
    response = wang.client.get(f"/desk/{ORG}/reports/balance-sheet?date=2025-01-31&format=pdf")
    pdf = tmp_path / "bs.pdf"
    pdf.write_bytes(response.data)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    # the form's two sides: assets, then liabilities and equity, each with its 行次
    side = r"\s+行次\s+年初数\s+期末数"
    assert re.search(rf"资产{side}\s+负债和所有者权益{side}", text)
    assert re.search(r"货币资金\s+1\s+11,145\.60", text)  # a zero is left blank on paper
    assert re.search(r"负债和所有者权益总计\s+39\s", text)
