"""Several cached aggregates brought up to date in one query: the library checks each cached
aggregate for newer events with a query of its own, so a command that reads two (a token and
its user, the books and their organization) made two round trips where one will do.

Each aggregate is updated under the library's own fast-forward lock for it (taken in one order,
so two readers never wait on each other), exactly as the library would: every event newer than
the cached version is applied, so what is returned is as fresh as the library's own read. When
the event store cannot fetch several at once, or one of them is not cached, the caller reads
them one by one as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from copy import deepcopy
from threading import Lock
from typing import Any
from uuid import UUID

from eventsourcing.application import Application

Wanted = Sequence[tuple[type, UUID]]


def find_together(app: Application[UUID], wanted: Wanted, *, copy: bool) -> list[Any] | None:
    """The aggregates, each as of its newest event (None where it is not of the class asked
    for), read with one query; None when they cannot be read together."""
    repository = app.repository
    select = getattr(app.recorder, "select_newer", None)
    if select is None or repository.cache is None or not repository.fastforward:
        return None
    cached: dict[UUID, Any] = {}
    for _, aggregate_id in wanted:
        try:
            cached[aggregate_id] = repository.cache.get(aggregate_id)
        except KeyError:
            return None  # read from its events by the library, and cached for the next time
        if not getattr(cached[aggregate_id], "restored_whole", True):
            return None  # restored from an older snapshot: Store.find reads it whole
    used: list[UUID] = []
    acquired: list[Lock] = []
    try:
        for aggregate_id in sorted(cached, key=str):
            lock = repository._use_fastforward_lock(aggregate_id)
            used.append(aggregate_id)
            lock.acquire()
            acquired.append(lock)
        by_id = {str(aggregate_id): aggregate for aggregate_id, aggregate in cached.items()}
        for stored in select([(i, aggregate.version) for i, aggregate in cached.items()]):
            event = app.mapper.to_domain_event(stored)
            key = str(event.originator_id)
            if by_id[key] is not None:
                by_id[key] = event.mutate(by_id[key])  # None once discarded
        copy = copy and repository.deepcopy_from_cache
        # Copied while no fast-forward can change them underneath.
        return [_as(cls, by_id[str(aggregate_id)], copy) for cls, aggregate_id in wanted]
    finally:
        for lock in acquired:
            lock.release()
        for aggregate_id in used:
            repository._disuse_fastforward_lock(aggregate_id)


def _as(cls: type, aggregate: Any, copy: bool) -> Any:
    if not isinstance(aggregate, cls):
        return None
    return deepcopy(aggregate) if copy else aggregate


class ReadsTogether:
    """The Store's reads of several aggregates at once (ledger.kernel.writing.Store)."""

    _app: Application[UUID]
    _held: Any  # the thread's group commit, if one is being decided

    def find(self, cls: Any, aggregate_id: UUID, version: int | None = None, *,
             copy: bool = True) -> Any: ...

    def find_many(self, wanted: Wanted, *, copy: bool = True) -> list[Any]:
        """Each aggregate, or None, as `find` would give it; brought up to date together in one
        query when they can be, else one by one."""
        if getattr(self._held, "group", None) is None:  # a group's decisions: one by one
            found = find_together(self._app, wanted, copy=copy)
            if found is not None:
                return found
        return [self.find(cls, aggregate_id, copy=copy) for cls, aggregate_id in wanted]

    def _replayed(self, aggregate_id: UUID, version: int | None, *, copy: bool) -> Any:
        """An aggregate read from its events alone, when the snapshot it was restored from is of
        an older shape that lacks what only its events tell (Books' cash by day); cached, so
        that the process reads it so once, until a snapshot of the new shape is taken."""
        repository = self._app.repository
        aggregate = None
        for event in repository.event_store.get(aggregate_id, lte=version):
            aggregate = event.mutate(aggregate)
        if version is not None or repository.cache is None:
            return aggregate
        repository.cache.put(aggregate_id, aggregate)
        return deepcopy(aggregate) if copy else aggregate

    def last_read(self, cls: type, aggregate_id: UUID) -> Any:
        """The cached aggregate as last read, not brought up to date and not to be changed:
        only for what never changes once it exists (a token's login), or None."""
        try:
            found = self._app.repository.cache.get(aggregate_id)  # type: ignore[union-attr]
        except (KeyError, AttributeError):
            return None
        return found if isinstance(found, cls) else None
