"""Reports and public pages read from a real streaming replica, keeping read-your-writes.

A PostgreSQL primary and a replica made from it by pg_basebackup (tests/replica_cluster.py); the
app writes on the primary and reads the named pages from the replica once it has the write.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from api import replica_reads
from infra.storage import Storage
from projections.runner import catch_up
from tests.api.conftest import voucher
from tests.api.public_village import ORG, publish
from tests.api.test_public_pages import village  # noqa: F401 - a fixture
from tests.replica_cluster import Cluster, new_cluster, postgres_bin

pytestmark = pytest.mark.postgres  # with SUNLIGHT_REQUIRE_POSTGRES=1 a skip fails the run


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    bin = postgres_bin()
    if bin is None:
        if os.environ.get("SUNLIGHT_REQUIRE_POSTGRES") == "1":
            pytest.fail("the PostgreSQL server programs (initdb, pg_basebackup) are not installed")
        pytest.skip("the PostgreSQL server programs (initdb, pg_basebackup) are not installed")
    running = new_cluster(bin)
    try:
        running.start()
        yield running
    finally:
        running.stop()


@pytest.fixture
def storage(cluster: Cluster, tmp_path: Path) -> Storage:
    """The app's storage: the primary, with the replica to read from (tests/api/conftest.py
    builds the app, its signed-in client and the village on it), in a schema of its own."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    return Storage(database_url=f"{cluster.primary_url}?schema={schema}", data_dir=tmp_path,
                   replica_urls=(cluster.replica_url,), replica_wait_seconds=5.0)


def cash_at(response) -> str:
    lines = {line["key"]: line for line in response.get_json()["lines"]}
    return lines["cash"]["end"]


def test_a_write_is_read_back_from_the_replica_once_it_has_streamed_there(client, org, project):
    # Given a voucher posted on the primary and projected there
    posted = client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher("2025-01-05", "5000.00"))
    project()
    position = int(posted.headers["Sunlight-Position"])
    # When the balance sheet is read after that position
    sheet = client.get(f"/api/v1/orgs/{org}/reports/balance-sheet?date=2025-01-31"
                       f"&after={position}")
    # Then the replica answers, with the voucher in it
    assert sheet.status_code == 200, sheet.get_json()
    assert sheet.headers["Sunlight-Read-From"] == "replica"
    assert int(sheet.headers["Sunlight-Position"]) >= position
    assert cash_at(sheet) == "5000.00"
    # And the village's public page too, the position named by the header
    page = client.get(f"/{org}/", headers={"Sunlight-Position": str(position)})
    assert page.status_code == 200
    assert page.headers["Sunlight-Read-From"] == "replica"


def test_a_replica_that_has_not_reached_the_position_leaves_the_read_to_the_primary(
        app, client, org, project, cluster):
    project()
    router = app.extensions["sunlight"].router
    # Given a replica that has stopped replaying the primary's log
    cluster.replica_sql("SELECT pg_wal_replay_pause()")
    try:
        posted = client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher("2025-01-05", "800.00"))
        project()
        position = int(posted.headers["Sunlight-Position"])
        router.wait_seconds = 0.3
        # When the balance sheet is read after the write
        sheet = client.get(f"/api/v1/orgs/{org}/reports/balance-sheet?date=2025-01-31"
                           f"&after={position}")
        # Then the primary answers it, with the write
        assert sheet.headers["Sunlight-Read-From"] == "primary"
        assert cash_at(sheet) == "800.00"
        # While a read that names no position may still be served by the replica, as it stands
        stale = client.get(f"/api/v1/orgs/{org}/reports/balance-sheet?date=2025-01-31")
        assert stale.headers["Sunlight-Read-From"] == "replica"
        assert int(stale.headers["Sunlight-Position"]) < position
    finally:
        cluster.replica_sql("SELECT pg_wal_replay_resume()")
    # And once the replica replays again it answers that read itself
    router.wait_seconds = 5.0
    sheet = client.get(f"/api/v1/orgs/{org}/reports/balance-sheet?date=2025-01-31"
                       f"&after={position}")
    assert sheet.headers["Sunlight-Read-From"] == "replica"
    assert cash_at(sheet) == "800.00"


def test_a_replica_that_cannot_be_reached_leaves_the_reads_to_the_primary(
        cluster, tmp_path, clock):
    # Given an app whose only replica is a port where nothing listens
    from api import create_app
    from projections.runner import catch_up_all
    from tests.api.conftest import FAST_HASHER, ORG, make_user, signed_in
    from tests.replica_cluster import free_port

    storage = Storage(database_url=f"{cluster.primary_url}?schema=t_{uuid.uuid4().hex[:16]}",
                      data_dir=tmp_path, replica_urls=(cluster.url(free_port()),))
    app = create_app(storage, clock=clock, passwords=FAST_HASHER)
    try:
        client = signed_in(app, make_user(app, "wang", ("*", "admin")))
        assert client.post("/api/v1/orgs", json=ORG).status_code == 201
        client.post("/api/v1/orgs/v1/roles", json={"login": "wang", "role": "accountant",
                                                   "reason": "keeps the books"})
        services = app.extensions["sunlight"]
        catch_up_all(services.ledger, services.views)
        # When its public page and its balance sheet are read
        page = client.get("/v1/")
        sheet = client.get("/api/v1/orgs/v1/reports/balance-sheet?date=2025-01-31")
        # Then the primary answers both, and the replica is left out for a while
        assert (page.status_code, page.headers["Sunlight-Read-From"]) == (200, "primary")
        assert (sheet.status_code, sheet.headers["Sunlight-Read-From"]) == (200, "primary")
        assert app.extensions["sunlight"].router.is_down(0)
    finally:
        app.extensions["sunlight"].close()


def test_a_bundle_read_after_a_publication_waits_for_the_seal_not_a_replica_without_it(
        app, client, village, cluster, monkeypatch):  # noqa: F811
    monkeypatch.setattr(replica_reads, "WAIT_SECONDS", 0.3)
    services = app.extensions["sunlight"]
    # Given a second disclosure published, and every read model but the sealer's past it
    publish(app, village.draft)
    position = services.ledger.log_head()
    for name, view in services.views.items():
        if name != "audit":
            catch_up(services.ledger, view)
    # When its bundle is read after the publication, the replica having the other read models
    url = f"/{ORG}/disclosures/{village.draft}.bundle?after={position}"
    waiting = client.get(url)
    # Then it is not served unsealed from the replica: the reader is told to come back
    assert waiting.status_code == 503, waiting.get_data(as_text=True)[:300]
    # And once the sealer has sealed it, the bundle carries the chain head that vouches for it
    catch_up(services.ledger, services.views["audit"])
    sealed = client.get(url)
    assert sealed.status_code == 200
    assert sealed.get_json()["chain"]["position"] >= position
