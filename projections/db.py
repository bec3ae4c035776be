"""A read model is a set of tables plus a tracking row, written together in one transaction, so
every event is projected exactly once and a restart resumes where it stopped.

The same SQL runs on SQLite and PostgreSQL: parameters are written :name, dates are ISO text and
flags are small integers. Each read model has its own tracking table, named after it.

A read model remembers the shape it was made in (a digest of its DDL and `shape_version`); made
in another shape — an upgrade that added a table or changed what a handler writes — its tables
are dropped and made again, and it projects from event one, since a read model is derived.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.projection import Projection
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder
from eventsourcing.utils import get_topic, resolve_topic
from psycopg.sql import SQL, Identifier

from projections.collecting import collector_paused
from projections.sql import Sql

log = logging.getLogger("sunlight.projections")
__all__ = ["Sql"]  # where the read models have always imported it from


# One table beside every read model's own: which read model stopped at which event, and why
# (projections/faults.py).
FAULTS_DDL = (
    "CREATE TABLE IF NOT EXISTS projection_faults (name TEXT PRIMARY KEY, position INTEGER, "
    "event INTEGER, topic TEXT, org TEXT, error TEXT, since TEXT, attempts INTEGER)",
)

# The shape each read model was made in, so that an upgrade never serves tables of another shape.
SHAPES_DDL = ("CREATE TABLE IF NOT EXISTS projection_shapes (name TEXT PRIMARY KEY, "
              "digest TEXT NOT NULL)")

Handler = Callable[[Sql, Any, int], None]  # (transaction, event, its position in the log)

# A catch-up from event one over at least this many events makes its read model's deferred
# indexes once after its rows (ReadModel.catching_up).
DEFER_INDEXES_FROM = 10_000


class Handlers(dict[type, Handler]):
    """A read model's handlers by event class; `@HANDLERS.on(Event)` registers one."""

    def on(self, event_class: type) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self[event_class] = handler
            return handler
        return register


class ReadModel:
    """What every read model has, whatever the database: its tables and its transactions.

    `sql()` opens one transaction; reads inside it see one consistent state of the model,
    including its tracking position, even while the projection keeps writing.
    """

    name: ClassVar[str]
    tables: ClassVar[Sequence[str]] = ()
    # Tables its DDL creates that hold evidence, not derived rows (the sealer's signed
    # checkpoints): neither a rebuild nor a change of shape drops them.
    evidence: ClassVar[Sequence[str]] = ()
    ddl: ClassVar[Sequence[str]] = ()
    # Raise when a handler writes other rows from the same events with the same tables.
    shape_version: ClassVar[int] = 1
    handlers: ClassVar[dict[type, Handler]] = {}
    application_name: ClassVar[str] = "ledger"
    # Statements of `ddl` that make indexes no handler reads by: a long catch-up from event one
    # makes them once after the rows, not a row at a time (an index made at once is a sort).
    deferred_indexes: ClassVar[Sequence[str]] = ()

    def project(self, events: Iterable[tuple[DomainEventProtocol[Any] | None, Tracking]],
                ) -> None:
        """Write the rows of one or more events and the last one's position, atomically. An
        event None stands for events read but left undecoded, none of them handled here
        (projections/log.py): only its position is written."""
        last: Tracking | None = None
        with collector_paused(), self.sql(commit=True) as sql:  # its rows live until written
            seen = self.position_in(sql)
            for event, tracking in events:
                # Every event once and in order, even within a batch; raising rolls it all back.
                if tracking.notification_id <= seen:
                    raise IntegrityError(f"event {tracking.notification_id} is already projected "
                                         f"(position {seen})")
                seen = tracking.notification_id
                handler = self.handlers.get(type(event))
                if handler is not None:
                    handler(sql, event, tracking.notification_id)
                last = tracking
            if last is not None:
                sql.flush()  # the rows a handler left for later, before the position
                self._record_tracking(sql, last)

    @contextmanager
    def catching_up(self, after: int, head: int) -> Iterator[None]:
        """Around a catch-up from `after` to `head`: from event one over many events, the
        deferred indexes are dropped first and made again after, even if it fails; if the
        process dies meanwhile, by the next catch-up or start. Rows are the same."""
        if not self.deferred_indexes:
            yield
            return
        if after > 0 or head - after < DEFER_INDEXES_FROM:
            # One that resumes a catch-up killed on its way from event one finds them gone.
            self._make_missing_indexes()
            yield
            return
        assert all(statement in self.ddl for statement in self.deferred_indexes)
        with self.sql(commit=True) as sql:
            for statement in self.deferred_indexes:
                sql.execute(f"DROP INDEX IF EXISTS {_index_name(statement)}")
        try:
            yield
        finally:
            with self.sql(commit=True) as sql:
                for statement in self.deferred_indexes:
                    sql.execute(statement)

    def _make_missing_indexes(self) -> None:
        # The names looked up first: an index already there costs no statement and no lock.
        with self.sql(commit=True) as sql:
            if sql.postgres:
                found = sql.execute("SELECT indexname AS name FROM pg_indexes WHERE "
                                    "schemaname = current_schema()").all()
            else:
                found = sql.execute("SELECT name FROM sqlite_master WHERE type = 'index'").all()
            names = {row["name"] for row in found}
            for statement in self.deferred_indexes:
                if _index_name(statement) not in names:
                    sql.execute(statement)

    def handles(self, topic: str) -> bool:
        """Whether an event stored under `topic` has a handler here (an old topic of a moved
        class resolves to the class), so a catch-up decodes only those (projections/log.py)."""
        known: dict[str, bool] = self.__dict__.setdefault("_handled_topics", {})
        if topic not in known:
            known[topic] = resolve_topic(topic) in self.handlers
        return known[topic]

    @contextmanager
    def sql(self, *, commit: bool = False) -> Iterator[Sql]:
        raise NotImplementedError

    @property
    def tracking_table(self) -> str:
        return f"{self.name}_tracking"

    def _record_tracking(self, sql: Sql, tracking: Tracking) -> None:
        raise NotImplementedError

    def position(self) -> int:
        return self.max_tracking_id(self.application_name) or 0  # type: ignore[attr-defined]

    def position_in(self, sql: Sql) -> int:
        """The last event projected, as seen by this transaction (so consistent with its rows)."""
        value = sql.execute(
            f"SELECT notification_id FROM {self.tracking_table} WHERE application_name = :app",
            {"app": self.application_name}).scalar()
        return int(value or 0)

    @property
    def shape(self) -> str:
        text = "\n".join((f"shape_version {self.shape_version}", *self.ddl))
        return hashlib.sha256(text.encode()).hexdigest()

    def create_read_model(self) -> None:
        with self.sql(commit=True) as sql:
            for statement in (SHAPES_DDL, *FAULTS_DDL):
                sql.execute(statement)
            kept = sql.execute("SELECT digest FROM projection_shapes WHERE name = :name",
                               {"name": self.name}).scalar()
            # No digest but a position: made by a version that kept none, so its shape is unknown.
            if kept != self.shape and (kept is not None or self.position_in(sql) > 0):
                self._reshape(sql)
            for statement in self.ddl:
                sql.execute(statement)
            if kept != self.shape:
                sql.execute("DELETE FROM projection_shapes WHERE name = :name",
                            {"name": self.name})
                sql.execute("INSERT INTO projection_shapes (name, digest) VALUES (:name, :digest)",
                            {"name": self.name, "digest": self.shape})

    def _reshape(self, sql: Sql) -> None:
        log.warning("read model %s was made in another shape: its tables are made again and it "
                    "projects from event one", self.name)
        for table in self.tables:
            sql.execute(f"DROP TABLE IF EXISTS {table}")
        sql.execute(f"DELETE FROM {self.tracking_table} WHERE application_name = :app",
                    {"app": self.application_name})

    def drop(self) -> None:
        """Forget everything projected, so that a rebuild starts from event one."""
        with self.sql(commit=True) as sql:
            for table in self.tables:
                sql.execute(f"DELETE FROM {table}")
            sql.execute(f"DELETE FROM {self.tracking_table} WHERE application_name = :app",
                        {"app": self.application_name})


class SQLiteReadModel(ReadModel, SQLiteTrackingRecorder):
    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        table = self.tracking_table
        self.insert_tracking_statement = (
            f"INSERT INTO {table} VALUES (:application_name, :notification_id) "
            "ON CONFLICT (application_name) DO UPDATE SET notification_id = :notification_id "
            f"WHERE {table}.notification_id < :notification_id RETURNING notification_id"
        )
        self.select_max_tracking_id_statement = (
            f"SELECT MAX(notification_id) FROM {table} WHERE application_name=?"
        )

    def construct_create_table_statements(self) -> list[str]:
        return [
            f"CREATE TABLE IF NOT EXISTS {self.tracking_table} (application_name TEXT, "
            "notification_id INTEGER, PRIMARY KEY (application_name)) WITHOUT ROWID"
        ]

    def create_table(self) -> None:
        super().create_table()
        self.create_read_model()

    @contextmanager
    def sql(self, *, commit: bool = False) -> Iterator[Sql]:
        if not commit:
            with self.datastore.transaction(commit=False) as cursor:
                yield Sql(cursor, postgres=False)
            return
        # A write takes the lock at BEGIN: a transaction that read first and then tried to write
        # would fail at once ("database is locked") if another writer had committed meanwhile,
        # instead of waiting its turn.
        with self.datastore.get_connection(commit=True) as connection:
            cursor = connection.cursor()
            cursor.execute("BEGIN IMMEDIATE")
            try:
                sql = Sql(cursor, postgres=False)
                yield sql
                sql.flush()
            except BaseException:
                connection.rollback()
                raise
            connection.commit()

    def _record_tracking(self, sql: Sql, tracking: Tracking) -> None:
        self._insert_tracking(sql._cursor, tracking)


class PostgresReadModel(ReadModel, PostgresTrackingRecorder):
    datastore: PostgresDatastore

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        kwargs["tracking_table_name"] = self.tracking_table
        super().__init__(datastore, **kwargs)
        self._search_path = SQL("SET LOCAL search_path TO {}").format(
            Identifier(datastore.schema))
        self._snapshot = SQL("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")

    def create_table(self) -> None:
        super().create_table()
        self.create_read_model()

    @contextmanager
    def sql(self, *, commit: bool = False) -> Iterator[Sql]:
        with self.datastore.transaction(commit=commit) as cursor:
            if not commit:
                cursor.execute(self._snapshot)
            if self.datastore.schema != "public":
                cursor.execute(self._search_path)
            sql = Sql(cursor, postgres=True)
            yield sql
            sql.flush()

    def _record_tracking(self, sql: Sql, tracking: Tracking) -> None:
        self._insert_tracking(sql._cursor, tracking)


@dataclass(frozen=True)
class FailedEvent:
    """The event a read model could not project; it stays at the position before it."""

    read_model: str
    event: int
    topic: str
    org: str
    error: str

    def __str__(self) -> str:
        where = f" of organization {self.org}" if self.org else ""
        return (f"read model {self.read_model} cannot project event {self.event} "
                f"({self.topic}{where}): {self.error}")


TView = TypeVar("TView", bound=ReadModel)


def on_both_databases(view: type[TView]) -> tuple[type[TView], type[TView]]:
    """The view's class for SQLite and its class for PostgreSQL."""
    return (type(f"SQLite{view.__name__}", (view, SQLiteReadModel), {}),
            type(f"Postgres{view.__name__}", (view, PostgresReadModel), {}))


class ViewProjection(Projection[TView], Generic[TView]):
    """A projection whose view is one of two classes, for SQLite or for PostgreSQL."""

    views: ClassVar[tuple[type[ReadModel], type[ReadModel]]]

    @classmethod
    def view_class(cls, postgres: bool) -> type[ReadModel]:
        return cls.views[1] if postgres else cls.views[0]

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        try:
            self.view.project([(domain_event, tracking)])
        except Exception as error:
            # The error goes on as it is; it only learns which event of which read model it
            # stopped, so that the operator is told (projections/faults.py).
            error.failed_event = FailedEvent(  # type: ignore[attr-defined]
                self.view.name, tracking.notification_id,
                get_topic(type(domain_event)),
                str(getattr(domain_event, "org", "") or ""), f"{type(error).__name__}: {error}")
            raise


def _index_name(statement: str) -> str:
    """The name in "CREATE [UNIQUE] INDEX IF NOT EXISTS name ON ...": the word before ON."""
    words = statement.split()
    return words[words.index("ON") - 1]
