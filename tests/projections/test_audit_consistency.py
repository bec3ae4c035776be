"""`sunlight audit consistency ORG POS1 POS2`: the later signed head extends the earlier one, and
the proof it prints lets anyone redo it (fold the events listed from the earlier head); after an
event between them is rewritten, it does not hold.

Given: the store of every event, sealed (a checkpoint at each of its published disclosures).
"""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest
from click.testing import CliRunner

import verify_bundle
from api.cli import main
from infra.signing import centre_key, fingerprint, public_bytes, verify
from infra.storage import Storage
from projections.audit.chain import link
from projections.audit.view import AuditProjection, seal
from projections.runner import open_ledger, open_view
from tests.e2e.tamper import Insider
from tests.fixtures.every_event.dump import STORE
from tests.fixtures.stores import load_store

ORG = "sunlight-village"


def consistency(storage: Storage, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["audit", "consistency", *args], env={
        "SUNLIGHT_DATABASE_URL": storage.database_url,
        "SUNLIGHT_DATA_DIR": str(storage.data_dir), "SUNLIGHT_SIGNING_KEY": ""})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.fixture
def marks(storage: Storage) -> list[int]:
    load_store(STORE, storage)
    app, view = open_ledger(storage), open_view(storage, AuditProjection, create_tables=True)
    try:
        seal(app, view)
        with view.sql() as sql:
            return [int(r["position"]) for r in sql.execute(
                "SELECT position FROM audit_checkpoints WHERE org = :org ORDER BY position",
                {"org": ORG}).all()]
    finally:
        app.close()
        view.datastore.close()


def test_the_later_head_extends_the_earlier_and_the_proof_redoes_it(storage, marks, tmp_path):
    first, second = marks[0], marks[-1]
    out = tmp_path / "proof.json"
    code, _ = consistency(storage, ORG, str(first), str(second), "--out", str(out))
    assert code == 0
    proof = json.loads(out.read_text(encoding="utf-8"))
    assert proof["consistent"] is True and proof["org"] == ORG
    # Anyone redoes it: both heads signed by the centre, the events folded from the earlier head
    public = public_bytes(centre_key(storage))
    for mark in (proof["from"], proof["to"]):
        assert all(verify(public, mark["payload"], s) for s in mark["signatures"])
    head = bytes.fromhex(proof["from"]["payload"]["head"])
    for event in proof["events"]:
        assert first < event["position"] <= second
        head = link(head, event["position"], UUID(hex=event["originator_id"]), event["version"],
                    event["topic"], base64.b64decode(event["state"]))
    assert head.hex() == proof["to"]["payload"]["head"]
    assert proof["events"]  # the fold ran over the village's events between the two


def test_the_standalone_verifier_checks_the_proof(storage, marks, tmp_path):
    first, second = marks[0], marks[-1]
    out = tmp_path / "proof.json"
    assert consistency(storage, ORG, str(first), str(second), "--out", str(out))[0] == 0
    proof = json.loads(out.read_text(encoding="utf-8"))
    centre = fingerprint(public_bytes(centre_key(storage)))
    # Then verify_bundle.py, with the fingerprint printed on the sheet, accepts it
    assert verify_bundle.main([str(out), "--fingerprint", centre]) == 0
    assert verify_bundle.main([str(out), "--fingerprint", "0" * 16]) == 1

    def refused(change: Callable[[dict[str, Any]], None]) -> bool:
        changed = json.loads(json.dumps(proof))
        change(changed)
        forged = tmp_path / "forged.json"
        forged.write_text(json.dumps(changed), encoding="utf-8")
        return verify_bundle.main([str(forged)]) == 1

    def state(p: dict[str, Any]) -> None:  # one byte of one event between the heads
        raw = bytearray(base64.b64decode(p["events"][0]["state"]))
        raw[len(raw) // 2] ^= 1
        p["events"][0]["state"] = base64.b64encode(bytes(raw)).decode()

    def signature(p: dict[str, Any]) -> None:
        text = p["to"]["signatures"][0]["signature"]
        p["to"]["signatures"][0]["signature"] = ("A" if text[0] != "A" else "B") + text[1:]

    # And refuses a changed event, a changed signature, a dropped event, another chain's head
    assert refused(state) and refused(signature)
    assert refused(lambda p: p["events"].pop(0))
    assert refused(lambda p: p["to"]["payload"].update(org="another-village"))


def test_a_rewrite_between_the_two_heads_breaks_the_proof(storage, marks):
    first, second = marks[0], marks[-1]
    app = open_ledger(storage)
    insider = Insider(storage, app.recorder.events_table_name)
    app.close()
    try:
        position = min(p for org, p in insider.org_seals() if org == ORG and p > first)
        insider.edit(int(position), "state", random.Random(3))
    finally:
        insider.close()
    code, output = consistency(storage, ORG, str(first), str(second))
    assert code == 1
    assert "NOT CONSISTENT" in output


def test_positions_without_a_checkpoint_prove_nothing(storage, marks):
    code, output = consistency(storage, ORG, str(marks[0] + 1), str(marks[-1]))
    assert code == 1 and "no checkpoint" in output
