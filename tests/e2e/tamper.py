"""An insider with write access to the database, for the tamper trial: single-row changes made
straight in the tables (no product code), each returning the change that undoes it, on SQLite
(the events file and the read-model file) and on PostgreSQL (one schema)."""

from __future__ import annotations

import random
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlparse

from infra.storage import Storage

Undo = Callable[[], None]


@dataclass
class Insider:
    storage: Storage
    events_table: str

    def __post_init__(self) -> None:
        self.postgres = self.storage.is_postgres
        if self.postgres:
            import psycopg

            url = urlparse(self.storage.database_url)
            schema = parse_qs(url.query)["schema"][0]
            self._pg = psycopg.connect(url._replace(query="").geturl(), autocommit=True)
            self._pg.execute(f'SET search_path TO "{schema}"')
            self.pos = "notification_id"
        else:
            self._log = sqlite3.connect(self.storage.sqlite_path, isolation_level=None)
            self._models = sqlite3.connect(self.storage.read_model_path, isolation_level=None)
            self.pos = "rowid"

    def close(self) -> None:
        if self.postgres:
            self._pg.close()
        else:
            self._log.close()
            self._models.close()

    def run(self, statements: list[tuple[str, tuple[Any, ...]]], *, log: bool) -> list[Any]:
        """Statements (with ? placeholders) in one transaction; the last one's rows."""
        rows: list[Any] = []
        if self.postgres:
            with self._pg.transaction():
                for statement, params in statements:
                    cursor = self._pg.execute(statement.replace("?", "%s"), params)
                    rows = cursor.fetchall() if cursor.description else []
            return rows
        connection = self._log if log else self._models
        connection.execute("BEGIN IMMEDIATE")
        try:
            for statement, params in statements:
                rows = connection.execute(statement, params).fetchall()
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        return rows

    # The event log.

    def event(self, position: int) -> tuple[Any, ...]:
        [row] = self.run([(f"SELECT originator_id, originator_version, topic, state FROM "
                           f"{self.events_table} WHERE {self.pos} = ?", (position,))], log=True)
        return tuple(row)

    def _put(self, position: int, row: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
        return (f"UPDATE {self.events_table} SET originator_id = ?, originator_version = ?, "
                f"topic = ?, state = ? WHERE {self.pos} = ?", (*row, position))

    def edit(self, position: int, column: str, rng: random.Random) -> Undo:
        kept = self.event(position)
        row = list(kept)
        if column == "state":
            state = bytearray(row[3])
            at = rng.randrange(len(state))
            state[at] ^= 1 << rng.randrange(8)
            row[3] = bytes(state)
        elif column == "topic":
            row[2] = row[2].replace(":", ":X", 1)
        elif column == "version":
            row[1] = row[1] + 1_000_000  # never another event's (originator, version)
        else:
            fresh = uuid.UUID(int=rng.getrandbits(128))
            row[0] = fresh if self.postgres else fresh.hex
        self.run([self._put(position, tuple(row))], log=True)
        return lambda: self.run([self._put(position, kept)], log=True)

    def delete(self, position: int) -> Undo:
        kept = self.event(position)
        self.run([(f"DELETE FROM {self.events_table} WHERE {self.pos} = ?", (position,))],
                 log=True)
        return lambda: self.run([(
            f"INSERT INTO {self.events_table} ({self.pos}, originator_id, originator_version, "
            "topic, state) VALUES (?, ?, ?, ?, ?)", (position, *kept))], log=True)

    def insert_forged(self, like: int, rng: random.Random) -> tuple[int, Undo]:
        """A forged event (a copy of another's topic and state, for a new aggregate) written
        after the last one: where a row can go without renumbering the log."""
        _, _, topic, state = self.event(like)
        [(head,)] = self.run([(f"SELECT MAX({self.pos}) FROM {self.events_table}", ())],
                             log=True)
        fresh = uuid.UUID(int=rng.getrandbits(128))
        self.run([(f"INSERT INTO {self.events_table} ({self.pos}, originator_id, "
                   "originator_version, topic, state) VALUES (?, ?, ?, ?, ?)",
                   (head + 1, fresh if self.postgres else fresh.hex, 1, topic, state))],
                 log=True)
        return head + 1, lambda: self.run([(
            f"DELETE FROM {self.events_table} WHERE {self.pos} = ?", (head + 1,))], log=True)

    def swap(self, first: int, second: int) -> Undo:
        a, b = self.event(first), self.event(second)
        parked = (uuid.uuid4() if self.postgres else uuid.uuid4().hex, *a[1:])

        def exchange(x: tuple[Any, ...], y: tuple[Any, ...]) -> None:
            # Through a parked row: (originator id, version) is unique at every statement.
            self.run([self._put(first, parked), self._put(second, x), self._put(first, y)],
                     log=True)

        exchange(a, b)
        return lambda: exchange(b, a)

    def push_down(self, positions: list[int], rng: random.Random) -> Undo:
        """A forged event (a copy of the first's topic and state, for a new aggregate) put in
        at positions[0], each event there moved to the next of `positions`, the last one's
        written after the log's last event: an insertion into the middle of a history made by
        renumbering, as a row cannot go between two positions."""
        kept = [self.event(p) for p in positions]
        [(head,)] = self.run([(f"SELECT MAX({self.pos}) FROM {self.events_table}", ())],
                             log=True)

        def fresh() -> Any:
            made = uuid.UUID(int=rng.getrandbits(128))
            return made if self.postgres else made.hex

        # Through parked rows: (originator id, version) is unique at every statement.
        change = [self._put(positions[-1], (fresh(), *kept[-1][1:])), (
            f"INSERT INTO {self.events_table} ({self.pos}, originator_id, originator_version, "
            "topic, state) VALUES (?, ?, ?, ?, ?)", (head + 1, *kept[-1]))]
        for at in range(len(positions) - 2, -1, -1):
            change += [self._put(positions[at], (fresh(), *kept[at][1:])),
                       self._put(positions[at + 1], kept[at])]
        change.append(self._put(positions[0], (fresh(), 1, *kept[0][2:])))
        self.run(change, log=True)

        def undo() -> None:
            restore = [(f"DELETE FROM {self.events_table} WHERE {self.pos} = ?", (head + 1,))]
            restore += [self._put(p, (fresh(), *row[1:])) for p, row in zip(
                positions, kept, strict=True)]
            self.run(restore + [self._put(p, row) for p, row in zip(positions, kept,
                                                                    strict=True)], log=True)

        return undo

    # The sealer's tables.

    def seal_rows(self, table: str, where: str = "", params: tuple[Any, ...] = ()) -> list[Any]:
        return self.run([(f"SELECT * FROM {table} {where} ORDER BY position", params)],
                        log=False)

    def _block(self, chain: str, position: int) -> tuple[int, list[int], str, str]:
        """The seal block holding `position` on the chain: (its first, its positions, and its
        two columns as stored), read as the documented layout says, with no product code."""
        [(first, positions, links)] = self.run([(
            "SELECT first, positions, links FROM audit_seal_blocks WHERE chain = ? AND first <= ?"
            " ORDER BY first DESC LIMIT 1", (chain, position))], log=False)
        at = [int(positions[i:i + 16], 16) for i in range(0, len(positions), 16)]
        return int(first), at, positions, links

    def org_seals(self) -> list[tuple[str, int]]:
        """Every (organization, position) sealed on an organization's chain."""
        found = []
        for chain, positions in self.run([("SELECT chain, positions FROM audit_seal_blocks "
                                           "WHERE chain <> '' ORDER BY chain, first", ())],
                                         log=False):
            found.extend((chain, int(positions[i:i + 16], 16))
                         for i in range(0, len(positions), 16))
        return found

    def edit_seal(self, chain: str, position: int, rng: random.Random) -> Undo:
        """One event's link in its block overwritten with random bytes."""
        first, at, _, links = self._block(chain, position)
        index = at.index(position) * 64
        forged = links[:index] + rng.randbytes(32).hex() + links[index + 64:]
        update = "UPDATE audit_seal_blocks SET links = ? WHERE chain = ? AND first = ?"
        self.run([(update, (forged, chain, first))], log=False)
        return lambda: self.run([(update, (links, chain, first))], log=False)

    def delete_seal(self, position: int) -> Undo:
        """One event's seal taken out of its global block, the block's columns kept agreeing."""
        first, at, positions, links = self._block("", position)
        index = at.index(position)
        kept_positions = positions[:index * 16] + positions[index * 16 + 16:]
        kept_links = links[:index * 64] + links[index * 64 + 64:]
        restore = [("DELETE FROM audit_seal_blocks WHERE chain = '' AND first = ?",
                    (at[1] if index == 0 and len(at) > 1 else first,)),
                   ("INSERT INTO audit_seal_blocks (chain, first, last, positions, links) "
                    "VALUES ('', ?, ?, ?, ?)", (first, at[-1], positions, links))]
        remaining = [p for p in at if p != position]
        change = [("DELETE FROM audit_seal_blocks WHERE chain = '' AND first = ?", (first,))]
        if remaining:
            change.append(("INSERT INTO audit_seal_blocks (chain, first, last, positions, links) "
                           "VALUES ('', ?, ?, ?, ?)", (remaining[0], remaining[-1],
                                                       kept_positions, kept_links)))
        self.run(change, log=False)
        return lambda: self.run(restore if remaining else restore[1:], log=False)

    def edit_signature(self, org: str, position: int) -> Undo:
        [(kept,)] = self.run([("SELECT signatures FROM audit_checkpoints WHERE org = ? AND "
                               "position = ?", (org, position))], log=False)
        # One character of the base64 signature changed: still base64, no longer the signature.
        at = kept.index('"signature": "') + len('"signature": "') + 5
        forged = kept[:at] + ("B" if kept[at] != "B" else "C") + kept[at + 1:]
        self.run([("UPDATE audit_checkpoints SET signatures = ? WHERE org = ? AND position = ?",
                   (forged, org, position))], log=False)
        return lambda: self.run([("UPDATE audit_checkpoints SET signatures = ? WHERE org = ? "
                                  "AND position = ?", (kept, org, position))], log=False)
