"""A read model's transaction as its handlers see it: statements with :name parameters on either
database, and writes a handler may leave for later.

Rule: a write left for later (`later`, `fold`) is a plain insert or an addition to a total; it is
written before any other statement of the transaction runs and before the transaction commits,
so every read, update or commit sees exactly the rows it would have seen had it been written at
once. What it saves is the cost of a statement per row: a batch of events writes each table's
rows in one `executemany` (PostgreSQL: one COPY), and each total once, its additions summed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from ledger.kernel.text import storable

# Pending sums by a handler's own key, as the sums by the statement's key (`Sql.sums_later`).
Spread = Callable[[dict[tuple[Any, ...], list[Any]]], dict[tuple[Any, ...], list[Any]]]
_PARAM = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")
# "INSERT INTO table VALUES (...)": every column in the table's order, so COPY can take its rows.
_PLAIN_INSERT = re.compile(r"^\s*INSERT INTO (\w+) VALUES \((.*)\)\s*$", re.S)


class Sql:
    """A cursor that takes :name parameters and returns rows as dicts on either database."""

    def __init__(self, cursor: Any, *, postgres: bool) -> None:
        self._cursor = cursor
        self._postgres = postgres
        # Writes left for later, by statement, in the order first left: rows to insert, or
        # totals by key (the statement adds its sums to the row of that key).
        self._later: dict[str, list[Mapping[str, Any]] | _Fold | _Rows] = {}
        self._scratch: set[str] = set()  # temporary tables made in this transaction

    @property
    def postgres(self) -> bool:
        """Whether this is PostgreSQL: for the few statements each database plans its own way."""
        return self._postgres

    def execute(self, statement: str, params: Mapping[str, Any] | None = None) -> Sql:
        self.flush()
        if self._postgres:
            statement = _PARAM.sub(r"%(\1)s", statement)
            params = _storable(params or {})
        self._cursor.execute(statement, dict(params or {}))
        return self

    def executemany(self, statement: str, rows: Sequence[Mapping[str, Any]]) -> None:
        self.flush()
        self._executemany(statement, rows)

    def _executemany(self, statement: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if self._postgres:
            statement = _PARAM.sub(r"%(\1)s", statement)
            rows = [_storable(row) for row in rows]
        self._cursor.executemany(statement, [dict(row) for row in rows])

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Many rows at once: PostgreSQL's COPY (a statement per row, or arrays of text, cost
        more than the work they carry), SQLite's executemany."""
        self.flush()
        self._insert(table, columns, rows)

    def _insert(self, table: str, columns: Sequence[str] | None,
                rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        names = f" ({', '.join(columns)})" if columns else ""
        if self._postgres:
            with self._cursor.copy(f"COPY {table}{names} FROM STDIN") as copy:
                write = copy.write_row
                for row in rows:
                    write([storable(v) if v.__class__ is str and "\x00" in v else v
                           for v in row])
            return
        assert columns is not None
        self._cursor.executemany(f"INSERT INTO {table}{names} VALUES ("
                                 + ", ".join("?" for _ in columns) + ")", rows)

    def later(self, statement: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert these rows before the next other statement or the commit (see the rule)."""
        pending = self._later.setdefault(statement, [])
        assert isinstance(pending, list), statement
        pending.extend(rows)

    def rows_later(self, table: str, rows: Iterable[Sequence[Any]]) -> None:
        """Insert these rows, each a value per column of `table` in its order, before the next
        other statement or the commit (see the rule): `later` without a dict per row."""
        # Looked up before made: a catch-up leaves rows for later once per voucher.
        pending = self._later.get(key := f"\0{table}")
        if pending is None:
            pending = self._later[key] = _Rows(table)
        assert isinstance(pending, _Rows), table
        pending.extend(rows)

    def sums_later(self, statement: str, columns: Sequence[str], keys: int, *,
                   spread: Spread | None = None) -> dict[tuple[Any, ...], list[Any]]:
        """The pending sums of `fold`'s statement by key, for a handler to add to in place (the
        values after the key, in `columns`' order): `fold` without a tuple per row. With
        `spread`, the handler's keys are its own, and `spread` turns the sums by them into the
        sums by the statement's key as the rows are written."""
        pending = self._later.get(statement)
        if pending is None:
            pending = self._later[statement] = _Fold(tuple(columns), keys, spread)
        assert isinstance(pending, _Fold) and pending.spread is spread, statement
        return pending.sums

    def fold(self, statement: str, columns: Sequence[str], keys: int,
             rows: Iterable[Sequence[Any]]) -> None:
        """Add each row's values after its first `keys` (its key) to the pending row of that
        key; `statement` (an upsert that adds, with a parameter per column) writes each key's
        row once, before the next other statement or the commit."""
        pending = self._later.setdefault(statement, _Fold(tuple(columns), keys))
        assert isinstance(pending, _Fold) and pending.spread is None, statement
        pending.add(rows)

    def flush(self) -> None:
        """Write what was left for later, now."""
        while self._later:
            statement, pending = next(iter(self._later.items()))
            del self._later[statement]
            if isinstance(pending, _Fold):
                self._write_sums(statement, pending)
            elif isinstance(pending, _Rows):
                pending.insert_into(self)
            elif self._postgres and (copyable := _copyable(statement)) is not None:
                table, values = copyable
                self._insert(table, None, [values(row) for row in pending])
            else:
                self._executemany(statement, pending)

    def _write_sums(self, statement: str, pending: _Fold) -> None:
        """PostgreSQL: many sums COPYed to a temporary table and added in one statement, not a
        statement per row (a batch's totals cost as much as its lines); the same upsert of the
        same rows. Written a row at a time when they are few, when the statement is not a plain
        upsert of its columns in order, or when a key holds a NUL (made storable, two keys
        could become one)."""
        upsert = _copyable_upsert(statement, pending.columns) if self._postgres else None
        sums = pending.summed()
        if (upsert is None or len(sums) < _COPY_SUMS_FROM
                or any(v.__class__ is str and "\x00" in v for key in sums for v in key)):
            columns = pending.columns
            self._executemany(statement, [dict(zip(columns, (*key, *values), strict=True))
                                          for key, values in sums.items()])
            return
        table, conflict = upsert
        scratch = f"pending_{table}"
        if scratch not in self._scratch:  # one per transaction: dropped at its end
            self._cursor.execute(f"CREATE TEMPORARY TABLE {scratch} (LIKE {table}) "
                                 "ON COMMIT DROP")
            self._scratch.add(scratch)
        self._insert(scratch, None, [(*key, *values) for key, values in sums.items()])
        self._cursor.execute(f"WITH moved AS (DELETE FROM {scratch} RETURNING *) "
                             f"INSERT INTO {table} SELECT * FROM moved {conflict}")

    def all(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._cursor.fetchall()]

    def one(self) -> dict[str, Any] | None:
        row = self._cursor.fetchone()
        return None if row is None else dict(row)

    def scalar(self) -> Any:
        row = self._cursor.fetchone()
        return None if row is None else next(iter(dict(row).values()))


class _Rows(list[Sequence[Any]]):
    """Rows of one table, each a value per column in the table's order."""

    def __init__(self, table: str) -> None:
        super().__init__()
        self.table = table

    def insert_into(self, sql: Sql) -> None:
        if not self:
            return
        if sql.postgres:
            sql._insert(self.table, None, self)
            return
        # Positional parameters: SQLite looks up no name per value.
        sql._cursor.executemany(f"INSERT INTO {self.table} VALUES ("
                                + ", ".join("?" for _ in self[0]) + ")", self)


class _Fold:
    """Rows by key, the values after the key added up."""

    def __init__(self, columns: tuple[str, ...], keys: int, spread: Spread | None = None,
                 ) -> None:
        self.columns, self.keys, self.spread = columns, keys, spread
        self.sums: dict[tuple[Any, ...], list[Any]] = {}

    def add(self, rows: Iterable[Sequence[Any]]) -> None:
        keys, sums = self.keys, self.sums
        for row in rows:
            key = tuple(row[:keys])
            kept = sums.get(key)
            if kept is None:
                sums[key] = list(row[keys:])
            else:
                for i, value in enumerate(row[keys:]):
                    kept[i] += value

    def summed(self) -> dict[tuple[Any, ...], list[Any]]:
        """The sums by the statement's key."""
        return self.sums if self.spread is None else self.spread(self.sums)


_COPYABLE: dict[str, tuple[str, Callable[[Mapping[str, Any]], Sequence[Any]]] | None] = {}


def _copyable(statement: str) -> tuple[str, Callable[[Mapping[str, Any]], Sequence[Any]]] | None:
    """The table of a plain insert and how to take its columns' values from a row (parameters
    and literal NULLs only); None if the statement is anything else."""
    if statement not in _COPYABLE:
        match = _PLAIN_INSERT.match(statement)
        items = [part.strip() for part in match.group(2).split(",")] if match else []
        names = [item[1:] for item in items if item.startswith(":") and item[1:].isidentifier()]
        nulls = [i for i, item in enumerate(items) if item == "NULL"]
        if not match or len(names) + len(nulls) != len(items) or not names:
            _COPYABLE[statement] = None
        else:
            get = itemgetter(*names)
            if len(names) == 1:
                def values(row: Mapping[str, Any], get: Any = get) -> Sequence[Any]:
                    return [get(row)]
            elif not nulls:
                values = get
            else:
                def values(row: Mapping[str, Any], get: Any = get) -> Sequence[Any]:
                    out = list(get(row))
                    for i in nulls:
                        out.insert(i, None)
                    return out
            _COPYABLE[statement] = (match.group(1), values)
    return _COPYABLE[statement]


_COPY_SUMS_FROM = 200  # fewer sums cost less a statement each, in one round trip (pipelined)
_UPSERT = re.compile(r"^\s*INSERT INTO (\w+) VALUES \(([^()]*)\)\s*(ON CONFLICT .*)$", re.S)


def _copyable_upsert(statement: str, columns: Sequence[str]) -> tuple[str, str] | None:
    """The table and the ON CONFLICT clause of "INSERT INTO table VALUES (:each, :column, in,
    :order) ON CONFLICT ...": its rows may come from a table of the same columns."""
    match = _UPSERT.match(statement)
    if not match or [part.strip() for part in match.group(2).split(",")] != [
            f":{column}" for column in columns]:
        return None
    return match.group(1), match.group(3)


def _storable(params: Mapping[str, Any]) -> dict[str, Any]:
    # PostgreSQL refuses NUL in text, and one event kept with a NUL before every door refused it
    # (ledger/text.py) must not stop a read model that serves every village.
    return {k: storable(v) if isinstance(v, str) else v for k, v in params.items()}
