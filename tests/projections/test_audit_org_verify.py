"""One organization's verification reads that organization's events only (and the events the
sealer has not reached), yet still finds its own events changed, an event forged for it after
the sealer's position, and, by counting the log against the global chain, an event slipped in
or taken out elsewhere.

Given: the store of every event (tests/fixtures/every_event), sealed.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from infra.storage import Storage
from projections.audit import org_log
from projections.audit.checkpoints import known_keys
from projections.audit.owners import first_events
from projections.audit.verify import verify_chain
from projections.audit.view import AuditProjection, seal
from projections.runner import open_ledger, open_view
from tests.e2e.tamper import Insider
from tests.fixtures.every_event.dump import STORE
from tests.fixtures.stores import load_store

ORG = "sunlight-village"


@pytest.fixture
def sealed(storage: Storage):
    head = load_store(STORE, storage)
    app = open_ledger(storage)
    view = open_view(storage, AuditProjection, create_tables=True)
    assert seal(app, view) == head
    insider = Insider(storage, app.recorder.events_table_name)
    yield app, view, known_keys(storage), insider
    insider.close()
    app.close()
    view.datastore.close()


def owners(app: Any) -> dict[int, str]:
    """Each position's organization, as the log's first events name them."""
    found: dict[int, str] = {}
    for rows in org_log.read_raw(app, 0):
        orgs = first_events(app, [row[1] for row in rows])
        found.update({row[0]: orgs.get(row[1], "") for row in rows})
    return found


def test_it_reads_the_organizations_events_only(sealed, monkeypatch):
    app, view, keys, _ = sealed
    read: list[int] = []
    original = org_log.read_at

    def recording(app: Any, positions: list[int]) -> list[Any]:
        rows = original(app, positions)
        read.extend(row[0] for row in rows)
        return rows

    monkeypatch.setattr(org_log, "read_at", recording)
    result = verify_chain(app, view, org=ORG, keys=keys)
    by_position = owners(app)
    mine = sorted(p for p, org in by_position.items() if org == ORG)
    assert result.whole and result.events == len(mine) < len(by_position)
    assert read == mine  # not one other organization's event, and each of its own once


def test_its_own_event_changed_is_named(sealed):
    app, view, keys, insider = sealed
    position = random.Random(5).choice(
        [p for p, org in owners(app).items() if org == ORG])
    insider.edit(position, "state", random.Random(6))
    bad = verify_chain(app, view, org=ORG, keys=keys).first_bad
    assert (bad.position, bad.kind) == (position, "altered")


def test_an_event_forged_for_it_after_the_sealer_is_found(sealed):
    app, view, keys, insider = sealed
    mine = next(p for p, org in owners(app).items() if org == ORG)
    position, _ = insider.insert_forged(mine, random.Random(7))
    bad = verify_chain(app, view, org=ORG, keys=keys).first_bad
    assert (bad.position, bad.kind) == (position, "inserted")


def test_two_of_its_events_swapped_are_named_reordered(sealed):
    app, view, keys, insider = sealed
    mine = [p for p, org in owners(app).items() if org == ORG]
    # Given two of the village's events swapped in the log
    insider.swap(mine[10], mine[20])
    # Then its own verification names the first and the kind, as the whole store's does
    for org in (ORG, None):
        bad = verify_chain(app, view, org=org, keys=keys).first_bad
        assert (bad.position, bad.kind) == (mine[10], "reordered"), (org, bad)
        assert f"sealed at position {mine[20]}" in bad.detail


def test_telling_a_swap_from_an_alteration_reads_its_own_events_only(sealed, monkeypatch):
    app, view, keys, insider = sealed
    by_position = owners(app)
    mine = [p for p, org in by_position.items() if org == ORG]
    insider.swap(mine[10], mine[20])
    read: list[int] = []
    original = org_log.read_at

    def recording(app: Any, positions: list[int]) -> list[Any]:
        rows = original(app, positions)
        read.extend(row[0] for row in rows)
        return rows

    monkeypatch.setattr(org_log, "read_at", recording)
    assert verify_chain(app, view, org=ORG, keys=keys).first_bad.kind == "reordered"
    assert read and {by_position[p] for p in read} == {ORG}


def test_an_event_inserted_into_its_history_is_named_inserted(sealed):
    app, view, keys, insider = sealed
    mine = [p for p, org in owners(app).items() if org == ORG]
    # Given a forged event put into the middle of the village's history, its later events each
    # moved to the village's next position (the last one after the log's end)
    middle = len(mine) - 20
    undo = insider.push_down(mine[middle:], random.Random(8))
    # Then its own verification names where and how, as the whole store's does
    for org in (ORG, None):
        bad = verify_chain(app, view, org=org, keys=keys).first_bad
        assert (bad.position, bad.kind) == (mine[middle], "inserted"), (org, bad)
        assert f"now at {mine[middle + 1]}" in bad.detail
    # And undone, the store is whole again
    undo()
    assert verify_chain(app, view, org=ORG, keys=keys).whole


def test_another_organizations_event_taken_out_is_counted(sealed):
    app, view, keys, insider = sealed
    theirs = next(p for p, org in owners(app).items() if org not in (ORG, ""))
    insider.delete(theirs)
    bad = verify_chain(app, view, org=ORG, keys=keys).first_bad
    assert bad.kind == "deleted" and "the whole verification" in bad.detail


def test_verifying_one_organizations_disclosures_replays_its_events_only(storage, monkeypatch):
    from projections.books.view import BooksProjection
    from projections.disclosure.verify import verify

    load_store(STORE, storage)
    app = open_ledger(storage)
    try:
        whole = [f.as_dict() for f in verify(app)]
        view_class = BooksProjection.view_class(False)  # the scratch books are SQLite
        handed: list[str] = []
        original = view_class.project

        def recording(self: Any, events: Any) -> None:
            events = list(events)
            handed.extend(event.originator_id.hex for event, _ in events)
            original(self, events)

        monkeypatch.setattr(view_class, "project", recording)
        mine = [f.as_dict() for f in verify(app, ORG)]
        # Then it finds what the whole verification finds for the village
        assert mine == [f for f in whole if f["org"] == ORG] and all(f["ok"] for f in mine)
        # from the village's events alone
        orgs = first_events(app, set(handed))
        assert handed and {orgs.get(key, "") for key in handed} == {ORG}
        assert len(handed) < app.log_head()
    finally:
        app.close()
