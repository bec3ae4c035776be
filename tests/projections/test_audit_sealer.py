"""The sealer follows the log like every read model: each event sealed once, in order, with its
tracking position in the same transaction; resumable after a crash; live as rebuilt; on SQLite and
PostgreSQL. Its seals are the chain docs/verification.md describes (recomputed here by hand from
the store's own rows), and its checkpoints are signed, kept across a rebuild, and co-signable.

Given: the store of every event (tests/fixtures/every_event), published disclosures included.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from infra.signing import centre_key, fingerprint, public_bytes, sign, verify
from infra.storage import Storage
from projections.audit import add_signature, checkpoint_at, org_head, seals
from projections.audit.checkpoints import Checkpoints, known_keys
from projections.audit.verify import verify_chain
from projections.audit.view import AuditProjection, AuditView, seal
from projections.runner import follow_one, open_ledger, open_view, rebuild
from tests.api.conftest import FAST_HASHER
from tests.fixtures.every_event.dump import STORE
from tests.fixtures.stores import load_store, stored_events

PUBLISHED = "ledger.disclosures:Disclosure.Published"


def by_hand(events: list[Any]) -> list[str]:
    """The global chain over the fixture's rows, from the documented layout alone."""
    links, previous = [], bytes(32)
    for position, e in enumerate(events, start=1):
        topic = e.topic.encode()
        previous = hashlib.sha256(
            previous + b"sunlight-chain/1" + position.to_bytes(8, "big") + e.originator_id.bytes
            + e.originator_version.to_bytes(8, "big") + len(topic).to_bytes(4, "big") + topic
            + len(e.state).to_bytes(4, "big") + e.state).digest()
        links.append(previous.hex())
    return links


def rows(view: AuditView) -> dict[str, list[Any]]:
    """Every seal by chain and position (blocks follow the batches, which a rebuild may cut
    elsewhere), and the other tables' rows."""
    with view.sql() as sql:
        return {"seals": seals.every(sql),
                **{table: sql.execute(f"SELECT * FROM {table} ORDER BY 1, 2").all()
                   for table in (*view.tables, *view.evidence) if table != seals.TABLE}}


def global_links(view: AuditView) -> list[str]:
    with view.sql() as sql:
        return [link for _, _, link in seals.every(sql, seals.GLOBAL)]


@pytest.fixture
def sealed(storage: Storage):
    head = load_store(STORE, storage)
    app, view = open_ledger(storage, passwords=FAST_HASHER), open_view(storage, AuditProjection,
                                                                      create_tables=True)
    assert seal(app, view) == head
    yield app, view
    app.close()
    view.datastore.close()


def test_the_seals_are_the_documented_chain_and_rebuild_gives_the_same_rows(sealed):
    app, view = sealed
    # Then every seal is the link recomputed by hand from the stored rows
    assert global_links(view) == by_hand(stored_events(STORE))
    # And rebuilding gives the same rows, and keeps the signed checkpoints as they were
    before = rows(view)
    assert before["audit_checkpoints"]
    rebuild(app, view)
    assert rows(view) == before


def test_each_published_disclosure_is_checkpointed_on_its_organizations_chain(sealed, storage):
    app, view = sealed
    published = [n for n in app.recorder.select_notifications(start=1, limit=10_000)
                 if n.topic == PUBLISHED]
    assert published
    public = public_bytes(centre_key(storage))
    with view.sql() as sql:
        for notification in published:
            event = app.mapper.to_domain_event(notification)
            org = sql.execute("SELECT org FROM audit_originators WHERE originator_id = :id",
                              {"id": notification.originator_id.hex}).scalar()
            mark = checkpoint_at(sql, org, notification.id)
            # Then its payload names the organization's head at the publication, at its time
            assert mark is not None
            assert mark["reason"] == f"disclosure:{org}/{notification.originator_id}"
            assert mark["payload"]["head"] == org_head(sql, org, notification.id)[1]
            assert mark["payload"]["at"] == event.timestamp.astimezone(UTC).strftime(
                "%Y-%m-%dT%H:%M:%SZ")
            # And the centre's signature over it verifies
            [signature] = mark["signatures"]
            assert signature["key"] == fingerprint(public)
            assert verify(public, mark["payload"], signature)


def test_a_co_signature_is_appended_once_and_counts(sealed, storage, tmp_path):
    app, view = sealed
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    supervisor = Ed25519PrivateKey.generate()
    with view.sql() as sql:
        org, position = sql.execute("SELECT org, position FROM audit_checkpoints WHERE reason "
                                    "<> 'interval' ORDER BY position").all()[0].values()
        mark = checkpoint_at(sql, org, position)
    entry = sign(supervisor, mark["payload"], signer="supervisor:zhang")
    with view.sql(commit=True) as sql:
        add_signature(sql, org, position, entry)
        add_signature(sql, org, position, entry)
    with view.sql() as sql:
        assert checkpoint_at(sql, org, position)["signatures"][1:] == [entry]
    keys = {**known_keys(storage), entry["key"]: public_bytes(supervisor)}
    assert verify_chain(app, view, org=org, keys=keys).whole
    # A co-signature that does not verify is found
    with view.sql(commit=True) as sql:
        sql.execute("UPDATE audit_checkpoints SET signatures = :s WHERE org = :org AND "
                    "position = :p", {"s": json.dumps([*mark["signatures"], {
                        **entry, "signature": sign(supervisor, {"other": 1}, signer="x")[
                            "signature"]}]), "org": org, "p": position})
    bad = verify_chain(app, view, org=org, keys=keys).first_bad
    assert (bad.position, bad.kind) == (position, "signature")


def test_sealing_resumes_after_a_crash_on_a_batch_boundary(storage, monkeypatch):
    head = load_store(STORE, storage)
    app, view = open_ledger(storage), open_view(storage, AuditProjection, create_tables=True)
    try:
        whole = by_hand(stored_events(STORE))
        original, calls = type(view)._record_tracking, {"n": 0}

        def crash_on_the_fourth(self, sql, tracking):
            calls["n"] += 1
            if calls["n"] == 4:
                raise RuntimeError("power cut")
            original(self, sql, tracking)

        monkeypatch.setattr(type(view), "_record_tracking", crash_on_the_fourth)
        with pytest.raises(RuntimeError, match="power cut"):
            seal(app, view, size=100)
        # Then the three committed batches are sealed, and nothing of the fourth
        assert view.position() == 300
        assert len(global_links(view)) == 300
        # And sealing again resumes there and ends with the seals of an uninterrupted run
        assert seal(app, view, size=100) == head
        assert global_links(view) == whole
    finally:
        app.close()
        view.datastore.close()


def test_following_the_log_live_seals_what_is_written(sealed, storage):
    app, view = sealed
    stop = threading.Event()
    follower = threading.Thread(target=follow_one, args=(storage, AuditProjection, stop),
                                daemon=True)
    follower.start()
    try:
        # When events are written while the sealer follows
        app.identity.create_user(login="li-auditor", display_name="李", password="a long password",
                                 actor="test")
        app.identity.grant_role("li-auditor", org="sunlight-village", role="auditor", reason="test",
                                actor="test")
        head = app.log_head()
        deadline = time.monotonic() + 20
        while view.position() < head and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        follower.join(timeout=20)
    # Then they are sealed, and the chain is whole, as one rebuilt from event one
    assert view.position() == head
    live = rows(view)
    assert verify_chain(app, view, keys=known_keys(storage)).whole
    rebuild(app, view)
    assert rows(view)["seals"] == live["seals"]


def test_interval_checkpoints_while_events_arrive(storage):
    load_store(STORE, storage)
    app, view = open_ledger(storage), open_view(storage, AuditProjection, create_tables=True)
    clock = {"now": datetime(2026, 12, 6, 8, 0, tzinfo=UTC)}
    view.checkpoints = Checkpoints(key=lambda: centre_key(storage),
                                   interval=timedelta(minutes=60), now=lambda: clock["now"])
    try:
        seal(app, view, until=100)  # the first batch: no interval checkpoint yet, so one now
        seal(app, view, until=200)  # ten minutes later: none
        clock["now"] += timedelta(minutes=10)
        seal(app, view, until=300)
        clock["now"] += timedelta(minutes=55)
        seal(app, view, until=400)  # an hour after the first: the global head and each moved org
        with view.sql() as sql:
            marks = sql.execute("SELECT org, position, at FROM audit_checkpoints WHERE "
                                "reason = 'interval' ORDER BY at, org").all()
            moved = {chain for chain, position, _ in seals.every(sql)
                     if chain and position <= 400}
        assert [(m["org"], m["position"]) for m in marks if m["org"] == ""] == [("", 100),
                                                                               ("", 400)]
        assert {m["org"] for m in marks if m["at"] == "2026-12-06T09:05:00Z"} == {"", *moved}
    finally:
        app.close()
        view.datastore.close()
