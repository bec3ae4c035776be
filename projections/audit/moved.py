"""What became of a sealed position whose event is no longer the one sealed there: the event it
now holds was sealed at a later position of the same chain ("reordered": swapped or moved), or it
holds an event never sealed on that chain while the event sealed there is found further down
("inserted": the later events were pushed down to make room for it). Anything else is an
alteration, and the verifier calls it so.

One scan of the chain after the position, on the failure path only: the global chain's scan reads
the log after it; an organization's reads that organization's sealed events only (by position,
as its verification does), never the rest of the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from projections.audit import org_log, seals
from projections.audit.chain import BATCH, Raw, Row, chain, read_raw


def moved(app: Any, view: Any, name: str, row: Row, previous: bytes,
          seal: str) -> tuple[str, int] | None:
    """("reordered", q) or ("inserted", q), q the later position that shows it; None when the
    event at `row.position` was altered. `previous` is the chain's link before that position,
    `seal` the link sealed for it (hex)."""
    position, pushed = row.position, None
    before: bytes | None = None
    for chunk in _links_after(view, name, position - 1):
        found = {r[0]: Row(*r) for r in _rows_at(app, name, chunk)}
        for other, link in chunk:
            if before is not None and other != position:
                here = Row(other, row.originator_id, row.version, row.topic, row.state).body()
                if here is not None and chain(before, here) == link:
                    return "reordered", other
                there = found.get(other)
                back = None if there is None else Row(
                    position, there.originator_id, there.version, there.topic,
                    there.state).body()
                if pushed is None and back is not None and chain(previous, back).hex() == seal:
                    pushed = other
            before = link
    return None if pushed is None else ("inserted", pushed)


def _rows_at(app: Any, name: str, chunk: list[tuple[int, bytes]]) -> list[Raw]:
    """The stored events at the chunk's positions: the global chain's by one range read (it
    holds every position), an organization's by position (its own events only)."""
    if name == seals.GLOBAL:
        return [raw for rows in read_raw(app, chunk[0][0] - 1, until=chunk[-1][0])
                for raw in rows]
    return org_log.read_at(app, [p for p, _ in chunk])


def _links_after(view: Any, name: str, after: int) -> Iterator[list[tuple[int, bytes]]]:
    """The chain's seals after `after`, (position, link), in chunks of at most BATCH; a few
    blocks at a time (constant memory)."""
    chunk: list[tuple[int, bytes]] = []
    for positions, links in seals.links_after(view.sql, name, after):
        chunk.extend(zip(positions, links, strict=True))
        while len(chunk) >= BATCH:
            yield chunk[:BATCH]
            chunk = chunk[BATCH:]
    if chunk:
        yield chunk
