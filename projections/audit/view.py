"""The sealer: a read model that follows the event log and gives every stored event its link in
the global chain, and in its organization's chain, each batch written with its tracking position
in one transaction (exactly once, resumable), like every other read model.

It reads the stored bytes, never the domain events: it decodes only an aggregate's first event,
to learn its organization, and a disclosure's publication, for its time. Signed checkpoints
(checkpoints.py) are evidence, not derived rows: a rebuild keeps them, and re-sealing an
altered history next to them leaves the contradiction for `sunlight audit verify` to show.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import IntegrityError, Tracking

from projections.audit import seals
from projections.audit.chain import (
    DISCLOSURE_PUBLISHED,
    GENESIS,
    Raw,
    Row,
    at_text,
    bodies,
    read_raw,
)
from projections.audit.checkpoints import Checkpoints
from projections.audit.owners import Owners
from projections.db import PostgresReadModel, ReadModel, Sql, ViewProjection, on_both_databases

DDL = (
    # The seals' earlier shape (a row per event and chain) and its table of aggregates' orgs.
    "DROP TABLE IF EXISTS audit_seals",
    "DROP TABLE IF EXISTS audit_org_seals",
    "DROP TABLE IF EXISTS audit_originators",
    *seals.DDL,
    """CREATE TABLE IF NOT EXISTS audit_checkpoints (org TEXT NOT NULL, position BIGINT NOT NULL,
        head TEXT NOT NULL, at TEXT NOT NULL, reason TEXT NOT NULL, signatures TEXT NOT NULL,
        PRIMARY KEY (org, position))""",
    "CREATE INDEX IF NOT EXISTS audit_checkpoints_by_position ON audit_checkpoints (position)",
)
TABLES = (seals.TABLE,)
# Signed evidence: never dropped by a rebuild or a change of shape.
EVIDENCE = ("audit_checkpoints",)

Progress = Callable[[int, int], None]


class AuditView(ReadModel):
    name: ClassVar[str] = "audit"
    tables: ClassVar[tuple[str, ...]] = TABLES
    evidence: ClassVar[tuple[str, ...]] = EVIDENCE
    ddl: ClassVar[tuple[str, ...]] = DDL
    # Set by whoever runs the sealer: the application whose log it reads, and the storage whose
    # data folder keeps the centre's key (projections/runner.py sets both).
    app: Any = None
    storage: Any = None
    _checkpoints: Checkpoints | None = None
    # Followed live: the position reached, each chain's newest link there, the owners met.
    _carried: tuple[int, dict[str, bytes], Owners] | None = None

    @property
    def checkpoints(self) -> Checkpoints:
        if self._checkpoints is None:
            self._checkpoints = Checkpoints.for_storage(self.storage)
        return self._checkpoints

    @checkpoints.setter
    def checkpoints(self, value: Checkpoints) -> None:
        self._checkpoints = value

    def create_read_model(self) -> None:
        super().create_read_model()
        if isinstance(self, PostgresReadModel):
            # Links are random: PostgreSQL's attempt to compress a block took most of its write.
            with self.sql(commit=True) as sql:
                sql.execute(f"ALTER TABLE {seals.TABLE} ALTER COLUMN links SET STORAGE "
                            "EXTERNAL, ALTER COLUMN positions SET STORAGE EXTERNAL")

    def project(self, events: Iterable[tuple[DomainEventProtocol[Any], Tracking]]) -> None:
        """Followed live: seal the stored events up to the last one handed over."""
        pairs = list(events)
        if not pairs:
            return
        until = pairs[-1][1].notification_id
        position = self.position()
        if until <= position:
            raise IntegrityError(f"event {until} is already sealed")
        # Followed live, each chain's newest link and the aggregates' organizations are carried
        # from batch to batch, as within one catch-up, instead of read again for every batch;
        # only from the position they were carried to.
        carried, self._carried = self._carried, None  # a failed batch leaves them unknown
        if carried is None or carried[0] != position or carried[2].app is not self.app:
            carried = (position, {}, Owners(self.app))
        _, heads, owners = carried
        reached = seal(self.app, self, until=until, after=position, heads=heads, owners=owners)
        self._carried = (reached, heads, owners)


class AuditProjection(ViewProjection[AuditView]):
    name = "audit"
    views = on_both_databases(AuditView)


def seal(app: Any, view: AuditView, progress: Progress | None = None, *,
         until: int | None = None, size: int | None = None, after: int | None = None,
         heads: dict[str, bytes] | None = None, owners: Owners | None = None) -> int:
    """Seal every stored event the view has not sealed yet (after `after`, its position if
    known); returns its new position. `heads` and `owners`, if given, are those carried to it."""
    view.app = app
    position = view.position() if after is None else after
    head = app.log_head() if progress is not None else 0
    # Carried from batch to batch: each chain's newest link, and the organizations of the
    # aggregates met.
    heads = {} if heads is None else heads
    owners = Owners(app) if owners is None else owners
    for rows in read_raw(app, position, until=until, **({"size": size} if size else {})):
        with view.sql(commit=True) as sql:
            seal_rows(app, view, sql, rows, heads, owners)
        position = rows[-1][0]
        if progress is not None:
            progress(position, max(head, position))
    return position


def seal_rows(app: Any, view: AuditView, sql: Sql, rows: list[Raw],
              org_links: dict[str, bytes] | None = None, owners: Owners | None = None) -> None:
    """One batch: its block of the global chain, a block for each organization it touches, its
    checkpoints and its position."""
    sealed = view.position_in(sql)
    positions = [fields[0] for fields in rows]
    if positions[0] <= sealed:
        raise IntegrityError(f"event {positions[0]} is already sealed (position {sealed})")
    made = bodies(rows)
    if made is None:  # a row the quick way refuses: each one carefully, to name it
        careful = [Row(*fields) for fields in rows]
        for row in careful:
            if row.body() is None:
                raise ValueError(f"event {row.position} cannot be sealed: a field is not "
                                 "storable")
        made = [row.body() for row in careful], [row.originator_key for row in careful]
    made_bodies, keys = made
    # Each chain's newest link (the global chain's under ""), carried from the batch before.
    org_links = {} if org_links is None else org_links
    previous = org_links.get(seals.GLOBAL) if org_links else None
    if previous is None:
        previous = _link_at(sql, sealed) if sealed else GENESIS
    orgs = (owners or Owners(app)).of_batch(rows, keys)  # originator → org
    links: list[bytes] = []
    org_blocks: dict[str, tuple[list[int], list[bytes]]] = {}
    published = []
    sha256 = hashlib.sha256
    add_link = links.append
    for at, body in enumerate(made_bodies):
        previous = sha256(previous + body).digest()
        add_link(previous)
        key = keys[at]
        org = orgs.get(key)
        if org is None:
            raise ValueError(f"event {positions[at]} cannot be sealed: its aggregate's first "
                             "event, which names its organization, cannot be read")
        if not org:
            continue
        before = org_links.get(org)
        if before is None:
            kept = seals.newest(sql, org)
            before = kept[1] if kept else GENESIS
        link = org_links[org] = sha256(before + body).digest()
        block = org_blocks.get(org)
        if block is None:
            block = org_blocks[org] = ([], [])
        block[0].append(positions[at])
        block[1].append(link)
        if rows[at][3] == DISCLOSURE_PUBLISHED:
            event = app.mapper.to_domain_event(Row(*rows[at]).notification())
            published.append((org, positions[at], link.hex(), at_text(event.timestamp),
                              f"disclosure:{org}/{event.originator_id}"))
    org_links[seals.GLOBAL] = previous
    seals.write(sql, [(seals.GLOBAL, positions, links),
                      *((org, *block) for org, block in org_blocks.items())])
    _agrees_with_kept_checkpoints(sql, positions, links, org_blocks)
    view.checkpoints.record_many(sql, published)
    view.checkpoints.on_interval(sql, positions[-1], previous.hex())
    view._record_tracking(sql, Tracking(view.application_name, positions[-1]))


def _agrees_with_kept_checkpoints(sql: Sql, positions: list[int], links: list[bytes],
                                  org_blocks: dict[str, tuple[list[int], list[bytes]]]) -> None:
    """Sealing again (a rebuild) never seals a history that contradicts a head signed before:
    it stops there, so that the contradiction is shown (sunlight audit verify), not buried."""
    kept = sql.execute("SELECT org, position, head, at FROM audit_checkpoints WHERE position >= "
                       ":lo AND position <= :hi", {"lo": positions[0], "hi": positions[-1]}).all()
    if not kept:
        return
    made = {(seals.GLOBAL, p): link.hex() for p, link in zip(positions, links, strict=True)}
    for org, (at, org_links) in org_blocks.items():
        made.update({(org, p): link.hex() for p, link in zip(at, org_links, strict=True)})
    for mark in kept:
        if made.get((mark["org"], int(mark["position"]))) != mark["head"]:
            chain_name = f"the chain of {mark['org']}" if mark["org"] else "the global chain"
            raise IntegrityError(
                f"event {mark['position']} on {chain_name} does not give the head signed at "
                f"{mark['at']}: the history before it was changed; sealing stops here "
                "(sunlight audit verify names the first bad event)")


def _link_at(sql: Sql, position: int) -> bytes:
    kept = seals.seal_of(sql, seals.GLOBAL, position)
    if kept is None:
        raise IntegrityError(f"the seal of event {position} is missing: verify the chain "
                             "(sunlight audit verify) before sealing on")
    return kept


def org_head(sql: Sql, org: str, position: int) -> tuple[int, str] | None:
    """The organization's newest seal at or before `position`: (its position, its link hex)."""
    found = seals.newest(sql, org, position)
    return None if found is None else (found[0], found[1].hex())
