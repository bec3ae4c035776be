"""Public pages and reports read from a streaming replica, keeping read-your-writes.

The named set below (GETs of the JSON reports and of the village's public pages) reads its read
models from a replica that has reached the position the reader names (`?after=N` or the header
`Sunlight-Position: N`); a replica behind is waited for briefly, then the primary answers
(infra/replicas.py). Everything else — every write, the desk, the event store — uses the primary.
When the primary answers a reader who named a position, it waits for its own projection as
every read with `?after=` does, and answers 503 with Retry-After if that does not come in time.

Every read of the set says which database served it (`Sunlight-Read-From: replica|primary`) and
the position it reflects (`Sunlight-Position`, as `Sunlight-Read-Position` does).
"""

from __future__ import annotations

from eventsourcing.persistence import PersistenceError
from flask import Flask, Response, g, request
from psycopg import Error as PsycopgError

from api.errors import ReadModelBehind, refuse_beyond_head
from api.services import WAIT_SECONDS, Services, services
from infra.replicas import ReadRouter, Routing
from infra.storage import Storage
from projections.db import ReadModel
from projections.runner import open_views

# Unreachable, or not a copy of this primary (no such table): either way, not this replica.
UNAVAILABLE = (PersistenceError, PsycopgError, OSError)
POSITION_HEADER = "Sunlight-Position"
SOURCE_HEADER = "Sunlight-Read-From"
# Blueprint -> the read models its pages read; only GETs of these go to a replica.
REPLICA_READS: dict[str, tuple[str, ...]] = {
    "reports": ("books",),  # trial balance, ledger, balance sheet, income statement, equity
    "public": ("books", "disclosures", "identity"),  # the village's public pages
}


def open_replicas(storage: Storage, service: Services) -> None:
    """Open the read models on every replica the storage names, and the router between them."""
    replicas = storage.replicas()
    if not replicas:
        return
    service.replicas = [open_views(replica) for replica in replicas]
    service.router = ReadRouter(
        len(replicas), wait_seconds=storage.replica_wait_seconds,
        unavailable=UNAVAILABLE)


def requested_position() -> int | None:
    """The position the reader must see: `?after=` or the `Sunlight-Position` header."""
    for text in (request.args.get("after"), request.headers.get(POSITION_HEADER)):
        if text and text.isascii() and text.isdigit() and len(text) <= 18:
            return int(text)
    return None


def route_read() -> None:
    """Before a read of the set: choose the database its read models are read from."""
    names = REPLICA_READS.get(request.blueprint or "")
    if names is None or request.method not in ("GET", "HEAD"):
        return
    service = services()
    after = requested_position()
    g.read_after = after
    g.read_from = "primary"
    if after:  # no write reached it: every page of the set refuses it, as the reports do
        refuse_beyond_head(after, service.ledger.log_head())
    # A signed-in reader who named no position reads what was written before the request began
    # (api/fresh_reads.py): waited for like a named one, but answered as it stands if it is late.
    wanted = after or g.pop("head_at_start", None)
    routing = _route(service, names, wanted)
    if routing.replica is not None:
        g.read_views = service.replicas[routing.replica]
        g.read_from = routing.source
        g.read_position = routing.position
    else:
        if after and not service.wait_for(after):
            raise ReadModelBehind(f"the read models have not yet reached position {after}")
        if wanted and not after:
            service.wait_fresh(wanted)
        g.read_position = min(_position(service.views[name]) for name in names)
    g.read_reached = after  # the read models this read uses include it: no need to wait again


def view_reaching(name: str) -> ReadModel:
    """Read model `name` for a read whose routing looked only at the read models its blueprint
    names (the public bundle and sheet also read the sealer's tables): the replica's chosen for
    this read when it too has reached the reader's position, else the primary's, waited for as
    any read after a position is (503 when it does not come in time)."""
    service = services()
    chosen, after = g.get("read_views"), g.get("read_after")
    if chosen is not None:
        try:
            if not after or _position(chosen[name]) >= after:
                return chosen[name]
        except UNAVAILABLE:
            pass  # the replica went away since routing: the primary has it all
    view = service.views[name]
    if after:
        try:
            view.wait(view.application_name, after,  # type: ignore[attr-defined]
                      timeout=WAIT_SECONDS)
        except TimeoutError:
            raise ReadModelBehind(f"the {name} read model has not yet reached position "
                                  f"{after}") from None
    return view


def _route(service: Services, names: tuple[str, ...], after: int | None) -> Routing:
    if service.router is None:
        return Routing(None)

    def position_of(replica: int) -> int:
        views = service.replicas[replica]
        return min(_position(views[name]) for name in names)

    return service.router.route(position_of, after)


def _position(view: ReadModel) -> int:
    # One attempt: the recorder's own position() retries a failed connection ten times, and a
    # replica that is down must cost a reader one connect timeout, not ten.
    with view.sql() as sql:
        return view.position_in(sql)


def read_headers(response: Response) -> Response:
    if "read_from" in g:
        response.headers[SOURCE_HEADER] = g.read_from
        if g.get("read_position") is not None:
            response.headers[POSITION_HEADER] = str(g.read_position)
    return response


def init_replica_reads(app: Flask) -> None:
    """After the access check, so that a stranger is refused before any waiting."""
    app.before_request(route_read)
    app.after_request(read_headers)
