"""The seals, kept in blocks: one row per chain per sealed batch, holding that batch's positions
(8-byte big-endian, hex) and links (32 bytes each, hex) side by side. A row per event and chain
was most of the sealer's time; a block is one write, yet every event keeps its own seal, so a
verification still names the first bad position exactly.

A block is whole when its positions rise strictly, its first and last columns name its first and
last position, and it holds one link per position; a damaged block is reported at its first
position (`Damage`), never read as seals.
"""

from __future__ import annotations

import bisect
import itertools
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from projections.db import Sql

GLOBAL = ""  # the global chain's name; an organization's chain is named by its code
LINK = 32
TABLE = "audit_seal_blocks"
DDL = (
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (chain TEXT NOT NULL, first BIGINT NOT NULL,
        last BIGINT NOT NULL, positions TEXT NOT NULL, links TEXT NOT NULL,
        PRIMARY KEY (chain, first))""",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_by_first ON {TABLE} (first)",
)
PAGE = 64  # blocks read at a time by a stream: memory stays bounded by a few batches


@dataclass(frozen=True)
class Block:
    chain: str
    positions: tuple[int, ...]
    links: tuple[bytes, ...]


class Damaged(ValueError):
    """A block whose columns do not agree with each other."""


def encode(positions: list[int], links: list[bytes]) -> dict[str, Any]:
    return {"first": positions[0], "last": positions[-1],
            "positions": struct.pack(f">{len(positions)}Q", *positions).hex(),
            "links": b"".join(links).hex()}


def decode(row: dict[str, Any]) -> Block:
    """A stored block, checked whole (else Damaged)."""
    try:
        packed, links = bytes.fromhex(row["positions"]), bytes.fromhex(row["links"])
    except (TypeError, ValueError) as error:
        raise Damaged("a column is not hexadecimal") from error
    count = len(packed) // 8
    if count == 0 or len(packed) != count * 8 or len(links) != count * LINK:
        raise Damaged("its positions and links do not pair up")
    positions = struct.unpack(f">{count}Q", packed)
    if any(b <= a for a, b in itertools.pairwise(positions)):
        raise Damaged("its positions do not rise")
    if positions[0] != row["first"] or positions[-1] != row["last"]:
        raise Damaged("its first or last column does not name its first or last position")
    return Block(str(row["chain"]), positions,
                 tuple(links[i:i + LINK] for i in range(0, count * LINK, LINK)))


def write(sql: Sql, blocks: list[tuple[str, list[int], list[bytes]]]) -> None:
    """One batch's blocks: the global chain's and each organization's, in one statement."""
    rows = []
    for name, positions, links in blocks:
        if positions:
            block = encode(positions, links)
            rows.append((name, block["first"], block["last"], block["positions"],
                         block["links"]))
    sql.insert(TABLE, ("chain", "first", "last", "positions", "links"), rows)


def _block_at(sql: Sql, name: str, position: int) -> Block | None:
    """The chain's block that would hold `position`: the last one starting at or before it."""
    row = sql.execute(f"SELECT chain, first, last, positions, links FROM {TABLE} WHERE "
                      "chain = :chain AND first <= :position ORDER BY first DESC LIMIT 1",
                      {"chain": name, "position": position}).one()
    if row is None:
        return None
    try:
        return decode(row)
    except Damaged:
        return None


def seal_of(sql: Sql, name: str, position: int) -> bytes | None:
    """The link sealed for `position` on the chain, or None."""
    block = _block_at(sql, name, position)
    if block is None or position not in block.positions:
        return None
    return block.links[block.positions.index(position)]


def newest(sql: Sql, name: str, position: int | None = None) -> tuple[int, bytes] | None:
    """The chain's newest seal at or before `position` (or of all): (its position, its link)."""
    block = _block_at(sql, name, position if position is not None else 2**62)
    if block is None:
        return None
    at = max((i for i, p in enumerate(block.positions) if position is None or p <= position))
    return block.positions[at], block.links[at]


def next_after(sql: Sql, name: str, position: int) -> tuple[int, bytes] | None:
    """The chain's next seal after `position`: (its position, its link)."""
    block = _block_at(sql, name, position)
    if block is not None:
        for p, link in zip(block.positions, block.links, strict=True):
            if p > position:
                return p, link
    row = sql.execute(f"SELECT chain, first, last, positions, links FROM {TABLE} WHERE "
                      "chain = :chain AND first > :position ORDER BY first LIMIT 1",
                      {"chain": name, "position": position}).one()
    if row is None:
        return None
    try:
        found = decode(row)
    except Damaged:
        return None
    return found.positions[0], found.links[0]


def positions_of(sql: Sql, name: str, after: int, until: int) -> list[int]:
    """The chain's sealed positions after `after` up to `until`."""
    found: list[int] = []
    for block in blocks(sql, name, after, until):
        found.extend(p for p in block.positions if after < p <= until)
    return found


def blocks(sql: Sql, name: str, after: int, until: int) -> Iterator[Block]:
    """The chain's whole blocks that hold positions after `after` up to `until`."""
    start = _block_at(sql, name, after + 1)
    lowest = start.positions[0] if start is not None else after + 1
    for row in sql.execute(f"SELECT chain, first, last, positions, links FROM {TABLE} WHERE "
                           "chain = :chain AND first >= :lo AND first <= :hi ORDER BY first",
                           {"chain": name, "lo": lowest, "hi": until}).all():
        try:
            yield decode(row)
        except Damaged:
            continue


def every(sql: Sql, name: str | None = None) -> list[tuple[str, int, str]]:
    """Every seal (chain, position, link as hex) of one chain or all, by chain and position:
    what a rebuild must give again, whatever the blocks' boundaries."""
    where = "" if name is None else "WHERE chain = :chain "
    found = []
    for row in sql.execute(f"SELECT chain, first, last, positions, links FROM {TABLE} {where}"
                           "ORDER BY chain, first", {"chain": name}).all():
        block = decode(row)
        found.extend((block.chain, p, link.hex())
                     for p, link in zip(block.positions, block.links, strict=True))
    return found


def chain_positions(sql_of: Any, name: str, until: int) -> Iterator[list[int]]:
    """The chain's sealed positions up to `until`, a few blocks at a time (constant memory);
    a damaged block is passed over here (the verifier's Stream reports it)."""
    first = -1
    while True:
        with sql_of() as sql:
            rows = sql.execute(f"SELECT chain, first, last, positions, links FROM {TABLE} WHERE "
                               f"chain = :chain AND first > :first AND first <= :until ORDER BY "
                               f"first LIMIT {PAGE}",
                               {"chain": name, "first": first, "until": until}).all()
        for row in rows:
            try:
                yield [p for p in decode(row).positions if p <= until]
            except Damaged:
                continue
        if len(rows) < PAGE:
            return
        first = int(rows[-1]["first"])


def links_after(sql_of: Any, name: str, after: int) -> Iterator[tuple[list[int], list[bytes]]]:
    """The chain's seals after `after`, block by block, a few blocks read at a time (constant
    memory); a damaged block is passed over (the verifier's Stream reports it)."""
    with sql_of() as sql:
        start = _block_at(sql, name, after + 1)
    first = (start.positions[0] if start is not None else after + 1) - 1
    while True:
        with sql_of() as sql:
            rows = sql.execute(f"SELECT chain, first, last, positions, links FROM {TABLE} WHERE "
                               f"chain = :chain AND first > :first ORDER BY first LIMIT {PAGE}",
                               {"chain": name, "first": first}).all()
        for row in rows:
            try:
                block = decode(row)
            except Damaged:
                continue
            kept = [(p, link) for p, link in zip(block.positions, block.links, strict=True)
                    if p > after]
            if kept:
                yield [p for p, _ in kept], [link for _, link in kept]
        if len(rows) < PAGE:
            return
        first = int(rows[-1]["first"])


def sealed_count(sql: Sql, postgres: bool) -> int:
    """How many events the global chain sealed, from its blocks' sizes alone."""
    size = "octet_length" if postgres else "length"
    return int(sql.execute(f"SELECT COALESCE(SUM({size}(positions)), 0) AS n FROM {TABLE} "
                           "WHERE chain = ''").scalar()) // 16


def heads(sql: Sql) -> dict[str, tuple[int, bytes]]:
    """Every organization's newest seal: org → (position, link)."""
    found = {}
    for row in sql.execute(f"SELECT chain, MAX(first) AS first FROM {TABLE} WHERE chain <> '' "
                           "GROUP BY chain ORDER BY chain").all():
        head = newest(sql, row["chain"])
        if head is not None:
            found[row["chain"]] = head
    return found


def beyond(sql: Sql, name: str | None, position: int) -> int | None:
    """The first position sealed after `position` on the chain (None: on any chain)."""
    where = "" if name is None else " AND chain = :chain"
    rows = sql.execute(f"SELECT first, positions FROM {TABLE} WHERE (last > :position OR "
                       f"first > :position){where}", {"position": position, "chain": name}).all()
    found = [p for row in rows for p in (int(row["first"]), *_positions(row["positions"]))
             if p > position]
    return min(found) if found else None


def _positions(text: str) -> tuple[int, ...]:
    try:
        packed = bytes.fromhex(text)
        return struct.unpack(f">{len(packed) // 8}Q", packed[:len(packed) // 8 * 8])
    except (TypeError, ValueError):
        return ()


@dataclass
class Stream:
    """Every block of the store (or of one chain), in order of first position, handed out batch
    by batch (`take`) alongside the log: the verifier's merge of seals and events, in constant
    memory. Damage (a broken block, a position sealed twice on a chain) is reported at its
    position, so the verifier still meets problems in log order."""

    sql_of: Any  # a callable giving a context manager over Sql (the view's `sql`)
    chain: str | None = None  # None: every chain
    _cursor: tuple[int, str] = (-1, "")
    _pending: list[Block] = field(default_factory=list)
    _done: bool = False
    damage: dict[int, str] = field(default_factory=dict)

    def take(self, until: int) -> tuple[dict[int, bytes], dict[tuple[str, int], bytes]]:
        """(global seals by position, organizations' seals by (org, position)) up to `until`."""
        kept: dict[int, bytes] = {}
        org_seals: dict[tuple[str, int], bytes] = {}
        found, self._pending = self._pending, []
        while not self._done and self._cursor[0] <= until:
            found.extend(block for block in map(self._decode, self._page()) if block)
        for block in found:
            if block.positions[0] > until:
                self._pending.append(block)
                continue
            if block.positions[-1] > until:  # a block straddling the batch: the rest waits
                cut = bisect.bisect_right(block.positions, until)
                self._pending.append(Block(block.chain, block.positions[cut:],
                                           block.links[cut:]))
                block = Block(block.chain, block.positions[:cut], block.links[:cut])
            if block.chain == GLOBAL:
                self._merge(kept, block, block.positions)
            else:
                self._merge(org_seals, block, tuple(zip(itertools.repeat(block.chain),
                                                        block.positions, strict=False)))
        return kept, org_seals

    def _merge(self, into: dict[Any, bytes], block: Block, keys: tuple[Any, ...]) -> None:
        if not into.keys().isdisjoint(keys):
            twice = min(p for key, p in zip(keys, block.positions, strict=True) if key in into)
            self.damage.setdefault(twice, f"event {twice} is sealed twice on the chain of "
                                          f"{block.chain or 'the store'}")
        into.update(zip(keys, block.links, strict=True))

    def _page(self) -> list[dict[str, Any]]:
        first, name = self._cursor
        where = ("(first > :first OR (first = :first AND chain > :chain))"
                 if self.chain is None else "chain = :only AND first > :first")
        with self.sql_of() as sql:
            rows = sql.execute(f"SELECT chain, first, last, positions, links FROM {TABLE} WHERE "
                               f"{where} ORDER BY first, chain LIMIT {PAGE}",
                               {"first": first, "chain": name, "only": self.chain}).all()
        if len(rows) < PAGE:
            self._done = True
        if rows:
            self._cursor = (int(rows[-1]["first"]), str(rows[-1]["chain"]))
        return rows

    def _decode(self, row: dict[str, Any]) -> Block | None:
        try:
            return decode(row)
        except Damaged as damaged:
            where = f"of {row['chain']}" if row["chain"] else "of the global chain"
            self.damage.setdefault(int(row["first"]), f"the seal block {where} from event "
                                   f"{row['first']} was changed: {damaged}")
            return None
