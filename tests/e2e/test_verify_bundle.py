"""The standalone verifier, run as an outsider would: copied alone into a folder, in a fresh venv
holding only what it declares (`cryptography`), against bundles of the demo's published
disclosures. It accepts them and rejects a changed amount (even with the digest and Merkle root
recomputed), one changed signature byte, a wrong fingerprint, and a receipt's path used for
another line.

The bundles are those the server serves (the demo sealed by the sealer); this test also re-hashes
each one's chain head from the stored events it carries, by the layout in docs/verification.md,
written again here: a second implementation of it.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from flask import Flask

from demo.cooperative import COOP_ORG
from demo.village import DEMO_ORG
from infra import signing
from projections.disclosure import bundle as bundles
from projections.disclosure import merkle
from tests.api.desk_walk import demo_app
from tests.conftest import Clock

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    app, _ = demo_app(Path(tmp_path_factory.mktemp("demo")), Clock())
    yield app
    app.extensions["sunlight"].close()


@pytest.fixture(scope="module")
def outsider(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with verify_bundle.py alone, and a venv with only `cryptography` installed."""
    folder = tmp_path_factory.mktemp("outsider")
    shutil.copy(ROOT / "verify_bundle.py", folder / "verify_bundle.py")
    subprocess.run([sys.executable, "-m", "venv", str(folder / "venv")], check=True)
    subprocess.run([str(folder / "venv/bin/pip"), "install", "-q", "cryptography"], check=True,
                   timeout=600)
    return folder


def run(outsider: Path, bundle: dict[str, Any], *args: str,
        receipt: dict[str, Any] | None = None) -> subprocess.CompletedProcess[str]:
    (outsider / "it.bundle").write_text(json.dumps(bundle, ensure_ascii=False), "utf-8")
    if receipt is not None:
        (outsider / "it.receipt").write_text(json.dumps(receipt, ensure_ascii=False), "utf-8")
        args = (*args, "--receipt", "it.receipt")
    return subprocess.run([str(outsider / "venv/bin/python"), "verify_bundle.py", "it.bundle",
                           *args], cwd=outsider, capture_output=True, text=True, timeout=60)


def link(prev: bytes, event: dict[str, Any]) -> bytes:
    """sunlight-chain/1, written again from docs/verification.md."""
    topic, state = event["topic"].encode(), base64.b64decode(event["state"])
    return hashlib.sha256(
        prev + b"sunlight-chain/1" + event["position"].to_bytes(8, "big")
        + UUID(event["originator_id"]).bytes + event["originator_version"].to_bytes(8, "big")
        + len(topic).to_bytes(4, "big") + topic + len(state).to_bytes(4, "big") + state).digest()


def bundle_of(app: Flask, row: dict[str, Any]) -> dict[str, Any]:
    """The bundle as the server serves it, its head re-hashed here from what it carries."""
    response = app.test_client().get(f"/{row['org']}/disclosures/{row['id']}.bundle")
    assert response.status_code == 200
    bundle = json.loads(response.get_data())
    proof = bundle["publication"]
    head = bytes.fromhex(proof["prev"])
    for event in proof["events"]:
        head = link(head, event)
    assert head.hex() == bundle["chain"]["head"], row["title"]  # the sealer's bytes, as documented
    return bundle


def published(app: Flask, *orgs: str) -> list[dict[str, Any]]:
    disclosures = app.extensions["sunlight"].disclosures
    return [row for org in orgs or (DEMO_ORG,) for row in disclosures.published(org)]


def fingerprint(app: Flask) -> str:
    key = signing.centre_key(app.extensions["sunlight_storage"])
    return signing.fingerprint(signing.public_bytes(key))


def a_distribution(app: Flask) -> dict[str, Any]:
    return next(row for row in published(app) if row["kind"] == "distribution"
                and len(json.loads(row["content"])["lines"]) >= 3)


def test_every_demo_bundle_is_accepted_with_the_sheets_fingerprint(demo, outsider) -> None:
    rows = published(demo, DEMO_ORG, COOP_ORG)
    assert len(rows) >= 5 and {row["org"] for row in rows} == {DEMO_ORG, COOP_ORG}
    for row in rows:
        assert json.loads(row["content"])["format"] == "sunlight-disclosure/9"
        done = run(outsider, bundle_of(demo, row), "--fingerprint", fingerprint(demo))
        assert (done.returncode, done.stdout[:3]) == (0, "OK "), (row["title"], done.stdout)


def test_one_changed_amount_is_refused(demo, outsider) -> None:
    bundle = bundle_of(demo, a_distribution(demo))
    content = json.loads(bundle["content"])
    content["lines"][1]["amount"] = "99000.00"
    bundle["content"] = json.dumps(content, ensure_ascii=False, sort_keys=True,
                                   separators=(",", ":"))
    done = run(outsider, bundle)
    assert done.returncode == 1 and "SHA-256" in done.stdout, done.stdout
    # An insider who also recomputes the digest, the lines and the Merkle root is still caught:
    # the digest signed into the chain (the stored Published event) is the old one.
    content["merkle"] = merkle.summary(content)
    forged = bundles.bundle(json.dumps(content, ensure_ascii=False, sort_keys=True,
                                       separators=(",", ":")),
                            bundle["chain"], bundle["checkpoints"], bundle["publication"],
                            bundle["keys"])
    done = run(outsider, forged)
    assert done.returncode == 1 and "digest published in the chain" in done.stdout, done.stdout


def test_one_changed_signature_byte_is_refused(demo, outsider) -> None:
    bundle = bundle_of(demo, a_distribution(demo))
    entry = bundle["checkpoints"][0]["signatures"][0]
    raw = bytearray(base64.b64decode(entry["signature"]))
    raw[10] ^= 0x01
    entry["signature"] = base64.b64encode(bytes(raw)).decode()
    done = run(outsider, bundle)
    assert done.returncode == 1 and "signature" in done.stdout, done.stdout


def test_a_changed_stored_event_no_longer_hashes_to_the_signed_head(demo, outsider) -> None:
    bundle = bundle_of(demo, a_distribution(demo))
    event = bundle["publication"]["events"][0]
    event["originator_version"] += 1
    done = run(outsider, bundle)
    assert done.returncode == 1 and "signed chain head" in done.stdout, done.stdout


def test_a_wrong_fingerprint_is_refused(demo, outsider) -> None:
    bundle = bundle_of(demo, a_distribution(demo))
    wrong = hashlib.sha256(b"another key").hexdigest()[:16]
    done = run(outsider, bundle, "--fingerprint", wrong)
    assert done.returncode == 1 and wrong in done.stdout, done.stdout


def test_a_receipt_checks_and_its_path_for_another_line_is_refused(demo, outsider) -> None:
    bundle = bundle_of(demo, a_distribution(demo))
    second, third = bundles.receipt(bundle, 2), bundles.receipt(bundle, 3)
    assert second is not None and third is not None
    assert json.loads(second["line"])["line"]["no"] == 2  # a household's line no is its leaf no
    done = run(outsider, bundle, receipt=second)
    assert done.returncode == 0 and "receipt line 2" in done.stdout, done.stdout
    done = run(outsider, bundle, receipt=copy.deepcopy(second) | {"path": third["path"]})
    assert done.returncode == 1 and "Merkle path" in done.stdout, done.stdout
    done = run(outsider, bundle, receipt=copy.deepcopy(third) | {"index": 1})
    assert done.returncode == 1 and "not the line at its index" in done.stdout, done.stdout


def test_a_bundle_without_a_signed_checkpoint_is_refused(demo, outsider) -> None:
    bundle = copy.deepcopy(bundle_of(demo, a_distribution(demo))) | {"checkpoints": []}
    done = run(outsider, bundle)
    assert done.returncode == 1 and "no signed checkpoint" in done.stdout, done.stdout
