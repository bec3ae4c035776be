"""A published disclosure as one file anyone checks offline (format "sunlight-bundle/1"), and a
receipt for one of its lines: the published bytes, their digest, the Merkle root and leaves, the
organization's chain head where the disclosure was published with the stored events that tie the
digest to it, its signed checkpoints and keys.

Rule: everything here is read back, never recomputed into something else — the content is the
stored string byte for byte, so the digest printed on the sheet is the SHA-256 of `content`.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from eventsourcing.utils import get_topic

from ledger.application import Ledger
from ledger.disclosure import Disclosure
from projections import audit
from projections.db import Sql
from projections.disclosure import merkle
from projections.log import BATCH

FORMAT = "sunlight-bundle/1"
RECEIPT = "sunlight-receipt/1"


def checkpoint_parts(found: Mapping[str, Any]) -> dict[str, Any]:
    """A checkpoint as {"payload", "signatures"}: the payload exactly as signed."""
    if "payload" in found:
        return {"payload": dict(found["payload"]), "signatures": list(found["signatures"])}
    payload = {key: value for key, value in found.items() if key != "signatures"}
    return {"payload": payload, "signatures": list(found.get("signatures", []))}


def published_at(app: Ledger, disclosure: str, built_at: int) -> int | None:
    """The log position of the disclosure's Published event (after the snapshot it was built
    from; only Published events are read, in batches)."""
    topic, start = get_topic(Disclosure.Published), built_at
    while batch := app.recorder.select_notifications(start=start, limit=BATCH, topics=[topic],
                                                     inclusive_of_start=False):
        for notification in batch:
            if str(notification.originator_id) == disclosure:
                return int(notification.id)
        start = batch[-1].id
    return None


def stored(app: Ledger, position: int) -> dict[str, Any]:
    """One stored event exactly as the chain hashed it: its state is the bytes in the table."""
    found = app.recorder.select_notifications(start=position, limit=1)[0]
    return {"position": int(found.id), "originator_id": str(found.originator_id),
            "originator_version": int(found.originator_version), "topic": found.topic,
            "state": base64.b64encode(found.state).decode("ascii")}


def anchoring(app: Ledger, sql: Sql, org: str, disclosure: str,
              built_at: int) -> tuple[dict[str, Any] | None, list[Any], dict[str, Any] | None]:
    """The chain head a signed checkpoint vouches for, the checkpoint, and the proof that ties
    the disclosure's digest to that head: the org's link before the Published event and the
    org's stored events from it up to the checkpoint (one, when the sealer checkpointed the
    publication itself), so an offline verifier re-hashes them into the signed head."""
    published = published_at(app, disclosure, built_at)
    if published is None:
        return None, [], None
    at = sql.execute("SELECT MIN(position) AS p FROM audit_checkpoints WHERE org = :org AND "
                     "position >= :position", {"org": org, "position": published}).scalar()
    found = None if at is None else audit.checkpoint_at(sql, org, int(at))
    if found is None:  # sealed but not signed yet: the head alone, which the verifier refuses
        head = audit.org_head(sql, org, published)
        return ({"org": org, "position": int(head[0]), "head": head[1]} if head else None,
                [], None)
    checkpoint = checkpoint_parts(found)
    chain = {"org": org, "position": int(checkpoint["payload"]["position"]),
             "head": checkpoint["payload"]["head"]}
    before = audit.org_head(sql, org, published - 1)
    positions = audit.positions_of(sql, org, published - 1, chain["position"])
    proof = {"prev": before[1] if before else audit.GENESIS.hex(),
             "events": [stored(app, int(position)) for position in positions]}
    return chain, [checkpoint], proof


def bundle(content: str, chain: Mapping[str, Any] | None, checkpoints: list[Any],
           publication: Mapping[str, Any] | None,
           keys: list[Mapping[str, str]]) -> dict[str, Any]:
    parsed = json.loads(content)
    # Formats 1-3 carry no root, so their bundles have no lines: digest and chain only.
    leaves = merkle.lines(parsed) if "merkle" in parsed else []
    return {"format": FORMAT, "content": content,
            "digest": hashlib.sha256(content.encode("utf-8")).hexdigest(),
            "merkle": parsed.get("merkle"),
            "lines": [leaf.decode("utf-8") for leaf in leaves],
            "chain": dict(chain) if chain else None, "checkpoints": checkpoints,
            "publication": dict(publication) if publication else None,
            "keys": [dict(key) for key in keys]}


def receipt(whole: Mapping[str, Any], number: int) -> dict[str, Any] | None:
    """Line `number` (from 1, leaf order) with its path to the root, and all that vouches for
    the root; None when there is no such line."""
    lines = [line.encode("utf-8") for line in whole["lines"]]
    if whole["merkle"] is None or not 1 <= number <= len(lines):
        return None
    return {"format": RECEIPT, "index": number - 1, "line": whole["lines"][number - 1],
            "path": merkle.path(lines, number - 1), "root": whole["merkle"]["root"],
            "leaves": len(lines), "digest": whole["digest"], "chain": whole["chain"],
            "checkpoints": whole["checkpoints"], "publication": whole["publication"],
            "keys": whole["keys"]}
