"""Python's cycle collector paused while a catch-up decodes or writes one batch: a batch makes
tens of thousands of objects that live until it is written, and each of the collector's passes
meanwhile walks them all again (a fifth of the books' catch-up went to it) for cycles they do
not make. Reference counting still frees them; the collector resumes after the batch.

Rule: paused for one batch's reading or writing at a time, never longer, and turned on again
only by a pause that found it on (two threads at once: it is on again when the first that found
it on finishes; only the other's speed differs).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
