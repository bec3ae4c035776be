"""A consistency proof: the later signed head of a chain extends the earlier one. It holds both
signed checkpoints and the chain's stored events between them, so that anyone re-hashes them
from the earlier head and reaches the later head (the standalone verifier checks it too).
"""

from __future__ import annotations

import base64
from typing import Any
from uuid import UUID

from projections.audit import seals
from projections.audit.chain import chain, read_log
from projections.audit.checkpoints import checkpoint_at, signatures_hold

FORMAT = "sunlight-consistency/1"


def prove(app: Any, view: Any, org: str, first: int, second: int,
          keys: dict[str, bytes]) -> tuple[bool, dict[str, Any], str]:
    """(whether the chain from `first` extends to `second`, the proof, the reason if not)."""
    with view.sql() as sql:
        earlier, later = checkpoint_at(sql, org, first), checkpoint_at(sql, org, second)
        # The global chain ("") holds every event between them.
        positions = seals.positions_of(sql, org, first, second) if org else None
    signers = {s.get("key") for mark in (earlier, later) if mark for s in mark["signatures"]}
    # The public keys that signed, so the standalone verifier checks the proof on its own (it
    # takes a key under its own fingerprint only, which the sheet prints).
    proof: dict[str, Any] = {"format": FORMAT, "org": org, "from": earlier, "to": later,
                             "events": [], "keys": [
                                 {"id": key, "public_key": base64.b64encode(keys[key]).decode()}
                                 for key in sorted(signers) if key in keys]}
    for position, mark in ((first, earlier), (second, later)):
        if mark is None:
            return False, proof, f"no checkpoint on this chain at position {position}"
        if not signatures_hold(mark, keys):
            return False, proof, f"the checkpoint at position {position} is not validly signed"
    if second <= first:
        return False, proof, "the later position must come after the earlier one"
    assert earlier is not None and later is not None
    wanted = None if positions is None else set(positions)
    head = bytes.fromhex(earlier["payload"]["head"])
    found = 0
    for rows in read_log(app, first, until=second):
        for row in rows:
            if wanted is not None and row.position not in wanted:
                continue
            body = row.body()
            if body is None:
                return False, proof, f"event {row.position} has a damaged field"
            head = chain(head, body)
            found += 1
            proof["events"].append(_event(row))
    if wanted is not None and found != len(wanted):
        return False, proof, "events sealed on this chain between the two are missing"
    if head.hex() != later["payload"]["head"]:
        return False, proof, (f"re-hashing the {found} events from the head at {first} gives "
                              f"{head.hex()[:16]}…, not the head signed at {second}")
    return True, proof, ""


def _event(row: Any) -> dict[str, Any]:
    originator = row.originator_id if isinstance(row.originator_id, UUID) else UUID(
        str(row.originator_id))
    return {"position": row.position, "originator_id": originator.hex,
            "version": row.version, "topic": row.topic,
            "state": base64.b64encode(bytes(row.state)).decode("ascii")}
