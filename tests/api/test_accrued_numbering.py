"""The table of income and expense recorded without money moving (不涉及现金的收支) numbers its
rows 1, 2, 3 on the page and on the printed sheet, even where two rows come from one voucher (the
demo's September depreciation, 经营支出 14,000.00 and 折旧费 16,000.00, is one voucher of two
lines, which format 4's content numbers 1 and 1)."""

from __future__ import annotations

import json
import re

from demo.village import DEMO_ORG
from tests.api.public_village import poppler
from tests.api.test_sheet_fits import demo  # noqa: F401

ROW_NO = re.compile(r'<td data-label="序号"><span class="v">(\d+)</span>')


def september(app) -> dict:
    rows = app.extensions["sunlight"].disclosures.published(DEMO_ORG)
    return next(row for row in rows
                if row["kind"] == "income_expenditure" and row["period"] == "2026-09"
                and json.loads(row["content"]).get("accrued"))


def test_the_rows_recorded_without_money_are_numbered_one_by_one(demo, tmp_path):  # noqa: F811
    # Given September, whose depreciation voucher has two lines and moved no money
    row = september(demo)
    assert len(json.loads(row["content"])["accrued"]) == 2
    client = demo.test_client()
    # When a villager opens it
    page = client.get(f"/{DEMO_ORG}/disclosures/{row['id']}").get_data(as_text=True)
    # Then its rows read 1 and 2
    table = page[page.index('class="lines accrued"'):]
    table = table[:table.index("</table>")]
    assert ROW_NO.findall(table) == ["1", "2"]
    # and so do the printed sheet's
    sheet = client.get(f"/{DEMO_ORG}/disclosures/{row['id']}/sheet.pdf?size=A3").get_data()
    text = poppler("pdftotext", sheet, tmp_path, "-layout")
    numbers = re.findall(r"^\s*(\d+)\s+计提三季度固定资产折旧", text, re.M)
    assert numbers == ["1", "2"], numbers
