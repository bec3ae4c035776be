"""A white slip on the desk: the accountant's voucher paying for spending with nothing attached
is listed among the warnings in plain Chinese, linked to its voucher, and its voucher's page
shows it; its papers counted, the same voucher raises none."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.api.desk_browser import browser


def _post(client: FlaskClient, org: str, attachments: int) -> str:
    response = client.post(f"/api/v1/orgs/{org}/vouchers", json={
        "date": "2025-01-09", "summary": "买办公用品", "attachments": attachments,
        "lines": [{"account": "51301", "debit": "150.00"},
                  {"account": "102", "credit": "150.00"}]})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["number"]


def test_a_voucher_paying_for_spending_with_nothing_attached_is_a_warning(
        app: Flask, client: FlaskClient, org: str, project: Any) -> None:
    # Given a voucher with its receipt counted, and one with none,
    _post(client, org, attachments=1)
    number = _post(client, org, attachments=0)
    project()
    # when the accountant opens the warnings,
    page = browser(app, project, "wang").get(f"/desk/{org}/warnings")
    # then the second one alone is there, said plainly, linked to its voucher.
    assert page.count("没有附原始凭证（白条）") == 1
    assert f"凭证 {number} 支付费用 150.00，没有附原始凭证（白条）。" in page
    assert f'href="/desk/{org}/vouchers/{number}"' in page
    # And the voucher's own page says so where the accountant lands after posting it.
    voucher = browser(app, project, "wang").get(f"/desk/{org}/vouchers/{number}")
    assert 'id="voucher-warnings"' in voucher and "没有附原始凭证（白条）" in voucher
