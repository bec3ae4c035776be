"""A published disclosure as one file anyone checks offline (format "sunlight-bundle/1"), and a
receipt for one of its lines: the published bytes, their digest, the Merkle root and leaves, the
organization's chain head where the disclosure was published, its signed checkpoints and keys.

Rule: everything here is read back, never recomputed into something else — the content is the
stored string byte for byte, so the digest printed on the sheet is the SHA-256 of `content`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from projections.db import Sql
from projections.disclosure import merkle

FORMAT = "sunlight-bundle/1"
RECEIPT = "sunlight-receipt/1"


def _audit() -> Any:
    """The chain's read side (projections/audit, built beside the sealer)."""
    import projections.audit as audit  # a sibling package (helper CHAIN), read at call time

    return audit


def checkpoint_parts(found: Mapping[str, Any]) -> dict[str, Any]:
    """A checkpoint as {"payload", "signatures"}: the payload exactly as signed."""
    if "payload" in found:
        return {"payload": dict(found["payload"]), "signatures": list(found["signatures"])}
    payload = {key: value for key, value in found.items() if key != "signatures"}
    return {"payload": payload, "signatures": list(found.get("signatures", []))}


def anchoring(sql: Sql, org: str, position: int) -> tuple[dict[str, Any] | None, list[Any]]:
    """The org's chain head at `position` (the disclosure's newest event), and the signed
    checkpoints that vouch for it: the one at that head, else the first one after it."""
    audit = _audit()
    head = audit.org_head(sql, org, position)
    if head is None:
        return None, []
    chain = {"org": org, "position": int(head[0]), "head": head[1]}
    found = audit.checkpoint_at(sql, org, chain["position"])
    if found is None:
        later = sql.execute(
            "SELECT MIN(position) AS p FROM audit_checkpoints WHERE org = :org AND position >= "
            ":position", {"org": org, "position": chain["position"]}).scalar()
        found = audit.checkpoint_at(sql, org, int(later)) if later is not None else None
    return chain, [] if found is None else [checkpoint_parts(found)]


def bundle(content: str, chain: Mapping[str, Any] | None, checkpoints: list[Any],
           keys: list[Mapping[str, str]]) -> dict[str, Any]:
    parsed = json.loads(content)
    leaves = merkle.lines(parsed)
    return {"format": FORMAT, "content": content,
            "digest": hashlib.sha256(content.encode("utf-8")).hexdigest(),
            "merkle": parsed.get("merkle") or {"root": merkle.root(leaves),
                                                "leaves": len(leaves), "scheme": merkle.SCHEME},
            "lines": [leaf.decode("utf-8") for leaf in leaves],
            "chain": dict(chain) if chain else None, "checkpoints": checkpoints,
            "keys": [dict(key) for key in keys]}


def receipt(whole: Mapping[str, Any], number: int) -> dict[str, Any] | None:
    """Line `number` (from 1, leaf order) with its path to the root, and all that vouches for
    the root; None when there is no such line."""
    lines = [line.encode("utf-8") for line in whole["lines"]]
    if not 1 <= number <= len(lines):
        return None
    return {"format": RECEIPT, "index": number - 1, "line": whole["lines"][number - 1],
            "path": merkle.path(lines, number - 1), "root": whole["merkle"]["root"],
            "leaves": len(lines), "digest": whole["digest"], "chain": whole["chain"],
            "checkpoints": whole["checkpoints"], "keys": whole["keys"]}
