"""Keeps the read models up to date by following the event log, or rebuilds them from event one.

Following uses a follower per read model (follower.py: PostgreSQL pushes notifications; SQLite is
polled), so that a read model that cannot project an event stops alone (faults.py); it catches up
in batches first, then projects what arrives in batches at any lag.
Rebuilding and catching up read the log in batches, each batch written with its tracking position
in one transaction, so an interrupted rebuild resumes where it stopped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment

from infra.storage import SYNCHRONOUS, Storage
from infra.write_gates import write_gate
from ledger.application import Ledger
from projections.audit.view import AuditProjection, AuditView, seal
from projections.books.view import BooksProjection
from projections.db import FailedEvent, ReadModel, ViewProjection
from projections.disclosure.view import DisclosuresProjection
from projections.faults import clear_fault, record_fault
from projections.follower import LogFollower, SharedLog
from projections.identity.view import IdentityProjection
from projections.log import handled_batches
from projections.register.view import RegisterProjection

log = logging.getLogger("sunlight.projections")
# Every read model, each with its own tables and tracking position.
PROJECTIONS: tuple[type[ViewProjection[Any]], ...] = (
    BooksProjection, IdentityProjection, DisclosuresProjection, RegisterProjection,
    AuditProjection)  # the sealer of the hash chain (projections/audit/), last

FIRST_PAUSE = 2.0
LONGEST_PAUSE = 60.0

Progress = Callable[[int, int], None]


def env_for(storage: Storage, *, create_tables: bool) -> dict[str, str]:
    env = storage.env(create_tables=create_tables)
    if not storage.is_postgres:
        for projection in PROJECTIONS:
            env[f"{projection.name.upper()}_SQLITE_DBNAME"] = str(storage.read_model_path)
            env[f"{projection.name.upper()}_SQLITE_SYNCHRONOUS"] = SYNCHRONOUS["read models"]
    return env


def open_view(storage: Storage, projection: type[ViewProjection[Any]] = BooksProjection, *,
              create_tables: bool = False) -> Any:
    env = Environment(projection.name, env_for(storage, create_tables=create_tables))
    factory: InfrastructureFactory[Any] = InfrastructureFactory.construct(env)
    view = factory.tracking_recorder(projection.view_class(storage.is_postgres))
    if isinstance(view, AuditView):
        view.storage = storage  # its data folder keeps the key the sealer signs with
    return view


def open_views(storage: Storage, *, create_tables: bool = False) -> dict[str, ReadModel]:
    return {p.name: open_view(storage, p, create_tables=create_tables) for p in PROJECTIONS}


def close_views(views: dict[str, ReadModel]) -> None:
    for view in views.values():
        view.datastore.close()  # type: ignore[attr-defined]


def open_ledger(storage: Storage, *, create_tables: bool = False, **kwargs: Any) -> Ledger:
    """The application that writes: with the storage's write gate, so that its writers and
    those of every other process (gunicorn's workers, the CLI) take turns per organization."""
    kwargs.setdefault("gate", write_gate(storage))
    return Ledger(env=env_for(storage, create_tables=create_tables), **kwargs)


def create_tables(storage: Storage) -> None:
    """Create the event store's and the read models' tables, once, before any worker starts."""
    storage.prepare()
    open_ledger(storage, create_tables=True).close()
    close_views(open_views(storage, create_tables=True))


def catch_up(app: Ledger, view: ReadModel, progress: Progress | None = None) -> int:
    """Project every event the view has not seen yet; returns the view's new position."""
    if isinstance(view, AuditView):
        return seal(app, view, progress)  # the sealer reads the stored bytes, not the events
    position = view.position()
    head = app.log_head()
    with view.catching_up(position, head):  # from event one, some indexes made at the end
        for batch in handled_batches(app, position, view.handles):
            view.project(batch)
            position = batch[-1][1].notification_id
            if progress is not None:
                progress(position, max(head, position))
    return position


def catch_up_all(app: Ledger, views: dict[str, ReadModel]) -> int:
    return min(catch_up(app, view) for view in views.values())


def rebuild(app: Ledger, view: ReadModel, progress: Progress | None = None) -> int:
    view.drop()
    return catch_up(app, view, progress)


def follow(storage: Storage, stop: threading.Event, *, first_pause: float = FIRST_PAUSE,
           projections: Sequence[type[ViewProjection[Any]]] = PROJECTIONS) -> None:
    """Follow the log with every read model (or those given: a deployment may run the sealer as
    a process of its own) until stopped, each in a thread of its own, so that a read model that
    cannot project an event stops alone while the others go on."""
    # One subscription to the log for all of them: each stored event read once, not per model.
    shared = SharedLog(Ledger(env=env_for(storage, create_tables=False)))
    threads = [threading.Thread(target=follow_one, args=(storage, projection, stop),
                                kwargs={"first_pause": first_pause, "shared": shared},
                                name=f"project-{projection.name}", daemon=True)
               for projection in projections]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        shared.close()


def follow_one(storage: Storage, projection: type[ViewProjection[Any]],
               stop: threading.Event, *, first_pause: float = FIRST_PAUSE,
               shared: SharedLog | None = None) -> None:
    """Follow the log with one read model; after a failure, close every connection it opened,
    keep the fault where the operator sees it, and try again after a pause that doubles up to
    a minute, so that a fault that stays costs neither connections nor a busy loop."""
    env = env_for(storage, create_tables=False)
    failures = 0
    while not stop.is_set():
        view, follower, app = open_view(storage, projection), None, None
        try:
            # What is behind is caught up in batches first, then the log is followed in batches
            # at any lag (projections/follower.py), through one log reader.
            app = Ledger(env=env)
            if isinstance(view, AuditView):
                view.app = app  # the sealer reads the stored bytes through it
            _catch_up_before_following(app, view, stop)
            follower = LogFollower(view, app, shared)
            with follower:
                log.info("%s: following the event log from position %s", projection.name,
                         view.position())
                while not stop.wait(0.5):
                    follower.run_forever(timeout=0)  # re-raises what stopped the follower
                    if follower.is_interrupted.is_set():
                        raise RuntimeError("the event-log subscription ended")
                    if failures and follower.caught_up.is_set():
                        # Past the event that failed (it read the log up to its head), not
                        # merely not failed yet: the tries stay counted until then.
                        clear_fault(view)
                        failures = 0
        except Exception as error:
            failures += 1
            pause = min(first_pause * 2 ** (failures - 1), LONGEST_PAUSE)
            _report(view, error, pause)
            stop.wait(pause)
        finally:
            if follower is not None:
                follower.stop()
            view.datastore.close()
            if app is not None:
                app.close()


class _Stopped(Exception):
    """Following was asked to stop while catching up: the batches committed stay."""


def _catch_up_before_following(app: Ledger, view: ReadModel, stop: threading.Event) -> None:
    def stop_between_batches(position: int, head: int) -> None:
        if stop.is_set():
            raise _Stopped

    try:
        catch_up(app, view, stop_between_batches)
    except _Stopped:
        return
    except Exception:
        # The follower goes on from the last batch committed; its batch fails too, and one
        # event at a time its failure names the event (faults.py).
        log.warning("%s: catching up before following failed at a batch after event %s",
                    view.name, view.position(), exc_info=True)


def _report(view: ReadModel, error: Exception, pause: float) -> None:
    failed: FailedEvent | None = getattr(error, "failed_event", None)
    if failed is None:
        log.exception("%s: following the event log failed; again in %.0f s", view.name, pause)
        return
    try:
        attempts = record_fault(view, failed)
    except Exception:
        attempts = 0
        log.exception("%s: the fault could not be kept", view.name)
    log.error("%s; the read model stays at event %s (the others go on); attempt %s, again in "
              "%.0f s; `sunlight projections status` shows it", failed, failed.event - 1,
              attempts, pause, exc_info=error)
