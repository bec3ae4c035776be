"""One organization's part of the log, for verifying its chain alone: the events at the positions
its seal blocks name, read by position, then every event the sealer has not reached yet. So a
village's verification reads that village's events, however many others the store keeps.

What it cannot see: an event slipped into a gap of the log's numbering below the sealer's
position (PostgreSQL's numbering has gaps); the whole store's verification finds it (it is on no
chain), and so does this one's count of the log against the global chain's seals.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from projections.audit import seals
from projections.audit.chain import BATCH, Raw, read_raw


def org_batches(app: Any, view: Any, org: str, sealed: int, head: int,
                size: int = BATCH) -> Iterator[tuple[int, list[Raw]]]:
    """(the batch's last position, its rows): the organization's sealed events up to `sealed`,
    then the log after it up to `head`, in log order."""
    wanted: list[int] = []
    for positions in seals.chain_positions(view.sql, org, min(sealed, head)):
        wanted.extend(positions)
        while len(wanted) >= size:
            batch, wanted = wanted[:size], wanted[size:]
            yield batch[-1], read_at(app, batch)
    if wanted:
        yield wanted[-1], read_at(app, wanted)
    for rows in read_raw(app, sealed, until=head, size=size):
        yield rows[-1][0], rows


def read_at(app: Any, positions: list[int]) -> list[Raw]:
    """The stored events at these positions, those still there, in log order."""
    recorder = app.recorder
    found: list[Raw] = []
    for start in range(0, len(positions), 500):  # below every database's limit on parameters
        chunk = positions[start:start + 500]
        with recorder.datastore.transaction(commit=False) as cursor:
            if hasattr(recorder.datastore, "schema"):
                cursor.row_factory = tuple_row
                cursor.execute(SQL(
                    "SELECT notification_id, replace(originator_id::text, '-', ''), "
                    "originator_version, topic, state FROM {schema}.{table} WHERE "
                    "notification_id = ANY(%s) ORDER BY notification_id").format(
                    schema=Identifier(recorder.datastore.schema),
                    table=Identifier(recorder.events_table_name)), (chunk,), binary=True)
            else:
                cursor.sqlite_cursor.row_factory = None
                cursor.execute(
                    "SELECT rowid, originator_id, originator_version, topic, state FROM "
                    f"{recorder.events_table_name} WHERE rowid IN "
                    f"({', '.join('?' for _ in chunk)}) ORDER BY rowid", chunk)
            found.extend(cursor.fetchall())
    return found


def log_count(app: Any, until: int) -> int:
    """How many events the log holds up to `until`: all of them less those after it (a count of
    the whole table is made on its smallest index; one bounded above would walk the events)."""
    recorder = app.recorder
    with recorder.datastore.transaction(commit=False) as cursor:
        if hasattr(recorder.datastore, "schema"):
            cursor.row_factory = tuple_row
            cursor.execute(SQL("SELECT (SELECT COUNT(*) FROM {schema}.{table}) - (SELECT COUNT(*) "
                               "FROM {schema}.{table} WHERE notification_id > %s)").format(
                schema=Identifier(recorder.datastore.schema),
                table=Identifier(recorder.events_table_name)), (until,))
        else:
            cursor.sqlite_cursor.row_factory = None
            table = recorder.events_table_name
            cursor.execute(f"SELECT (SELECT COUNT(*) FROM {table}) - (SELECT COUNT(*) FROM "
                           f"{table} WHERE rowid > ?)", (until,))
        return int(cursor.fetchall()[0][0])
