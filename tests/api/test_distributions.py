"""The year-end distribution over HTTP, on the small village of tests/registers.py: households
001 (85 shares), 002 (80), 003 (35) and the collective's 60; 2025 earned 80,000.00. A plan is
previewed, drafted, disclosed, decided, posted and paid through the API; each refusal names its
field and writes nothing; the plan and the credit union's batch open in openpyxl and add up."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from ledger.application import Ledger
from tests.api.conftest import error_of, make_user, signed_in
from tests.application.test_distribution import decide, disclose, matter, posted
from tests.conftest import Clock
from tests.registers import ORG, village_with_shares

V = f"/api/v1/orgs/{ORG}/distributions"
PLAN = {"year": 2025, "reserve": {"rate": "0.30"}, "to_members": {"per_share": "100.00"}}


@pytest.fixture
def village(app: Flask, client: FlaskClient, clock: Clock) -> Ledger:
    """The village of the application tests, with wang (the client) as its accountant."""
    ledger: Ledger = app.extensions["sunlight"].ledger
    clock.today = date(2026, 1, 5)
    village_with_shares(ledger, matter_steps="decide")
    ledger.books.open_account(ORG, parent="211", code="21102", name_zh="应付收益分配",
                              name_en="Distributions payable", actor="kuaiji")
    posted(ledger, "2025-03-01", "102", "501", 10_000_000)
    posted(ledger, "2025-09-01", "513", "102", 2_000_000)
    ledger.identity.grant_role("wang", org=ORG, role="accountant", reason="会计", actor="admin")
    ledger.identity.create_user(login="jiandu", display_name="监督", password="a long password",
                                actor="admin")
    ledger.identity.grant_role("jiandu", org=ORG, role="supervisor", reason="elected",
                               actor="admin")
    return ledger


def drafted(client: FlaskClient, village: Ledger, **changes: Any) -> tuple[str, dict[str, Any]]:
    number = matter(village)
    response = client.post(V, json=PLAN | {"matter": number} | changes)
    assert response.status_code == 201, response.get_json()
    return number, response.get_json()


def decided(client: FlaskClient, village: Ledger, clock: Clock) -> str:
    number, plan = drafted(client, village)
    disclose(village, plan["id"])
    clock.today = date(2026, 1, 16)
    assert decide(village, number, date(2026, 1, 16))
    return plan["id"]


def amounts(plan: dict[str, Any]) -> list[tuple[str, int, str]]:
    return [(h["holder"], h["shares"], h["amount"]) for h in plan["holders"]]


def test_a_preview_shows_every_holders_amount_and_writes_nothing(client, village, log_head):
    head = log_head()
    response = client.post(f"{V}/preview", json=PLAN)
    assert response.status_code == 200, response.get_json()
    plan = response.get_json()
    assert log_head() == head
    assert (plan["id"], plan["status"], plan["record_date"]) == (None, "preview", "2025-12-31")
    assert amounts(plan) == [("household:001", 85, "8500.00"), ("household:002", 80, "8000.00"),
                             ("household:003", 35, "3500.00")]
    assert [h["name"] for h in plan["holders"]] == ["张大山", "王建国", "刘志强"]
    assert (plan["net_income"], plan["reserve"], plan["to_members"]) == (
        "80000.00", "24000.00", "20000.00")
    assert plan["collective"]["amount"] == "6000.00" and plan["collective_kept"] == "6000.00"
    assert plan["terms"] == {"reserve.rate": "0.30", "to_members.per_share": "100.00",
                             "collective_share": "keep"}


def test_a_drafted_plan_answers_what_a_later_get_shows(client, village, project):
    number, plan = drafted(client, village, to_members={"total": "26000.01"})
    assert (plan["id"], plan["status"], plan["matter"]) == ("2025-1", "drafted", number)
    members = sum(Decimal(h["amount"]) for h in plan["holders"])
    assert members + Decimal(plan["collective"]["amount"]) == Decimal("26000.01")
    assert plan["to_members"] == plan["unpaid_total"] == f"{members:.2f}"
    project()
    got = client.get(f"{V}/2025-1").get_json()
    assert got == plan
    listed = client.get(f"{V}?year=2025").get_json()["items"]
    assert [p["id"] for p in listed] == ["2025-1"] and "holders" not in listed[0]
    assert client.get(f"{V}?year=2024").get_json()["items"] == []


@pytest.mark.parametrize(("changes", "status", "code", "field"), [
    ({"to_members": {"total": "56000.01"}}, 422, "over_distributable", "to_members"),
    ({"reserve": {"rate": "0.20"}}, 422, "reserve_below_minimum", "reserve"),
    ({"reserve": {"rate": "0.3", "welfare_rate": "0.1"}}, 422, "invalid_distribution",
     "reserve"),
    ({"reserve": {"rate": "三成"}}, 422, "invalid_request", "reserve.rate"),
    ({"to_members": {"total": 56000}}, 422, "invalid_request", "to_members.total"),
    ({"to_members": {}}, 422, "invalid_distribution", "to_members"),
    ({"year": 2026}, 422, "invalid_distribution", "year"),
    ({"record_date": "2025-05-01"}, 422, "invalid_distribution", "record_date"),
    ({"collective_share": "give"}, 422, "invalid_request", "collective_share"),
])
def test_a_plan_refused_names_its_field_and_writes_nothing(client, village, log_head,
                                                            changes, status, code, field):
    settings = client.put(f"/api/v1/orgs/{ORG}/settings",
                          json={"reserve_minimum": "0.25", "reason": "章程第二十条"})
    assert settings.status_code == 200, settings.get_json()
    number = matter(village)
    head = log_head()
    for path in (V, f"{V}/preview"):
        response = client.post(path, json=PLAN | {"matter": number} | changes
                               if path == V else PLAN | changes)
        error = error_of(response)
        assert (response.status_code, error["code"]) == (status, code), error
        assert error["errors"][0]["field"] == field
    assert log_head() == head


def test_a_matter_of_another_category_is_refused(client, village, log_head):
    number = village.spending.propose_matter(
        ORG, on=date(2026, 1, 5), title="修路", category="project", description="",
        proposed_by="party_branch", budget_total=0, budget_lines=[],
        actor="kuaiji").value.number
    head = log_head()
    response = client.post(V, json=PLAN | {"matter": number})
    assert response.status_code == 422 and error_of(response)["errors"][0]["field"] == "matter"
    assert log_head() == head


def test_a_second_plan_waits_for_the_first_to_be_cancelled(client, village, log_head):
    number, _ = drafted(client, village)
    head = log_head()
    again = client.post(V, json=PLAN | {"matter": number})
    assert again.status_code == 409 and error_of(again)["context"]["distribution"] == "2025-1"
    assert log_head() == head
    assert client.post(f"{V}/2025-1/cancel", json={"reason": ""}).status_code == 422
    cancelled = client.post(f"{V}/2025-1/cancel", json={"reason": "劳龄股数有误"})
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    assert client.post(V, json=PLAN | {"matter": number}).get_json()["id"] == "2025-2"


def test_an_undecided_plan_is_not_posted(client, village, log_head):
    _, plan = drafted(client, village)
    head = log_head()
    response = client.post(f"{V}/{plan['id']}/post", json={})
    assert (response.status_code, error_of(response)["code"]) == (409, "matter_undecided")
    assert log_head() == head
    assert client.post(f"{V}/2025-9/post", json={}).status_code == 404


def test_posted_then_paid_holder_by_holder_and_never_twice(client, village, clock, log_head,
                                                           project):
    number = decided(client, village, clock)
    posted_plan = client.post(f"{V}/{number}/post", json={})
    assert posted_plan.status_code == 201, posted_plan.get_json()
    assert posted_plan.get_json()["status"] == "posted"
    assert posted_plan.get_json()["posted_on"] == "2025-12-31"
    paid = client.post(f"{V}/{number}/payments", json={
        "holders": ["household:002"], "paid_from": "102", "date": "2026-01-16"})
    assert paid.status_code == 201, paid.get_json()
    head = log_head()
    twice = client.post(f"{V}/{number}/payments", json={
        "holders": ["household:003", "household:002"], "paid_from": "101",
        "date": "2026-01-16"})
    error = error_of(twice)
    assert twice.status_code == 409 and error["errors"][0]["field"] == "holders[1]"
    assert log_head() == head
    bad = client.post(f"{V}/{number}/payments", json={
        "holders": ["household:003", "户003"], "paid_from": "102", "date": "2026-01-16"})
    assert bad.status_code == 422 and error_of(bad)["errors"][0]["field"] == "holders[1]"
    project()
    owed = client.get(f"{V}/{number}/unpaid").get_json()
    assert [h["holder"] for h in owed["holders"]] == ["household:001", "household:003"]
    assert (owed["count"], owed["total"]) == (2, "12000.00")
    one = client.get(f"{V}/{number}/holders/household:002").get_json()
    assert (one["paid"], one["paid_on"], one["amount"]) == (True, "2026-01-16", "8000.00")
    assert client.get(f"{V}/{number}/holders/household:009").status_code == 404
    rest = client.post(f"{V}/{number}/payments", json={
        "holders": "all", "paid_from": "102", "date": "2026-01-16"})
    assert rest.status_code == 201, rest.get_json()
    assert rest.get_json()["status"] == "paid" and rest.get_json()["unpaid_total"] == "0.00"
    assert village.books.of(ORG).balances["21102"] == 0


def rows_of(data: bytes) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def test_the_plan_sheet_adds_up_and_the_batch_hides_names_from_other_readers(
        app, client, village, clock, project):
    number = decided(client, village, clock)
    client.post(f"{V}/{number}/post", json={})
    client.post(f"{V}/{number}/payments", json={"holders": ["household:001"],
                                                 "paid_from": "102", "date": "2026-01-16"})
    project()
    sheet = client.get(f"{V}/{number}?format=xlsx")
    assert sheet.status_code == 200 and sheet.mimetype.endswith("sheet")
    rows = rows_of(sheet.data)
    figures = {row[0]: row[1] for row in rows[3:15]}
    assert figures["向成员分配"] == 20000 and figures["提取公积公益金合计"] == 24000
    start = next(i for i, row in enumerate(rows) if row[0] == "序号") + 1
    holders = [row for row in rows[start:] if isinstance(row[0], int)]
    assert [(r[1], r[3], r[5]) for r in holders] == [
        ("001", "张大山", 8500), ("002", "王建国", 8000), ("003", "刘志强", 3500)]
    assert rows[-1][0] == "合计" and rows[-1][5] == sum(r[5] for r in holders)
    # the status as the desk says it, and the days as dates a spreadsheet sorts by
    assert rows[1][:4] == ("股权登记日", datetime(2025, 12, 31), "状态", "已过账，发放中")
    assert holders[0][6:8] == ("是", datetime(2026, 1, 16)) and holders[1][7] is None
    batch = rows_of(client.get(f"{V}/{number}/bank-batch.xlsx").data)
    assert "账号" in batch[0][0] and batch[1] == ("序号", "户号/编号", "姓名", "账号", "金额")
    assert batch[2:] == [(1, "002", "王建国", None, 8000), (2, "003", "刘志强", None, 3500),
                         ("合计", None, "2户", None, 11500)]
    committee = signed_in(app, make_user(app, "cunwei", (ORG, "committee")))
    every = rows_of(committee.get(f"{V}/{number}/bank-batch.xlsx?holders=all").data)
    assert [row[2] for row in every[2:5]] == ["张**", "王**", "刘**"]
    assert every[-1][4] == 20000


def test_the_distribution_settings_are_set_through_the_settings_endpoint(client, village):
    changed = client.put(f"/api/v1/orgs/{ORG}/settings", json={
        "reserve_minimum": "0.30", "collective_share": "reserve",
        "distribution_payable": "21102", "reserve_accumulation_account": "31101",
        "reserve_welfare_account": "31102", "reason": "章程修订"})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["collective_share"] == "reserve"
    assert client.get(f"/api/v1/orgs/{ORG}/settings").get_json()["reserve_minimum"] == "0.30"
    for bad in ({"collective_share": "give"}, {"reserve_minimum": "30%"},
                {"distribution_payable": "应付款"}):
        response = client.put(f"/api/v1/orgs/{ORG}/settings", json=bad | {"reason": "试"})
        assert response.status_code == 422
        assert error_of(response)["errors"][0]["field"] == next(iter(bad))


def test_a_payment_sent_twice_with_one_key_pays_once(client, village, clock, log_head):
    number = decided(client, village, clock)
    client.post(f"{V}/{number}/post", json={})
    body = {"holders": "all", "paid_from": "102", "date": "2026-01-16"}
    first = client.post(f"{V}/{number}/payments", json=body, headers={"Idempotency-Key": "p-1"})
    head = log_head()
    again = client.post(f"{V}/{number}/payments", json=body, headers={"Idempotency-Key": "p-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true" and log_head() == head
    assert again.get_json()["status"] == "paid"
    assert village.books.of(ORG).balances["102"] == 10_000_000 - 2_000_000 - 2_000_000


def test_drafting_writes_what_the_preview_showed(client, village):
    shown = client.post(f"{V}/preview", json=PLAN | {"to_members": {"total": "30000.03"}})
    _, plan = drafted(client, village, to_members={"total": "30000.03"})
    different = {k for k in plan if plan[k] != shown.get_json()[k]}
    assert different == {"id", "status", "matter"}
