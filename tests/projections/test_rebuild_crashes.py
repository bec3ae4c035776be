"""Property test of catching up the books read model through crashes, on SQLite and on
PostgreSQL: a catch-up with small batches that crashes anywhere (after a batch's commit, while
reading a batch, or in a row handler inside its transaction), any number of times, leaves its
position on a batch boundary, resumes on the next run and ends with the rows of an
uninterrupted run. The stores and helpers are test_rebuild.py's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from unittest import mock

import pytest
from eventsourcing.persistence import Tracking
from hypothesis import event, given, note
from hypothesis import strategies as st

import projections.log as log_module
from ledger.application import Ledger
from projections.books.view import BooksView
from projections.db import Handler
from projections.runner import catch_up, rebuild
from tests.projections import books_programs
from tests.projections.test_rebuild import (
    REBUILD_SETTINGS,
    TODAY,
    fresh_store,
    pytestmark,  # noqa: F401 (marks this module's tests as test_rebuild's)
    table_rows,
)


class Crash(Exception):
    """The projecting process dies."""


CRASH_MODES = ("after the commit", "while reading the batch", "in a handler")


@dataclass
class Crasher:
    """Lets `survives` batches through, then kills the next one: after its commit; or inside
    its transaction, once `at` of its events were read (a dying reader) or `at` of its rows'
    handlers ran (a failing write)."""

    survives: int
    at: int
    mode: str
    calls: int = 0
    armed: int | None = None
    committed: bool = False  # the fatal batch was committed before the crash

    def project(self, real: Callable[[Iterable[tuple[Any, Tracking]]], None],
                ) -> Callable[[Iterable[tuple[Any, Tracking]]], None]:
        def project(events: Iterable[tuple[Any, Tracking]]) -> None:
            self.calls += 1
            if self.calls <= self.survives:
                real(events)
                return
            if self.mode == "while reading the batch":
                real(self._dying(events))
            elif self.mode == "in a handler":
                self.armed = self.at
                try:
                    real(events)
                finally:
                    self.armed = None
            else:
                real(events)
            # The batch had fewer events or handlers than `at`: it was committed.
            self.committed = True
            raise Crash("after the commit")

        return project

    def _dying(self, events: Iterable[tuple[Any, Tracking]]) -> Iterator[tuple[Any, Tracking]]:
        for read, item in enumerate(events):
            if read == self.at:
                raise Crash(f"after reading {read} events of the batch")
            yield item
        raise Crash("before the tracking position was written")

    def handler(self, real: Handler) -> Handler:
        def handle(sql: Any, domain_event: Any, position: int) -> None:
            if self.armed is not None:
                if self.armed == 0:
                    raise Crash("in a handler")
                self.armed -= 1
            real(sql, domain_event, position)

        return handle


CRASH = st.builds(Crasher, survives=st.integers(0, 3), at=st.integers(0, 6),
                  mode=st.sampled_from(CRASH_MODES))


@REBUILD_SETTINGS
@given(program=books_programs.programs(max_commands=16), batch=st.integers(1, 20),
       crashes=st.lists(CRASH, min_size=1, max_size=4))
def test_catch_up_resumes_after_a_crash(storage, clock, program, batch, crashes):
    clock.today = TODAY
    with fresh_store(storage, clock) as (_, ledger, view):
        crashing_and_resuming(ledger, view, program, batch, crashes)


def crashing_and_resuming(ledger: Ledger, view: BooksView, program: Any, batch: int,
                          crashes: list[Crasher]) -> None:
    run = books_programs.run_program(ledger, program)
    head = rebuild(ledger, view)
    uninterrupted_rows = table_rows(view)

    ids = [n.id for n in ledger.recorder.select_notifications(start=1, limit=10**9)]
    assert ids[-1] == head

    view.drop()
    assert view.position() == 0
    with mock.patch.object(log_module, "BATCH", batch):
        for crasher in crashes:
            start = view.position()
            done = sum(1 for i in ids if i <= start)
            batches_left = -(-(len(ids) - done) // batch)
            handlers = BooksView.handlers
            failing = {kind: crasher.handler(handler) for kind, handler in handlers.items()}
            view.project = crasher.project(view.project)  # type: ignore[method-assign]
            try:
                with mock.patch.dict(handlers, failing):
                    if crasher.survives < batches_left:
                        with pytest.raises(Crash):
                            catch_up(ledger, view)
                        event(f"crashed {crasher.mode}"
                              f"{' (committed first)' if crasher.committed else ''}")
                    else:
                        assert catch_up(ledger, view) == head
            finally:
                del view.project
            # What was committed ends on a batch boundary: no batch is ever half-written.
            batches = min(batches_left, crasher.survives + int(crasher.committed))
            expected = done + batches * batch
            assert view.position() == (ids[min(expected, len(ids)) - 1] if expected else 0)
        assert catch_up(ledger, view) == head
    # The same rows give the same statements (test_rebuilding_gives_what_following_gave).
    assert table_rows(view) == uninterrupted_rows
    note(f"{len(run.positions)} commands accepted, {head} events")
