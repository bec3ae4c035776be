"""Reading ahead: a catch-up on PostgreSQL reads and decodes the next batch of the log while the
database writes the batch before it. The rows are written by the server's own process, so the
reader's Python and the server's writing overlap on two cores where they took turns (the
books' catch-up waited on the server for half its time or more).

Rule: the batches come out in the order they were read, at most `depth` of them read and not yet
taken; a failure on either side stops both and is raised where the batches are taken; the reading
thread never outlives the catch-up. Not on SQLite: its module takes the interpreter's lock back
row by row, so a reader busy in Python would stall every row the writer writes.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
POLL = 0.05  # how often a blocked side looks whether the other has stopped


@dataclass(frozen=True)
class _Failed:
    error: BaseException


_END = object()


def read_ahead(batches: Iterator[T], depth: int = 1) -> Iterator[T]:
    """The same batches, read by a thread of their own up to `depth` ahead of the one taken."""
    waiting: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def hand_on(item: Any) -> bool:
        while not stop.is_set():
            try:
                waiting.put(item, timeout=POLL)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for batch in batches:
                if not hand_on(batch):
                    return
            hand_on(_END)
        except BaseException as error:  # raised again where the batches are taken
            hand_on(_Failed(error))
        finally:
            close = getattr(batches, "close", None)
            if close is not None:
                close()  # its own clean-up, in the thread that iterated it

    reader = threading.Thread(target=read, name="catch-up-read-ahead", daemon=True)
    reader.start()
    try:
        while True:
            item = waiting.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        reader.join()
