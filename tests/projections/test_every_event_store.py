"""The store of every event (tests/fixtures/every_event), written by the code before step 7 moved
the modules into packages, still loads, projects and verifies, on SQLite and on PostgreSQL: every
topic it keeps resolves, every aggregate loads (from the library's snapshots as from its events),
every read-model table and statement is byte for byte what it was, and every published
disclosure verifies. A difference that is intended is written back by dump.py's one command."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from uuid import UUID

from eventsourcing.application import project_aggregate
from eventsourcing.utils import resolve_topic

from demo.village import DEMO_ORG
from infra.storage import Storage
from ledger.kernel.aggregate import LedgerAggregate
from ledger.kernel.personal import KEY_VARIABLE, PersonalDataCipher, id_number_problem
from projections.runner import open_ledger
from tests.fixtures.every_event.dump import EXPECTED, FIXTURE, STORE, dump, expected_files
from tests.fixtures.stores import load_store, stored_events

CONTRACT = Path(__file__).resolve().parents[1] / "unit" / "event_contract.json"
PINNED = set(json.loads(CONTRACT.read_text()))
# Kinds of event made since the store was written (the store is kept as written, so it cannot
# hold them); each is read and projected by tests of its own.
ADDED_SINCE_THE_STORE = {
    "ledger.voucher_templates:VoucherTemplates.Opened",  # tests/unit/test_voucher_templates.py
    "ledger.voucher_templates:VoucherTemplates.Saved",  # and tests/api/test_voucher_desk.py
    "ledger.voucher_templates:VoucherTemplates.Dropped",
    # tests/application/test_distribution.py and tests/api/test_distributions*.py
    "ledger.distributions:Distribution.Drafted",
    "ledger.distributions:Distribution.Cancelled",
    "ledger.distributions:Distribution.Posted",
    "ledger.distributions:Distribution.Disclosed",
    "ledger.distributions:Distribution.Paid",
    "ledger.shares:ShareRegister.RecordDateFixed",
    # tests/api/test_voucher_sheet_once.py
    "ledger.voucher_sheets:VoucherSheet.Opened",
    "ledger.voucher_sheets:VoucherSheet.Imported",
}
KEY = (FIXTURE / "personal-data.key").read_text().strip()


def first_difference(name: str, expected: bytes, actual: bytes) -> str:
    lines = difflib.unified_diff(expected.decode().splitlines(), actual.decode().splitlines(),
                                 f"expected/{name}", f"projected/{name}", n=1, lineterm="")
    return "\n".join(list(lines)[:12])


def test_the_store_keeps_every_pinned_kind_of_event_and_every_topic_resolves(storage: Storage):
    # Given the store written before the move, in a fresh database
    head = load_store(STORE, storage)
    app = open_ledger(storage)
    try:
        # When every event is read back as a domain event
        notifications = app.recorder.select_notifications(start=1, limit=head)
        events = [app.mapper.to_domain_event(n) for n in notifications]
    finally:
        app.close()

    # Then the store holds each kind of event the contract pins, but for the abstract base no
    # command triggers, and every event, and every aggregate a first event names, resolves.
    # Kinds are compared as classes: after the move, the contract names the new topics and the
    # store keeps the old ones, which resolve to the same classes (register_topic).
    pinned = {resolve_topic(topic) for topic in PINNED - ADDED_SINCE_THE_STORE}
    never_stored = {kind for kind in pinned if kind.__name__.startswith("_")}
    assert {kind.__qualname__ for kind in never_stored} == {"Matter._Meeting"}
    assert {resolve_topic(topic) for topic in {n.topic for n in notifications}} == (
        pinned - never_stored)
    assert len(events) == head
    assert all(isinstance(event, LedgerAggregate.Event) for event in events)
    created = [event for event in events if isinstance(event, LedgerAggregate.Created)]
    assert {issubclass(resolve_topic(event.originator_topic), LedgerAggregate)
            for event in created} == {True}


def test_every_aggregate_loads_and_a_snapshot_gives_what_its_events_give(storage: Storage):
    # Given the store with the snapshots the library took of the books every 100 events
    head = load_store(STORE, storage)
    snapshotted = {snapshot.originator_id for snapshot in stored_events(STORE,
                                                                        "stored_snapshots")}
    assert snapshotted
    app = open_ledger(storage, cipher=PersonalDataCipher.from_environ({KEY_VARIABLE: KEY}))
    try:
        ids = {n.originator_id for n in app.recorder.select_notifications(start=1, limit=head)}
        # When every aggregate is loaded as a command would load it (the books' snapshots are
        # of an older shape, without cash by day: read again from their events)
        loaded = {aggregate_id: app.store.find(LedgerAggregate, aggregate_id)
                  for aggregate_id in ids}

        # Then each is an aggregate of the ledger, and one loaded from its latest snapshot is
        # the one its events alone give
        assert all(isinstance(a, LedgerAggregate) for a in loaded.values())
        for aggregate_id in snapshotted:
            assert list(app.snapshots.get(aggregate_id, desc=True, limit=1))  # type: ignore[union-attr]
            from_events = project_aggregate(None, app.events.get(aggregate_id))
            assert vars(loaded[aggregate_id]) == vars(from_events)
        # And the roll's sealed ID numbers open with the fixture's test key
        roll = app.register.member_roll(DEMO_ORG)
        numbers = app.register.id_numbers(roll)  # {ID number: member}
        assert len(numbers) == sum(1 for p in roll.members.values() if p.id_sealed) >= 30
        assert all(not id_number_problem(number, born=roll.members[member].born,
                                         sex=roll.members[member].sex)
                   for number, member in numbers.items())
    finally:
        app.close()


def test_the_store_projects_to_the_same_bytes_and_every_disclosure_verifies(storage: Storage):
    # Given the store written before the move, in a fresh database
    load_store(STORE, storage)

    # When every read model projects it from event one and the statements are computed
    projected = dump(storage)

    # Then every table, statement and verification is byte for byte what was kept
    expected = expected_files()
    assert sorted(projected) == sorted(expected)
    differences = [first_difference(name, expected[name], projected[name])
                   for name in sorted(expected) if projected[name] != expected[name]]
    assert not differences, "\n\n".join(differences)
    # And the store leaves no table of any read model empty, but those of kinds made since
    assert sorted(name for name, rows in projected.items() if rows == b"[\n\n]\n") == [
        "tables/books.books_distribution_lines.json",
        "tables/books.books_distributions.json",
        "tables/books.books_meeting_additional_votes.json",  # a cooperative's (Art. 22)
        "tables/books.books_voucher_template_books.json",
        "tables/books.books_voucher_templates.json"]
    # And every published disclosure, archived or not, was rebuilt and verified
    findings = json.loads(projected["verify.json"])
    disclosures = json.loads(projected["tables/disclosures.disclosures.json"])
    published = {UUID(row["id"]) for row in disclosures if row["published_at"]}
    assert {UUID(finding["disclosure"]) for finding in findings} == published
    assert len(published) >= 9
    assert all(finding["ok"] and not finding["problems"] for finding in findings)
    assert (EXPECTED / "reports" / f"{DEMO_ORG}.json").exists()
