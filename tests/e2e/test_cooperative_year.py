"""A farmers' cooperative's year end to end through the JSON API: 60 members, contributions in
money and in kind, trade with members and non-members posted as it is recorded, a state grant
that becomes 专项基金, a 2024 loss brought forward, a member who leaves at the end of 2025; then
the 2025 surplus distributed under Art. 44 of the Farmers' Professional Cooperatives Law.

The three statements, the distributable surplus and each member's return by trade and remaining
share are checked against tests/e2e/cooperative_year.py, which keeps the same books again by hand
and splits with the law's arithmetic; the refusals of Art. 40 (15 days) and Art. 44 (60 %) too.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api import create_app
from infra.storage import Storage
from projections.runner import catch_up_all
from tests.api.conftest import FAST_HASHER, make_user, signed_in
from tests.conftest import Clock
from tests.e2e import cooperative_year as year
from tests.e2e.cooperative_year import LEAVER, MEMBERS, Books, fen, number, yuan

ORG = "c1"
API = f"/api/v1/orgs/{ORG}"
DECEMBER = date(2025, 12, 31)


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.get_json()
    return response.get_json()


@pytest.fixture
def coop(storage: Storage, clock: Clock) -> Iterator[tuple[Flask, dict[str, FlaskClient]]]:
    clock.today = date(2026, 1, 5)
    app = create_app(storage, clock=clock, passwords=FAST_HASHER)
    admin = signed_in(app, make_user(app, "admin", ("*", "admin")))
    ok(admin.post("/api/v1/orgs", json={"code": ORG, "name_zh": "东村果品专业合作社",
                                        "kind": "farmers_cooperative",
                                        "books_start": "2024-01-01"}), 201)
    ok(admin.put(f"{API}/settings", json={"matter_steps": "decide", "reason": "合作社章程"}))
    clients = {"admin": admin,
               "kuaiji": signed_in(app, make_user(app, "kuaiji", (ORG, "accountant"))),
               "jianshi": signed_in(app, make_user(app, "jianshi", (ORG, "supervisor")))}
    yield app, clients
    app.extensions["sunlight"].close()


def keep_the_books(client: FlaskClient, books: Books) -> None:
    """Admit the members, then write every contribution, trade and voucher in date order,
    closing 2024 (months and year) before 2025 and 2025's months to November."""
    for i in range(1, MEMBERS + 1):
        ok(client.post(f"{API}/members", json={
            "number": number(i), "name": year.name(i), "sex": "male" if i % 2 else "female",
            "born": f"{1960 + i % 30}-05-01", "confirmed_on": year.joined(i).isoformat(),
            "basis": "admitted"}), 201)
    writes: list[tuple[date, str, dict[str, Any]]] = []
    for c in year.contributions():
        body = {"on": c.on.isoformat(), "form": c.form, "amount": yuan(c.amount),
                "account": c.account, "description": c.description}
        if c.share_capital is not None:
            body["share_capital"] = yuan(c.share_capital)
        writes.append((c.on, f"{API}/member-accounts/{c.member}/contributions", body))
    for t in year.trades():
        party = {"member": t.member} if t.member else {"counterparty": t.counterparty}
        writes.append((t.on, f"{API}/trades", {
            "on": t.on.isoformat(), **party, "direction": t.direction, "product": t.product,
            "quantity": str(t.amount // 300), "unit": "公斤", "amount": yuan(t.amount),
            "settlement": t.settlement}))
    for e in year.ENTRIES:
        writes.append((e.on, f"{API}/vouchers", {"date": e.on.isoformat(), "summary": e.summary,
                                                "lines": [{"account": a, "debit": yuan(f)}
                                                          if f > 0 else
                                                          {"account": a, "credit": yuan(-f)}
                                                          for a, f in e.lines]}))
    writes.append((date(2025, 3, 10), f"{API}/member-accounts/{LEAVER}/exit",
                   {"on": "2025-03-10", "document": "退社申请书"}))
    writes.sort(key=lambda w: w[0])
    for y in (2024, 2025):
        for _, path, body in (w for w in writes if w[0].year == y):
            answer = ok(client.post(path, json=body), 201)
            if path.endswith("/exit"):
                assert answer["exit"]["effective"] == "2025-12-31"
        for month in range(1, 12):
            ok(client.post(f"{API}/periods/{y}-{month:02d}/close"))
        if y == 2024:
            ok(client.post(f"{API}/years/2024/close"))
            books.close(2024)


def test_a_cooperative_of_60_shares_its_2025_surplus_by_trade_and_by_capital(coop, clock):
    app, clients = coop
    client, jianshi = clients["kuaiji"], clients["jianshi"]
    services = app.extensions["sunlight"]

    def project() -> None:
        catch_up_all(services.ledger, services.views)

    books = year.books_of_the_year()
    keep_the_books(client, books)
    net_income = -books.balance("5", DECEMBER, date(2025, 1, 1))
    split = year.surplus_split(net_income, -books.balance("33201", date(2024, 12, 31)))
    assert split.loss_covered == 2_000_000 and split.distributable > 0

    # Art. 44: at least 60 % of D goes back by trade; 59.99 % is refused, by the law's number.
    matter = ok(client.post(f"{API}/matters", json={
        "date": "2026-01-05", "title": "2025年度盈余分配", "category": "distribution",
        "description": "", "proposed_by": "board", "budget_total": "0.00"}), 201)
    for path, given in (("/distributions/preview", {}),
                        ("/distributions", {"matter": matter["number"]})):
        refused = client.post(f"{API}{path}", json={
            "year": 2025, "trade_return": {"rate": "0.5999"}, **given})
        assert refused.status_code == 422, refused.get_json()
        error = refused.get_json()["error"]
        assert "Art. 44" in error["message"], error
        assert [e["field"] for e in error["errors"]] == ["trade_return.rate"], error

    plan = ok(client.post(f"{API}/distributions", json={
        "year": 2025, "record_date": "2025-12-31", "matter": matter["number"]}), 201)
    assert (fen(plan["net_income"]), fen(plan["loss_covered"]), fen(plan["reserve"]),
            fen(plan["distributable"]), fen(plan["trade_return"])) == (
        split.net_income, split.loss_covered, split.reserve, split.distributable,
        split.trade_return)
    assert fen(plan["undistributed_at_start"]) == -2_000_000
    assert split.trade_return * 100 >= 60 * split.distributable
    lines = {line["holder"].removeprefix("member:"): line for line in plan["holders"]}
    assert sorted(lines) == [number(i) for i in range(1, MEMBERS + 1)]  # the leaver shares too
    assert Decimal(plan["trade_return_percent"]) >= 60
    for member, line in lines.items():
        assert fen(line["trade"]) == year.volumes()[member], member
        assert fen(line["weight"]) == split.weights[member], member
        assert fen(line["return"]) == split.returns[member], member
        assert fen(line["remaining"]) == split.remaining[member], member
        assert fen(line["amount"]) == split.returns[member] + split.remaining[member], member
    assert sum(fen(x["return"]) for x in lines.values()) == split.trade_return
    assert sum(fen(x["amount"]) for x in lines.values()) == split.distributable
    assert lines[LEAVER]["return"] != "0.00"

    # Art. 40: the members' meeting no sooner than 15 days after the plan was posted up.
    project()
    notice = ok(client.post(f"{API}/disclosures", json={
        "kind": "distribution", "title": "2025年度盈余分配方案公示",
        "distribution": plan["id"], "stage": "plan"}), 201)
    ok(client.post(f"{API}/disclosures/{notice['id']}/submit"))
    ok(jianshi.post(f"{API}/disclosures/{notice['id']}/signatures",
                    json={"opinion": "经核对，方案与账簿相符"}))
    ok(client.post(f"{API}/disclosures/{notice['id']}/publish"))
    meeting = {"step": "decide", "body": "members_meeting", "entitled": MEMBERS,
               "present": 52, "votes_for": 50, "resolution_no": "东村社决〔2026〕1号"}
    clock.today = date(2026, 1, 20)
    early = client.post(f"{API}/matters/{matter['number']}/meetings",
                        json={**meeting, "date": "2026-01-19"})
    assert early.status_code == 409 and "Art. 40" in early.get_json()["error"]["message"]
    ok(client.post(f"{API}/matters/{matter['number']}/meetings",
                   json={**meeting, "date": "2026-01-20"}), 201)

    ok(client.post(f"{API}/distributions/{plan['id']}/post", json={}), 201)
    books.post(DECEMBER, ("3320201", split.reserve, ""), ("322", -split.reserve, ""))
    for member in lines:
        books.post(DECEMBER, ("3320202", split.returns[member], ""),
                   ("221", -split.returns[member], member))
        books.post(DECEMBER, ("3320203", split.remaining[member], ""),
                   ("222", -split.remaining[member], member))
    ok(client.post(f"{API}/years/2025/close"))
    books.close(2025)
    paid = ok(client.post(f"{API}/distributions/{plan['id']}/payments", json={
        "holders": "all", "paid_from": "102", "date": "2026-01-20"}), 201)
    assert paid["status"] == "paid"

    project()
    check_statements(client, books, split)
    # Paid in full: nothing is owed to a member any more.
    sheet = ok(client.get(f"{API}/reports/balance-sheet?date=2026-01-20"))
    assert row(sheet, "surplus_returns")["end"] == row(sheet, "remaining_surplus")["end"] == \
        "0.00"


def check_statements(client: FlaskClient, books: Books, split: year.Split) -> None:
    """The three statements of 2025 against the hand-kept books."""
    sheet = ok(client.get(f"{API}/reports/balance-sheet?date=2025-12-31"))
    assert sheet["balanced"]
    expected_lines = year.balance_sheet_lines(books, DECEMBER)
    got = {key: fen(row(sheet, key)["end"]) for key in expected_lines}
    assert got == expected_lines
    statement = ok(client.get(f"{API}/reports/income-statement?from=2025-01&to=2025-12"))
    for key, expected in year.surplus_statement_lines(books, split).items():
        assert fen(row(statement, key)["amount"]) == expected, key
    changes = ok(client.get(f"{API}/reports/equity-changes?year=2025"))
    cells = year.equity_changes(books, 2025)
    for r, columns in cells.items():
        for column, expected in columns.items():
            assert fen(row(changes, r)[column]) == expected, (r, column)
    # The last row of 成员权益变动表 is the balance sheet's owners' equity, line by line.
    for column, key in year.EQUITY_LINES.items():
        assert row(changes, "end")[column] == row(sheet, key)["end"], column


def row(report: dict[str, Any], key: str) -> dict[str, Any]:
    return next(x for x in report.get("lines", report.get("rows", [])) if x["key"] == key)
