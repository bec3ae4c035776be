"""Verification: recompute every link from the stored events, in one pass over the log in batches
(constant memory, linear time), compare each with its seal and every signed checkpoint, and name
the first position where history diverges and how.

Kinds: "altered" (an event's stored fields changed), "deleted" (a sealed event is gone),
"inserted" (an event that was never sealed), "reordered" (an event holds what was sealed at
another position), "seal" (a seal row changed, went missing or was added while the events are
whole), "rewritten" (the seals agree with the events, but a signed checkpoint does not: the
history and its seals were rewritten together), "signature" (a checkpoint's signature fails).
Whole, it checks the global chain and every organization's; for one organization, its chain only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from projections.audit import seals
from projections.audit.chain import (
    BATCH,
    GENESIS,
    Raw,
    Row,
    bodies,
    chain,
    org_of,
    read_log,
    read_raw,
)
from projections.audit.checkpoints import checkpoints_in
from projections.audit.fast import whole_batch
from projections.audit.moved import moved
from projections.audit.org_log import log_count, org_batches
from projections.audit.owners import Owners
from projections.db import PostgresReadModel

Progress = Callable[[int, int], None]
GLOBAL = ""


@dataclass(frozen=True)
class Finding:
    position: int
    kind: str
    detail: str


@dataclass
class Verification:
    whole: bool = True
    events: int = 0
    head: str = GENESIS.hex()
    first_bad: Finding | None = None
    checkpoints: int = 0

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["first_bad"] = None if self.first_bad is None else asdict(self.first_bad)
        return out


class Broken(Exception):
    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.detail)
        self.finding = finding


@dataclass
class _Pass:
    app: Any
    view: Any
    org: str | None  # None: the whole store
    keys: dict[str, bytes]  # fingerprint → public key, of the signers whose signatures count
    stream: seals.Stream  # the seals, merged with the log as it is read
    owners: Owners  # originator → org, as the log's first events name them
    result: Verification = field(default_factory=Verification)
    prev: dict[str, bytes] = field(default_factory=dict)
    sealed_head: int = 0
    marks: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)

    def check_position(self, position: int, row: Row | None, owner: str | None,
                       seal: str | None, org_seals: dict[str, str]) -> None:
        """Every chain the event at `position` is on: the global chain first (an event's own
        change shows there), then its organization's, and no other's."""
        if self.org is not None:
            if owner == self.org or self.org in org_seals:
                self.check(self.org, position, row, org_seals.get(self.org))
            return
        self.check(GLOBAL, position, row, seal)
        if row is None:
            return
        if owner is None:
            raise Broken(Finding(position, "seal", f"the organization of event {position}'s "
                                 "aggregate cannot be told: its first event is unreadable"))
        for other in org_seals:
            if other != owner:
                raise Broken(Finding(position, "seal", f"event {position} is sealed on the "
                                     f"chain of {other}, but belongs to {owner or 'no one'}"))
        if owner:
            self.check(owner, position, row, org_seals.get(owner))

    def check(self, name: str, position: int, row: Row | None, seal: str | None) -> None:
        where = f"on the chain of {name}" if name else "on the global chain"
        if row is None:
            raise Broken(Finding(position, "deleted",
                                 f"event {position}, sealed {where}, is no longer in the log"))
        body = row.body()
        if seal is None:
            if position > self.sealed_head:
                raise Broken(Finding(position, "inserted", f"event {position} was never sealed: "
                                     f"it was written after the sealer's last position "
                                     f"({self.sealed_head}), into a stopped store or not yet "
                                     "sealed (sunlight projections status)"))
            raise Broken(self._missing_seal(name, position, body, where))
        if body is None:
            raise Broken(Finding(position, "altered", f"event {position} has a field no stored "
                                 "event can have (originator id, version, topic or state)"))
        computed = chain(self.prev.get(name, GENESIS), body)
        if computed.hex() != seal:
            raise Broken(self._mismatch(name, position, row, seal, computed, where))
        self.prev[name] = computed
        mark = self.marks.pop((name, position), None)
        if mark is not None:
            self._check_mark(name, position, computed.hex(), mark, where)

    def _check_mark(self, name: str, position: int, head: str, mark: dict[str, Any],
                    where: str) -> None:
        signed = mark["payload"]
        for signature in mark["signatures"]:
            public = self.keys.get(signature.get("key", ""))
            if public is not None and not _verifies(public, signed, signature):
                raise Broken(Finding(position, "signature", f"the checkpoint {where} at event "
                                     f"{position} carries a signature by {signature.get('key')} "
                                     "that does not verify"))
        if signed["head"] != head:
            raise Broken(Finding(position, "rewritten", f"the seals agree with the events, but "
                                 f"the checkpoint signed at {signed['at']} {where} at event "
                                 f"{position} holds another head: the history at or before "
                                 f"event {position} was rewritten together with its seals"))
        self.result.checkpoints += 1

    def _missing_seal(self, name: str, position: int, body: bytes | None,
                      where: str) -> Finding:
        nxt = _next_in_chain(self.app, self.view, name, position)
        if body is not None and nxt is not None:
            with_it = chain(self.prev.get(name, GENESIS), body)
            if chain(with_it, nxt[1]).hex() == nxt[2]:
                return Finding(position, "seal", f"the seal of event {position} {where} was "
                               "deleted; the event itself is whole")
        return Finding(position, "inserted", f"event {position} is not in the sealed history "
                       f"{where}: it was inserted")

    def _mismatch(self, name: str, position: int, row: Row, seal: str, computed: bytes,
                  where: str) -> Finding:
        nxt = _next_in_chain(self.app, self.view, name, position)
        if nxt is not None and chain(computed, nxt[1]).hex() == nxt[2]:
            return Finding(position, "seal", f"the seal of event {position} {where} was changed; "
                           "the event itself is whole")
        if nxt is None and (mark := self.marks.get((name, position))) and (
                mark["payload"]["head"] == computed.hex()):
            return Finding(position, "seal", f"the seal of event {position} {where} was changed")
        found = moved(self.app, self.view, name, row, self.prev.get(name, GENESIS), seal)
        if found is not None and found[0] == "reordered":
            return Finding(position, "reordered", f"event {position} {where} holds the event "
                           f"sealed at position {found[1]}: events were swapped or moved")
        if found is not None:
            return Finding(position, "inserted", f"event {position} {where} was never sealed, "
                           f"and the event sealed at its position is now at {found[1]}: it was "
                           "inserted, the later events pushed down")
        return Finding(position, "altered", f"event {position} {where} is not the event that "
                       "was sealed: a stored field (originator id, version, topic or state) "
                       "changed")


def _verifies(public: bytes, signed: dict[str, Any], signature: dict[str, Any]) -> bool:
    from infra.signing import verify

    return verify(public, signed, signature)


def _next_in_chain(app: Any, view: Any, name: str, position: int) -> tuple[int, bytes, str] | None:
    """The chain's next sealed event after `position`: its position, body and seal."""
    with view.sql() as sql:
        nxt = seals.next_after(sql, name, position)
    if nxt is None:
        return None
    rows = next(read_log(app, nxt[0] - 1, until=nxt[0]), [])
    body = rows[0].body() if rows else None
    return None if body is None else (nxt[0], body, nxt[1].hex())


def verify_chain(app: Any, view: Any, *, org: str | None = None,
                 keys: dict[str, bytes] | None = None, progress: Progress | None = None,
                 size: int | None = None) -> Verification:
    """Verify the whole store (org None) or one organization's chain."""
    run = _Pass(app, view, org, keys or {}, seals.Stream(view.sql, org), Owners(app))
    with view.sql() as sql:
        run.sealed_head = view.position_in(sql)
    head, last = app.log_head(), 0
    try:
        # Up to the head as it was when the verification began: events written meanwhile are the
        # next verification's.
        batches = ((rows[-1][0], rows) for rows in read_raw(
            app, 0, until=head, **({"size": size} if size else {}))) if org is None else \
            org_batches(app, view, org, run.sealed_head, head, size or BATCH)
        for hi, rows in batches:
            _batch(run, last, rows, hi)
            last = hi
            if progress is not None:
                progress(last, max(head, last))
        _after_the_log(run, last)
        if org is not None:
            _counted(run, min(run.sealed_head, head))
    except Broken as broken:
        run.result.whole, run.result.first_bad = False, broken.finding
    run.result.head = run.prev.get(org if org is not None else GLOBAL, GENESIS).hex()
    return run.result


def _batch(run: _Pass, after: int, raw: list[Raw], hi: int) -> None:
    kept, org_seals = run.stream.take(hi)
    made = bodies(raw)
    rows = None if made is not None else [Row(*fields) for fields in raw]
    keys = made[1] if made is not None else [row.originator_key for row in rows or ()]
    owners = run.owners.of_batch(raw, keys)
    with run.view.sql() as sql:
        # This batch's checkpoints only: memory stays constant however many were signed.
        run.marks = {(m["payload"]["org"], int(m["payload"]["position"])): m
                     for m in checkpoints_in(sql, run.org, after, hi)}
    damage = {p: text for p, text in run.stream.damage.items() if p <= hi}
    if not damage and made is not None and whole_batch(
            run, [fields[0] for fields in raw], made[0], keys, kept, org_seals, owners):
        return
    rows = rows if rows is not None else [Row(*fields) for fields in raw]
    # The careful pass: the seals as text, by position.
    by_org: dict[int, dict[str, str]] = {}
    for (name, position), link in org_seals.items():
        by_org.setdefault(position, {})[name] = link.hex()
    kept_hex = {position: link.hex() for position, link in kept.items()}
    by_position = {row.position: row for row in rows}
    for position in sorted({*by_position, *kept_hex, *by_org, *damage}):
        if position in damage:
            raise Broken(Finding(position, "seal", damage[position]))
        row = by_position.get(position)
        owner = owners.get(row.originator_key) if row is not None else None
        if row is not None and owner is None and run.org is not None and (
                position > run.sealed_head):
            owner = _decoded_owner(run.app, row, run.org)
        run.check_position(position, row, owner, kept_hex.get(position),
                           by_org.get(position, {}))
        if row is not None and (run.org is None or owner == run.org):
            run.result.events += 1
    _unvisited(run)


def _unvisited(run: _Pass) -> None:
    """A checkpoint left over names a position that is no event of its chain."""
    for (name, position), mark in sorted(run.marks.items(), key=lambda item: item[0][1]):
        raise Broken(Finding(position, "rewritten", f"a checkpoint signed at "
                             f"{mark['payload']['at']} names event {position} on the chain of "
                             f"{name or 'the store'}, which is no event of that chain"))


def _decoded_owner(app: Any, row: Row, org: str) -> str:
    """The organization of an event never sealed, from its own fields (its aggregate's first
    event, or an event that names its org)."""
    try:
        named = org_of(app.mapper.to_domain_event(row.notification()))
    except Exception:  # an unreadable unsealed event may be anyone's: count it as this one's
        return org
    return named  # one that names no organization cannot touch this one's books


def _counted(run: _Pass, sealed: int) -> None:
    """One organization's verification reads its own events only; the log's size against the
    global chain's shows an event slipped in (or taken out) anywhere up to the sealer."""
    with run.view.sql() as sql:
        chained = seals.sealed_count(sql, isinstance(run.view, PostgresReadModel))
    stored = log_count(run.app, sealed)
    if stored != chained:
        kind = "inserted" if stored > chained else "deleted"
        raise Broken(Finding(sealed, kind, f"the log holds {stored} events up to the sealer's "
                             f"position {sealed}, the global chain sealed {chained}: an event "
                             f"was {kind} at or before it (the whole verification, `sunlight "
                             "audit verify`, names where)"))


def _after_the_log(run: _Pass, last: int) -> None:
    """Seals, checkpoints or a sealer's position beyond the log's last event: events deleted.
    (Beyond the verification's start but within the log now: written meanwhile, not judged.)"""
    now = run.app.log_head()
    with run.view.sql() as sql:
        beyond = [seals.beyond(sql, run.org, now),
                  sql.execute("SELECT MIN(position) FROM audit_checkpoints WHERE position > :p"
                              + ("" if run.org is None else " AND org = :org"),
                              {"p": now, "org": run.org}).scalar()]
        if run.org is None:
            beyond.append(run.sealed_head if run.sealed_head > now else None)
    found = [int(p) for p in beyond if p is not None]
    if found:
        raise Broken(Finding(min(found), "deleted", f"event {min(found)} was sealed but the log "
                             f"ends at event {now}: the last events were deleted"))
