"""Following the log with a read model in batches at any lag, each batch one transaction.

Rule: a thread reads the subscription's stored events (PostgreSQL notifies, SQLite is polled)
into a queue, undecoded; the projecting thread takes every event queued when it wakes, decodes
only those its read model handles, and writes them with the last one's position in one
transaction: one event when writes come slowly, all that arrived meanwhile when they come faster
than the read model projects one by one. The sealer handles no event (it reads the stored
bytes itself): it is told only how far to seal, so nothing is decoded for it. A batch that fails
rolls back whole; the follower then projects its events one at a time, so that a fault names its
event (faults.py).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import Notification, Tracking
from eventsourcing.utils import get_topic

from ledger.application import Ledger
from projections.db import FailedEvent, ReadModel

log = logging.getLogger("sunlight.projections")

QUEUED = 5000  # stored events read ahead of the projecting thread at most (memory, not speed)


class LogFollower:
    """Follows the log from the view's position with one read model, until stopped or a fault;
    used like the library's projection runner: `with follower: follower.run_forever(...)`."""

    def __init__(self, view: ReadModel, app: Ledger) -> None:
        self.view, self.app = view, app
        self.is_interrupted = threading.Event()
        self._error: BaseException | None = None
        self._queued: list[Notification] = []
        self._moved = threading.Condition()
        self._subscription: Any = None  # opened on entering, from the view's position then
        self._threads = [threading.Thread(target=self._read, daemon=True,
                                          name=f"read-{view.name}"),
                         threading.Thread(target=self._project_loop, daemon=True,
                                          name=f"follow-{view.name}")]

    def __enter__(self) -> LogFollower:
        self._subscription = self.app.recorder.subscribe(gt=self.view.position())
        self._subscription.__enter__()
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
        for thread in self._threads:
            if thread.ident is not None:
                thread.join()
        if self._subscription is not None:
            self._subscription.__exit__(*exc)

    def stop(self) -> None:
        self.is_interrupted.set()
        if self._subscription is not None:
            self._subscription.stop()
        with self._moved:
            self._moved.notify_all()

    def run_forever(self, timeout: float | None = None) -> None:
        """Wait until stopped or timed out; re-raise what stopped the follower, if anything."""
        if self.is_interrupted.wait(timeout) and self._error is not None:
            error, self._error = self._error, None
            raise error

    def _fail(self, error: BaseException) -> None:
        if self._error is None and not self.is_interrupted.is_set():
            self._error = error
        self.stop()

    def _read(self) -> None:
        try:
            for notification in self._subscription:
                with self._moved:
                    while len(self._queued) >= QUEUED and not self.is_interrupted.is_set():
                        self._moved.wait()
                    self._queued.append(notification)
                    self._moved.notify_all()
        except BaseException as error:
            self._fail(error)
        finally:
            self.stop()  # the subscription ended: follow_one opens a new one

    def _take(self) -> list[Notification]:
        """Every stored event queued, waiting for one; none once stopped."""
        with self._moved:
            while not self._queued and not self.is_interrupted.is_set():
                self._moved.wait()
            if self.is_interrupted.is_set():
                return []
            taken, self._queued = self._queued, []
            self._moved.notify_all()
            return taken

    def _project_loop(self) -> None:
        try:
            while notifications := self._take():
                self.project(notifications)
        except BaseException as error:
            self._fail(error)

    def project(self, notifications: Sequence[Notification]) -> None:
        """Project stored events that follow the view's position, in one transaction; if that
        fails, one at a time, raising the first failure with the event it names."""
        if len(notifications) > 1:
            try:
                self.view.project(self._batch(notifications))
                return
            except Exception:
                # Nothing of the batch is written; one at a time, the fault names its event.
                log.warning("%s: a batch of %s events after event %s failed; projecting one "
                            "event at a time", self.view.name, len(notifications),
                            notifications[0].id - 1, exc_info=True)
        for notification in notifications:
            self._project_one(notification)

    def _batch(self, notifications: Sequence[Notification]) -> list[tuple[Any, Tracking]]:
        name, last = self.app.name, notifications[-1].id
        decode, handles = self.app.mapper.to_domain_event, self.view.handles
        batch: list[tuple[Any, Tracking]] = [
            (decode(n), Tracking(name, n.id)) for n in notifications if handles(n.topic)]
        if not batch or batch[-1][1].notification_id != last:
            batch.append((None, Tracking(name, last)))  # its position, though not its event
        return batch

    def _project_one(self, notification: Notification) -> None:
        event = None
        try:
            if self.view.handles(notification.topic):
                event = self.app.mapper.to_domain_event(notification)
            self.view.project([(event, Tracking(self.app.name, notification.id))])
        except Exception as error:
            # The error goes on as it is; it only learns which event of which read model it
            # stopped, so that the operator is told (projections/faults.py).
            if event is None:
                event = self._decoded(notification)
            topic = notification.topic if event is None else get_topic(type(event))
            error.failed_event = FailedEvent(  # type: ignore[attr-defined]
                self.view.name, notification.id, topic,
                str(getattr(event, "org", "") or ""), f"{type(error).__name__}: {error}")
            raise

    def _decoded(self, notification: Notification) -> Any:
        """The event, for the fault's message only: one that cannot be decoded is named by its
        stored topic."""
        try:
            return self.app.mapper.to_domain_event(notification)
        except Exception:
            return None
