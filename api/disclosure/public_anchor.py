"""Where a published disclosure stands in its organization's hash chain, and who vouches for it:
the chain head at the disclosure's newest event, the signed checkpoints, the keys that signed.
The bundle, the receipts and the printed sheet all read it from here.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from api.disclosure.public_views import Published
from api.replica_reads import view_reaching
from api.services import services
from infra import signing
from infra.cosigners import cosigner_keys
from projections.disclosure import bundle as bundles

CENTRE = "centre"


def centre_public() -> bytes:
    """The centre's public key (infra/signing.py), from the storage the app was made with."""
    storage = current_app.extensions["sunlight_storage"]
    return signing.public_bytes(signing.centre_key(storage))


def known_keys() -> dict[str, dict[str, str]]:
    """Every key a checkpoint may be signed with, by fingerprint: the centre's, and the keys
    kept for supervisors who co-signed (infra/cosigners.py)."""
    entry = signing.key_entry(centre_public(), owner=CENTRE)
    return {entry["id"]: entry} | cosigner_keys(current_app.extensions["sunlight_storage"])


def anchoring(found: Published) -> tuple[Any, list[Any], Any]:
    row = found.row
    # The sealer's tables (projections/audit), from wherever they include the reader's write.
    with view_reaching("audit").sql() as sql:
        return bundles.anchoring(services().ledger, sql, row["org"], str(row["id"]),
                                 int(row["built_at_position"]))


def bundle_of(found: Published) -> dict[str, Any]:
    chain, checkpoints, publication = anchoring(found)
    keys = known_keys()
    used = {entry["key"] for checkpoint in checkpoints for entry in checkpoint["signatures"]}
    return bundles.bundle(found.row["content"], chain, checkpoints, publication,
                          [keys[key] for key in sorted(used) if key in keys])


def anchor_of(found: Published) -> dict[str, Any] | None:
    """The signed chain head and the centre's fingerprint, as the noticeboard sheet prints them."""
    chain, _, _ = anchoring(found)
    if chain is None:
        return None
    return chain | {"fingerprint": signing.fingerprint(centre_public())}
