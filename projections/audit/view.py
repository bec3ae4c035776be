"""The sealer: a read model that follows the event log and gives every stored event its link in
the global chain, and in its organization's chain, each batch written with its tracking position
in one transaction (exactly once, resumable), like every other read model.

It reads the stored bytes, never the domain events: it decodes only an aggregate's first event,
to learn its organization, and a disclosure's publication, for its time. Signed checkpoints
(checkpoints.py) are evidence, not derived rows: a rebuild keeps them, and re-sealing an
altered history next to them leaves the contradiction for `sunlight audit verify` to show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import IntegrityError, Tracking

from projections.audit.chain import (
    DISCLOSURE_PUBLISHED,
    GENESIS,
    Row,
    at_text,
    chain,
    org_of_row,
)
from projections.audit.chain import read_log as _read_log
from projections.audit.checkpoints import Checkpoints
from projections.db import ReadModel, Sql, ViewProjection, on_both_databases

DDL = (
    "CREATE TABLE IF NOT EXISTS audit_seals (position BIGINT PRIMARY KEY, link TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS audit_org_seals (org TEXT NOT NULL, position BIGINT NOT NULL,
        link TEXT NOT NULL, PRIMARY KEY (org, position))""",
    "CREATE INDEX IF NOT EXISTS audit_org_seals_by_position ON audit_org_seals (position)",
    """CREATE TABLE IF NOT EXISTS audit_originators (originator_id TEXT PRIMARY KEY,
        org TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS audit_checkpoints (org TEXT NOT NULL, position BIGINT NOT NULL,
        head TEXT NOT NULL, at TEXT NOT NULL, reason TEXT NOT NULL, signatures TEXT NOT NULL,
        PRIMARY KEY (org, position))""",
)
TABLES = ("audit_seals", "audit_org_seals", "audit_originators")
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

    @property
    def checkpoints(self) -> Checkpoints:
        if self._checkpoints is None:
            self._checkpoints = Checkpoints.for_storage(self.storage)
        return self._checkpoints

    @checkpoints.setter
    def checkpoints(self, value: Checkpoints) -> None:
        self._checkpoints = value

    def project(self, events: Iterable[tuple[DomainEventProtocol[Any], Tracking]]) -> None:
        """Followed live: seal the stored events up to the last one handed over."""
        pairs = list(events)
        if not pairs:
            return
        until = pairs[-1][1].notification_id
        if until <= self.position():
            raise IntegrityError(f"event {until} is already sealed")
        seal(self.app, self, until=until)


class AuditProjection(ViewProjection[AuditView]):
    name = "audit"
    views = on_both_databases(AuditView)


def seal(app: Any, view: AuditView, progress: Progress | None = None, *,
         until: int | None = None, size: int | None = None) -> int:
    """Seal every stored event the view has not sealed yet; returns its new position."""
    view.app = app
    position = view.position()
    head = app.log_head()
    for rows in _read_log(app, position, until=until, **({"size": size} if size else {})):
        with view.sql(commit=True) as sql:
            seal_rows(app, view, sql, rows)
        position = rows[-1].position
        if progress is not None:
            progress(position, max(head, position))
    return position


def seal_rows(app: Any, view: AuditView, sql: Sql, rows: list[Row]) -> None:
    """One batch: its seals, its organizations' seals, its checkpoints and its position."""
    sealed = view.position_in(sql)
    if rows[0].position <= sealed:
        raise IntegrityError(f"event {rows[0].position} is already sealed (position {sealed})")
    previous = _link_at(sql, "audit_seals", sealed) if sealed else GENESIS
    orgs: dict[str, str] = {}  # originator → org, this batch's lookups
    org_links: dict[str, bytes] = {}
    seals, org_seals, originators, published = [], [], [], []
    _known_orgs(sql, rows, orgs)
    for row in rows:
        body = row.body()
        if body is None:
            raise ValueError(f"event {row.position} cannot be sealed: a field is not storable")
        previous = chain(previous, body)
        seals.append({"position": row.position, "link": previous.hex()})
        key = row.originator_key
        if key not in orgs:
            # An aggregate's first sealed event names its organization.
            orgs[key] = org_of_row(app, row)
            originators.append({"id": key, "org": orgs[key]})
        org = orgs[key]
        if not org:
            continue
        if org not in org_links:
            kept = sql.execute("SELECT link FROM audit_org_seals WHERE org = :org "
                               "ORDER BY position DESC LIMIT 1", {"org": org}).scalar()
            org_links[org] = bytes.fromhex(kept) if kept else GENESIS
        org_links[org] = chain(org_links[org], body)
        org_seals.append({"org": org, "position": row.position, "link": org_links[org].hex()})
        if row.topic == DISCLOSURE_PUBLISHED:
            event = app.mapper.to_domain_event(row.notification())
            published.append((org, row.position, org_links[org].hex(),
                              at_text(event.timestamp), f"disclosure:{org}/{key}"))
    sql.executemany("INSERT INTO audit_seals (position, link) VALUES (:position, :link)", seals)
    sql.executemany("INSERT INTO audit_org_seals (org, position, link) "
                    "VALUES (:org, :position, :link)", org_seals)
    sql.executemany("INSERT INTO audit_originators (originator_id, org) VALUES (:id, :org)",
                    originators)
    for org, position, head, at, reason in published:
        view.checkpoints.record(sql, org, position, head, at, reason)
    view.checkpoints.on_interval(sql, rows[-1].position, previous.hex())
    view._record_tracking(sql, Tracking(view.application_name, rows[-1].position))


def _known_orgs(sql: Sql, rows: list[Row], orgs: dict[str, str]) -> None:
    keys = sorted({row.originator_key for row in rows})
    for start in range(0, len(keys), 400):  # below every database's limit on parameters
        chunk = keys[start:start + 400]
        names = {f"k{i}": key for i, key in enumerate(chunk)}
        for found in sql.execute(
                "SELECT originator_id, org FROM audit_originators WHERE originator_id IN ("
                + ", ".join(f":{name}" for name in names) + ")", names).all():
            orgs[found["originator_id"]] = found["org"]


def _link_at(sql: Sql, table: str, position: int) -> bytes:
    kept = sql.execute(f"SELECT link FROM {table} WHERE position = :position",
                       {"position": position}).scalar()
    if kept is None:
        raise IntegrityError(f"the seal of event {position} is missing: verify the chain "
                             "(sunlight audit verify) before sealing on")
    return bytes.fromhex(kept)


def org_head(sql: Sql, org: str, position: int) -> tuple[int, str] | None:
    """The organization's newest seal at or before `position`: (its position, its link hex)."""
    row = sql.execute("SELECT position, link FROM audit_org_seals WHERE org = :org AND "
                      "position <= :position ORDER BY position DESC LIMIT 1",
                      {"org": org, "position": position}).one()
    return None if row is None else (int(row["position"]), row["link"])
