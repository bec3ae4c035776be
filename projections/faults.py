"""A read model that cannot project an event stops at the event before it, alone, and says so: the
fault (which read model, the event, its topic and organization, the error, since when, how many
tries) is kept in a table beside the read models until the read model moves past that event, so
that the operator's `sunlight projections status` and the admin's `/api/v1/status` show it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from projections.db import FAULTS_DDL, FailedEvent, ReadModel

ERROR_LIMIT = 1000


def record_fault(view: ReadModel, failed: FailedEvent, now: datetime | None = None) -> int:
    """Keep the fault, counting the tries; returns how many times this event has failed."""
    with view.sql(commit=True) as sql:
        create_fault_table(sql)
        row = sql.execute("SELECT event, attempts, since FROM projection_faults WHERE name = :name",
                          {"name": view.name}).one()
        same = row is not None and row["event"] == failed.event
        attempts = row["attempts"] + 1 if same and row else 1
        since = row["since"] if same and row else (now or datetime.now(UTC)).isoformat()
        sql.execute("DELETE FROM projection_faults WHERE name = :name", {"name": view.name})
        sql.execute(
            "INSERT INTO projection_faults (name, position, event, topic, org, error, since, "
            "attempts) VALUES (:name, :position, :event, :topic, :org, :error, :since, :attempts)",
            {"name": view.name, "position": failed.event - 1, "event": failed.event,
             "topic": failed.topic, "org": failed.org, "error": failed.error[:ERROR_LIMIT],
             "since": since, "attempts": attempts})
    return attempts


def clear_fault(view: ReadModel) -> None:
    """The read model has moved past the event that stopped it."""
    with view.sql(commit=True) as sql:
        create_fault_table(sql)
        sql.execute("DELETE FROM projection_faults WHERE name = :name AND event <= :position",
                    {"name": view.name, "position": view.position_in(sql)})


def faults(view: ReadModel) -> list[dict[str, Any]]:
    """Every read model's fault, as any one of them can read the table."""
    with view.sql() as sql:
        return sql.execute("SELECT * FROM projection_faults ORDER BY name").all()


def create_fault_table(sql: Any) -> None:
    # Also here: a projection process may be upgraded and started before `create_tables` ran.
    for statement in FAULTS_DDL:
        sql.execute(statement)
