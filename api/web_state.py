"""The web state (会话与限流记录): signed-in sessions and rate-limit counts, kept in the product's
own database so that every worker on every host sees the same ones.

Rule: nothing here is a fact of the books. Rows expire and are deleted, so they live apart from
the event store — on SQLite in their own file beside it (`events-web.sqlite`), so that a sign-in
never waits on a posting's lock; on PostgreSQL in tables of the event store's schema, prefixed
`web_`. Tables are created once, before the workers start (`create_web_tables`).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from infra.storage import Storage
from projections.db import Sql

TABLES = ("web_sessions", "web_limit_hits", "web_limit_counters")
_DDL = (
    # The session id itself is only in the cookie; the row is found by its SHA-256, so that a
    # copy of this table (a backup, say) opens no session.
    "CREATE TABLE IF NOT EXISTS web_sessions (id_digest TEXT PRIMARY KEY, login TEXT NOT NULL, "
    "fingerprint TEXT NOT NULL, csrf TEXT NOT NULL, had_role INTEGER NOT NULL, "
    "created_at {real} NOT NULL, last_seen {real} NOT NULL, expires_at {real} NOT NULL)",
    "CREATE INDEX IF NOT EXISTS web_sessions_login ON web_sessions (login)",
    "CREATE INDEX IF NOT EXISTS web_sessions_expiry ON web_sessions (expires_at)",
    # One row per counted request (moving window).
    "CREATE TABLE IF NOT EXISTS web_limit_hits (key TEXT NOT NULL, at {real} NOT NULL, "
    "expires_at {real} NOT NULL)",
    "CREATE INDEX IF NOT EXISTS web_limit_hits_key ON web_limit_hits (key, at)",
    "CREATE INDEX IF NOT EXISTS web_limit_hits_expiry ON web_limit_hits (expires_at)",
    # One counter per key (fixed window), for the `limits` strategies that count that way.
    "CREATE TABLE IF NOT EXISTS web_limit_counters (key TEXT PRIMARY KEY, "
    "count INTEGER NOT NULL, expires_at {real} NOT NULL)",
)


class WebState(ABC):
    """One database's web state: short transactions, safe from any thread of any process."""

    @abstractmethod
    @contextmanager
    def transaction(self, *, key: str | None = None) -> Iterator[Sql]:
        """One writing transaction. With `key`, it also waits for every other transaction holding
        the same key, so that a read and the write it decides are not interleaved with another's."""

    @abstractmethod
    @contextmanager
    def reading(self) -> Iterator[Sql]:
        """For one reading statement, which never waits on a writer."""

    @abstractmethod
    def create_tables(self) -> None: ...

    @abstractmethod
    def close(self) -> None: ...

    @property
    @abstractmethod
    def errors(self) -> tuple[type[Exception], ...]:
        """What the database raises when it is unreachable or refuses a statement."""


class SQLiteWebState(WebState):
    """A file of its own; one connection per thread (and per process: a connection is never
    used across a fork)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None or self._local.pid != os.getpid():
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                         check_same_thread=False)
            connection.row_factory = sqlite3.Row
            # Losing the last second of sessions in a power cut is fine; waiting on fsync is not.
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection, self._local.pid = connection, os.getpid()
            with self._lock:
                self._opened.append(connection)
        return connection

    @contextmanager
    def transaction(self, *, key: str | None = None) -> Iterator[Sql]:
        connection = self._connection()
        # IMMEDIATE takes the file's write lock at once: a keyed read-then-write cannot
        # interleave with another process's, and no transaction fails on upgrading its lock.
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield Sql(connection.cursor(), postgres=False)
        except BaseException:
            connection.rollback()
            raise
        connection.commit()

    @contextmanager
    def reading(self) -> Iterator[Sql]:
        yield Sql(self._connection().cursor(), postgres=False)  # autocommit: one statement

    def create_tables(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=WAL")  # readers never wait on a writer
            for statement in _DDL:
                connection.execute(statement.format(real="REAL"))
        finally:
            connection.close()

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for connection in opened:
            connection.close()
        self._local = threading.local()

    @property
    def errors(self) -> tuple[type[Exception], ...]:
        return (sqlite3.Error,)


class PostgresWebState(WebState):
    """Tables in the event store's schema, reached through a small pool of this process."""

    def __init__(self, storage: Storage) -> None:
        from psycopg import sql
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool

        env = storage.env(create_tables=False)
        search_path = sql.SQL("SET search_path TO {}").format(
            sql.Identifier(env["POSTGRES_SCHEMA"]))

        def configure(connection: Any) -> None:
            connection.execute(search_path)
            connection.commit()

        self.pool = ConnectionPool(
            kwargs={"dbname": env["POSTGRES_DBNAME"], "host": env["POSTGRES_HOST"],
                    "port": env["POSTGRES_PORT"], "user": env["POSTGRES_USER"],
                    "password": env["POSTGRES_PASSWORD"], "row_factory": dict_row,
                    "connect_timeout": int(env["POSTGRES_CONNECT_TIMEOUT"])},
            min_size=1, max_size=storage.pool_size + storage.max_overflow,
            configure=configure, check=ConnectionPool.check_connection, timeout=10,
            name="sunlight-web-state", open=True)

    @contextmanager
    def transaction(self, *, key: str | None = None) -> Iterator[Sql]:
        with self.pool.connection() as connection, connection.transaction(), \
                connection.cursor() as cursor:
            sql = Sql(cursor, postgres=True)
            if key is not None:
                # Held until the transaction ends; other keys are not held up.
                sql.execute("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))",
                            {"key": key})
            yield sql

    @contextmanager
    def reading(self) -> Iterator[Sql]:
        with self.pool.connection() as connection, connection.cursor() as cursor:
            yield Sql(cursor, postgres=True)

    def create_tables(self) -> None:
        with self.transaction(key="sunlight web state tables") as sql:
            # Keyed: two processes creating at once would race on the catalog otherwise.
            for statement in _DDL:
                sql.execute(statement.format(real="DOUBLE PRECISION"))

    def close(self) -> None:
        self.pool.close()

    @property
    def errors(self) -> tuple[type[Exception], ...]:
        import psycopg
        from psycopg_pool import PoolTimeout

        return (psycopg.Error, PoolTimeout)


def web_state_path(storage: Storage) -> Path:
    """The SQLite file beside the event store's: events.sqlite -> events-web.sqlite."""
    path = storage.sqlite_path
    return path.with_name(path.stem + "-web" + path.suffix)


def open_web_state(storage: Storage) -> WebState:
    if storage.is_postgres:
        return PostgresWebState(storage)
    return SQLiteWebState(web_state_path(storage))


def create_web_tables(storage: Storage) -> None:
    """Create the web state's tables, once, before any worker starts."""
    storage.prepare()
    state = open_web_state(storage)
    try:
        state.create_tables()
    finally:
        state.close()
