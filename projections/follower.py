"""Following the log with a read model in batches at any lag, each batch one transaction.

Rule: one subscription per process (PostgreSQL notifies, SQLite is polled) hands every read
model's follower the stored events, undecoded, read once; what a follower was not handed
(written before it joined, or too many queued) it reads from the log itself. Its projecting
thread takes every event queued when it wakes, decodes only those its read model handles, and
writes them with the last one's position in one transaction: one event when writes come slowly,
all that arrived meanwhile when they come faster than the read model projects one by one. The
sealer handles no event (it reads the stored bytes itself): it is told only how far to seal, so
nothing is decoded for it. A batch that fails rolls back whole; the follower then projects its
events one at a time, so that a fault names its event (faults.py).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import Notification, Tracking
from eventsourcing.utils import get_topic

from ledger.application import Ledger
from projections.db import FailedEvent, ReadModel
from projections.decoding import decoder

log = logging.getLogger("sunlight.projections")

QUEUED = 5000  # stored events queued for a follower at most; beyond, it reads the log itself


class SharedLog:
    """One subscription to the log for every follower of a process: each stored event is read
    once and handed to each follower, instead of once per read model. A follower joins from
    wherever the subscription is; what it has not been handed it reads from the log itself."""

    def __init__(self, app: Ledger) -> None:
        self.app = app
        self._lock = threading.Lock()
        self._followers: list[LogFollower] = []
        self._subscription: Any = None
        self._thread: threading.Thread | None = None
        self._closed = False

    def join(self, follower: LogFollower) -> None:
        with self._lock:
            if self._closed:
                raise RuntimeError("the shared subscription to the event log is closed")
            if self._thread is None:  # the first follower, or the subscription ended: anew
                subscription = self.app.recorder.subscribe(gt=self.app.log_head())
                subscription.__enter__()
                self._subscription = subscription
                self._thread = threading.Thread(target=self._read, args=(subscription,),
                                                daemon=True, name="read-the-log")
                self._thread.start()
            self._followers.append(follower)

    def leave(self, follower: LogFollower) -> None:
        with self._lock:
            if follower in self._followers:
                self._followers.remove(follower)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            subscription, thread = self._subscription, self._thread
        if subscription is not None:
            subscription.stop()
        if thread is not None:
            thread.join()  # it closes its subscription as it ends
        self.app.close()

    def _read(self, subscription: Any) -> None:
        error: BaseException = RuntimeError("the event-log subscription ended")
        try:
            for notification in subscription:
                with self._lock:
                    followers = tuple(self._followers)
                for follower in followers:
                    follower.offer(notification)
        except BaseException as ended:
            error = ended
        with self._lock:
            followers, self._followers, self._thread = tuple(self._followers), [], None
            self._subscription, closed = None, self._closed
        with contextlib.suppress(Exception):
            subscription.stop()
            subscription.__exit__(None, None, None)
        if not closed:
            for follower in followers:  # each starts again, and joins a new subscription
                follower.fail(error)


class LogFollower:
    """Follows the log from the view's position with one read model, until stopped or a fault;
    used like the library's projection runner: `with follower: follower.run_forever(...)`."""

    def __init__(self, view: ReadModel, app: Ledger, shared: SharedLog | None = None) -> None:
        # app: this follower's own reader of the log, for what it was not handed (shared: the
        # process's subscription, if any; else one of its own).
        self.view, self.app = view, app
        self._decode = decoder(app)  # the mapper's events, spared its object hook where it may
        self._own = shared is None
        self.shared = shared
        self.position = view.position()  # the last event projected
        self.is_interrupted = threading.Event()
        self._error: BaseException | None = None
        self._queued: list[Notification] = []
        self._behind = True  # read the log up to its head before what is handed in
        self.caught_up = threading.Event()  # set once it has read the log up to its head
        self._moved = threading.Condition()
        self._thread = threading.Thread(target=self._project_loop, daemon=True,
                                        name=f"follow-{view.name}")

    def __enter__(self) -> LogFollower:
        if self.shared is None:
            self.shared = SharedLog(Ledger(env=self.app.env))
        self.shared.join(self)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
        if self._thread.ident is not None:
            self._thread.join()
        if self._own and self.shared is not None:
            self.shared.close()

    def stop(self) -> None:
        self.is_interrupted.set()
        if self.shared is not None:
            self.shared.leave(self)
        with self._moved:
            self._moved.notify_all()

    def run_forever(self, timeout: float | None = None) -> None:
        """Wait until stopped or timed out; re-raise what stopped the follower, if anything."""
        if self.is_interrupted.wait(timeout) and self._error is not None:
            error, self._error = self._error, None
            raise error

    def fail(self, error: BaseException) -> None:
        if self._error is None and not self.is_interrupted.is_set():
            self._error = error
        self.stop()

    def offer(self, notification: Notification) -> None:
        """A stored event, from the shared subscription: queued, never waited for (the other
        read models are handed it too); too many queued, the follower reads the log instead."""
        with self._moved:
            if len(self._queued) >= QUEUED:
                self._queued, self._behind = [], True
            self._queued.append(notification)
            self._moved.notify_all()

    def _take(self) -> tuple[list[Notification], bool] | None:
        """Every stored event queued, and whether to read the log first; None once stopped."""
        with self._moved:
            while not self._queued and not self._behind and not self.is_interrupted.is_set():
                self._moved.wait()
            if self.is_interrupted.is_set():
                return None
            taken, self._queued = self._queued, []
            behind, self._behind = self._behind, False
            return taken, behind

    def _project_loop(self) -> None:
        try:
            while (taken := self._take()) is not None:
                queued, behind = taken
                if behind:
                    self._read_the_log()
                    self.caught_up.set()
                queued = [n for n in queued if n.id > self.position]
                if queued and queued[0].id > self.position + 1:
                    # Written before this follower joined, or before a gap in the ids.
                    self._read_the_log(before=queued[0].id)
                if queued:
                    self.project(queued)
        except BaseException as error:
            self.fail(error)

    def _read_the_log(self, before: int | None = None) -> None:
        """Project the stored events after the view's position (before `before` if given, else
        up to the head) read from the log, QUEUED at a time."""
        recorder, stop = self.app.recorder, None if before is None else before - 1
        while stop is None or self.position < stop:
            read = recorder.select_notifications(start=self.position, limit=QUEUED, stop=stop,
                                                 inclusive_of_start=False)
            if not read:
                return
            self.project(read)

    def project(self, notifications: Sequence[Notification]) -> None:
        """Project stored events that follow the view's position, in one transaction; if that
        fails, one at a time, raising the first failure with the event it names."""
        if len(notifications) > 1:
            try:
                self.view.project(self._batch(notifications))
                self.position = notifications[-1].id
                return
            except Exception as error:
                # Nothing of the batch is written; one at a time, the fault names its event
                # (and its traceback is logged then, once).
                log.warning("%s: a batch of %s events after event %s failed (%s: %s); "
                            "projecting one event at a time", self.view.name, len(notifications),
                            notifications[0].id - 1, type(error).__name__, error)
        for notification in notifications:
            self._project_one(notification)
            self.position = notification.id

    def _batch(self, notifications: Sequence[Notification]) -> list[tuple[Any, Tracking]]:
        name, last = self.app.name, notifications[-1].id
        decode, handles = self._decode, self.view.handles
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
