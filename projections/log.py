"""Reading the event log in order, in batches, as a read model consumes it: each batch a list of
(event, tracking) pairs, so that it is written with its tracking position in one transaction.
Rebuilding, catching up and an auditor's verification all read the log this one way.

A catch-up decodes only the events its read model handles (decoding is most of the cost of
reading, and projections/decoding.py spares the mapper's object hook where it may): each
batch it reads ends with the position of the last event read, handled or not,
so the read model's position still reaches the head of the log (a request that waits for its own
write waits for every read model to reach it, api/services.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from eventsourcing.persistence import Notification, Tracking

from ledger.application import Ledger
from projections.collecting import collector_paused
from projections.decoding import decoder

BATCH = 5000  # events read per transaction: a commit and a few lookups per batch, not per event

Batch = list[tuple[Any, Tracking]]
# (None, tracking): events up to that position read but not decoded, none of them handled.
Skipped = tuple[None, Tracking]


def batches(app: Ledger, after: int, *, until: int | None = None, size: int | None = None,
            keep: Callable[[list[Notification]], list[Notification]] | None = None,
            ) -> Iterator[Batch]:
    """The events after position `after`, up to `until` (inclusive) if given, batch by batch;
    with `keep`, only the stored events it keeps are decoded (a batch it empties is skipped)."""
    size = size or BATCH  # read when called, so that a test can make every batch one event
    position = after
    while until is None or position < until:
        limit = size if until is None else min(size, until - position)
        notifications = app.recorder.select_notifications(
            start=position, limit=limit, stop=until, inclusive_of_start=False)
        if not notifications:
            return
        kept = notifications if keep is None else keep(notifications)
        if kept:
            yield [(app.mapper.to_domain_event(n), Tracking(app.name, n.id)) for n in kept]
        position = notifications[-1].id


def handled_batches(app: Ledger, after: int, handles: Callable[[str], bool],
                    ) -> Iterator[list[tuple[Any, Tracking] | Skipped]]:
    """The events after position `after` that `handles` (by stored topic) wants, batch by batch
    of BATCH read; every batch, even one with none of them, ends at the last position read."""
    size, position, name = BATCH, after, app.name  # BATCH read when called, as above
    decode = decoder(app)  # the mapper's events, without its object hook where that is the same
    while True:
        with collector_paused():  # a batch's events live until it is written
            notifications = app.recorder.select_notifications(
                start=position, limit=size, inclusive_of_start=False)
            if not notifications:
                return
            batch: list[tuple[Any, Tracking] | Skipped] = [
                (decode(n), Tracking(name, n.id)) for n in notifications if handles(n.topic)]
        position = notifications[-1].id
        if not batch or batch[-1][1].notification_id != position:
            batch.append((None, Tracking(name, position)))
        yield batch
