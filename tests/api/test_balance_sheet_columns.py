"""The desk's balance sheet names its columns as the printed form and the PDF do — 年初数 and
期末数 — and keeps 截至日期 for the day field above it; the walk of a township accountant found
the column headed 截至日期, a label, not a column of a 资产负债表."""

from __future__ import annotations

import re

from tests.api.desk_browser import browser

ORG = "v1"


def test_the_balance_sheet_columns_read_as_on_the_printed_form(app, client, org, project):
    body = {"date": "2025-01-05", "summary": "收取一组发包款",
            "lines": [{"account": "102", "debit": "12345.60"},
                      {"account": "50101", "credit": "12345.60"}]}
    assert client.post(f"/api/v1/orgs/{ORG}/vouchers", json=body).status_code == 201
    wang = browser(app, project, "wang")
    page = wang.get(f"/desk/{ORG}/reports/balance-sheet?date=2025-01-31")
    head = re.search(r"<thead>(.*?)</thead>", page, re.S).group(1)
    assert re.findall(r'<th class="num">([^<]+)</th>', head) == ["年初数", "期末数"]
    assert 'data-label="期末数" translate="no">12,345.60<' in page
    assert '<label for="date">截至日期</label>' in page
