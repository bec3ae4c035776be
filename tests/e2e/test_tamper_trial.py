"""The tamper trial: an insider with write access to a stopped store makes one change to one row
— an edit of any column of any stored event, a deletion, a forged insertion, a swap of two
events, an edit of a seal or of a checkpoint's signature — and `sunlight audit verify` exits 1
naming the first bad position and how; unaltered (and after each change is undone), it exits 0.
And an insider who rewrites an event and recomputes every seal consistently (without the
centre's key) is caught by a signed checkpoint. On SQLite and PostgreSQL.

Given: a store of 5,118 events: the store of every event (tests/fixtures/every_event) six times
over, each copy's aggregates under ids of their own, sealed with a checkpoint at every batch.
"""

from __future__ import annotations

import random
import re
from datetime import timedelta
from uuid import UUID

import pytest
from click.testing import CliRunner
from eventsourcing.persistence import IntegrityError, StoredEvent

from api.cli import main
from infra.signing import centre_key
from infra.storage import Storage
from projections.audit.chain import GENESIS, Row, chain, read_log
from projections.audit.checkpoints import Checkpoints
from projections.audit.view import AuditProjection, seal
from projections.runner import create_tables, open_ledger, open_view, rebuild
from tests.e2e.tamper import Insider
from tests.fixtures.every_event.dump import STORE
from tests.fixtures.stores import stored_events

COPIES = 6
TRIALS = 50
SEED = 20261206
FIRST_BAD = re.compile(r"first bad position (\d+) \((\w+)\)")


def build_store(storage: Storage) -> int:
    """The fixture's events COPIES times, each copy's aggregates renamed, then sealed."""
    create_tables(storage)
    events = stored_events(STORE)
    app = open_ledger(storage)
    view = open_view(storage, AuditProjection)
    try:
        for copy in range(COPIES):
            app.recorder.insert_events([
                StoredEvent(originator_id=UUID(int=e.originator_id.int ^ copy),
                            originator_version=e.originator_version, topic=e.topic,
                            state=e.state) for e in events])
        # A checkpoint at the end of every batch, so that a rewrite meets one soon.
        view.checkpoints = Checkpoints(key=lambda: centre_key(storage), interval=timedelta(0))
        head = seal(app, view)
        assert head == app.log_head() == COPIES * len(events) >= 5_000
        return head
    finally:
        app.close()
        view.datastore.close()


def audit_verify(storage: Storage, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["audit", "verify", *args], env={
        "SUNLIGHT_DATABASE_URL": storage.database_url,
        "SUNLIGHT_DATA_DIR": str(storage.data_dir), "SUNLIGHT_SIGNING_KEY": ""})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def first_bad(output: str) -> tuple[int, str]:
    found = FIRST_BAD.search(output)
    assert found is not None, output
    return int(found[1]), found[2]


@pytest.fixture
def store(storage: Storage):
    head = build_store(storage)
    app = open_ledger(storage)
    insider = Insider(storage, app.recorder.events_table_name)
    app.close()
    yield storage, head, insider
    insider.close()


def test_every_single_row_change_is_found_at_its_position(store):
    storage, head, insider = store
    rng = random.Random(SEED)
    # Unaltered, the store verifies whole
    assert audit_verify(storage)[0] == 0
    marks = insider.seal_rows("audit_checkpoints")
    org_seals = insider.org_seals()
    changes = ["state", "topic", "version", "originator_id", "delete", "insert", "swap",
               "seal", "org_seal", "seal_deleted", "signature"]
    seen: set[str] = set()
    for trial in range(TRIALS):
        change = changes[trial] if trial < len(changes) else rng.choice(changes)
        position = rng.randint(1, head)
        kinds = {"altered"}
        # When the insider makes one change
        if change in ("state", "topic", "version", "originator_id"):
            undo = insider.edit(position, change, rng)
        elif change == "delete":
            undo, kinds = insider.delete(position), {"deleted"}
        elif change == "insert":
            position, undo = insider.insert_forged(position, rng)
            kinds = {"inserted"}
        elif change == "swap":
            other = rng.choice([p for p in range(1, head + 1) if p != position])
            if insider.event(other)[2:] == insider.event(position)[2:]:
                other = position % head + 1  # the copies hold equal contents: a visible swap
            undo, position, kinds = insider.swap(position, other), min(position, other), {
                "reordered"}
        elif change == "seal":
            undo, kinds = insider.edit_seal("", position, rng), {"seal"}
        elif change == "org_seal":
            org, position = org_seals[rng.randrange(len(org_seals))]
            undo = insider.edit_seal(org, position, rng)
            kinds = {"seal"}
        elif change == "seal_deleted":
            undo, kinds = insider.delete_seal(position), {"seal"}
        else:
            org, position = marks[rng.randrange(len(marks))][:2]
            undo, kinds = insider.edit_signature(org, position), {"signature"}
        try:
            # Then the verification exits 1 and names the position and the kind of change
            code, output = audit_verify(storage)
            assert code == 1, (change, position, output)
            assert first_bad(output) in {(position, kind) for kind in kinds}, (change, output)
        finally:
            undo()
        seen.add(change)
    assert seen == set(changes)
    # And with every change undone, the store is whole again
    assert audit_verify(storage)[0] == 0


def recompute_every_seal(insider: Insider, storage: Storage) -> None:
    """The insider's own code: every seal, global and per organization, recomputed from the
    events as they now are, written over the sealer's (one block per chain, as documented)."""
    owners = dict(insider.run([("SELECT originator_id, org FROM audit_originators", ())],
                              log=False))
    previous = {"": GENESIS}
    chains: dict[str, list[tuple[int, bytes]]] = {"": []}
    app = open_ledger(storage)
    try:
        for rows in read_log(app, 0):
            for row in rows:
                body = row.body()
                for name in {"", owners[row.originator_key]}:  # global, and its org's if any
                    previous[name] = chain(previous.get(name, GENESIS), body)
                    chains.setdefault(name, []).append((row.position, previous[name]))
    finally:
        app.close()
    insider.run([("DELETE FROM audit_seal_blocks", ())] + [(
        "INSERT INTO audit_seal_blocks (chain, first, last, positions, links) VALUES "
        "(?, ?, ?, ?, ?)", (name, links[0][0], links[-1][0],
                            "".join(p.to_bytes(8, "big").hex() for p, _ in links),
                            "".join(link.hex() for _, link in links)))
        for name, links in chains.items()], log=False)


def test_a_rewrite_with_every_seal_recomputed_is_caught_by_a_signed_checkpoint(store):
    storage, _, insider = store
    rng = random.Random(SEED + 1)
    marks = sorted(int(row[1]) for row in insider.seal_rows("audit_checkpoints",
                                                             "WHERE org = ''"))
    position = rng.randint(1, marks[-1])
    # Given an event rewritten in the log, and every seal recomputed to agree with it (the
    # insider has no key: the signed checkpoints stay as they were)
    insider.edit(position, "state", rng)
    recompute_every_seal(insider, storage)
    # Then the seals agree with the events, but a checkpoint signed before does not
    code, output = audit_verify(storage)
    assert code == 1, output
    found, kind = first_bad(output)
    assert kind == "rewritten"
    assert position <= found <= min(mark for mark in marks if mark >= position)
    # And the organization's own verification finds it too, when the event is theirs
    owner = Row(position, *insider.event(position)).originator_key
    [(org,)] = insider.run([("SELECT org FROM audit_originators WHERE originator_id = ?",
                             (owner,))], log=False)
    if org:
        code, output = audit_verify(storage, org)
        assert code == 1 and first_bad(output)[1] == "rewritten", output
    # And the product's own sealer, asked to seal it all again, stops at the signed head
    app, view = open_ledger(storage), open_view(storage, AuditProjection)
    try:
        with pytest.raises(IntegrityError, match="does not give the head signed"):
            rebuild(app, view)
        assert view.position() < found
    finally:
        app.close()
        view.datastore.close()
