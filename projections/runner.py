"""Keeps the read models up to date by following the event log, or rebuilds them from event one.

Following uses the library's ProjectionRunner (PostgreSQL pushes notifications; SQLite is polled).
Rebuilding and catching up read the log in batches, each batch written with its tracking position
in one transaction, so an interrupted rebuild resumes where it stopped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from eventsourcing.persistence import InfrastructureFactory, Tracking
from eventsourcing.projection import ProjectionRunner
from eventsourcing.utils import Environment

from ledger.application import Ledger
from ledger.storage import SYNCHRONOUS, Storage
from projections.books import BooksProjection
from projections.db import ReadModel, ViewProjection
from projections.disclosures import DisclosuresProjection
from projections.identity import IdentityProjection
from projections.register import RegisterProjection

log = logging.getLogger("sunlight.projections")
BATCH = 500
# Every read model, each with its own tables and tracking position.
PROJECTIONS: tuple[type[ViewProjection[Any]], ...] = (
    BooksProjection, IdentityProjection, DisclosuresProjection, RegisterProjection)

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
    return factory.tracking_recorder(projection.view_class(storage.is_postgres))


def open_views(storage: Storage, *, create_tables: bool = False) -> dict[str, ReadModel]:
    return {p.name: open_view(storage, p, create_tables=create_tables) for p in PROJECTIONS}


def close_views(views: dict[str, ReadModel]) -> None:
    for view in views.values():
        view.datastore.close()  # type: ignore[attr-defined]


def open_ledger(storage: Storage, *, create_tables: bool = False, **kwargs: Any) -> Ledger:
    return Ledger(env=env_for(storage, create_tables=create_tables), **kwargs)


def create_tables(storage: Storage) -> None:
    """Create the event store's and the read models' tables, once, before any worker starts."""
    storage.prepare()
    open_ledger(storage, create_tables=True).close()
    close_views(open_views(storage, create_tables=True))


def catch_up(app: Ledger, view: ReadModel, progress: Progress | None = None) -> int:
    """Project every event the view has not seen yet; returns the view's new position."""
    position = view.position()
    head = app.log_head()
    while True:
        notifications = app.recorder.select_notifications(
            start=position, limit=BATCH, inclusive_of_start=False)
        if not notifications:
            return position
        view.project(
            (app.mapper.to_domain_event(n), Tracking(app.name, n.id)) for n in notifications
        )
        position = notifications[-1].id
        if progress is not None:
            progress(position, max(head, position))


def catch_up_all(app: Ledger, views: dict[str, ReadModel]) -> int:
    return min(catch_up(app, view) for view in views.values())


def rebuild(app: Ledger, view: ReadModel, progress: Progress | None = None) -> int:
    view.drop()
    return catch_up(app, view, progress)


def follow(storage: Storage, stop: threading.Event, *, restart_after: float = 2.0) -> None:
    """Follow the log with every projection until stopped; a failure restarts them all."""
    env = env_for(storage, create_tables=False)
    while not stop.is_set():
        try:
            with ExitStack() as runners:
                running = [runners.enter_context(ProjectionRunner(
                    application_class=Ledger, projection_class=projection,
                    view_class=projection.view_class(storage.is_postgres), env=env))
                    for projection in PROJECTIONS]
                for runner in running:
                    log.info("%s: following the event log from position %s",
                             runner.projection.name, runner.view.position())
                while not stop.wait(0.5):
                    for runner in running:
                        # Re-raises the error that stopped a runner, if one did.
                        runner.run_forever(timeout=0)
                        if runner.is_interrupted.is_set():
                            raise RuntimeError("the event-log subscription ended")
        except Exception:
            log.exception("projection runner failed; restarting in %.0fs", restart_after)
            stop.wait(restart_after)
