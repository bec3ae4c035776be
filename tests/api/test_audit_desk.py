"""The township auditor replays the village's tamper-evident history from the browser, with no
shell (/desk/<org>/audit): the chain whole with as many events as the API verifies, an event
altered in the store named by its position, each published disclosure's check file verified;
only the village's auditors and supervisors see the page, as only they may call the API.
On SQLite and on PostgreSQL.

Given: v1 with January 2025 posted and its income and expenditure published (test_public_pages).
"""

from __future__ import annotations

import random
import re
from typing import Any

from projections.audit import seals
from tests.api.conftest import make_user, signed_in
from tests.api.desk_browser import Browser
from tests.api.public_village import ORG
from tests.api.test_public_pages import village  # noqa: F401 - a fixture
from tests.e2e.tamper import Insider


def auditor_at_the_desk(place: Any, login: str = "shenji", role: str = "auditor") -> Browser:
    make_user(place.app, login, (ORG, role))
    browser = Browser(place.app, place.project)
    browser.sign_in(login)
    return browser


def api_verification(place: Any, login: str = "shenji-api") -> dict[str, Any]:
    auditor = signed_in(place.app, make_user(place.app, login, (ORG, "auditor")))
    response = auditor.get(f"/api/v1/orgs/{ORG}/audit/verification")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def fact(page: str, name: str, end: str = "</") -> str:
    found = re.search(rf'id="{name}"[^>]*>(.*?){end}', page, re.S)
    assert found, f"no {name} on the page"
    return found.group(1).strip()


def test_a_whole_history_is_shown_whole_with_the_apis_count_and_head(village):  # noqa: F811
    # Given the village's auditor at the desk, who finds the page from the village's desk
    browser = auditor_at_the_desk(village)
    home = browser.get(f"/desk/?org={ORG}")
    assert f'href="/desk/{ORG}/audit"' in home and "审计核验" in home
    # When they open it
    page = browser.get(f"/desk/{ORG}/audit")
    # Then the chain is whole, with the events and the head the API verifies
    expected = api_verification(village)
    assert expected["whole"] is True
    assert "完整" in fact(page, "chain-verdict", "</p>") and "不完整" not in page
    assert int(fact(page, "chain-events")) == expected["events"] > 0
    assert fact(page, "chain-head") == expected["head"]
    # and the signed checkpoints, the one at the publication among them, with the key
    newest = fact(page, "checkpoint-list", "</li>")
    assert "公开发布" in page and "签名有效" in newest and "中心" in newest
    # and the published disclosure's check file verified, with its download
    item = page[page.index(f'id="d-{village.published}"'):]
    assert "核验包核验通过" in item.split("</li>")[0]
    assert f"/{ORG}/disclosures/{village.published}.bundle" in page
    assert "用时" in page


def test_the_full_rebuild_runs_when_asked_and_says_how_long_it_took(village):  # noqa: F811
    browser = auditor_at_the_desk(village, "jiandu-3", "supervisor")
    assert "逐字节重建一致" not in browser.get(f"/desk/{ORG}/audit")
    page = browser.get(f"/desk/{ORG}/audit?rebuild=1")
    assert "逐字节重建一致" in page and "内容不一致" not in page
    assert re.search(r"1 份公开已从事件重建，用时 [0-9.]+ 秒", page)


def test_an_altered_event_is_named_by_its_position(village, storage):  # noqa: F811
    # Given an insider who flipped a bit of one of the village's stored events
    browser = auditor_at_the_desk(village)
    village.project()
    view = village.app.extensions["sunlight"].views["audit"]
    with view.sql() as sql:
        position = seals.every(sql, ORG)[2][1]  # an early event of the village's
    ledger = village.app.extensions["sunlight"].ledger
    insider = Insider(storage, ledger.recorder.events_table_name)
    try:
        insider.edit(position, "state", random.Random(7))
    finally:
        insider.close()
    # When the auditor opens the page
    page = browser.get(f"/desk/{ORG}/audit")
    # Then it is not whole, and names the position and how, as the API does
    expected = api_verification(village)["first_bad"]
    assert (expected["position"], expected["kind"]) == (position, "altered")
    assert "不完整" in fact(page, "chain-verdict", "</p>")
    assert f"第 {position} 条" in fact(page, "chain-verdict", "</p>")
    assert re.search(rf'id="first-bad"><strong class="flag">{position}</strong>', page)
    assert "事件被改动" in page


def test_only_the_villages_auditors_and_supervisors_see_it(village, client):  # noqa: F811
    # The accountant and a committee member: refused, and no link on their desk
    for login, role in (("kuaiji", "accountant"), ("weiyuan", "committee")):
        browser = auditor_at_the_desk(village, login, role)
        assert f"/desk/{ORG}/audit" not in browser.get(f"/desk/?org={ORG}")
        page = browser.get(f"/desk/{ORG}/audit", status=403)
        assert "<html" in page.lower()
    # An auditor of another village: refused
    assert client.post("/api/v1/orgs", json={"code": "v2", "name_zh": "二村股份经济合作社",
                                             "kind": "village_collective",
                                             "books_start": "2025-01-01"}).status_code == 201
    make_user(village.app, "other-auditor", ("v2", "auditor"))
    other = Browser(village.app, village.project)
    other.sign_in("other-auditor")
    other.get(f"/desk/{ORG}/audit", status=403)
    # Without signing in: sent to sign in, and back
    stranger = Browser(village.app, village.project)
    response = stranger.client.get(f"/desk/{ORG}/audit")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/login?next=/desk/{ORG}/audit"
    # A county auditor (every village): sees it
    make_user(village.app, "county", ("*", "auditor"))
    county = Browser(village.app, village.project)
    county.sign_in("county")
    assert "完整" in county.get(f"/desk/{ORG}/audit")
