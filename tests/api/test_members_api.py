"""The member roll over HTTP: members confirmed, ended only for the law's reasons (the reasons of
Art. 18 are refused naming the basis and the law), moved and corrected; households and their
heads; and the roll read as it stood on a past day after later, and backdated, changes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ledger.application import Ledger
from ledger.register import NOT_ENDING
from tests.api.conftest import error_of
from tests.registers import PEOPLE, id_number, village_with_shares

V = "/api/v1/orgs/v1"


def ledger_of(app: Flask) -> Ledger:
    return app.extensions["sunlight"].ledger


def registered_village(app: Flask, holding: str = "household", org: str = "v1",
                       **settings: Any) -> str:
    """The sample village of tests/registers.py, shares quantified; wang keeps its books."""
    ledger = ledger_of(app)
    village_with_shares(ledger, holding, org, **settings)
    ledger.identity.grant_role("wang", org=org, role="accountant", reason="keeps the books",
                               actor="test")
    return org


@pytest.fixture
def village(app: Flask, client: FlaskClient) -> str:
    return registered_village(app)


def member_body(**overrides: Any) -> dict[str, Any]:
    born = date(2026, 3, 1)
    return {"name": "张小红", "sex": "female", "born": born.isoformat(), "household": "001",
            "confirmed_on": born.isoformat(), "basis": "birth",
            "id_number": id_number(born, "female", 41), **overrides}


def post(client: FlaskClient, path: str, body: dict[str, Any], status: int = 201) -> Any:
    response = client.post(f"{V}{path}", json=body)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def numbers(client: FlaskClient, query: str = "") -> dict[str, str]:
    """Member number → household, of the roll the query asks for."""
    body = client.get(f"{V}/members?per_page=500{query}").get_json()
    return {row["number"]: row["household"] for row in body["items"]}


def test_a_member_is_confirmed_into_a_household_and_read_back(client, org, project):
    household = post(client, "/households", {"number": "001", "registered_on": "2025-06-01",
                                             "address": "东村一组"})
    assert household == {"number": "001", "address": "东村一组", "registered_on": "2025-06-01",
                         "head": "", "head_name": "", "members": [], "member_count": 0}
    first = PEOPLE[0]
    confirmed = post(client, "/members", {
        "name": first["name"], "sex": "male", "born": "1960-03-08", "household": "001",
        "head": True, "confirmed_on": "2025-06-01", "basis": "original",
        "resolution": "成员确认决〔2025〕1号", "resolution_date": "2025-06-01",
        "id_number": first["id_number"], "phone": first["phone"]})
    assert confirmed["number"] == "0001"  # the roll's first number, none being given
    assert (confirmed["head"], confirmed["active"], confirmed["id_number"],
            confirmed["id_number_masked"]) == (True, True, first["id_number"], False)
    child = post(client, "/members", member_body(number="0007"))
    assert child["number"] == "0007"
    project()
    one = client.get(f"{V}/members/0001").get_json()
    assert {k: one[k] for k in ("name", "household", "head", "basis", "resolution")} == {
        "name": "张大山", "household": "001", "head": True, "basis": "original",
        "resolution": "成员确认决〔2025〕1号"}
    assert [h["change"] for h in one["history"]] == ["confirmed"]
    assert numbers(client) == {"0001": "001", "0007": "001"}
    assert client.get(f"{V}/households/001").get_json()["head_name"] == "张大山"
    assert client.get(f"{V}/members?q=小红").get_json()["pagination"]["total"] == 1


@pytest.mark.parametrize(("change", "field", "status", "code"), [
    ({"id_number": "330102196003080139"}, "id_number", 422, "invalid_member"),
    ({"sex": "male"}, "id_number", 422, "invalid_member"),  # the number's sex digit says female
    ({"basis": "marriage_in"}, "resolution", 422, "invalid_member"),
    ({"basis": "admitted"}, "basis", 422, "invalid_member"),  # a cooperative's basis
    ({"household": "009"}, "household", 404, "household_not_found"),
    ({"confirmed_on": "2026-02-28"}, "confirmed_on", 422, "invalid_member"),
    ({"id_number": PEOPLE[2]["id_number"], "born": "1990-01-15", "sex": "male"}, "id_number",
     409, "member_state"),
    ({"head": True}, "head", 409, "member_state"),
    ({"number": "0001"}, "number", 409, "member_state"),
    ({"sex": "unknown"}, "sex", 422, "invalid_request"),
])
def test_a_member_refused_names_the_field_and_nothing_is_written(
        client, village, log_head, change, field, status, code):
    before = log_head()
    response = client.post(f"{V}/members", json=member_body(**change))
    error = error_of(response)
    assert (response.status_code, error["code"]) == (status, code), error
    assert field in [e["field"] for e in error["errors"]], error
    assert log_head() == before
    # No refusal repeats an ID number.
    assert not any(p["id_number"] in response.get_data(as_text=True) for p in PEOPLE)


@pytest.mark.parametrize("basis", sorted(NOT_ENDING))
def test_study_service_work_divorce_and_prison_never_end_membership(
        client, village, log_head, basis):
    before = log_head()
    response = client.post(f"{V}/members/0003/ending",
                           json={"ended_on": "2026-09-01", "basis": basis})
    error = error_of(response)
    assert (response.status_code, error["code"]) == (422, "membership_not_ended")
    assert error["errors"] == [{"field": "basis", "reason": error["message"]}]
    assert "第十八条" in error["message"] and NOT_ENDING[basis] in error["message"]
    assert log_head() == before


def test_a_membership_ends_for_a_reason_of_the_law_once(client, village, project, log_head):
    ended = post(client, "/members/0004/ending", {
        "ended_on": "2026-05-01", "basis": "death", "document": "死亡证明 2026-0501"})
    assert (ended["active"], ended["ended_on"], ended["ended_basis"], ended["document"]) == (
        False, "2026-05-01", "death", "死亡证明 2026-0501")
    before = log_head()
    again = client.post(f"{V}/members/0004/ending", json={"ended_on": "2026-06-01",
                                                           "basis": "death"})
    assert (again.status_code, error_of(again)["code"]) == (409, "member_state")
    no_letter = client.post(f"{V}/members/0005/ending", json={"ended_on": "2026-06-01",
                                                               "basis": "voluntary_exit"})
    assert error_of(no_letter)["errors"][0]["field"] == "document"
    unknown = client.post(f"{V}/members/0099/ending", json={"ended_on": "2026-06-01",
                                                             "basis": "death"})
    assert (unknown.status_code, error_of(unknown)["code"]) == (404, "member_not_found")
    assert log_head() == before
    project()
    assert "0004" not in numbers(client)
    assert numbers(client, "&status=ended") == {"0004": "002"}
    # The household lost its head with him.
    assert client.get(f"{V}/households/002").get_json()["head"] == ""


def test_a_member_moves_to_a_new_household_and_heads_it(client, village, project):
    post(client, "/households", {"number": "004", "registered_on": "2026-04-01"})
    moved = post(client, "/members/0003/moves", {"household": "004", "on": "2026-04-01",
                                                 "reason": "分户", "head": True})
    assert (moved["household"], moved["head"]) == ("004", True)
    same = client.post(f"{V}/members/0003/moves", json={"household": "004",
                                                         "on": "2026-05-01", "reason": "x"})
    assert error_of(same)["errors"][0]["field"] == "household"
    head = post(client, "/households/002/head", {"head": "0005", "on": "2026-04-02"})
    assert (head["head"], head["head_name"], head["member_count"]) == ("0005", "赵桂兰", 2)
    outsider = client.post(f"{V}/households/002/head", json={"head": "0001",
                                                             "on": "2026-04-02"})
    assert (outsider.status_code, error_of(outsider)["errors"][0]["field"]) == (409, "head")
    project()
    new = client.get(f"{V}/households/004").get_json()
    assert (new["head_name"], [m["number"] for m in new["members"]]) == ("张小明", ["0003"])
    assert client.get(f"{V}/households/001").get_json()["member_count"] == 2
    history = client.get(f"{V}/members/0005").get_json()["history"]
    assert [h["change"] for h in history] == ["confirmed", "head"]


def test_a_correction_changes_the_details_and_the_history_names_only_the_fields(
        client, village, project):
    right = id_number(date(1990, 1, 15), "male", 33)
    corrected = post(client, "/members/0003/corrections", {
        "name": "张晓明", "id_number": right, "reason": "户口簿为张晓明"})
    assert (corrected["name"], corrected["id_number"]) == ("张晓明", right)
    nothing = client.post(f"{V}/members/0003/corrections", json={"reason": "无"})
    assert error_of(nothing)["errors"][0]["field"] == "changes"
    project()
    one = client.get(f"{V}/members/0003").get_json()
    assert (one["name"], one["id_number"]) == ("张晓明", right)
    change = one["history"][-1]
    assert (change["change"], change["fields"], change["reason"]) == (
        "corrected", ["id_masked", "id_sealed", "name"], "户口簿为张晓明")
    assert right not in str(one["history"]) and PEOPLE[2]["id_number"] not in str(one)


def test_the_roll_on_a_past_day_is_as_it_stood_after_later_and_backdated_changes(
        client, village, project):
    post(client, "/members", member_body())  # born 2026-03-01 into 001
    post(client, "/households", {"number": "004", "registered_on": "2026-04-01"})
    post(client, "/members/0003/moves", {"household": "004", "on": "2026-04-01",
                                         "reason": "分户", "head": True})
    post(client, "/members/0004/ending", {"ended_on": "2026-05-01", "basis": "death"})
    # Recorded last, dated first: a marriage out in January.
    post(client, "/members/0005/ending", {"ended_on": "2026-01-10",
                                          "basis": "joined_other_collective"})
    project()
    original = {p["number"]: p["household"] for p in PEOPLE}
    assert numbers(client, "&date=2025-12-31") == original
    assert numbers(client, "&date=2026-02-28") == {
        k: v for k, v in original.items() if k != "0005"}
    assert numbers(client, "&date=2026-06-01") == {
        "0001": "001", "0002": "001", "0007": "001", "0003": "004", "0006": "003"}
    assert numbers(client, "&date=2025-05-31") == {}
    before = client.get(f"{V}/households?date=2026-03-31").get_json()["items"]
    assert [(h["number"], h["member_count"], h["head"]) for h in before] == [
        ("001", 4, "0001"), ("002", 1, "0004"), ("003", 1, "0006")]
    then = client.get(f"{V}/members/0004?date=2026-04-30").get_json()
    assert (then["active"], then["ended_on"], then["household"]) == (True, None, "002")
    assert client.get(f"{V}/households/004?date=2026-03-31").status_code == 404
    born_later = client.get(f"{V}/members/0007?date=2026-02-28")
    assert (born_later.status_code, error_of(born_later)["code"]) == (404, "member_not_found")
    assert numbers(client, "&household=004") == {"0003": "004"}


def test_a_bad_query_is_refused_with_its_field(client, village):
    for query, field in (("status=gone", "status"), ("date=2026-13-01", "date"),
                         ("per_page=501", "per_page")):
        response = client.get(f"{V}/members?{query}")
        assert response.status_code == 422
        assert error_of(response)["errors"][0]["field"] == field


def test_the_kept_digest_of_a_retried_request_cannot_give_its_id_number_away(
        app, client, village, project):
    """The Idempotency-Key's digest lives in an event for ever; an ID number has only a few
    unknown digits, so a plain hash of the body would let anyone try them all."""
    import hashlib
    import json

    from ledger.kernel.idempotency import IdempotencyKey

    body = member_body()
    response = client.post(f"{V}/members", json=body, headers={"Idempotency-Key": "k-1"})
    assert response.status_code == 201
    scope = "wang|v1|POST members.Members"
    kept = ledger_of(app).repository.get(IdempotencyKey.id_for("k-1", scope)).digest
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    plain = hashlib.sha256(f"POST {V}/members\n{canonical}".encode()).hexdigest()
    assert kept != plain
    again = client.post(f"{V}/members", json=body, headers={"Idempotency-Key": "k-1"})
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
