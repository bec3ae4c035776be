"""Disclosures of books that start after January 1 (format 5 on): the balance
sheet's 年初数 and the income statement's 年初未分配收益 are the opening balances, as the desk
shows them, not 0.00 and a 其他转入; a content published in format 4 still rebuilds byte for
byte; the 收支明细's accrued lines are numbered 1, 2, 3 … (format 4 repeated a voucher's)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from projections.disclosure.content import FORMAT, FORMATS, build, canonical
from projections.disclosure.verify import verify
from tests.api.conftest import make_user
from tests.api.desk_browser import browser
from tests.api.test_midyear_books import midyear  # noqa: F401 - a fixture

PANEL = ("zhang", "liu")


def _draft(client: FlaskClient, kind: str, period: str) -> dict[str, Any]:
    response = client.post("/api/v1/orgs/v2/disclosures",
                           json={"kind": kind, "period": period, "title": f"{period} {kind}"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _desk(client: FlaskClient, url: str) -> dict[str, dict[str, str]]:
    response = client.get(f"/api/v1/orgs/v2/reports/{url}")
    assert response.status_code == 200, response.get_json()
    return {line["key"]: line for line in response.get_json()["lines"]}


def test_a_balance_sheet_disclosure_shows_the_desk_s_opening_column(
        client: FlaskClient, midyear: str) -> None:  # noqa: F811
    content = _draft(client, "balance_sheet", "2025-12")["content"]
    desk = _desk(client, "balance-sheet?date=2025-12-31")
    assert content["format"] == FORMAT == "sunlight-disclosure/9"
    assert content["start_of_year"] == "2025-06-30"
    assert {line["key"]: (line["start_of_year"], line["amount"]) for line in content["lines"]} \
        == {key: (line["start_of_year"], line["end"]) for key, line in desk.items()}
    lines = {line["key"]: line for line in content["lines"]}
    assert lines["cash"]["start_of_year"] == "100000.00"
    assert lines["undistributed"]["start_of_year"] == "30000.00"


@pytest.mark.parametrize(("period", "months"), [("2025", "from=2025-01&to=2025-12"),
                                                ("2025-Q3", "from=2025-07&to=2025-09"),
                                                ("2025-08", "from=2025-08&to=2025-08")])
def test_an_income_statement_disclosure_brings_the_opening_undistributed_income_in(
        client: FlaskClient, midyear: str, period: str, months: str) -> None:  # noqa: F811
    content = _draft(client, "income_statement", period)["content"]
    desk = _desk(client, f"income-statement?{months}")
    # A figure the desk leaves out (null) the content leaves empty.
    assert {line["key"]: (line["amount"], line["year_to_date"]) for line in content["lines"]} \
        == {key: (line["amount"] or "", line["year_to_date"]) for key, line in desk.items()}
    lines = {line["key"]: line for line in content["lines"]}
    # The books start in July: August alone starts after the year does.
    starts_year = period != "2025-08"
    assert lines["undistributed_start"]["amount"] == ("30000.00" if starts_year else "")
    assert lines["undistributed_start"]["year_to_date"] == "30000.00"
    assert lines["other_transfers"]["amount"] == ("0.00" if starts_year else "")
    assert lines["other_transfers"]["year_to_date"] == "0.00"
    assert lines["undistributed_end"]["year_to_date"] == "35000.00"


def _publish(app: Flask, ref: str) -> None:
    ledger = app.extensions["sunlight"].ledger
    ledger.disclosure.submit_disclosure("v2", ref, panel=list(PANEL), actor="wang")
    for login in PANEL:
        ledger.disclosure.sign_disclosure("v2", ref, member=login, opinion="属实")
    ledger.disclosure.publish_disclosure("v2", ref, actor="wang")


def test_a_format_4_content_keeps_its_old_reading_and_rebuilds_unchanged(
        app: Flask, client: FlaskClient, midyear: str, project: Any) -> None:  # noqa: F811
    """Published before format 5, a midyear balance sheet showed 0.00 as 年初数 and an income
    statement the opening 30,000.00 as 其他转入: rebuilt, they are those bytes still."""
    services = app.extensions["sunlight"]
    refs = []
    for kind in ("balance_sheet", "income_statement"):
        with services.queries.read() as reader:
            old = build(reader, "v2", kind, "2025-12", "旧", {}, format=FORMATS[3])
            position = reader.position()
        lines = {line["key"]: line for line in old["lines"]}
        if kind == "balance_sheet":
            assert "start_of_year" not in old
            assert lines["cash"]["start_of_year"] == "0.00"
        else:
            assert lines["other_transfers"]["year_to_date"] == "30000.00"
            assert lines["undistributed_start"]["year_to_date"] == "0.00"
        refs.append(str(services.ledger.disclosure.draft_disclosure(
            "v2", kind=kind, period="2025-12", title="旧", inputs={}, content=canonical(old),
            position=position, actor="wang").value.id))
    refs.append(_draft(client, "balance_sheet", "2025-12")["id"])
    for login in PANEL:
        make_user(app, login, ("v2", "supervisor"))
    for ref in refs:
        _publish(app, ref)
    project()
    findings = verify(services.ledger, "v2")
    assert len(findings) == 3 and all(f.ok for f in findings), [f.problems for f in findings]
    # The public page dates the new one's opening column as the desk does; the old one's not.
    public = app.test_client()
    assert "年初数（2025-06-30）" in public.get(f"/v2/disclosures/{refs[2]}").get_data(
        as_text=True)
    old_page = public.get(f"/v2/disclosures/{refs[0]}").get_data(as_text=True)
    assert "年初数" in old_page and "年初数（" not in old_page


def test_a_depreciation_voucher_s_accrued_lines_are_numbered_apart(
        app: Flask, client: FlaskClient, midyear: str, project: Any) -> None:  # noqa: F811
    """A month's depreciation charged to two expense accounts, no money moving: two accrued
    lines, numbered 1 and 2 (format 4 numbered both 1)."""
    response = client.post("/api/v1/orgs/v2/vouchers", json={
        "date": "2025-08-31", "summary": "计提8月折旧",
        "lines": [{"account": "511", "debit": "300.00"}, {"account": "514", "debit": "200.00"},
                  {"account": "152", "credit": "500.00"}]})
    assert response.status_code == 201, response.get_json()
    project()
    content = _draft(client, "income_expenditure", "2025-08")["content"]
    assert [(line["no"], line["amount"]) for line in content["accrued"]] \
        == [(1, "300.00"), (2, "200.00")]
    with app.extensions["sunlight"].queries.read() as reader:
        old = build(reader, "v2", "income_expenditure", "2025-08", "旧", {}, format=FORMATS[3])
    assert [line["no"] for line in old["accrued"]] == [1, 1]


@pytest.fixture
def midyear_coop(client: FlaskClient, project: Any) -> str:
    """c2, a cooperative whose books start on 2025-07-01 with 6,000.00 of 股金, 1,000.00 of
    盈余公积 and 3,000.00 of 未分配盈余 brought in; 1,200.00 of rice sold in August."""
    assert client.post("/api/v1/orgs", json={
        "code": "c2", "name_zh": "二村水稻专业合作社", "kind": "farmers_cooperative",
        "books_start": "2025-07-01"}).status_code == 201
    assert client.post("/api/v1/orgs/c2/roles", json={
        "login": "wang", "role": "accountant", "reason": "记账"}).status_code == 201
    for body in ({"date": "2025-07-01", "kind": "opening", "summary": "期初余额",
                  "lines": [{"account": "101", "debit": "10000.00"},
                            {"account": "301", "credit": "6000.00"},
                            {"account": "322", "credit": "1000.00"},
                            {"account": "33201", "credit": "3000.00"}]},
                 {"date": "2025-08-05", "summary": "销售大米",
                  "lines": [{"account": "102", "debit": "1200.00"},
                            {"account": "50102", "credit": "1200.00"}]}):
        response = client.post("/api/v1/orgs/c2/vouchers", json=body)
        assert response.status_code == 201, response.get_json()
    project()
    return "c2"


def _rows(rows: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    return {row["key"]: {column: row[column] for column in (
        "share_capital", "surplus_reserve", "undistributed", "total")} for row in rows}


def test_the_equity_changes_bring_the_opening_balances_in(
        app: Flask, client: FlaskClient, midyear_coop: str) -> None:
    """成员权益变动表 of the year the books start: its 年初余额 are the opening balances, not a
    本年增加, on the desk and in a format-5 December disclosure; format 4 keeps its reading."""
    response = client.get("/api/v1/orgs/c2/reports/equity-changes?year=2025")
    assert response.status_code == 200, response.get_json()
    desk = _rows(response.get_json()["rows"])
    assert desk["start"] == {"share_capital": "6000.00", "surplus_reserve": "1000.00",
                             "undistributed": "3000.00", "total": "10000.00"}
    assert desk["increase"] == {"share_capital": "0.00", "surplus_reserve": "0.00",
                                "undistributed": "1200.00", "total": "1200.00"}
    assert desk["end"]["total"] == "11200.00"
    assert response.get_json()["start_of_year"] == "2025-06-30"
    following = _rows(client.get("/api/v1/orgs/c2/reports/equity-changes?year=2026")
                      .get_json()["rows"])
    assert following["start"]["total"] == following["end"]["total"] == "11200.00"
    for kind in ("balance_sheet", "income_statement"):
        content = client.post("/api/v1/orgs/c2/disclosures", json={
            "kind": kind, "period": "2025-12", "title": "12月"}).get_json()["content"]
        assert _rows(content["equity_changes"]["rows"]) == desk
        assert content["equity_changes"]["start_of_year"] == "2025-06-30"
    with app.extensions["sunlight"].queries.read() as reader:
        old = build(reader, "c2", "balance_sheet", "2025-12", "旧", {}, format=FORMATS[3])
    assert _rows(old["equity_changes"]["rows"])["start"]["total"] == "0.00"
    assert "start_of_year" not in old["equity_changes"]


def test_the_year_s_movements_leave_the_opening_voucher_out(
        app: Flask, client: FlaskClient, midyear: str) -> None:  # noqa: F811
    """The 收支明细 of the year the books start: the opening voucher brought 100,000.00 of bank
    balance in, which is the balance at the start, not a receipt (format 4 listed it as one)."""
    content = _draft(client, "income_expenditure", "2025")["content"]
    assert [(line["voucher"], line["amount"]) for line in content["lines"]] \
        == [("2025-08-0001", "5000.00")]
    assert (content["money"]["start"]["amount"], content["money"]["end"]["amount"],
            content["totals"]["income"]["amount"]) == ("100000.00", "105000.00", "5000.00")
    with app.extensions["sunlight"].queries.read() as reader:
        old = build(reader, "v2", "income_expenditure", "2025", "旧", {}, format=FORMATS[3])
    assert old["totals"]["income"]["amount"] == "105000.00"


def test_the_desk_equity_changes_name_the_day_the_opening_balances_were_brought_in(
        app: Flask, midyear_coop: str, project: Any) -> None:
    """On the desk, 年初余额 of the year the books start after January 1 names its day, as the
    balance sheet's 年初数 does; the years after read as usual."""
    wang = browser(app, project, "wang")
    first = wang.get("/desk/c2/reports/equity-changes?year=2025")
    assert re.search(r"年初余额<small[^>]*>（2025-06-30）</small>", first), first
    assert "（2025-12-31）" not in wang.get("/desk/c2/reports/equity-changes?year=2026")
