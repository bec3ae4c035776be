"""Following the log with a read model that catches up in batches whenever it is behind.

The library's runner hands a projection one event at a time, and a read model writes each in a
transaction of its own: right for the event a request has just written, far too slow for the
thousands an import or a restart leaves behind. Rule: when the event handed in is more than
BEHIND events short of the head of the log, the follower catches up in batches through the head
(projections/runner.py's catch_up, each batch one transaction with its tracking row), then
passes over the events the runner hands in up to the position it reached. A batch that fails
rolls back whole; the follower then projects that event alone, so that a fault names its event.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from ledger.application import Ledger
from projections.db import ReadModel, ViewProjection

log = logging.getLogger("sunlight.projections")

BEHIND = 100  # events short of the head from which a batch costs less than one by one


class BatchingFollower(Projection[ReadModel]):
    """The runner's projection for one read model: `projection` for the live events, and
    `catch_up(app, view)` when it falls behind."""

    def __init__(self, projection: ViewProjection[Any],
                 catch_up: Callable[[Ledger, ReadModel], int], app: Ledger | None = None,
                 ) -> None:
        super().__init__(view=projection.view)
        # The log reader: the runner's own, given once the runner is made (it hands in events
        # before its constructor returns: those go one by one).
        self.projection, self.app, self._catch_up = projection, app, catch_up
        self.through = 0  # the position a batch reached: events up to it are projected
        self._head = 0  # the head of the log when last asked, asked again once passed
        self._one_by_one_until = 0  # after a failed batch: no batch before this position

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        position = tracking.notification_id
        if position <= self.through:
            return  # projected by a batch of this follower already
        if self.app is None:
            self.projection.process_event(domain_event, tracking)
            return
        if position > self._head:
            self._head = self.app.log_head()
        if self._head - position >= BEHIND and position > self._one_by_one_until:
            try:
                self.through = self._catch_up(self.app, self.view)
                return
            except Exception:
                # The failed batch left nothing behind, the batches before it stay; up to the
                # head it was reaching, one event at a time, so that the fault names its event.
                log.warning("%s: catching up in batches failed after event %s; projecting one "
                            "event at a time", self.view.name, position, exc_info=True)
                self._one_by_one_until = self._head
                self.through = self.view.position()
                if position <= self.through:
                    return
        self.projection.process_event(domain_event, tracking)
