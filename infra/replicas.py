"""Which database answers a read: a streaming replica when one has reached the position the reader
asked for, else the primary.

A replica is a physical copy of the primary (read models included), a moment behind it. A reader
that names a log position (`?after=`, the `Sunlight-Position` of its last write) must see at least
that position: a replica that is behind is given a short, bounded wait, polled, and then the read
goes to the primary, which has every write. A replica that cannot be reached is left out for a
while, so that one replica down costs no reader more than one failed attempt.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger("sunlight.replicas")
WAIT_SECONDS = 2.0  # SUNLIGHT_REPLICA_WAIT_SECONDS: how long a reader waits for a replica
POLL_SECONDS = 0.05
DOWN_SECONDS = 10.0  # how long an unreachable replica is left out before it is tried again

PositionOf = Callable[[int], int]  # a replica's number -> the position its read models reached


@dataclass(frozen=True)
class Routing:
    """Where one read goes: `replica` is its number, None for the primary; `position` is what
    the replica was seen to have reached (None when the primary answers: it was not asked)."""

    replica: int | None
    position: int | None = None

    @property
    def source(self) -> str:
        return "primary" if self.replica is None else "replica"


class ReadRouter:
    """Spreads reads over `count` replicas in turn, keeping read-your-writes by log position."""

    def __init__(self, count: int, *, wait_seconds: float = WAIT_SECONDS,
                 poll_seconds: float = POLL_SECONDS, down_seconds: float = DOWN_SECONDS,
                 unavailable: tuple[type[BaseException], ...] = (OSError,),
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.count = count
        self.wait_seconds = wait_seconds
        self.poll_seconds = poll_seconds
        self.down_seconds = down_seconds
        self.unavailable = unavailable
        self._clock = clock
        self._sleep = sleep
        self._turn = itertools.count()
        self._down_until: dict[int, float] = {}
        self._lock = threading.Lock()

    def route(self, position_of: PositionOf, after: int | None = None) -> Routing:
        """A replica that has reached `after` (any up replica when None), waiting for one at
        most `wait_seconds`; the primary when none has."""
        behind: list[int] = []
        for replica in self._up_in_turn():
            position = self._position(position_of, replica)
            if position is None:
                continue
            if not after or position >= after:
                return Routing(replica, position)
            behind.append(replica)
        deadline = self._clock() + self.wait_seconds
        while behind and self._clock() < deadline:
            self._sleep(min(self.poll_seconds, max(deadline - self._clock(), 0.0)))
            for replica in list(behind):
                position = self._position(position_of, replica)
                if position is None:
                    behind.remove(replica)
                elif position >= (after or 0):
                    return Routing(replica, position)
        return Routing(None)

    def is_down(self, replica: int) -> bool:
        with self._lock:
            return self._down_until.get(replica, 0.0) > self._clock()

    def _up_in_turn(self) -> list[int]:
        if not self.count:
            return []
        start = next(self._turn) % self.count
        order = [(start + step) % self.count for step in range(self.count)]
        return [replica for replica in order if not self.is_down(replica)]

    def _position(self, position_of: PositionOf, replica: int) -> int | None:
        try:
            return position_of(replica)
        except self.unavailable as error:
            # The reader is served elsewhere; the operator learns why from the log.
            log.warning("replica %d left out for %.0f s: %s", replica, self.down_seconds, error)
            with self._lock:
                self._down_until[replica] = self._clock() + self.down_seconds
            return None
