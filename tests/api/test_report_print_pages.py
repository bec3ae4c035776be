"""A printed report's closing 合计 row is never alone on its page: a trial balance whose rows
just fill the first sheet carries its last account over with the total, so the page that holds
the total also shows what it totals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import render_template

from api.books.desk_reports import print_cell
from api.books.report_sheets import Table, balance_sheet_table
from api.render.pdf import html_to_pdf
from tests.api.public_village import poppler

ONE = Decimal("1.00")


def printed_pages(app, rows: int, tmp_path) -> list[list[str]]:
    """The first word of each printed line, page by page, of a trial balance of `rows` accounts
    and its total."""
    accounts = [[f"{100 + n}", f"科目{n}", *[ONE] * 8] for n in range(rows)]
    table = Table(title="科目余额表", org_name="青山村", period="2026年11月",
                  made_on=date(2026, 12, 7), columns=["科目编码", "科目名称", *["金额"] * 8],
                  rows=[*accounts, [None, "合计", *[ONE * rows] * 8]], totals={rows})
    with app.test_request_context():
        html = render_template("books/reports_print.html", table=table, cell=print_cell)
    text = poppler("pdftotext", html_to_pdf(html), tmp_path, "-layout")
    return [[line.split()[0] for line in page.splitlines() if line.strip()]
            for page in text.split("\f") if page.strip()]


def test_the_total_row_is_printed_with_the_account_above_it(app, tmp_path):
    for rows in (25, 26):  # 25 accounts fill an A4 landscape sheet; the total would stand alone
        pages = printed_pages(app, rows, tmp_path)
        assert len(pages) == 2
        last = pages[-1]
        assert last[last.index("合计") - 1] == f"{100 + rows - 1}", (rows, last)


def test_a_balance_sheet_prints_as_the_form_one_page_assets_beside_liabilities(app, tmp_path):
    # Given a balance sheet of 23 asset rows and 16 rows of liabilities and equity
    lines = [{"key": f"a{n}", "row": n, "label_zh": f"资产{n}", "indent": 0, "total": False,
              "start_of_year": 100 * n, "end": 200 * n} for n in range(1, 23)]
    lines.append({"key": "assets_total", "row": 23, "label_zh": "资产总计", "indent": 0,
                  "total": True, "start_of_year": 1, "end": 2})
    lines += [{"key": f"l{n}", "row": n, "label_zh": f"负债{n}", "indent": 1, "total": False,
               "start_of_year": 0, "end": 0} for n in range(24, 39)]
    lines.append({"key": "liabilities_and_equity_total", "row": 39, "indent": 0,
                  "label_zh": "负债和所有者权益总计", "total": True, "start_of_year": 1, "end": 2})
    report = {"date": date(2025, 12, 31), "start_of_year": date(2024, 12, 31), "lines": lines}
    table = balance_sheet_table("青山村", report, date(2026, 12, 8))
    with app.test_request_context():
        html = render_template("books/reports_print.html", table=table, cell=print_cell)
    # When it is printed, then it fills one sheet, as the form (会村集01表) does
    text = poppler("pdftotext", html_to_pdf(html), tmp_path, "-layout")
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) == 1
    printed = pages[0].splitlines()
    # the first liability beside the first asset, the two grand totals on one line
    assert any("资产1 " in line and "负债24" in line for line in printed)
    assert any("资产总计" in line and "负债和所有者权益总计" in line for line in printed)
    # and it closes with the lines for the signatures
    assert any("单位负责人" in line and "会计主管" in line and "制表人" in line for line in printed)
    # while its spreadsheet keeps the one list
    assert [row[0] for row in table.rows][23] == "　负债24"
