"""A cooperative keeping its books here, over HTTP: a contribution and a trade answer with the
voucher they were posted as, the voucher's lines name the member, refusals name their field;
the member account page and its export, in Chinese."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from flask.testing import FlaskClient

from tests.api.conftest import error_of
from tests.api.desk_browser import browser, field

C = "/api/v1/orgs/coop"


@pytest.fixture
def coop(client: FlaskClient) -> str:
    """A cooperative on the 2021 chart with three members, wang its accountant."""
    response = client.post("/api/v1/orgs", json={
        "code": "coop", "name_zh": "东村水稻专业合作社", "kind": "farmers_cooperative",
        "books_start": "2026-01-01"})
    assert response.status_code == 201, response.get_json()
    assert client.post(f"{C}/roles", json={"login": "wang", "role": "accountant",
                                           "reason": "记账"}).status_code == 201
    for name, sex, born in (("周大勇", "male", "1975-04-02"), ("吴春花", "female", "1980-08-08"),
                            ("郑国华", "male", "1968-12-01")):
        response = client.post(f"{C}/members", json={
            "name": name, "sex": sex, "born": born, "confirmed_on": "2026-01-10",
            "basis": "admitted"})
        assert response.status_code == 201, response.get_json()
    return "coop"


def post(client: FlaskClient, path: str, body: dict[str, Any], status: int = 201) -> Any:
    response = client.post(path, json=body)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def lines(client: FlaskClient, number: str) -> list[tuple[str, str, str, str]]:
    found = client.get(f"{C}/vouchers/{number}").get_json()
    return [(line["account"], line.get("debit") or "0.00", line.get("credit") or "0.00",
             line.get("party") or "") for line in found["lines"]]


def test_a_contribution_answers_with_its_voucher(client, coop, project):
    made = post(client, f"{C}/member-accounts/0001/contributions", {
        "on": "2026-03-01", "form": "kind", "amount": "8000.00", "share_capital": "6000.00",
        "account": "142", "description": "耕牛一头，成员大会评估作价8000元"})
    assert (made["voucher"], made["contributed"]) == ("2026-03-0001", "6000.00")
    project()
    assert lines(client, made["voucher"]) == [
        ("142", "8000.00", "0.00", ""), ("301", "0.00", "6000.00", "member:0001"),
        ("321", "0.00", "2000.00", "member:0001")]
    typed = client.post(f"{C}/member-accounts/0001/contributions", json={
        "on": "2026-03-01", "form": "money", "amount": "1.00", "voucher": "记-1"})
    assert (typed.status_code, error_of(typed)["errors"][0]["field"]) == (422, "voucher")
    into_debt = client.post(f"{C}/member-accounts/0001/contributions", json={
        "on": "2026-03-01", "form": "money", "amount": "1.00", "account": "201"})
    assert (into_debt.status_code, error_of(into_debt)["errors"][0]["field"]) == (422, "account")
    project()
    account = client.get(f"{C}/member-accounts/0001").get_json()
    assert [(c["amount"], c["share_capital"], c["capital_reserve"], c["voucher"])
            for c in account["contributions"]] == [
        ("8000.00", "6000.00", "2000.00", "2026-03-0001")]
    assert account["contributed"] == "6000.00"


def test_a_trade_answers_with_its_voucher(client, coop, project):
    sold = post(client, f"{C}/trades", {
        "on": "2026-10-08", "member": "0003", "direction": "sold_to_cooperative",
        "product": "稻谷", "quantity": "1250.5", "unit": "公斤", "amount": "3501.40",
        "settlement": "114"})
    assert sold["voucher"] == "2026-10-0001"
    project()
    assert lines(client, sold["voucher"]) == [
        ("121", "3501.40", "0.00", ""), ("114", "0.00", "3501.40", "member:0003")]
    outside = client.post(f"{C}/trades", json={
        "on": "2026-10-08", "counterparty": "县粮食收储公司",
        "direction": "bought_from_cooperative",
        "product": "稻谷", "quantity": "1", "unit": "公斤", "amount": "1.00",
        "settlement": "114"})
    assert (outside.status_code, error_of(outside)["errors"][0]["field"]) == (422, "settlement")
    project()
    listed = client.get(f"{C}/trades?party=member").get_json()["items"]
    assert [(t["member"], t["voucher"]) for t in listed] == [("0003", "2026-10-0001")]


def test_the_member_account_shares_the_special_fund_and_counts_trade_by_year(
        client, coop, project):
    # 100.00 of 专项基金 among three members: 33.34 to the lowest number, 33.33 to the others.
    post(client, f"{C}/vouchers", {"date": "2026-04-01", "summary": "收到财政扶持资金",
                                   "lines": [{"account": "102", "debit": "100.00"},
                                             {"account": "311", "credit": "100.00"}]})
    for member, direction, amount in (("0002", "sold_to_cooperative", "300.00"),
                                      ("0002", "bought_from_cooperative", "45.50"),
                                      ("0003", "sold_to_cooperative", "9.99")):
        post(client, f"{C}/trades", {"on": "2026-10-08", "member": member,
                                     "direction": direction, "product": "稻谷",
                                     "quantity": "10", "unit": "公斤", "amount": amount,
                                     "settlement": "101"})
    project()
    first = client.get(f"{C}/member-accounts/0001?year=2026").get_json()
    second = client.get(f"{C}/member-accounts/0002?year=2026").get_json()
    assert first["special_fund_share_by_year"] == [
        {"year": 2026, "balance": "100.00", "members": 3, "amount": "33.34"}]
    assert (second["special_fund_share"], first["special_fund_share"]) == ("33.33", "33.34")
    (year,) = second["trade_by_year"]
    assert (year["year"], year["amount"], year["sold_to_cooperative"],
            year["bought_from_cooperative"]) == (2026, "345.50", "300.00", "45.50")
    assert [(t["amount"], t["voucher"]) for t in second["trade_list"]] == [
        ("300.00", "2026-10-0001"), ("45.50", "2026-10-0002")]
    assert first["trade_by_year"] == [] and second["distributions"] == []


def test_the_desk_records_a_trade_and_a_contribution_and_shows_them_on_the_members_page(
        app, client, coop, project):
    wang = browser(app, project, "wang")
    home = wang.get("/desk/")
    assert f'href="/desk/{coop}/member-accounts"' in home and f'href="/desk/{coop}/trades"' in home
    form = wang.get(f"/desk/{coop}/trades/new?member=0002")
    assert 'value="0002" selected' in form
    done = wang.post(f"/desk/{coop}/trades/new", {
        "key": field(form, "key"), "on": "2026-10-08", "member": "0002", "counterparty": "",
        "direction": "sold_to_cooperative", "product": "稻谷", "quantity": "100",
        "unit": "公斤", "amount": "280.00", "settlement": "114", "account": ""})
    assert done.startswith(f"/desk/{coop}/member-accounts/0002?done=traded")
    page = wang.get(done)
    assert "交易已记录" in page or "The trade was recorded." in page
    assert f'href="/desk/{coop}/vouchers/2026-10-0001"' in page
    assert "280.00" in page
    refused = wang.post(f"/desk/{coop}/trades/new", {
        "key": field(form, "key")[::-1], "on": "2026-10-08", "member": "",
        "counterparty": "邻村农户", "direction": "sold_to_cooperative", "product": "稻谷",
        "quantity": "1", "unit": "公斤", "amount": "1.00", "settlement": "114"}, status=422)
    assert 'id="trade-settlement-error"' in refused
    contributed = wang.post(f"/desk/{coop}/member-accounts/0002/contributions", {
        "key": field(page, "key"), "on": "2026-11-02", "form": "money", "amount": "500.00",
        "share_capital": "", "account": "102", "description": ""})
    account = wang.get(contributed)
    assert f'href="/desk/{coop}/vouchers/2026-11-0001"' in account
    assert re.search(r'id="contributed"[^>]*>500\.00<', account)
    wrong = wang.post(f"/desk/{coop}/member-accounts/0002/contributions", {
        "key": field(account, "key"), "on": "2026-11-02", "form": "money", "amount": "1.00",
        "account": "151"}, status=422)
    assert 'id="contribution-account-error"' in wrong
    listed = wang.get(f"/desk/{coop}/member-accounts")
    assert re.search(r'<tr id="m-0002">.*?500\.00.*?280\.00', listed, re.S)
    trades = wang.get(f"/desk/{coop}/trades?year=2026")
    assert "2026-10-0001" in trades


def test_the_member_accounts_export_as_spreadsheets(app, client, coop, project):
    post(client, f"{C}/member-accounts/0001/contributions",
         {"on": "2026-03-01", "form": "money", "amount": "5000.00", "account": "102"})
    post(client, f"{C}/trades", {"on": "2026-10-08", "member": "0001",
                                 "direction": "bought_from_cooperative", "product": "化肥",
                                 "quantity": "2", "unit": "袋", "amount": "240.00",
                                 "settlement": "101"})
    wang = browser(app, project, "wang")
    wang.get("/desk/")
    one = wang.client.get(f"/desk/{coop}/member-accounts/0001.xlsx")
    assert one.status_code == 200 and one.mimetype.endswith("spreadsheetml.sheet")
    cells = sheet_cells(one.data)
    assert "成员账户（0001 周大勇）" in cells and "2026-03-0001" in cells
    assert Decimal("5000.00") in cells and "2026-10-0001" in cells
    listed = sheet_cells(wang.client.get(f"/desk/{coop}/member-accounts.xlsx").data)
    assert {"0001", "周大勇", "0002", "吴春花", "合计"} <= listed
    assert Decimal("240.00") in listed


def sheet_cells(data: bytes) -> set[Any]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    found: set[Any] = set()
    for row in book.active.iter_rows(values_only=True):
        found |= {Decimal(str(v)).quantize(Decimal("0.01")) if isinstance(v, (int, float))
                  else v for v in row if v is not None}
    return found


def test_a_member_who_died_during_the_year_still_shares_in_its_special_fund(
        app, client, coop, project):
    post(client, f"{C}/vouchers", {"date": "2026-04-01", "summary": "收到财政扶持资金",
                                   "lines": [{"account": "102", "debit": "0.05"},
                                             {"account": "311", "credit": "0.05"}]})
    app.extensions["sunlight"].ledger.register.end_membership(
        coop, "0003", on=date(2026, 6, 30), basis="death", actor="wang")
    project()
    shares = [client.get(f"{C}/member-accounts/{n}?year=2026").get_json()
              for n in ("0001", "0002", "0003")]
    # 5 fen among three members on the roll that year: 2, 2, 1 (ties to the lower number).
    assert [s["special_fund_share"] for s in shares] == ["0.02", "0.02", "0.01"]
    assert {s["special_fund_share_by_year"][0]["members"] for s in shares} == {3}


def test_a_member_who_gave_notice_of_exit_is_not_offered_the_contribution_form(
        app, client, coop, project):
    wang = browser(app, project, "wang")
    assert 'id="contribution-form"' in wang.get(f"/desk/{coop}/member-accounts/0003")
    post(client, f"{C}/member-accounts/0003/exit", {"on": "2026-03-01",
                                                   "document": "退社申请书"})
    page = wang.get(f"/desk/{coop}/member-accounts/0003")
    assert 'id="contribution-form"' not in page and 'id="no-contribution"' in page


def test_on_a_phone_each_figure_of_a_member_account_names_its_column(app, client, coop,
                                                                    project):
    # Given a member's contribution of 1,200.00, 1,000.00 of it share capital, and a trade
    post(client, f"{C}/member-accounts/0001/contributions", {
        "on": "2026-03-01", "form": "money", "amount": "1200.00", "share_capital": "1000.00"})
    post(client, f"{C}/trades", {"on": "2026-03-02", "member": "0001",
                                 "direction": "sold_to_cooperative", "product": "稻谷",
                                 "quantity": "10", "unit": "公斤", "amount": "30.00"})
    # When the accountant opens the member's account, which a phone shows as cards
    page = browser(app, project, "wang").get(f"/desk/{coop}/member-accounts/0001")
    # Then every figure carries its column's name, not three bare amounts in a row
    for label in ("作价金额", "计入股金", "计入资本公积", "公积金份额", "专项基金份额",
                  "交易额", "产品", "数量", "金额"):
        assert f'data-label="{label}"' in page, label
