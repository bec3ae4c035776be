"""The event store's recorders, able to fetch the newer events of several aggregates in one
query: a command or a sign-in check that reads two cached aggregates (a token and its user, an
organization and its books) brings both up to date in one round trip instead of one each.
Nothing else differs from the library's recorders (ledger.kernel.fresh uses them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.sql import SQL

from infra.storage import PollingSQLiteApplicationRecorder


class SQLiteRecorder(PollingSQLiteApplicationRecorder):
    def select_newer(self, wanted: Sequence[tuple[UUID, int]]) -> list[StoredEvent]:
        """Every stored event of each aggregate after the version given, oldest first."""
        one = f"SELECT * FROM ({self.select_events_statement}AND originator_version>?)"
        params: list[Any] = []
        for originator_id, version in wanted:
            params += [originator_id.hex, version]
        with self.datastore.transaction(commit=False) as c:
            c.execute(" UNION ALL ".join([one] * len(wanted)), params)
            return sorted((StoredEvent(originator_id=self.convert_originator_id(
                row["originator_id"]), originator_version=row["originator_version"],
                topic=row["topic"], state=row["state"]) for row in c.fetchall()),
                key=lambda e: (str(e.originator_id), e.originator_version))


class PostgresRecorder(PostgresApplicationRecorder):
    def select_newer(self, wanted: Sequence[tuple[UUID, int]]) -> list[StoredEvent]:
        """Every stored event of each aggregate after the version given, oldest first."""
        one = SQL("(") + self.select_events_statement + SQL(" AND originator_version > %s)")
        statement = SQL(" UNION ALL ").join([one] * len(wanted))
        params = [value for pair in wanted for value in pair]
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, params, prepare=True)
            return sorted((StoredEvent(originator_id=row["originator_id"],
                                       originator_version=row["originator_version"],
                                       topic=row["topic"], state=bytes(row["state"]))
                           for row in curs.fetchall()),
                          key=lambda e: (str(e.originator_id), e.originator_version))
