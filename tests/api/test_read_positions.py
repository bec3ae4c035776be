"""Read-your-writes on the reads a replica may serve, with no replica configured: the primary
answers them, says so, and names the position it reflects (api/replica_reads.py)."""

from __future__ import annotations

from tests.api.conftest import error_of, voucher


def test_without_a_replica_the_primary_answers_the_reports_and_says_so(client, org, project):
    # Given a voucher posted and projected
    posted = client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher("2025-01-05", "5000.00"))
    project()
    position = int(posted.headers["Sunlight-Position"])
    # When the balance sheet is read naming the write's position in the header
    sheet = client.get(f"/api/v1/orgs/{org}/reports/balance-sheet?date=2025-01-31",
                       headers={"Sunlight-Position": str(position)})
    # Then the primary answers, at that position or later, with the voucher
    assert sheet.status_code == 200
    assert sheet.headers["Sunlight-Read-From"] == "primary"
    assert int(sheet.headers["Sunlight-Position"]) >= position
    lines = {line["key"]: line for line in sheet.get_json()["lines"]}
    assert lines["cash"]["end"] == "5000.00"
    # And so does the village's public page
    page = client.get(f"/{org}/?after={position}")
    assert page.status_code == 200
    assert page.headers["Sunlight-Read-From"] == "primary"
    assert int(page.headers["Sunlight-Position"]) >= position


def test_a_position_no_write_has_reached_is_refused_from_the_header_too(client, org, log_head):
    beyond = log_head() + 10
    sheet = client.get(f"/api/v1/orgs/{org}/reports/balance-sheet?date=2025-01-31",
                       headers={"Sunlight-Position": str(beyond)})
    assert sheet.status_code == 422
    assert error_of(sheet)["errors"][0]["field"] == "after"


def test_a_public_page_behind_the_readers_write_answers_503_to_try_again(
        app, client, org, project, monkeypatch):
    project()
    services = app.extensions["sunlight"]
    waiting = services.wait_for
    monkeypatch.setattr(services, "wait_for", lambda position, timeout=5.0: waiting(position, 0.2))
    # Given a write the projection has not yet reached
    posted = client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher())
    # When the public page is read after it
    position = posted.headers["Sunlight-Position"]
    page = client.get(f"/{org}/", headers={"Sunlight-Position": position})
    # Then the reader is told to come back, rather than shown the books without the write
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "1"
    assert error_of(page)["code"] == "read_model_behind"


def test_a_public_page_after_a_position_no_write_has_reached_is_refused(
        client, org, project, log_head):
    # Given a village whose public page is up, and whose log ends at some position
    project()
    assert client.get(f"/{org}/?after={log_head()}").status_code == 200
    # When its public page is read after a position beyond it
    page = client.get(f"/{org}/?after={log_head() + 10}")
    # Then it is refused at once, naming the field, as the reports refuse it
    assert page.status_code == 422
    assert error_of(page)["errors"][0]["field"] == "after"
