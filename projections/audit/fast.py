"""A verification's quick pass over one batch: when every link of the batch matches its seal,
each event is on its own organization's chain and nowhere else, and nothing is missing or extra,
the batch is whole and the careful pass (verify.py), which names what went wrong and where, is
not needed. Any doubt returns False and the careful pass decides, from the same starting links.
"""

from __future__ import annotations

import hashlib
from typing import Any

from projections.audit.chain import GENESIS

GLOBAL = ""


def whole_batch(run: Any, positions: list[int], made: list[bytes], keys: list[str],
                kept: dict[int, bytes], org_seals: dict[tuple[str, int], bytes],
                owners: dict[str, str]) -> bool:
    """Check the batch; on success advance the run's links, count its events, check the
    batch's signed checkpoints (which may raise, as the careful pass would) and return True."""
    whole_store = run.org is None
    if whole_store and len(kept) != len(positions):
        return False
    sha256 = hashlib.sha256
    prev = dict(run.prev)
    head = prev.get(GLOBAL, GENESIS)
    marks = run.marks
    at_marks: dict[tuple[str, int], bytes] = {}
    matched = counted = 0
    for position, body, key in zip(positions, made, keys, strict=True):
        owner = owners.get(key)
        if owner is None:
            return False
        if whole_store:
            head = sha256(head + body).digest()
            if kept.get(position) != head:
                return False
            if marks and (GLOBAL, position) in marks:
                at_marks[(GLOBAL, position)] = head
            counted += 1
        elif owner != run.org:
            continue  # a seal of this chain here is counted as unmatched below
        if not owner:
            continue
        link = sha256(prev.get(owner, GENESIS) + body).digest()
        if org_seals.get((owner, position)) != link:
            return False
        prev[owner] = link
        matched += 1
        if marks and (owner, position) in marks:
            at_marks[(owner, position)] = link
        if not whole_store:
            counted += 1
    if matched != len(org_seals):
        return False  # a seal at a position that is no event of its chain here
    if whole_store:
        prev[GLOBAL] = head
    run.prev = prev
    run.result.events += counted
    # The batch's checkpoints, in log order (the global chain first at a position, as the
    # careful pass checks them); one naming no event of its chain here is then reported.
    for key in sorted(at_marks, key=lambda k: (k[1], k[0] != GLOBAL)):
        name, position = key
        where = f"on the chain of {name}" if name else "on the global chain"
        run._check_mark(name, position, at_marks[key].hex(), marks.pop(key), where)
    _leftover(run)
    return True


def _leftover(run: Any) -> None:
    from projections.audit.verify import _unvisited

    _unvisited(run)
