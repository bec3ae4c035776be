"""The write gates (ledger.kernel.writing.WriteGate) of the two databases: each lets one writer of
an organization in at a time across every process writing to the same event store, from before
it reads the aggregates until its append has committed, so that writers take turns instead of
losing appends to version conflicts and deciding them again. A gate is released by the
operating system or the database when its process dies, so a killed writer never blocks others.

- PostgreSQL: a session-level advisory lock, keyed by the schema and the scope, taken on an
  autocommit connection of the gate's own and released by pg_advisory_unlock once the append
  has committed (the library's save runs in a transaction of its own): two round trips a write,
  where a transaction-level lock took three (BEGIN, the lock, ROLLBACK). Should the unlock
  fail, the connection is closed, which releases the lock too.
- SQLite: an exclusive flock on a small file per scope beside the database file (a lock inside
  the database would be the very lock the append needs).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from infra.storage import Storage
from ledger.kernel.writing import WriteGate


def lock_number(namespace: str, scope: str) -> int:
    """A signed 64-bit advisory lock key: the same scope in another schema is another lock."""
    digest = hashlib.blake2b(f"sunlight-write/{namespace}/{scope}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


class PostgresWriteGate:
    """pg_advisory_lock on an idle connection of the gate's small pool."""

    def __init__(self, storage: Storage) -> None:
        env = storage.env(create_tables=False)
        self._connect_args = {
            "dbname": env["POSTGRES_DBNAME"], "host": env["POSTGRES_HOST"],
            "port": env["POSTGRES_PORT"], "user": env["POSTGRES_USER"],
            "password": env["POSTGRES_PASSWORD"], "connect_timeout": 10}
        self._namespace = env["POSTGRES_SCHEMA"]
        self._idle: list[Any] = []
        self._guard = threading.Lock()

    @contextmanager
    def hold(self, scope: str) -> Iterator[None]:
        number = lock_number(self._namespace, scope)
        connection = self._locked(number)
        try:
            yield
        finally:
            try:
                connection.execute("SELECT pg_advisory_unlock(%s)", (number,))
            except Exception:
                connection.close()  # a closed connection's lock goes with it
            self._give_back(connection)

    def _locked(self, number: int) -> Any:
        """A connection that holds the lock; an idle connection the server
        has since closed is replaced once."""
        import psycopg

        for fresh in (False, True):
            connection = self._take(fresh)
            try:
                connection.execute("SELECT pg_advisory_lock(%s)", (number,))
                return connection
            except psycopg.OperationalError:
                connection.close()
                if fresh:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._guard:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

    def _take(self, fresh: bool) -> Any:
        with self._guard:
            if self._idle and not fresh:
                return self._idle.pop()
        import psycopg

        return psycopg.connect(**self._connect_args, autocommit=True)

    def _give_back(self, connection: Any) -> None:
        if connection.closed or connection.broken:
            return  # a connection the server dropped is not kept
        with self._guard:
            self._idle.append(connection)


class FileWriteGate:
    """An exclusive flock per scope on a file in `<database>.locks/`; flock belongs to the open
    file, so threads are told apart as well as processes."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder  # made by the first write, so that a read-only open leaves none
        self._made = False  # once made, not looked for again on every write

    @contextmanager
    def hold(self, scope: str) -> Iterator[None]:
        name = hashlib.blake2b(scope.encode(), digest_size=12).hexdigest()
        path = self._folder / f"{name}.lock"
        if not self._made:
            self._folder.mkdir(parents=True, exist_ok=True)
            self._made = True
        try:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except FileNotFoundError:  # the folder was removed meanwhile
            self._folder.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            os.close(descriptor)  # releases the lock

    def close(self) -> None:
        pass


def write_gate(storage: Storage) -> WriteGate:
    """The gate of the storage's database."""
    if storage.is_postgres:
        return PostgresWriteGate(storage)
    path = storage.sqlite_path
    return FileWriteGate(path.with_name(path.name + ".locks"))
