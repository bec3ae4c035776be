"""Members' ID-card numbers reach only the roles that keep or audit the register: for every role,
every endpoint of the roll, the households, the shares, member accounts, trade and balances (read
from the app's URL map, so a new one cannot be left out) and both export formats, no ID number is
in the body unless the role may see it — and the accountant and the auditor do see it. The sealed
form reaches no one."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from ledger.kernel.personal import mask_id_number
from tests.api.conftest import make_user, signed_in
from tests.api.test_member_import_api import HEADERS, upload, xlsx
from tests.api.test_members_api import ledger_of, member_body, registered_village
from tests.registers import PEOPLE, id_number

V = "/api/v1/orgs/v1"
ALL = frozenset(p["id_number"] for p in PEOPLE)
# Who asks: every role of the village, the centre's auditor and admin, and a user whose role is
# in another village.
PRINCIPALS: dict[str, tuple[tuple[str, str], ...]] = {
    "accountant": (("v1", "accountant"),), "committee": (("v1", "committee"),),
    "supervisor": (("v1", "supervisor"),), "finance_lead": (("v1", "finance_lead"),),
    "auditor": (("v1", "auditor"),), "county_auditor": (("*", "auditor"),),
    "admin": (("*", "admin"),), "no_role_here": (("vb", "accountant"),),
}
SEE = {"accountant", "auditor", "county_auditor"}
READ = SEE | {"committee", "supervisor", "finance_lead"}
# Every GET of the register's blueprints, with the addresses it is read at and the ID numbers
# a role that may see them finds there.
GETS: dict[str, list[tuple[str, frozenset[str]]]] = {
    "members.Members": [("/members?status=all&per_page=500", ALL)],
    "members.OneMember": [("/members/0001", frozenset({PEOPLE[0]["id_number"]}))],
    "members.Households": [("/households", frozenset())],
    "members.OneHousehold": [("/households/001", frozenset())],
    "shares.ShareClasses": [("/share-classes", frozenset())],
    "shares.Shares": [("/shares", frozenset())],
    "shares.Movements": [("/shares/movements", frozenset())],
    "member_accounts.MemberAccounts": [("/member-accounts", frozenset())],
    "member_accounts.OneMemberAccount": [("/member-accounts/0003", frozenset())],
    "member_accounts.Trades": [("/trades", frozenset())],
    "member_accounts.PartyBalances": [("/party-balances", frozenset())],
    "member_files.Template": [("/members/template?format=xlsx", frozenset()),
                              ("/members/template?format=csv", frozenset())],
    "member_files.RollExport": [("/members/export?format=xlsx", ALL),
                                ("/members/export?format=csv", ALL)],
    "member_files.SharesExport": [("/shares/export?format=xlsx", frozenset()),
                                  ("/shares/export?format=csv", frozenset())],
}
PREFIXES = ("/members", "/households", "/share", "/member-accounts", "/trades",
            "/party-balances")
NEWCOMER = id_number(date(2026, 3, 1), "female", 41)  # member_body's


def register_routes(app: Flask, method: str) -> set[str]:
    base = "/api/v1/orgs/<org>"
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if method in rule.methods and rule.rule.startswith(base)
            and rule.rule.removeprefix(base).startswith(PREFIXES)}


@pytest.fixture
def world(app: Flask, client: FlaskClient, project) -> dict[str, FlaskClient]:
    """The sample village with a share movement and a member's loan in its books; one client
    per principal."""
    registered_village(app)
    ledger = ledger_of(app)
    ledger.books.register_organization(code="vb", name_zh="乙村", kind="village_collective",
                                       books_start=date(2025, 1, 1), actor="test")
    assert client.post(f"{V}/shares/movements", json={
        "kind": "transfer", "on": "2026-01-05", "source": "household:001",
        "target": "household:002", "share_class": "labour", "quantity": 5,
        "basis": "转让协议"}).status_code == 201
    assert client.post(f"{V}/vouchers", json={
        "date": "2026-03-01", "summary": "成员借支", "lines": [
            {"account": "112", "debit": "300.00", "party": "member:0003"},
            {"account": "101", "credit": "300.00"}]}).status_code == 201
    project()
    return {who: signed_in(app, make_user(app, who, *grants))
            for who, grants in PRINCIPALS.items()}


def text_of(response: Any) -> str:
    """What a reader of the body sees: a workbook's cells, or the text."""
    if response.mimetype.endswith("spreadsheetml.sheet"):
        book = load_workbook(io.BytesIO(response.data))
        return "\n".join(str(value) for sheet in book.worksheets
                         for row in sheet.iter_rows(values_only=True) for value in row
                         if value is not None)
    return response.get_data(as_text=True)


def leaks(who: str, text: str, expected: frozenset[str]) -> list[str]:
    found = {number for number in ALL | {NEWCOMER} if number in text}
    problems = []
    if "pd1:" in text:
        problems.append("a sealed value")
    if who in SEE:
        problems += [f"{n} missing" for n in sorted(expected - found)]
    else:
        problems += [f"{n} shown" for n in sorted(found)]
        problems += [f"{mask_id_number(n)} (masked) missing" for n in sorted(expected)
                     if mask_id_number(n) not in text]
    return problems


def test_every_register_endpoint_is_checked_here(app):
    assert register_routes(app, "GET") == set(GETS), (
        "a GET of the register's routes needs a row in GETS")
    writes_of_the_roll = {e for e in register_routes(app, "POST")
                          if e.startswith(("members.", "member_files."))}
    assert writes_of_the_roll == set(POSTS), "a write of the roll needs a row in POSTS"


def test_reads_and_exports_show_id_numbers_only_to_those_who_may_see_them(world):
    failures = []
    for who, client in world.items():
        for addresses in GETS.values():
            for path, expected in addresses:
                response = client.get(f"{V}{path}")
                wanted = 200 if who in READ else 403
                if response.status_code != wanted:
                    failures.append(f"{who} GET {path}: {response.status_code}")
                    continue
                failures += [f"{who} GET {path}: {problem}" for problem in leaks(
                    who, text_of(response), expected if who in READ else frozenset())]
    assert not failures, "\n".join(failures)


def test_a_reader_is_told_which_numbers_are_masked(world):
    for who in ("committee", "auditor"):
        row = world[who].get(f"{V}/members/0001").get_json()
        masked = who not in SEE
        assert row["id_number_masked"] is masked
        assert row["id_number"] == (mask_id_number(PEOPLE[0]["id_number"]) if masked
                                    else PEOPLE[0]["id_number"])
        assert row["phone"] == ("138****1111" if masked else PEOPLE[0]["phone"])
        assert not {"id_sealed", "id_masked", "phone_sealed", "phone_masked"} & set(row)


def new_people_sheet() -> bytes:
    rows = [["005", "东村三组", "是" if i == 0 else "否", f"01{i:02d}", f"新成员{i}", "女",
             date(1990, 1, 1 + i), id_number(date(1990, 1, 1 + i), "female", 60 + i), "",
             "原始确认", date(2025, 6, 1), "成员确认决〔2025〕2号", date(2025, 6, 1)]
            for i in range(3)]
    return xlsx(HEADERS, rows)


# Every write of the roll, in an order that works, with the ID numbers its answer carries for
# the accountant (the only role that may write).
POSTS: dict[str, tuple[str, dict[str, Any], frozenset[str]]] = {
    "members.Members": ("/members", member_body(), frozenset({NEWCOMER})),
    "members.Corrections": ("/members/0003/corrections",
                            {"phone": "13900003333", "reason": "新号码"},
                            frozenset({PEOPLE[2]["id_number"]})),
    "members.Households": ("/households", {"number": "004", "registered_on": "2026-04-01"},
                           frozenset()),
    "members.Moves": ("/members/0002/moves", {"household": "004", "on": "2026-04-01",
                                              "reason": "分户", "head": True},
                      frozenset({PEOPLE[1]["id_number"]})),
    "members.HouseholdHead": ("/households/002/head", {"head": "0005", "on": "2026-04-02"},
                              frozenset()),
    "members.Ending": ("/members/0004/ending", {"ended_on": "2026-05-01", "basis": "death"},
                       frozenset({PEOPLE[3]["id_number"]})),
    "member_files.Import": ("/members/import", {}, frozenset()),
}


def test_write_answers_show_id_numbers_to_the_accountant_and_refuse_everyone_else(world):
    failures = []
    for who, client in world.items():
        for endpoint, (path, body, expected) in POSTS.items():
            if endpoint == "member_files.Import":
                response = upload(client, new_people_sheet(), check_only="true")
            else:
                response = client.post(f"{V}{path}", json=body)
            wanted = (201 if endpoint != "member_files.Import" else 200) \
                if who == "accountant" else 403
            if response.status_code != wanted:
                failures.append(f"{who} POST {path}: {response.status_code} "
                                f"{response.get_json()}")
                continue
            failures += [f"{who} POST {path}: {problem}" for problem in leaks(
                who, response.get_data(as_text=True), expected if who == "accountant"
                else frozenset())]
    assert not failures, "\n".join(failures)


def test_an_import_report_never_repeats_an_id_number(world):
    assert upload(world["accountant"], new_people_sheet()).status_code == 201
    duplicate = upload(world["accountant"], new_people_sheet(), check_only="true")
    assert duplicate.status_code == 422
    text = duplicate.get_data(as_text=True)
    assert re.search(r"already on the roll, as member 010\d", text)
    assert not any(id_number(date(1990, 1, 1 + i), "female", 60 + i) in text
                   for i in range(3))
