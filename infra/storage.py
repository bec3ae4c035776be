"""Where the events are kept: an SQLite file by default, PostgreSQL when a postgresql:// URL is set.

The event store is append-only on both. SQLite has no push notifications, so its recorder offers a
polling subscription, which lets the same projection machinery follow either database. Every SQLite
connection the product opens states its durability (PRAGMA synchronous) instead of inheriting the
build's default: FULL for the events, NORMAL (with WAL) for the read models, which are rebuilt from
the events (see SYNCHRONOUS below).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from eventsourcing.persistence import ListenNotifySubscription, Subscription
from eventsourcing.sqlite import (
    SQLiteApplicationRecorder,
    SQLiteConnection,
    SQLiteConnectionPool,
    SQLiteFactory,
)
from eventsourcing.utils import Environment, EnvType

DEFAULT_DATA_DIR = "sunlight-data"
POLL_INTERVAL = 0.1
# PRAGMA synchronous, per SQLite file. The events are the books: a write the API acknowledged must
# survive a power cut, so each commit is synced to disk (FULL). A read model is derived: after a
# power cut in WAL mode NORMAL may lose its last transactions but never corrupts it, and since its
# rows and its tracking position commit together, the projection simply projects them again; so it
# is spared a sync per projected event. Builds differ in their default (Debian's is FULL, others
# NORMAL), hence it is always set.
SYNCHRONOUS = {"events": "FULL", "read models": "NORMAL"}
SYNCHRONOUS_LEVELS = ("OFF", "NORMAL", "FULL", "EXTRA")
REPLICA_CONNECT_TIMEOUT = 2


class PollingSubscription(ListenNotifySubscription[SQLiteApplicationRecorder]):
    """Wakes the library's pull loop on a timer instead of on a database notification."""

    def __init__(self, recorder: SQLiteApplicationRecorder, gt: int | None = None,
                 topics: Sequence[str] = ()) -> None:
        super().__init__(recorder=recorder, gt=gt, topics=topics)
        self._ticker = threading.Thread(target=self._tick, daemon=True)
        self._ticker.start()

    def _tick(self) -> None:
        while not self._has_been_stopped:
            self._has_been_notified.set()
            time.sleep(POLL_INTERVAL)

    def __exit__(self, *args: object, **kwargs: Any) -> None:
        try:
            super().__exit__(*args, **kwargs)
        finally:
            self._ticker.join()


class PollingSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    def subscribe(self, gt: int | None = None,
                  topics: Sequence[str] = ()) -> Subscription[Any]:
        return PollingSubscription(self, gt=gt, topics=topics)


def set_synchronous(connection: Any, level: str) -> None:
    """Apply a PRAGMA synchronous level to an sqlite3 connection (or the library's cursor)."""
    if level not in SYNCHRONOUS_LEVELS:
        raise ValueError(f"PRAGMA synchronous is one of {', '.join(SYNCHRONOUS_LEVELS)}: {level}")
    connection.execute(f"PRAGMA synchronous={level}")


class DurableSQLiteConnectionPool(SQLiteConnectionPool):
    """The library's pool, each new connection set to the file's PRAGMA synchronous."""

    def __init__(self, *, synchronous: str, **kwargs: Any) -> None:
        self.synchronous = synchronous
        super().__init__(**kwargs)

    def _create_connection(self) -> SQLiteConnection:
        connection = super()._create_connection()
        set_synchronous(connection.cursor(), self.synchronous)
        return connection


class DurableSQLiteFactory(SQLiteFactory):
    """The library's SQLite persistence, with the level named by SQLITE_SYNCHRONOUS (per
    application or view: BOOKS_SQLITE_SYNCHRONOUS...) set on every connection."""

    def __init__(self, env: Environment | EnvType | None) -> None:
        super().__init__(env)
        level = (self.env.get("SQLITE_SYNCHRONOUS") or SYNCHRONOUS["events"]).upper()
        unused = self.datastore.pool  # made by the library; it has opened no connection yet
        self.datastore.pool = DurableSQLiteConnectionPool(
            synchronous=level, db_name=unused.db_name, lock_timeout=unused.lock_timeout)
        unused.close()


@dataclass(frozen=True)
class Storage:
    """The database settings, read once from the environment (see the README)."""

    database_url: str
    data_dir: Path
    pool_size: int = 2
    max_overflow: int = 8
    # Streaming replicas of the primary that public pages and reports may read from
    # (infra/replicas.py); PostgreSQL only.
    replica_urls: tuple[str, ...] = ()
    replica_wait_seconds: float = 2.0
    connect_timeout: int = 10  # seconds to wait for a connection, PostgreSQL

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql://", "postgres://"))

    @property
    def sqlite_path(self) -> Path:
        # sqlite:///relative/file or sqlite:////absolute/file, as SQLAlchemy writes them.
        return Path(unquote(self.database_url[len("sqlite:///"):])).resolve()

    @property
    def read_model_path(self) -> Path:
        # A separate file, so projecting never holds the lock that posting vouchers needs.
        path = self.sqlite_path
        return path.with_name(path.stem + "-readmodels" + path.suffix)

    def replicas(self) -> list[Storage]:
        """One Storage per replica, for reading only. A replica is a copy of the whole primary,
        so a replica URL without `?schema=` reads the primary's schema."""
        schema = parse_qs(urlparse(self.database_url).query).get("schema")
        found = []
        for url in self.replica_urls:
            if schema and "schema" not in parse_qs(urlparse(url).query):
                url += ("&" if "?" in url else "?") + f"schema={schema[0]}"
            # A replica that does not answer soon is left out (infra/replicas.py), so a reader
            # waits less for it than for the primary, which has no stand-in.
            found.append(Storage(database_url=url, data_dir=self.data_dir,
                                 pool_size=self.pool_size, max_overflow=self.max_overflow,
                                 connect_timeout=REPLICA_CONNECT_TIMEOUT))
        return found

    def describe(self) -> str:
        if self.is_postgres:
            parsed = urlparse(self.database_url)
            return f"PostgreSQL {parsed.hostname}:{parsed.port or 5432}/{parsed.path.lstrip('/')}"
        return f"SQLite {self.sqlite_path}"

    def env(self, *, create_tables: bool) -> dict[str, str]:
        """The eventsourcing environment for the event store and the read models' views."""
        common = {
            "CREATE_TABLE": "y" if create_tables else "n",
            "AGGREGATE_CACHE_MAXSIZE": "1000",
        }
        if not self.is_postgres:
            return common | {
                "PERSISTENCE_MODULE": "infra.storage:DurableSQLiteFactory",
                "SQLITE_DBNAME": str(self.sqlite_path),
                "SQLITE_SYNCHRONOUS": SYNCHRONOUS["events"],
                "SQLITE_LOCK_TIMEOUT": "30",
                "APPLICATION_RECORDER_TOPIC": "infra.newer_events:SQLiteRecorder",
            }
        parsed = urlparse(self.database_url)
        query = parse_qs(parsed.query)
        return common | {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "APPLICATION_RECORDER_TOPIC": "infra.newer_events:PostgresRecorder",
            "POSTGRES_DBNAME": unquote(parsed.path.lstrip("/")),
            "POSTGRES_HOST": parsed.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(parsed.port or 5432),
            "POSTGRES_USER": unquote(parsed.username or os.environ.get("USER", "postgres")),
            "POSTGRES_PASSWORD": unquote(parsed.password or ""),
            "POSTGRES_SCHEMA": query.get("schema", ["public"])[0],
            "POSTGRES_POOL_SIZE": str(self.pool_size),
            "POSTGRES_MAX_OVERFLOW": str(self.max_overflow),
            "POSTGRES_CONNECT_TIMEOUT": str(self.connect_timeout),
        }

    def prepare(self) -> None:
        """Create what must exist before the first table: the data folder or the schema."""
        if not self.is_postgres:
            self.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            return
        import psycopg
        from psycopg import sql

        env = self.env(create_tables=False)
        with psycopg.connect(
            dbname=env["POSTGRES_DBNAME"], host=env["POSTGRES_HOST"],
            port=env["POSTGRES_PORT"], user=env["POSTGRES_USER"],
            password=env["POSTGRES_PASSWORD"], autocommit=True,
        ) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
                sql.Identifier(env["POSTGRES_SCHEMA"])))


def storage_from_environ(environ: Mapping[str, str] | None = None) -> Storage:
    environ = os.environ if environ is None else environ
    data_dir = Path(environ.get("SUNLIGHT_DATA_DIR") or DEFAULT_DATA_DIR).resolve()
    url = environ.get("SUNLIGHT_DATABASE_URL") or f"sqlite:///{data_dir / 'events.sqlite'}"
    if not url.startswith(("sqlite:///", "postgresql://", "postgres://")):
        raise ValueError("SUNLIGHT_DATABASE_URL must start with sqlite:/// or postgresql://")
    replicas = tuple(part.strip() for part in
                     environ.get("SUNLIGHT_DATABASE_REPLICA_URLS", "").split(",") if part.strip())
    if replicas and not url.startswith(("postgresql://", "postgres://")):
        raise ValueError("SUNLIGHT_DATABASE_REPLICA_URLS needs a PostgreSQL SUNLIGHT_DATABASE_URL")
    if any(not r.startswith(("postgresql://", "postgres://")) for r in replicas):
        raise ValueError("SUNLIGHT_DATABASE_REPLICA_URLS are postgresql:// URLs, comma-separated")
    return Storage(
        database_url=url,
        data_dir=data_dir,
        pool_size=int(environ.get("SUNLIGHT_DB_POOL_SIZE", "2")),
        max_overflow=int(environ.get("SUNLIGHT_DB_MAX_OVERFLOW", "8")),
        replica_urls=replicas,
        replica_wait_seconds=float(environ.get("SUNLIGHT_REPLICA_WAIT_SECONDS", "2")),
    )
