"""A printed report's closing 合计 row is never alone on its page: a trial balance whose rows
just fill the first sheet carries its last account over with the total, so the page that holds
the total also shows what it totals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import render_template

from api.books.desk_reports import print_cell
from api.books.report_sheets import Table
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
