"""A cooperative's statements over HTTP and on the desk: the balance sheet and the income
statement answer with its own layouts (资产负债表, 盈余及盈余分配表), 成员权益变动表 has its own
endpoint, desk page and download, and a village, which keeps no such statement, is refused."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from projections.books import layouts_cooperative
from projections.disclosure.content import prepare
from tests.api.conftest import error_of, make_user
from tests.api.desk_browser import browser

C = "/api/v1/orgs/coop"


@pytest.fixture
def coop(client, project):
    """A cooperative whose members paid in 5,000.00 of 股金 and that sold 1,200.00 of rice to a
    non-member, spending 200.00 on the office."""
    response = client.post("/api/v1/orgs", json={
        "code": "coop", "name_zh": "东村水稻专业合作社", "kind": "farmers_cooperative",
        "books_start": "2025-01-01"})
    assert response.status_code == 201, response.get_json()
    assert client.post(f"{C}/roles", json={"login": "wang", "role": "accountant",
                                           "reason": "记账"}).status_code == 201
    for day, summary, lines in (
            ("2025-02-01", "成员入股", [("101", "5000.00", ""), ("301", "", "5000.00")]),
            ("2025-03-01", "销售大米", [("102", "1200.00", ""), ("50102", "", "1200.00")]),
            ("2025-03-02", "办公费", [("522", "200.00", ""), ("101", "", "200.00")])):
        response = client.post(f"{C}/vouchers", json={"date": day, "summary": summary, "lines": [
            {"account": account, **({"debit": debit} if debit else {"credit": credit})}
            for account, debit, credit in lines]})
        assert response.status_code == 201, response.get_json()
    project()
    return "coop"


def lines_of(body: dict, column: str) -> dict[str, str]:
    return {line["key"]: line[column] for line in body["lines"]}


def test_the_statements_answer_with_the_cooperatives_layouts(client, coop):
    sheet = client.get(f"{C}/reports/balance-sheet?date=2025-12-31")
    assert sheet.status_code == 200
    end = lines_of(sheet.get_json(), "end")
    assert [(line["row"], line["label_zh"]) for line in sheet.get_json()["lines"]] == [
        (line.row, line.label_zh) for line in layouts_cooperative.BALANCE_SHEET]
    assert (end["share_capital"], end["undistributed"], end["equity_total"]) == (
        "5000.00", "1000.00", "6000.00")
    statement = client.get(f"{C}/reports/income-statement?from=2025-01&to=2025-12")
    year = lines_of(statement.get_json(), "year_to_date")
    assert (year["operating_revenue"], year["administrative"], year["net_income"]) == (
        "1200.00", "200.00", "1000.00")
    assert year["undistributed_end"] == end["undistributed"]


def test_the_equity_changes_of_a_year(client, coop):
    response = client.get(f"{C}/reports/equity-changes?year=2025")
    assert response.status_code == 200
    rows = {row["key"]: row for row in response.get_json()["rows"]}
    assert (rows["increase"]["share_capital"], rows["increase"]["undistributed"]) == (
        "5000.00", "1000.00")
    assert rows["end"]["total"] == "6000.00"
    assert rows["start"]["label_zh"] == "年初余额"
    sheet = client.get(f"{C}/reports/equity-changes?year=2025&format=xlsx")
    book = load_workbook(io.BytesIO(sheet.data)).active
    assert book["A1"].value == "成员权益变动表"


def test_the_year_is_required_and_a_village_has_no_such_statement(client, coop, org, project):
    project()
    missing = client.get(f"{C}/reports/equity-changes")
    assert (missing.status_code, error_of(missing)["errors"][0]["field"]) == (422, "year")
    village = client.get("/api/v1/orgs/v1/reports/equity-changes?year=2025")
    assert (village.status_code, error_of(village)["errors"][0]["field"]) == (422, "org")


def test_the_desk_shows_the_cooperatives_statements(app, project, coop):
    wang = browser(app, project, "wang")
    menu = wang.get("/desk/coop/reports/balance-sheet?date=2025-12-31")
    assert "资产负债表" in menu and "股金" in menu
    assert 'href="/desk/coop/reports/equity-changes"' in menu
    surplus = wang.get("/desk/coop/reports/income-statement?from=2025-01&to=2025-12")
    assert "盈余及盈余分配表" in surplus and "收益及收益分配表" not in surplus
    equity = wang.get("/desk/coop/reports/equity-changes?year=2025")
    assert "成员权益变动表" in equity and "年末余额" in equity and "6,000.00" in equity
    download = wang.client.get("/desk/coop/reports/income-statement?from=2025-01&to=2025-12"
                               "&format=xlsx")
    assert load_workbook(io.BytesIO(download.data)).active["A1"].value == "盈余及盈余分配表"
    rows = wang.client.get("/desk/coop/reports/equity-changes?year=2025&format=csv")
    assert rows.get_data(as_text=True).splitlines()[0].lstrip("\ufeff").split(",") == [
        "项目", "股金", "专项基金", "资本公积", "盈余公积", "未分配盈余", "合计"]


def test_a_villages_desk_keeps_its_statement_and_has_no_equity_link(app, project, org):
    project()
    wang = browser(app, project, "wang")
    page = wang.get("/desk/v1/reports/income-statement?from=2025-01&to=2025-01")
    assert "equity-changes" not in page
    wang.get("/desk/v1/reports/equity-changes?year=2025", status=422)


def test_the_public_page_shows_a_cooperatives_year_statements(app, client, coop, project):
    """The year-end balance sheet, published: the cooperative's lines and its 成员权益变动表."""
    services = app.extensions["sunlight"]
    panel = ("jian1", "jian2", "jian3")
    for login in panel:
        make_user(app, login, ("coop", "supervisor"))
    project()
    with services.queries.read() as reader:
        prepared = prepare(reader, "coop", "balance_sheet", "2025-12", "2025年资产负债表", {})
    ledger = services.ledger
    ref = str(ledger.disclosure.draft_disclosure(
        "coop", kind="balance_sheet", period="2025-12", title="2025年资产负债表", inputs={},
        content=prepared.content, position=prepared.position, actor="wang").value.id)
    ledger.disclosure.submit_disclosure("coop", ref, panel=list(panel), actor="wang")
    for member in panel[:2]:
        ledger.disclosure.sign_disclosure("coop", ref, member=member)
    ledger.disclosure.publish_disclosure("coop", ref, actor="wang")
    project()
    page = app.test_client().get(f"/coop/disclosures/{ref}").get_data(as_text=True)
    assert "股金" in page and "未分配盈余" in page
    assert "合作社现有的钱" in page and "村里" not in page  # the summary asks of the cooperative
    assert 'id="equity-changes"' in page and "年末余额" in page and "6,000.00" in page
    # A cooperative's board of supervisors signs, not a village committee.
    assert "监事会审核" in page and "村务监督委员会" not in page
    front = app.test_client().get("/coop/").get_data(as_text=True)
    assert "社务公开" in front and "村务" not in front and "村务监督委员会" not in front
    sheet = app.test_client().get(f"/coop/disclosures/{ref}/sheet.pdf")
    assert (sheet.status_code, sheet.content_type) == (200, "application/pdf")


def test_on_a_phone_the_equity_changes_are_cards_whose_figures_keep_whole(app, project, coop):
    # Given the cooperative's 成员权益变动表 on the desk
    wang = browser(app, project, "wang")
    equity = wang.get("/desk/coop/reports/equity-changes?year=2025")
    table = re.search(r'<table class="([^"]*)" id="equity-changes">', equity)
    # Then it is not laid out as a two-figure statement, whose phone table broke its six
    # figures inside their digits (77,0/00.0/0), but as cards naming each figure's column
    assert table is not None and table[1].split() == ["report", "equity-changes"]
    assert 'data-label="股金"' in equity and 'data-label="未分配盈余"' in equity
    css = wang.client.get("/static/reports.css").get_data(as_text=True)
    assert "table.equity-changes td.num { white-space: nowrap; }" in css
