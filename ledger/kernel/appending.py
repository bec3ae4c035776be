"""Appends decided at the same time under different organizations' turns are recorded together:
one writer of the process (the leader) records every append queued by then in one transaction,
so that the event store's lock on its table — which lets one transaction of the application
append at a time, across every village — is taken once for many villages' writes instead of once
for each. A writer is answered only once the transaction holding its events has committed, so
nothing is acknowledged that a crash could lose. Should the joint transaction fail (a writer
that did not wait for its turn won one aggregate's next version), each append is recorded again
on its own, so that one write's failure is its own answer and never the others'.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from uuid import UUID

from eventsourcing.application import Application, ProcessingEvent
from eventsourcing.persistence import Recording

MAX_APPENDS = 32  # appends recorded together at most, so that the table lock is held briefly
# Transactions of the process in flight at once. Two (the next already waiting at the table lock)
# were measured: fewer appends joined (1.1 a transaction instead of 1.3), lock waits back, more
# CPU per voucher and no faster; so one, and every append queued meanwhile joins the next.
IN_FLIGHT = 1
log = logging.getLogger(__name__)


@dataclass
class _Append:
    processing: ProcessingEvent[UUID]
    recordings: list[Recording[UUID]] = field(default_factory=list)
    error: BaseException | None = None
    taken: bool = False  # by a leader, into its transaction
    done: threading.Event = field(default_factory=threading.Event)


class JointAppends:
    """The process's appends to one application's event store, recorded together when they
    queue behind one another."""

    def __init__(self, app: Application[UUID]) -> None:
        self._app = app
        self._queue: list[_Append] = []
        self._guard = threading.Lock()  # the queue
        self._recording = threading.Semaphore(IN_FLIGHT)  # one per leader's transaction

    @property
    def queued(self) -> int:
        """Appends waiting for a leader to take them into a transaction."""
        with self._guard:
            return len(self._queue)

    def record(self, processing: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        """Record the events in the event store, with any others queued by then; the
        recordings of these events, once committed."""
        mine = _Append(processing)
        with self._guard:
            self._queue.append(mine)
        # Writers queue for a turn while transactions run; whoever takes one next records
        # every append queued by then, so most who follow find theirs recorded.
        with self._recording:
            while True:
                with self._guard:
                    if mine.taken:  # in this transaction or another leader's
                        break
                    batch = self._queue[:MAX_APPENDS]
                    del self._queue[:MAX_APPENDS]
                    for append in batch:
                        append.taken = True
                try:
                    self._record(batch)
                except BaseException as error:  # the leader interrupted: no append left waiting
                    for append in batch:
                        if not append.done.is_set():
                            append.error = error
                            append.done.set()
                    raise
        mine.done.wait()
        if mine.error is not None:
            raise mine.error
        return mine.recordings

    def _record(self, batch: list[_Append]) -> None:
        if len(batch) > 1 and all(a.processing.tracking is None and not a.processing.saved_kwargs
                                  for a in batch):  # a process's tracked write goes alone
            joint: ProcessingEvent[UUID] = ProcessingEvent()
            for append in batch:  # each append's events stay together and in their order
                joint.events.extend(append.processing.events)
                joint.aggregates.update(append.processing.aggregates)
            try:
                recordings = self._app._record(joint)
            except Exception as error:  # each is then recorded, or refused, on its own
                log.debug("%d appends recorded one by one: %r", len(batch), error)
            else:
                start = 0
                for append in batch:
                    end = start + len(append.processing.events)
                    append.recordings = recordings[start:end]
                    append.done.set()
                    start = end
                return
        for append in batch:
            try:
                append.recordings = self._app._record(append.processing)
            except BaseException as error:  # the writer's own answer, raised in its thread
                append.error = error
            finally:
                append.done.set()
