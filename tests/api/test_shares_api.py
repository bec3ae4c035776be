"""The share register over HTTP: classes and the one quantification; movements that take what
they give; the register on a past day, exact after later and backdated movements; a per-person
register following births, deaths and marriages out while a household-held one stays frozen; a
holder's cap refused with 409; and every refusal naming its field."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.api.conftest import error_of
from tests.api.test_members_api import ledger_of, member_body, registered_village
from tests.registers import confirm_people, household_allocations

V = "/api/v1/orgs/v1"
CLASSES = [
    {"code": "population", "name_zh": "人口股", "basis": "per_person", "per_person": 10},
    {"code": "labour", "name_zh": "劳龄股", "basis": "labour"},
    {"code": "collective", "name_zh": "集体股", "basis": "collective", "cap_percent": 30},
]


@pytest.fixture
def village(app, client) -> str:
    return registered_village(app)


def holdings(client: FlaskClient, query: str = "", org: str = "v1") -> dict[str, Any]:
    """Holder → (shares by class, total, percent) of the register the query asks for."""
    body = client.get(f"/api/v1/orgs/{org}/shares{query}").get_json()
    return {h["holder"]: (h["by_class"], h["total"], h["percent"]) for h in body["holders"]}


def move(client: FlaskClient, status: int = 201, org: str = "v1", **body: Any) -> Any:
    body = {"kind": "transfer", "share_class": "labour", "basis": "转让协议", **body}
    response = client.post(f"/api/v1/orgs/{org}/shares/movements", json=body)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def test_classes_are_defined_and_the_shares_quantified_once(app, client, org, project):
    confirm_people(ledger_of(app))
    for share_class in CLASSES:
        response = client.post(f"{V}/share-classes", json=share_class)
        assert response.status_code == 201, response.get_json()
    assert response.get_json() == {"code": "collective", "name_zh": "集体股",
                                   "basis": "collective", "per_person": 0, "cap_percent": 30}
    body = {"quantified_on": "2025-06-30", "allocations": household_allocations(),
            "resolution": "股改决〔2025〕1号", "resolution_date": "2025-06-28"}
    quantified = client.post(f"{V}/shares/quantification", json=body)
    assert quantified.status_code == 201, quantified.get_json()
    answer = quantified.get_json()
    assert (answer["holding"], answer["quantified_on"], answer["grand_total"]) == (
        "household", "2025-06-30", 300)
    assert answer["totals"] == {"population": 100, "labour": 140, "collective": 60}
    again = client.post(f"{V}/shares/quantification", json=body)
    assert (again.status_code, error_of(again)["code"]) == (409, "shares_state")
    late_class = client.post(f"{V}/share-classes", json={"code": "bonus", "name_zh": "奖励股",
                                                          "basis": "other"})
    assert (late_class.status_code, error_of(late_class)["errors"][0]["field"]) == (409, "code")
    project()
    assert [c["code"] for c in client.get(f"{V}/share-classes").get_json()["items"]] == [
        "population", "labour", "collective"]
    register = client.get(f"{V}/shares").get_json()
    assert (register["resolution"], register["grand_total"]) == ("股改决〔2025〕1号", 300)
    assert holdings(client) == {
        "org": ({"collective": 60, "population": 40}, 100, "33.33"),
        "household:001": ({"labour": 55, "population": 30}, 85, "28.33"),
        "household:002": ({"labour": 60, "population": 20}, 80, "26.67"),
        "household:003": ({"labour": 25, "population": 10}, 35, "11.67"),
    }
    heads = {h["holder"]: (h["name"], h["votes"]) for h in register["holders"]}
    assert heads["household:002"] == ("王建国", True) and heads["org"] == ("集体", False)


def test_the_register_on_a_past_day_counts_later_and_backdated_movements_on_their_days(
        client, village, project):
    move(client, on="2025-09-01", source="household:001", target="household:002", quantity=10)
    # Recorded after, dated before.
    move(client, on="2025-08-01", source="household:003", target="household:001", quantity=5,
         price="1500.00")
    project()
    at_quantification = holdings(client, "?date=2025-07-31")
    assert at_quantification["household:001"] == ({"labour": 55, "population": 30}, 85, "28.33")
    assert holdings(client, "?date=2025-06-29") == {}  # before the quantification
    august = holdings(client, "?date=2025-08-15")
    assert (august["household:001"][1], august["household:003"][1]) == (90, 30)
    assert august["household:002"][1] == 80
    september = holdings(client, "?date=2025-09-01")
    assert {h: v[1] for h, v in september.items()} == {
        "org": 100, "household:001": 80, "household:002": 90, "household:003": 30}
    assert september["household:002"][2] == "30.00"
    assert holdings(client) == september
    moves = client.get(f"{V}/shares/movements").get_json()["items"]
    assert [(m["on"], m["source"], m["quantity"], m["price"]) for m in moves] == [
        ("2025-08-01", "household:003", 5, "1500.00"),
        ("2025-09-01", "household:001", 10, "0.00")]
    only = client.get(f"{V}/shares/movements?holder=household:003&to=2025-12-31").get_json()
    assert only["pagination"]["total"] == 1


def test_a_backdated_movement_may_not_leave_a_later_day_below_zero(client, village, log_head):
    move(client, on="2025-09-01", source="household:003", target="household:002", quantity=25)
    before = log_head()
    response = client.post(f"{V}/shares/movements", json={
        "kind": "transfer", "on": "2025-08-01", "source": "household:003",
        "target": "household:001", "share_class": "labour", "quantity": 1, "basis": "协议"})
    assert (response.status_code, error_of(response)["errors"][0]["field"]) == (409, "quantity")
    assert log_head() == before


@pytest.mark.parametrize("holding", ["household", "person"])
def test_births_deaths_and_marriages_out_move_shares_only_in_a_per_person_register(
        app, client, project, holding):
    registered_village(app, holding)
    project()
    before = holdings(client)
    response = client.post(f"{V}/members", json=member_body())  # 0007, born into 001
    assert response.status_code == 201, response.get_json()
    for number, basis, day in (("0004", "death", "2026-04-01"),
                               ("0002", "joined_other_collective", "2026-05-01")):
        response = client.post(f"{V}/members/{number}/ending",
                               json={"ended_on": day, "basis": basis})
        assert response.status_code == 201, response.get_json()
    project()
    after = holdings(client)
    if holding == "household":
        # 增人不增股、减人不减股: the households hold what they were given.
        assert after == before
        assert holdings(client, "?date=2026-03-31") == before
        return
    assert after["member:0007"] == ({"population": 10}, 10, "4.44")
    assert after["member:0004"] == ({"labour": 35}, 35, "15.56")  # 劳龄股 stays with the heirs
    assert "member:0002" not in after
    assert after["org"][0] == {"collective": 60, "population": 50}
    assert holdings(client, "?date=2026-03-31")["org"][0]["population"] == 30
    votes = {h["holder"]: h["votes"]
             for h in client.get(f"{V}/shares").get_json()["holders"]}
    assert (votes["member:0004"], votes["member:0007"]) == (False, True)
    kinds = [m["kind"] for m in client.get(f"{V}/shares/movements").get_json()["items"]]
    assert kinds == ["allocation", "return", "return"]


def test_passing_a_holders_cap_is_refused_with_409(app, client, project, log_head):
    registered_village(app, share_holder_cap_percent=30)
    before = log_head()
    response = client.post(f"{V}/shares/movements", json={
        "kind": "transfer", "on": "2026-01-05", "source": "household:002",
        "target": "household:001", "share_class": "labour", "quantity": 20, "basis": "协议"})
    error = error_of(response)
    assert (response.status_code, error["code"]) == (409, "share_cap_exceeded")
    assert error["errors"][0]["field"] == "target" and "30%" in error["message"]
    assert log_head() == before
    move(client, on="2026-01-05", source="household:002", target="household:001", quantity=5)


def test_a_collective_share_above_its_cap_is_refused_at_quantification(app, client, org,
                                                                       log_head):
    confirm_people(ledger_of(app))
    for share_class in CLASSES:
        assert client.post(f"{V}/share-classes", json=share_class).status_code == 201
    before = log_head()
    response = client.post(f"{V}/shares/quantification", json={
        "quantified_on": "2025-06-30", "resolution": "股改决〔2025〕1号",
        "resolution_date": "2025-06-28", "allocations": [
            {"holder": "household:001", "share_class": "population", "quantity": 30},
            {"holder": "org", "share_class": "collective", "quantity": 31}]})
    assert (response.status_code, error_of(response)["code"]) == (409, "share_cap_exceeded")
    assert log_head() == before


@pytest.mark.parametrize(("change", "field", "status"), [
    ({"quantity": 0}, "quantity", 422),
    ({"quantity": "5"}, "quantity", 422),
    ({"kind": "gift"}, "kind", 422),
    ({"price": 100}, "price", 422),
    ({"share_class": "bonus"}, "share_class", 422),
    ({"share_class": "collective"}, "share_class", 409),
    ({"on": "2025-06-01"}, "on", 422),
    ({"target": "household:001"}, "target", 422),
    ({"target": "member:0002"}, "target", 422),
    ({"basis": ""}, "basis", 422),
    ({"kind": "buy_back"}, "target", 422),
    ({"kind": "allocation"}, "source", 422),
    ({"kind": "inheritance"}, "source", 409),
    ({"target": "outside", "target_name": "陈某"}, "target", 409),
    ({"quantity": 61}, "quantity", 409),
])
def test_a_bad_movement_names_its_field_and_nothing_is_written(
        client, village, log_head, change, field, status):
    before = log_head()
    body = {"kind": "transfer", "on": "2026-01-05", "source": "household:001",
            "target": "household:002", "share_class": "labour", "quantity": 5,
            "basis": "转让协议", **change}
    response = client.post(f"{V}/shares/movements", json=body)
    assert response.status_code == status, response.get_json()
    assert field in [e["field"] for e in error_of(response)["errors"]]
    assert log_head() == before


def test_a_bad_quantification_names_the_allocation(app, client, org):
    confirm_people(ledger_of(app))
    for share_class in CLASSES:
        assert client.post(f"{V}/share-classes", json=share_class).status_code == 201
    base = {"quantified_on": "2025-06-30", "resolution": "决", "resolution_date": "2025-06-28"}
    for allocation, field, status in (
            ({"holder": "household:001", "share_class": "population", "quantity": "3"},
             "allocations[0].quantity", 422),
            ({"holder": "household:009", "share_class": "population", "quantity": 3},
             "allocations[0].holder", 422),
            ({"holder": "member:0001", "share_class": "population", "quantity": 3},
             "allocations[0].holder", 422),
            ({"holder": "household:001", "share_class": "bonus", "quantity": 3},
             "allocations[0].share_class", 422)):
        response = client.post(f"{V}/shares/quantification",
                               json={**base, "allocations": [allocation]})
        assert response.status_code == status, response.get_json()
        assert error_of(response)["errors"][0]["field"] == field


def test_shares_pass_outside_only_when_the_rules_allow_it(app, client, project):
    registered_village(app, share_transfer="outside")
    moved = move(client, on="2026-02-01", source="household:003", target="outside",
                 target_name="陈某", quantity=5)
    assert (moved["target"], moved["target_name"]) == ("outside:1", "陈某")
    nameless = client.post(f"{V}/shares/movements", json={
        "kind": "transfer", "on": "2026-02-01", "source": "household:003",
        "target": "outside", "share_class": "labour", "quantity": 5, "basis": "协议"})
    assert error_of(nameless)["errors"][0]["field"] == "target_name"
    project()
    outside = client.get(f"{V}/shares").get_json()["holders"][-1]
    assert (outside["holder"], outside["name"], outside["votes"], outside["total"]) == (
        "outside:1", "陈某", False, 5)
