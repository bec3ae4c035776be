"""The hash chain's exact bytes, and the raw read of the event log it is computed from.

A link is SHA-256(previous link ‖ b"sunlight-chain/1" ‖ u64be(position) ‖ originator id (16 raw
UUID bytes) ‖ u64be(version) ‖ u32be(len topic) ‖ topic UTF-8 ‖ u32be(len state) ‖ state), over
the stored bytes exactly as the events table keeps them (docs/verification.md). The log is read
raw, not through the library's mapper, so that a row an insider damaged (an originator id that is
no UUID, a version that is no number) is reported as altered instead of stopping the read.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import Notification
from eventsourcing.utils import resolve_topic
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier, Literal

from ledger.books import Organization

MAGIC = b"sunlight-chain/1"
GENESIS = bytes(32)
BATCH = 5000  # events per transaction: a commit and a few lookups per batch, not per event
DISCLOSURE_PUBLISHED = "ledger.disclosures:Disclosure.Published"


_HEAD = struct.Struct(">Q16sQ")  # position, originator id, version
_TOPICS: dict[str, bytes] = {}  # a topic's length-prefixed UTF-8, made once per topic


def _prefix(topic: str) -> bytes | None:
    """A topic's length-prefixed UTF-8 (None if it has none), kept for the next time."""
    try:
        encoded = topic.encode("utf-8")
    except UnicodeEncodeError:
        return None
    prefixed = len(encoded).to_bytes(4, "big") + encoded
    if len(_TOPICS) < 4096:  # a store's topics are few; a damaged one is not kept
        _TOPICS[topic] = prefixed
    return prefixed


class Row:
    """One stored event as the database hands it back, before any interpretation. Its originator
    is read at once and its body made once (the sealer and the verifier each use them twice):
    this is the inner loop of sealing and of verifying."""

    __slots__ = ("_body", "originator", "originator_id", "originator_key", "position", "state",
                 "topic", "version")

    def __init__(self, position: int, originator_id: Any, version: Any, topic: Any,
                 state: Any) -> None:
        self.position, self.originator_id, self.version = position, originator_id, version
        self.topic, self.state = topic, state
        self._body: bytes | bool | None = False  # False: not made yet
        # The 16 raw bytes of the originator id; None unless it is stored in the canonical form
        # the library writes (a UUID column, or 32 lowercase hex digits in SQLite), since the
        # library finds an aggregate's events by that exact text.
        raw: bytes | None = None
        if type(originator_id) is str:
            if len(originator_id) == 32 and originator_id == originator_id.lower():
                try:
                    raw = bytes.fromhex(originator_id)
                except ValueError:
                    raw = None
            # The key an aggregate is known by in a pass: the id's 32 hex digits.
            self.originator_key = originator_id if raw is not None else f"?{originator_id!r}"
        elif isinstance(originator_id, UUID):
            raw, self.originator_key = originator_id.bytes, originator_id.hex
        else:
            self.originator_key = f"?{originator_id!r}"
        self.originator = raw

    def __repr__(self) -> str:
        return f"Row({self.position}, {self.originator_id!r}, {self.version!r}, {self.topic!r})"

    def body(self) -> bytes | None:
        """Everything a link hashes after the previous link; None when a field cannot be one
        (a damaged row), which no seal can match."""
        if self._body is False:
            self._body = self._make_body()
        return self._body  # type: ignore[return-value]

    def _make_body(self) -> bytes | None:
        raw, topic, state = self.originator, self.topic, self.state
        if raw is None or type(self.version) is not int or type(topic) is not str or (
                not isinstance(state, bytes | bytearray | memoryview)):
            return None
        prefixed = _TOPICS.get(topic) or _prefix(topic)
        if prefixed is None:
            return None
        if type(state) is not bytes:
            state = bytes(state)
        try:
            return b"".join((MAGIC, _HEAD.pack(self.position, raw, self.version), prefixed,
                             len(state).to_bytes(4, "big"), state))
        except (struct.error, OverflowError):
            return None

    def notification(self) -> Notification:
        return Notification(id=self.position, originator_id=UUID(bytes=self.originator or b""),
                            originator_version=self.version, topic=self.topic,
                            state=bytes(self.state))


def chain(previous: bytes, body: bytes) -> bytes:
    return hashlib.sha256(previous + body).digest()


def link(previous: bytes, position: int, originator_id: UUID, version: int, topic: str,
         state: bytes) -> bytes:
    """One link, from its fields (the form docs/verification.md's test vector uses)."""
    body = Row(position, originator_id, version, topic, bytes(state)).body()
    assert body is not None
    return chain(previous, body)


Raw = tuple[Any, Any, Any, Any, Any]  # position, originator id, version, topic, state


def read_log(app: Any, after: int, *, until: int | None = None,
             size: int = BATCH) -> Iterator[list[Row]]:
    """The stored events after position `after` (up to `until`, inclusive), batch by batch."""
    for raw in read_raw(app, after, until=until, size=size):
        yield [Row(*fields) for fields in raw]


def read_raw(app: Any, after: int, *, until: int | None = None,
             size: int = BATCH) -> Iterator[list[Raw]]:
    """The same, as the database's plain tuples (the sealer's and verifier's quick way)."""
    recorder = app.recorder
    postgres = hasattr(recorder.datastore, "schema")
    position = after
    while until is None or position < until:
        limit = size if until is None else min(size, until - position)
        if postgres:
            statement = SQL(
                # The id as 32 hex digits, as SQLite keeps it: the server writes the text faster
                # than the driver makes UUID objects of it.
                "SELECT notification_id AS position, replace(originator_id::text, '-', ''), "
                "originator_version, topic, state FROM {schema}.{table} WHERE notification_id > "
                # A lower bound only (the upper one is applied below): with both, the planner,
                # unsure how many rows lie between, read and sorted all the rest of the log for
                # every batch. Integers of ours, written out, so no generic plan is used.
                "{after} ORDER BY notification_id LIMIT {limit}").format(
                schema=Identifier(recorder.datastore.schema),
                table=Identifier(recorder.events_table_name), after=Literal(int(position)),
                limit=Literal(int(limit)))
        else:
            statement = (
                "SELECT rowid AS position, originator_id, originator_version, topic, state "
                f"FROM {recorder.events_table_name} WHERE rowid > ? AND rowid <= ? "
                "ORDER BY rowid LIMIT ?")
        with recorder.datastore.transaction(commit=False) as cursor:
            if postgres:
                cursor.row_factory = tuple_row
            else:
                cursor.sqlite_cursor.row_factory = None
            if postgres:
                cursor.execute(statement, binary=True)  # states as raw bytes, not hex text
            else:
                cursor.execute(statement, (position, until if until is not None else 2**62,
                                           limit))
            rows = cursor.fetchall()
        if until is not None and rows and rows[-1][0] > until:
            rows = [row for row in rows if row[0] <= until]
        if not rows:
            return
        yield rows
        position = rows[-1][0]


def bodies(rows: list[Raw]) -> tuple[list[bytes], list[str]] | None:
    """Every row's body and originator key, the quick way; None as soon as a row is not in the
    form the library writes (the caller then reads the batch row by row, carefully)."""
    pack, topics, magic, fromhex = _HEAD.pack, _TOPICS, MAGIC, bytes.fromhex
    made: list[bytes] = []
    keys: list[str] = []
    try:
        for position, originator_id, version, topic, state in rows:
            if type(originator_id) is str:
                # 32 lowercase hex digits (one with no letter at all goes the careful way)
                if len(originator_id) != 32 or not originator_id.islower():
                    return None
                raw = fromhex(originator_id)
                keys.append(originator_id)
            else:
                raw = originator_id.bytes
                keys.append(originator_id.hex)
            prefixed = topics.get(topic) or _prefix(topic)
            if prefixed is None or type(version) is not int or type(state) is not bytes:
                return None
            made.append(b"".join((magic, pack(position, raw, version), prefixed,
                                  len(state).to_bytes(4, "big"), state)))
    except (AttributeError, ValueError, TypeError, struct.error, OverflowError):
        return None
    return made, keys


# topic → (names an organization by `code`, has an `org` field, class version), resolved once
_CLASSES: dict[str, tuple[bool, bool, int]] = {}


def org_named(app: Any, topic: str, state: Any) -> str | None:
    """The organization a first event names, read from its stored JSON when the store keeps
    plain JSON of the current class version (a tenth of a full decode); a class with no `org`
    field names none without being read. None: it takes the full decode to tell."""
    mapper = app.mapper
    if mapper.cipher or mapper.compressor:
        return None
    known = _CLASSES.get(topic)
    if known is None:
        cls = resolve_topic(topic)
        fields = getattr(cls, "__dataclass_fields__", None)  # inherited fields included
        known = _CLASSES[topic] = (issubclass(cls, Organization.Registered),
                                   fields is None or "org" in fields,
                                   getattr(cls, "class_version", 1))
    registered, has_org, version = known
    if not (registered or has_org):
        return ""
    try:
        decoded = orjson.loads(state)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(decoded, dict) or decoded.get("class_version", 1) != version:
        return None
    if registered:
        return str(decoded["code"])
    named = decoded.get("org")
    return (named or "") if named is None or isinstance(named, str) else None


def org_of_row(app: Any, row: Row) -> str:
    """The organization an aggregate's first stored event names."""
    named = org_named(app, row.topic, row.state)
    if named is not None:
        return named
    return org_of(app.mapper.to_domain_event(row.notification()))


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
