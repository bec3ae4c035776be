"""A signed-in read that names no position sees every write acknowledged before it began
(api/fresh_reads.py); an anonymous one does not wait; a projector that does not come in time
leaves the read answered as it stands, not refused."""

from __future__ import annotations

import threading
import time

from tests.api.conftest import voucher


def _projected_later(project, seconds: float = 0.3) -> threading.Timer:
    """The projection process, catching up a moment after the write, as it does live."""
    timer = threading.Timer(seconds, project)
    timer.start()
    return timer


def _cash(response) -> str:
    lines = {line["key"]: line for line in response.get_json()["lines"]}
    return lines["cash"]["end"]


def test_a_report_read_right_after_a_write_shows_it_without_naming_a_position(
        app, client, org, project):
    # Given a village whose books are projected, and a voucher posted that is not yet
    project()
    app.extensions["sunlight"].fresh_read_seconds = 2.0  # the default outside the tests
    assert client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher()).status_code == 201
    timer = _projected_later(project)
    # When the accountant asks for the balance sheet at once, naming no position
    sheet = client.get(f"/api/v1/orgs/{org}/reports/balance-sheet?date=2025-01-31")
    timer.join()
    # Then it waited for the projection: the voucher is in it
    assert sheet.status_code == 200
    assert _cash(sheet) == "5000.00"


def test_a_list_read_right_after_a_write_shows_it_too(app, client, org, project):
    project()
    app.extensions["sunlight"].fresh_read_seconds = 2.0
    posted = client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher())
    timer = _projected_later(project)
    listed = client.get(f"/api/v1/orgs/{org}/vouchers")
    timer.join()
    assert listed.status_code == 200
    assert posted.get_json()["number"] in [item["number"] for item in listed.get_json()["items"]]


def test_with_the_projection_stopped_a_read_is_answered_as_it_stands(app, client, org, project):
    # Given a write no projection process will reach, and a short wait
    project()
    services = app.extensions["sunlight"]
    services.fresh_read_seconds = 0.2
    waits: list[float] = []
    waiting = services.wait_for
    services.wait_for = lambda at, timeout: waits.append(timeout) or waiting(at, timeout)
    posted = client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher())
    # When the balance sheet is read
    sheet = client.get(f"/api/v1/orgs/{org}/reports/balance-sheet?date=2025-01-31")
    # Then it is answered after the short wait, as it stands, saying the position it reflects
    assert sheet.status_code == 200
    assert waits == [0.2]
    assert _cash(sheet) == "0.00"
    assert int(sheet.headers["Sunlight-Read-Position"]) < int(posted.headers["Sunlight-Position"])
    # And the reads after it do not wait again for a while: one slow read, not every page
    assert client.get(f"/api/v1/orgs/{org}/vouchers").status_code == 200
    assert client.get(f"/api/v1/orgs/{org}/reports/trial-balance?period=2025-01").status_code == 200
    assert waits == [0.2]


def test_a_villager_s_page_waits_for_nothing(app, client, org, project):
    # Given a write the projection has not reached, and a wait that would show if taken
    project()
    app.extensions["sunlight"].fresh_read_seconds = 3.0
    assert client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher()).status_code == 201
    # When a villager, signed in as nobody, opens the public page
    began = time.monotonic()
    page = app.test_client().get(f"/{org}/")
    # Then it is answered at once
    assert page.status_code == 200
    assert time.monotonic() - began < 2


def test_a_disclosure_drafted_right_after_a_write_is_built_with_it(app, client, org, project):
    # Given a village whose books are projected, and a voucher posted that is not yet
    project()
    app.extensions["sunlight"].fresh_read_seconds = 2.0
    assert client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher()).status_code == 201
    timer = _projected_later(project)
    # When the accountant drafts the month's disclosure at once, as a script does
    drafted = client.post(f"/api/v1/orgs/{org}/disclosures", json={
        "kind": "income_expenditure", "period": "2025-01", "title": "2025年1月收支明细"})
    timer.join()
    # Then the draft waited for the projection: the voucher's receipt is in it, not left out
    assert drafted.status_code == 201
    assert [line["amount"] for line in drafted.get_json()["content"]["lines"]] == ["5000.00"]
