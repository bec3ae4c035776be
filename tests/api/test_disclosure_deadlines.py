"""应公开未公开 on every surface: two villages whose books began in October 2026, nothing
published. After 15 November October is flagged on the township home, on the village's desk, to
its supervision committee and on its public page; publishing it clears the flag; a later
deadline day in the settings moves it; before the deadline nothing is flagged."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from flask import Flask

from tests.api.conftest import ORG as ORG_BODY
from tests.api.desk_browser import browser
from tests.api.public_village import PANEL, draft, publish
from tests.api.test_township_home import village_row

ORG = "v1"
LATE = "2026年10月财务收支明细，应于2026年11月15日前公开"


@pytest.fixture
def villages(app: Flask, client: Any, project: Any) -> Flask:
    """wang keeps the books of v1 and v2, both begun 2026-10-01; jian1–3 supervise v1."""
    for code, name in (("v1", "一村股份经济合作社"), ("v2", "二村股份经济合作社")):
        body = {**ORG_BODY, "code": code, "name_zh": name, "books_start": "2026-10-01"}
        assert client.post("/api/v1/orgs", json=body).status_code == 201
        assert client.post(f"/api/v1/orgs/{code}/roles", json={
            "login": "wang", "role": "accountant", "reason": "代理记账"}).status_code == 201
    ledger = app.extensions["sunlight"].ledger
    for login in PANEL:
        ledger.identity.create_user(login=login, display_name=f"监督{login[-1]}",
                                    password="a long password", actor="test")
        ledger.identity.grant_role(login, org=ORG, role="supervisor", reason="test", actor="t")
    project()
    return app


def surfaces(app: Flask, project: Any) -> dict[str, str]:
    """What the township home, v1's desk (accountant, supervisor) and v1's public page show."""
    project()
    wang = browser(app, project, "wang")
    return {"township": wang.get("/desk/"), "desk": wang.get(f"/desk/?org={ORG}"),
            "supervisor": browser(app, project, PANEL[0]).get("/desk/"),
            "public": app.test_client().get(f"/{ORG}/").get_data(as_text=True)}


def flagged(pages: dict[str, str]) -> dict[str, bool]:
    return {"township": village_row(pages["township"], ORG)[4] != "0",
            "desk": f'id="overdue-{ORG}"' in pages["desk"] and LATE in pages["desk"],
            "supervisor": f'id="overdue-{ORG}"' in pages["supervisor"]
            and LATE in pages["supervisor"],
            "public": 'id="overdue-disclosures"' in pages["public"]
            and f"应公开未公开：{LATE}" in re.sub(r"<[^>]+>", "", pages["public"])}


EVERYWHERE = {"township": True, "desk": True, "supervisor": True, "public": True}
NOWHERE = {"township": False, "desk": False, "supervisor": False, "public": False}


def test_october_past_its_deadline_is_flagged_everywhere_until_published(villages, project,
                                                                          clock):
    # given 22 November, October's 收支明细 never published
    clock.today = date(2026, 11, 22)
    pages = surfaces(villages, project)
    # then every surface says so, in Chinese
    assert flagged(pages) == EVERYWHERE
    assert village_row(pages["township"], ORG)[3:5] == ["1", "1"]  # due, and late
    assert "应公开未公开" in pages["township"]
    # when it is drafted, reviewed and published
    ref = draft(villages, "income_expenditure", "2026-10", "2026年10月收支明细")
    publish(villages, ref)
    # then no surface flags it
    pages = surfaces(villages, project)
    assert flagged(pages) == NOWHERE
    assert village_row(pages["township"], ORG)[3:5] == ["0", "0"]
    assert village_row(pages["township"], "v2")[3:5] == ["1", "1"]  # the other village still


def test_before_the_deadline_nothing_is_flagged(villages, project, clock):
    # given the 15th, October ended and not published, but still within its deadline
    clock.today = date(2026, 11, 15)
    pages = surfaces(villages, project)
    assert flagged(pages) == NOWHERE
    assert village_row(pages["township"], ORG)[3:5] == ["1", "0"]  # due, not late
    assert "应公开未公开" not in pages["public"]


def test_the_setting_moves_the_deadline(villages, client, project, clock):
    # given the village's rule: disclosures by the 25th of the next month
    clock.today = date(2026, 11, 22)
    changed = client.put(f"/api/v1/orgs/{ORG}/settings", json={
        "disclosure_deadline_day": 25, "reason": "乡镇规定每月25日前公开"})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["disclosure_deadline_day"] == 25
    # then on the 22nd nothing is late, and on the 26th October is, due by the 25th
    assert flagged(surfaces(villages, project)) == NOWHERE
    clock.today = date(2026, 11, 26)
    pages = surfaces(villages, project)
    assert "2026年10月财务收支明细，应于2026年11月25日前公开" in pages["public"]
    assert re.search(r'id="overdue-v1"[^>]*>.*11月25日', pages["supervisor"], re.S)


def test_the_deadline_day_is_checked(client, villages):
    for bad in (0, 29, "15"):
        response = client.put(f"/api/v1/orgs/{ORG}/settings", json={
            "disclosure_deadline_day": bad, "reason": "x"})
        assert response.status_code == 422, bad
        assert "disclosure_deadline_day" in response.get_data(as_text=True)


def test_periods_before_the_village_came_onto_the_product_are_not_owed(villages, client,
                                                                        project, clock):
    # given December, with October and November both past their deadlines
    clock.today = date(2026, 12, 22)
    assert flagged(surfaces(villages, project)) == EVERYWHERE
    # when the village says it owes disclosures here from November (October went on paper)
    changed = client.put(f"/api/v1/orgs/{ORG}/settings", json={
        "disclosure_owed_from": "2026-11", "reason": "10月及以前已纸质公开"})
    assert changed.status_code == 200, changed.get_json()
    pages = surfaces(villages, project)
    # then only November is late
    assert LATE not in pages["desk"]
    assert "2026年11月财务收支明细，应于2026年12月15日前公开" in pages["desk"]
    refused = client.put(f"/api/v1/orgs/{ORG}/settings", json={
        "disclosure_owed_from": "2026-13", "reason": "x"})
    assert refused.status_code == 422 and "disclosure_owed_from" in refused.get_data(as_text=True)
