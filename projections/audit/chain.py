"""The hash chain's exact bytes, and the raw read of the event log it is computed from.

A link is SHA-256(previous link ‖ b"sunlight-chain/1" ‖ u64be(position) ‖ originator id (16 raw
UUID bytes) ‖ u64be(version) ‖ u32be(len topic) ‖ topic UTF-8 ‖ u32be(len state) ‖ state), over
the stored bytes exactly as the events table keeps them (docs/verification.md). The log is read
raw, not through the library's mapper, so that a row an insider damaged (an originator id that is
no UUID, a version that is no number) is reported as altered instead of stopping the read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification
from psycopg.sql import SQL, Identifier

from ledger.books import Organization

MAGIC = b"sunlight-chain/1"
GENESIS = bytes(32)
BATCH = 500
DISCLOSURE_PUBLISHED = "ledger.disclosures:Disclosure.Published"


@dataclass(frozen=True)
class Row:
    """One stored event as the database hands it back, before any interpretation."""

    position: int
    originator_id: Any
    version: Any
    topic: Any
    state: Any

    def body(self) -> bytes | None:
        """Everything a link hashes after the previous link; None when a field cannot be one
        (a damaged row), which no seal can match."""
        try:
            originator = (self.originator_id if isinstance(self.originator_id, UUID)
                          else UUID(str(self.originator_id))).bytes
            topic = self.topic.encode("utf-8")
            state = bytes(self.state)
            if not isinstance(self.version, int) or isinstance(self.version, bool):
                return None
            return b"".join((MAGIC, self.position.to_bytes(8, "big"), originator,
                             self.version.to_bytes(8, "big"), len(topic).to_bytes(4, "big"),
                             topic, len(state).to_bytes(4, "big"), state))
        except (AttributeError, TypeError, ValueError, OverflowError):
            return None

    def notification(self) -> Notification:
        originator = (self.originator_id if isinstance(self.originator_id, UUID)
                      else UUID(str(self.originator_id)))
        return Notification(id=self.position, originator_id=originator,
                            originator_version=self.version, topic=self.topic,
                            state=bytes(self.state))

    @property
    def originator_key(self) -> str:
        """The originator id as audit_originators keeps it (the UUID's canonical text)."""
        try:
            return str(self.originator_id if isinstance(self.originator_id, UUID)
                       else UUID(str(self.originator_id)))
        except (TypeError, ValueError):
            return f"?{self.originator_id!r}"


def chain(previous: bytes, body: bytes) -> bytes:
    return hashlib.sha256(previous + body).digest()


def link(previous: bytes, position: int, originator_id: UUID, version: int, topic: str,
         state: bytes) -> bytes:
    """One link, from its fields (the form docs/verification.md's test vector uses)."""
    body = Row(position, originator_id, version, topic, state).body()
    assert body is not None
    return chain(previous, body)


def read_log(app: Any, after: int, *, until: int | None = None,
             size: int = BATCH) -> Iterator[list[Row]]:
    """The stored events after position `after` (up to `until`, inclusive), batch by batch."""
    recorder = app.recorder
    postgres = hasattr(recorder.datastore, "schema")
    position = after
    while until is None or position < until:
        limit = size if until is None else min(size, until - position)
        if postgres:
            statement = SQL(
                "SELECT notification_id AS position, originator_id, originator_version, topic, "
                "state FROM {schema}.{table} WHERE notification_id > %s AND notification_id <= %s "
                "ORDER BY notification_id LIMIT %s").format(
                schema=Identifier(recorder.datastore.schema),
                table=Identifier(recorder.events_table_name))
        else:
            statement = (
                "SELECT rowid AS position, originator_id, originator_version, topic, state "
                f"FROM {recorder.events_table_name} WHERE rowid > ? AND rowid <= ? "
                "ORDER BY rowid LIMIT ?")
        with recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, (position, until if until is not None else 2**62, limit))
            rows = [Row(row["position"], row["originator_id"], row["originator_version"],
                        row["topic"], row["state"]) for row in cursor.fetchall()]
        if not rows:
            return
        yield rows
        position = rows[-1].position


def org_of(first_event: Any) -> str:
    """The organization an aggregate belongs to, from its first event ("" for none: users,
    tokens...)."""
    if isinstance(first_event, Organization.Registered):
        return str(first_event.code)
    return str(getattr(first_event, "org", "") or "")


def at_text(moment: Any) -> str:
    """ISO-8601 UTC to the second, as a checkpoint's "at": 2026-12-06T07:50:00Z."""
    from datetime import UTC

    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
