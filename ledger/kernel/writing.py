"""The one way to write: a command loads the aggregates it concerns, lets them decide, and every
event they produce is appended in one atomic write, with the command's Idempotency-Key if it has
one. The writers of one organization take turns: a thread lock within the process, and the
storage's write gate (an advisory lock, a lock file) across processes, held from before the
aggregates are read until the append is committed, so that they do not collide. Commands of one
organization that queue in one process while another holds the turn are committed together by
the next in line (group commit): decided one after the other, each on the state the previous
left, and appended in one transaction, so that a busy village pays one commit for several
vouchers; if any of them fails, each is written again on its own. Appends of different
organizations decided at the same time are recorded together too (ledger.kernel.appending), so
that the event store's one table lock is taken once for many villages. Should a writer not take
the gate, the event store's optimistic concurrency still tells the two apart: the loser's append
fails as a whole and the command is decided again on fresh state, so a conflict is never lost or
doubled and numbers stay gap-free.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Generic, Protocol, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import IntegrityError
from tenacity import (
    RetryCallState,
    RetryError,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
)
from tenacity.wait import wait_random_exponential

from ledger.kernel.aggregate import LedgerAggregate
from ledger.kernel.appending import JointAppends
from ledger.kernel.errors import ConcurrentUpdate, LedgerError
from ledger.kernel.fresh import ReadsTogether
from ledger.kernel.idempotency import IdempotencyKey, RequestKey

T = TypeVar("T", bound=LedgerAggregate)
A = TypeVar("A", bound=LedgerAggregate)
MAX_ATTEMPTS = 40
MAX_GROUP = 32  # commands committed together at most, so that one transaction stays short

_BACKOFF = wait_random_exponential(multiplier=0.002, max=0.25)


def _backoff(attempt: int) -> float:
    """Seconds to wait after that attempt lost a conflict (the backoff reads no more of
    tenacity's retry state than its attempt number)."""
    return _BACKOFF(SimpleNamespace(attempt_number=attempt))  # type: ignore[arg-type]


Decision = tuple[T, list[LedgerAggregate]]  # what the command returns, and every aggregate changed
log = logging.getLogger(__name__)


class WriteGate(Protocol):
    """Lets one writer of a scope (an organization, a user) in at a time, across every process
    that writes to the same event store. The storage provides it (infra/write_gates.py); it is
    released if the process dies, so a killed writer never blocks the others."""

    def hold(self, scope: str) -> AbstractContextManager[None]: ...

    def close(self) -> None: ...


class ProcessGate:
    """No gate beyond the process's own thread locks: for one process, or an in-memory store."""

    @contextmanager
    def hold(self, scope: str) -> Iterator[None]:
        yield

    def close(self) -> None:
        pass


def scope_of(lock_key: str) -> str:
    """The organization a command's lock key names ("village/members" -> "village"), or the key
    itself when it names no organization ("user:wang"). Every command of one organization may
    write its books, so they all take the same turn."""
    return lock_key.split("/", 1)[0]


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a command produced, and the event-log position a reader must reach to see it."""

    value: T
    position: int
    replayed: bool = False


class _KeyLock:
    """A scope's turn, and the commands queued for it; it lives as long as someone waits on or
    holds it (weakly kept by key)."""

    __slots__ = ("__weakref__", "lock", "waiting")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.waiting: list[_Pending] = []


@dataclass
class _Pending:
    """A command waiting for its scope's turn, with the context (request id) it was sent in."""

    lock_key: str
    request: RequestKey | None
    actor: str
    decide: Callable[[], Decision[Any]]
    context: contextvars.Context
    outcome: Outcome[Any] | None = None
    error: BaseException | None = None
    done: bool = False


class _NotInGroup(Exception):
    """A command that writes within its decision cannot share a group's transaction."""


class Store(ReadsTogether):
    """The write side as every command sees it: load an aggregate, and write one decision."""

    def __init__(self, app: Application[UUID], gate: WriteGate | None = None) -> None:
        self._app = app
        self._gate = gate or ProcessGate()
        self.appends = JointAppends(app)  # every scope's appends, recorded together if queued
        self._locks: weakref.WeakValueDictionary[str, _KeyLock] = weakref.WeakValueDictionary()
        self._guard = threading.Lock()
        self._held = threading.local()  # the scopes this thread holds, for a nested write
        self.conflicts = 0  # appends that lost to another writer and were decided again

    def load(self, cls: type[A], aggregate_id: UUID, missing: Callable[[], LedgerError]) -> A:
        """The aggregate of that id and class, or the command's NotFound."""
        found = self.find(cls, aggregate_id)
        if found is None:
            raise missing()
        return found

    def load_or_open(self, cls: type[A], aggregate_id: UUID, open_: Callable[[], A]) -> A:
        """The aggregate, or a new one opened by the first command that writes to it."""
        found = self.find(cls, aggregate_id)
        return open_() if found is None else found

    def find(self, cls: type[A], aggregate_id: UUID, version: int | None = None,
             *, copy: bool = True) -> A | None:
        """The aggregate, or None. `copy=False` (for reading only, never for a command that
        changes it) skips copying the cached aggregate; it is still brought up to date."""
        # In a group commit, what the commands before this one changed and have not yet written.
        decided = getattr(self._held, "group", None)
        if decided and version is None and (found := decided.get(aggregate_id)) is not None:
            return found if isinstance(found, cls) else None
        try:
            found = self._app.repository.get(aggregate_id, version=version,
                                             deepcopy_from_cache=copy)
        except AggregateNotFoundError:
            return None
        if not getattr(found, "restored_whole", True):
            found = self._replayed(aggregate_id, version, copy=copy)
        return found if isinstance(found, cls) else None

    def exists(self, aggregate_id: UUID) -> bool:
        decided = getattr(self._held, "group", None)
        return bool(decided and aggregate_id in decided) or aggregate_id in self._app.repository

    def log_head(self) -> int:
        return self._app.recorder.max_notification_id() or 0

    def close(self) -> None:
        self._gate.close()

    def write(self, lock_key: str, request: RequestKey | None, actor: str,
              decide: Callable[[], Decision[T]]) -> Outcome[T]:
        """Decide and append atomically, in the scope's turn (with the commands queued behind
        it); decide again should a writer that did not wait for its turn have won."""
        if getattr(self._held, "group", None) is not None:
            raise _NotInGroup(lock_key)
        scope = scope_of(lock_key)
        held: set[str] = self._held.__dict__.setdefault("scopes", set())
        if scope in held:  # a write within a write of the same scope already has the turn
            return self._retrying(lock_key, request, actor, decide)
        turn = self._lock(scope)
        pending = _Pending(lock_key, request, actor, decide, contextvars.copy_context())
        with self._guard:
            turn.waiting.append(pending)
        # Threads of this process queue on the thread lock, so that only one of them waits at
        # the gate, which other processes queue on; whoever gets the turn writes every command
        # queued by then, so most who follow find theirs written.
        with turn.lock:
            if not pending.done:
                with self._gate.hold(scope):
                    held.add(scope)
                    try:
                        while not pending.done:
                            with self._guard:
                                group = turn.waiting[:MAX_GROUP]
                                del turn.waiting[:MAX_GROUP]
                            self._write_group(group)
                    finally:
                        held.discard(scope)
        if pending.error is not None:
            raise pending.error
        assert pending.outcome is not None
        return pending.outcome

    def _write_group(self, group: list[_Pending]) -> None:
        if len(group) > 1:
            try:
                self._commit_together(group)
                return
            except Exception as error:  # each is then written, or refused, on its own
                log.debug("group of %d commands written one by one: %r", len(group), error)
        for pending in group:
            try:
                pending.outcome = pending.context.run(self._retrying, pending.lock_key,
                                                      pending.request, pending.actor,
                                                      pending.decide)
            except BaseException as error:  # the command's own answer, raised in its thread
                pending.error = error
            finally:
                pending.done = True

    def _commit_together(self, group: list[_Pending]) -> None:
        """Decide each command on the state the ones before it left, collecting its events as
        it goes (so they keep their order), and append them all in one transaction."""
        processing: ProcessingEvent[UUID] = ProcessingEvent()
        decided: dict[UUID, LedgerAggregate] = {}
        results: list[tuple[_Pending, Any, int]] = []  # the value, and its events' count
        self._held.group = decided
        try:
            for pending in group:
                request, before = pending.request, len(processing.events)
                if request is not None and pending.context.run(self._used, request):
                    raise _NotInGroup("a request sent again is answered on its own")
                value, changed = pending.context.run(pending.decide)
                if request is not None:
                    changed.append(pending.context.run(
                        IdempotencyKey.use, request, result_id=value.id,
                        result_version=value.version, actor=pending.actor))
                decided.update((aggregate.id, aggregate) for aggregate in changed)
                processing.collect_events(*changed)
                results.append((pending, (value, value.version),
                                len(processing.events) - before))
        finally:
            self._held.group = None
        # Application.save's steps, for events collected command by command. Once recorded,
        # nothing is decided again: a later failure is each command's answer.
        recordings = self.appends.record(processing)
        try:
            self._app._take_snapshots(processing)
            self._app._notify(recordings)
            position = 0
            for pending, (value, version), events in results:
                position += events
                if value.version != version:  # a later command of the group changed it again
                    value = self.find(type(value), value.id, version=version)
                notification = recordings[position - 1].notification if position else None
                pending.outcome = Outcome(value, notification.id if notification else
                                          self.log_head())
                pending.done = True
        except BaseException as error:
            for pending in group:
                if not pending.done:
                    pending.error, pending.done = error, True

    def _retrying(self, lock_key: str, request: RequestKey | None, actor: str,
                  decide: Callable[[], Decision[T]]) -> Outcome[T]:
        # The first attempt goes without tenacity's machinery, whose setup was a few percent of
        # a voucher's CPU; only a write that lost a conflict is retried through it.
        try:
            return self._attempt(request, actor, decide)
        except IntegrityError:
            self._lost(lock_key, 1)

        def lost(state: RetryCallState) -> None:
            self._lost(lock_key, state.attempt_number + 1)

        time.sleep(_backoff(1))  # as tenacity would have slept after the first attempt
        try:
            for attempt in Retrying(retry=retry_if_exception_type(IntegrityError),
                                    stop=stop_after_attempt(MAX_ATTEMPTS - 1),
                                    wait=lambda state: _backoff(state.attempt_number + 1),
                                    before_sleep=lost):
                with attempt:
                    return self._attempt(request, actor, decide)
        except RetryError:
            pass
        raise ConcurrentUpdate(f"gave up after {MAX_ATTEMPTS} attempts; nothing was written")

    def _lost(self, lock_key: str, attempt: int) -> None:
        self.conflicts += 1
        log.warning("version conflict writing %s (attempt %d); deciding again", lock_key,
                    attempt)

    def _attempt(self, request: RequestKey | None, actor: str,
                 decide: Callable[[], Decision[T]]) -> Outcome[T]:
        if request is not None and (replayed := self._replay(request)) is not None:
            return replayed
        value, changed = decide()
        if request is not None:
            changed.append(IdempotencyKey.use(request, result_id=value.id,
                                              result_version=value.version, actor=actor))
        # Application.save's steps, with the record joined to other organizations' appends.
        processing: ProcessingEvent[UUID] = ProcessingEvent()
        processing.collect_events(*changed)
        recordings = self.appends.record(processing)
        self._app._take_snapshots(processing)
        self._app._notify(recordings)
        return Outcome(value, recordings[-1].notification.id)

    def _replay(self, request: RequestKey) -> Outcome[Any] | None:  # the first write's value
        used = self._used(request)
        if used is None:
            return None
        used.check_same_request(request)
        value = self._app.repository.get(used.result_id, version=used.result_version)
        # The first write's own position is not kept; the log's head is at or after it, so a
        # reader that waits for it still reads its own write.
        return Outcome(value, position=self.log_head(), replayed=True)

    def _used(self, request: RequestKey) -> IdempotencyKey | None:
        used = self.find(IdempotencyKey, request.id)
        if used is not None or not request.scope:
            return used
        # A retry of a request first sent before keys were scoped: the same digest means the
        # same method, path (so organization and operation) and body, so it is that request.
        legacy = self.find(IdempotencyKey, IdempotencyKey.id_for(request.key))
        return legacy if legacy is not None and legacy.digest == request.digest else None

    def _lock(self, key: str) -> _KeyLock:
        with self._guard:
            held = self._locks.get(key)
            if held is None:
                held = self._locks[key] = _KeyLock()
            return held
