"""Which organization's chain an event is on: the organization its aggregate's first stored event
(version 1) names, read from the log itself, so that the sealer writes nothing per aggregate and
the verifier judges by the log as it is (an altered first event breaks the global chain, and its
organization's, at its own position, before any later event of its aggregate is judged).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from projections.audit.chain import Raw, Row, org_named, org_of_row

REMEMBERED = 200_000  # aggregates kept in memory between batches; forgotten ones are read again


class Owners:
    """Organizations of aggregates, learnt batch by batch along the log."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.known: dict[str, str] = {}

    def of_batch(self, rows: list[Raw], keys: list[str]) -> dict[str, str]:
        """Every aggregate of the batch, by originator key → organization ("" for none)."""
        known = self.known
        if len(known) > REMEMBERED:
            known.clear()
        for fields, key in zip(rows, keys, strict=True):
            if fields[2] == 1 and key not in known:
                self._learn(key, fields)
        missing = {key for key in keys if key not in known}
        if missing:
            known.update(first_events(self.app, missing))
            for fields, key in zip(rows, keys, strict=True):
                if key not in known:  # no first event in the log: what this one names
                    self._learn(key, fields)
        return known

    def _learn(self, key: str, fields: Raw) -> None:
        try:
            named = org_named(self.app, fields[3], fields[4])
            self.known[key] = named if named is not None else org_of_row(self.app, Row(*fields))
        except Exception:  # an unreadable event names no one; the chains judge it
            return


def first_events(app: Any, keys: Iterable[str]) -> dict[str, str]:
    """The organization each aggregate's first stored event names, for those in the log."""
    wanted = sorted(key for key in keys if len(key) == 32 and not key.startswith("?"))
    recorder = app.recorder
    postgres = hasattr(recorder.datastore, "schema")
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 400):  # below every database's limit on parameters
        chunk = wanted[start:start + 400]
        with recorder.datastore.transaction(commit=False) as cursor:
            if postgres:
                cursor.row_factory = tuple_row
                cursor.execute(SQL(
                    "SELECT replace(originator_id::text, '-', ''), originator_version, topic, "
                    "state FROM {schema}.{table} WHERE originator_id = ANY(%s) AND "
                    "originator_version = 1").format(
                    schema=Identifier(recorder.datastore.schema),
                    table=Identifier(recorder.events_table_name)),
                    ([UUID(hex=key) for key in chunk],), binary=True)
            else:
                cursor.sqlite_cursor.row_factory = None
                cursor.execute(
                    "SELECT originator_id, originator_version, topic, state FROM "
                    f"{recorder.events_table_name} WHERE originator_version = 1 AND "
                    f"originator_id IN ({', '.join('?' for _ in chunk)})", chunk)
            rows = cursor.fetchall()
        for originator_id, version, topic, state in rows:
            try:
                found[originator_id] = org_of_row(app, Row(0, originator_id, version, topic,
                                                           state))
            except Exception:  # an unreadable first event names no one
                continue
    return found
