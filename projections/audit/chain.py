"""The hash chain's exact bytes, and the raw read of the event log it is computed from.

A link is SHA-256(previous link ‖ b"sunlight-chain/1" ‖ u64be(position) ‖ originator id (16 raw
UUID bytes) ‖ u64be(version) ‖ u32be(len topic) ‖ topic UTF-8 ‖ u32be(len state) ‖ state), over
the stored bytes exactly as the events table keeps them (docs/verification.md). The log is read
raw, not through the library's mapper, so that a row an insider damaged (an originator id that is
no UUID, a version that is no number) is reported as altered instead of stopping the read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification
from eventsourcing.utils import resolve_topic
from psycopg.sql import SQL, Identifier

from ledger.books import Organization

MAGIC = b"sunlight-chain/1"
GENESIS = bytes(32)
BATCH = 500
DISCLOSURE_PUBLISHED = "ledger.disclosures:Disclosure.Published"


class Row:
    """One stored event as the database hands it back, before any interpretation. Its body and
    its originator's key are computed once (the sealer and the verifier each use them twice)."""

    __slots__ = ("_body", "_originator", "originator_id", "position", "state", "topic",
                 "version")

    def __init__(self, position: int, originator_id: Any, version: Any, topic: Any,
                 state: Any) -> None:
        self.position, self.originator_id, self.version = position, originator_id, version
        self.topic, self.state = topic, state
        self._body: bytes | bool | None = False  # False: not computed yet
        self._originator: bytes | bool | None = False

    def __repr__(self) -> str:
        return f"Row({self.position}, {self.originator_id!r}, {self.version!r}, {self.topic!r})"

    @property
    def originator(self) -> bytes | None:
        """The 16 raw bytes of the originator id; None unless it is stored in the canonical form
        the library writes (a UUID column, or 32 lowercase hex digits in SQLite), since the
        library finds an aggregate's events by that exact text."""
        if self._originator is False:
            value, raw = self.originator_id, None
            if isinstance(value, UUID):
                raw = value.bytes
            elif isinstance(value, str) and len(value) == 32 and value == value.lower():
                try:
                    raw = bytes.fromhex(value)
                except ValueError:
                    raw = None
                raw = raw if raw is not None and len(raw) == 16 else None
            self._originator = raw
        return self._originator  # type: ignore[return-value]

    def body(self) -> bytes | None:
        """Everything a link hashes after the previous link; None when a field cannot be one
        (a damaged row), which no seal can match."""
        if self._body is False:
            self._body = self._make_body()
        return self._body  # type: ignore[return-value]

    def _make_body(self) -> bytes | None:
        originator = self.originator
        if originator is None or type(self.version) is not int or not isinstance(
                self.topic, str) or not isinstance(self.state, bytes | bytearray | memoryview):
            return None
        try:
            topic, state = self.topic.encode("utf-8"), bytes(self.state)
            return b"".join((MAGIC, self.position.to_bytes(8, "big"), originator,
                             self.version.to_bytes(8, "big"), len(topic).to_bytes(4, "big"),
                             topic, len(state).to_bytes(4, "big"), state))
        except (UnicodeEncodeError, OverflowError):
            return None

    def notification(self) -> Notification:
        return Notification(id=self.position, originator_id=UUID(bytes=self.originator or b""),
                            originator_version=self.version, topic=self.topic,
                            state=bytes(self.state))

    @property
    def originator_key(self) -> str:
        """The originator id as audit_originators keeps it (the UUID's canonical text)."""
        raw = self.originator
        if raw is None:
            return f"?{self.originator_id!r}"
        h = raw.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def chain(previous: bytes, body: bytes) -> bytes:
    return hashlib.sha256(previous + body).digest()


def link(previous: bytes, position: int, originator_id: UUID, version: int, topic: str,
         state: bytes) -> bytes:
    """One link, from its fields (the form docs/verification.md's test vector uses)."""
    body = Row(position, originator_id, version, topic, bytes(state)).body()
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


def org_of_row(app: Any, row: Row) -> str:
    """The organization an aggregate's first stored event names, read from its JSON state when
    the store keeps plain JSON of the current class version (a tenth of a full decode), else
    from the decoded event."""
    mapper = app.mapper
    if not (mapper.cipher or mapper.compressor):
        cls = resolve_topic(row.topic)
        try:
            state = json.loads(bytes(row.state))
        except ValueError:
            state = None
        if isinstance(state, dict) and state.get("class_version", 1) == getattr(
                cls, "class_version", 1):
            if issubclass(cls, Organization.Registered):
                return str(state["code"])
            named = state.get("org")
            if named is None or isinstance(named, str):
                return named or ""
    return org_of(mapper.to_domain_event(row.notification()))


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
