"""Python's cycle collector paused while a catch-up decodes or writes one batch: a batch makes
tens of thousands of objects that live until it is written, and each of the collector's passes
meanwhile walks them all again (a fifth of the books' catch-up went to it) for cycles they do
not make. Reference counting still frees them; the collector resumes after the batch.

Rule: paused while any batch is being read or written, never longer, and turned on again when
the last of the pauses that overlap ends, if it was on before the first (a catch-up on
PostgreSQL reads one batch in a thread while it writes the one before: projections/read_ahead.py).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0  # pauses going on now, in every thread
_was_on = False  # whether the collector was on when the first of them began


@contextmanager
def collector_paused() -> Iterator[None]:
    global _pauses, _was_on
    with _lock:
        if _pauses == 0:
            _was_on = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_on:
                gc.enable()
