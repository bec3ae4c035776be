"""Reading ahead (projections/read_ahead.py): the batches come out as they were read, in order; a
failure on either side stops both; the reading thread never outlives the catch-up."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from projections.read_ahead import read_ahead


def readers() -> set[str]:
    return {thread.name for thread in threading.enumerate()} & {"catch-up-read-ahead"}


def test_every_batch_comes_out_once_and_in_order():
    # Given batches read from the log; when they are taken through the reader ahead
    taken = list(read_ahead(iter([[1, 2], [3], [4, 5, 6]])))
    # Then they are the same, in the same order, and the reader is gone
    assert taken == [[1, 2], [3], [4, 5, 6]]
    assert not readers()


def test_a_failure_reading_is_raised_where_the_batches_are_taken():
    # Given a log whose third batch cannot be read
    def log() -> Iterator[list[int]]:
        yield [1]
        yield [2]
        raise OSError("connection lost")

    taken: list[list[int]] = []
    # When the batches are taken
    with pytest.raises(OSError, match="connection lost"):
        for batch in read_ahead(log()):
            taken.append(batch)
    # Then the ones read before it were taken, and the reader is gone
    assert taken == [[1], [2]]
    assert not readers()


def test_a_failure_writing_stops_the_reader_and_closes_the_log():
    # Given a long log, read ahead, and a writer that fails on the second batch
    read: list[int] = []
    closed = threading.Event()

    def log() -> Iterator[list[int]]:
        try:
            for n in range(1_000):
                read.append(n)
                yield [n]
        finally:
            closed.set()

    batches = read_ahead(log(), depth=1)
    with pytest.raises(RuntimeError):
        for batch in batches:
            if batch == [1]:
                raise RuntimeError("cannot project it")
    batches.close()  # as `with closing(...)` does in the catch-up
    # Then the reader stopped a batch or two ahead, and closed the log in its own thread
    assert not readers()
    assert closed.is_set()
    assert len(read) <= 4


def test_the_collector_rests_until_the_last_of_overlapping_pauses_ends():
    from projections.collecting import collector_paused

    assert gc.isenabled()
    # Given a batch being read while the batch before it is still being written
    writing, reading = collector_paused(), collector_paused()
    writing.__enter__()
    reading.__enter__()
    # When the writing ends first
    writing.__exit__(None, None, None)
    # Then the collector still rests, until the reading ends too
    assert not gc.isenabled()
    reading.__exit__(None, None, None)
    assert gc.isenabled()
