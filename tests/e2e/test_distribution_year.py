"""A year-end distribution of a whole village, end to end through the JSON API, on SQLite and
PostgreSQL: 500 households holding 人口股 (10 a person), 劳龄股 (by years of labour) and the
organization's 集体股; a year of books; a total that does not divide evenly, drafted, disclosed,
decided ten days later, posted and paid in two batches.

Every household's amount is checked against a computation written here from the rule itself
(⌊A·sᵢ/S⌋, then the leftover fen to the largest remainders, ties to the lower holder number),
and at every step the balance sheet's 应付款 equals what the unpaid holders are still owed.
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
from ledger.application import Ledger
from ledger.books import Line, VoucherDraft
from ledger.register import Quantification, RollRow
from projections.runner import catch_up_all
from tests.api.conftest import FAST_HASHER, make_user, signed_in
from tests.conftest import Clock

ORG = "v1"
HOUSEHOLDS = 500
COLLECTIVE = 3_000
TOTAL = "63000.07"  # over 27,024 shares: the last of its 252 leftover fen falls in a tie
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("建国", "秀英", "桂兰", "志强", "德明", "春梅", "国华", "玉兰", "海波", "小红",
         "永福", "淑珍", "文斌", "凤英", "大山")
API = f"/api/v1/orgs/{ORG}"


def people(i: int) -> int:
    return 1 + i % 4


def labour(i: int) -> int:
    return (i * 37) % 41 + 3


def roll() -> list[RollRow]:
    """Household i (001…500) has 1–4 people; its head's row carries the household's shares."""
    rows: list[RollRow] = []
    for i in range(1, HOUSEHOLDS + 1):
        for person in range(people(i)):
            rows.append(RollRow(
                row=len(rows) + 2, household=f"{i:03d}",
                name=SURNAMES[i % len(SURNAMES)] + GIVEN[(i + person) % len(GIVEN)],
                sex="male" if (i + person) % 2 else "female", born=date(1950 + i % 50, 1, 1),
                confirmed_on=date(2025, 6, 1), basis="original", head=person == 0,
                address=f"东村{1 + i % 8}组", resolution="成员确认决〔2025〕1号",
                resolution_date=date(2025, 6, 1),
                shares={"population": 10 * people(i), "labour": labour(i)} if person == 0
                else {}))
    return rows


def expected_amounts(total: int) -> dict[str, int]:
    """The rule, written out again: floors, then one fen each to the largest remainders, equal
    remainders going first to the lower household number, the organization after them all."""
    shares = {f"household:{i:03d}": 10 * people(i) + labour(i)
              for i in range(1, HOUSEHOLDS + 1)} | {"org": COLLECTIVE}
    whole = sum(shares.values())
    amounts = {h: total * s // whole for h, s in shares.items()}
    remainder = {h: total * s % whole for h, s in shares.items()}
    order = sorted(shares, key=lambda h: (-remainder[h], h == "org", h))
    leftover = total - sum(amounts.values())
    # The total is chosen so that the last fen handed out splits holders of equal remainders:
    # the tie rule, not chance, decides who gets it.
    assert remainder[order[leftover - 1]] == remainder[order[leftover]]
    for holder in order[:leftover]:
        amounts[holder] += 1
    return amounts


@pytest.fixture
def village(storage: Storage, clock: Clock) -> Iterator[tuple[Flask, FlaskClient]]:
    clock.today = date(2026, 1, 5)
    app = create_app(storage, clock=clock, passwords=FAST_HASHER)
    ledger: Ledger = app.extensions["sunlight"].ledger
    ledger.books.register_organization(code=ORG, name_zh="东村股份经济合作社",
                                       kind="village_collective", books_start=date(2025, 1, 1),
                                       actor="admin")
    ledger.books.change_settings(ORG, {"share_holding": "household", "matter_steps": "decide"},
                                 reason="村章程", actor="admin")
    ledger.register.define_share_class(ORG, code="population", name_zh="人口股",
                                       basis="per_person", per_person=10, actor="kuaiji")
    ledger.register.define_share_class(ORG, code="labour", name_zh="劳龄股", basis="labour",
                                       actor="kuaiji")
    ledger.register.define_share_class(ORG, code="collective", name_zh="集体股",
                                       basis="collective", cap_percent=30, actor="kuaiji")
    ledger.register.import_roll(ORG, rows=roll(), quantification=Quantification(
        on=date(2025, 6, 30), resolution="股改决〔2025〕1号", resolution_date=date(2025, 6, 28),
        reserve={"collective": COLLECTIVE}), actor="kuaiji")
    ledger.books.open_account(ORG, parent="211", code="21102", name_zh="应付收益分配",
                              name_en="Distributions payable", actor="kuaiji")
    for day, debit, credit, fen in (("2025-03-01", "102", "501", 12_000_000),
                                    ("2025-06-15", "102", "504", 3_500_000),
                                    ("2025-07-10", "101", "501", 800_000),
                                    ("2025-09-01", "513", "102", 2_600_000),
                                    ("2025-11-20", "515", "101", 300_000)):
        ledger.books.post_voucher(ORG, VoucherDraft(
            date=date.fromisoformat(day), summary="年度业务",
            lines=(Line(debit, debit=fen), Line(credit, credit=fen))), actor="kuaiji")
    yield app, signed_in(app, make_user(app, "kuaiji", (ORG, "accountant")))
    app.extensions["sunlight"].close()


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.get_json()
    return response.get_json()


def line(report: dict[str, Any], key: str, column: str = "amount") -> str:
    return next(x for x in report["lines"] if x["key"] == key)[column]


def test_a_village_of_500_households_shares_its_year_to_the_fen(village, clock):
    app, client = village
    services = app.extensions["sunlight"]

    def project() -> None:
        catch_up_all(services.ledger, services.views)

    def payables() -> str:
        project()
        sheet = ok(client.get(f"{API}/reports/balance-sheet?date=2026-01-16"))
        return line(sheet, "payables", "end")

    matter = ok(client.post(f"{API}/matters", json={
        "date": "2026-01-05", "title": "2025年度收益分配", "category": "distribution",
        "description": "", "proposed_by": "party_branch", "budget_total": "0.00"}), 201)
    plan = ok(client.post(f"{API}/distributions", json={
        "year": 2025, "reserve": {"accumulation_rate": "0.20", "welfare_rate": "0.10"},
        "to_members": {"total": TOTAL}, "matter": matter["number"]}), 201)
    expected = expected_amounts(int(Decimal(TOTAL) * 100))
    got = {h["holder"]: int(Decimal(h["amount"]) * 100) for h in plan["holders"]}
    assert len(got) == HOUSEHOLDS
    assert got == {h: a for h, a in expected.items() if h != "org"}
    assert int(Decimal(plan["collective"]["amount"]) * 100) == expected["org"]
    assert sum(got.values()) + expected["org"] == int(Decimal(TOTAL) * 100)
    assert Decimal(plan["to_members"]) * 100 == sum(got.values())

    # The plan with the year's statements, posted up on 01-05 once the supervisor signed it.
    jiandu = signed_in(app, make_user(app, "jiandu", (ORG, "supervisor")))
    project()
    disclosure = ok(client.post(f"{API}/disclosures", json={
        "kind": "distribution", "title": "2025年度收益分配方案公示",
        "distribution": plan["id"], "stage": "plan"}), 201)
    assert disclosure["period"] == "2025"
    ok(client.post(f"{API}/disclosures/{disclosure['id']}/submit"), 200)
    ok(jiandu.post(f"{API}/disclosures/{disclosure['id']}/signatures",
                   json={"opinion": "经核对，方案与账簿相符"}), 200)
    ok(client.post(f"{API}/disclosures/{disclosure['id']}/publish"), 200)
    clock.today = date(2026, 1, 15)
    members = len(roll())
    early = client.post(f"{API}/matters/{matter['number']}/meetings", json={
        "step": "decide", "date": "2026-01-14", "body": "members_meeting",
        "entitled": members, "present": members, "votes_for": members,
        "resolution_no": "东村决〔2026〕1号"})
    assert early.status_code == 409  # nine days after the plan was posted up
    clock.today = date(2026, 1, 16)
    ok(client.post(f"{API}/matters/{matter['number']}/meetings", json={
        "step": "decide", "date": "2026-01-15", "body": "members_meeting",
        "entitled": members, "present": members, "votes_for": members,
        "resolution_no": "东村决〔2026〕1号"}), 201)

    posted = ok(client.post(f"{API}/distributions/{plan['id']}/post", json={}), 201)
    assert payables() == plan["to_members"] == posted["unpaid_total"]
    project()
    statement = ok(client.get(f"{API}/reports/income-statement?from=2025-01&to=2025-12"))
    assert line(statement, "to_reserve") == plan["reserve"]
    assert line(statement, "to_members") == plan["to_members"]

    first = sorted(got)[:200]
    ok(client.post(f"{API}/distributions/{plan['id']}/payments", json={
        "holders": first, "paid_from": "102", "date": "2026-01-16"}), 201)
    owed = sum(a for h, a in got.items() if h not in first)
    assert Decimal(payables()) * 100 == owed
    unpaid = ok(client.get(f"{API}/distributions/{plan['id']}/unpaid"))
    assert unpaid["count"] == HOUSEHOLDS - 200 and Decimal(unpaid["total"]) * 100 == owed

    paid = ok(client.post(f"{API}/distributions/{plan['id']}/payments", json={
        "holders": "all", "paid_from": "102", "date": "2026-01-16"}), 201)
    assert paid["status"] == "paid" and payables() == "0.00"
