"""What the HTTP edge talks to: the ledger application for commands, the read models for queries.

Built once per process (after gunicorn forks), kept on the Flask app.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from flask import current_app, g, has_app_context

from api.web_state import WebState
from infra.replicas import ReadRouter
from ledger.application import Ledger
from projections.books.queries import BooksQueries
from projections.books.view import BooksView
from projections.db import ReadModel
from projections.disclosure.view import DisclosureQueries
from projections.distribution.queries import DistributionQueries
from projections.identity.view import IdentityQueries
from projections.register.queries import MemberQueries
from projections.runner import close_views
from projections.spending.queries import SpendingQueries

WAIT_SECONDS = 5.0
FRESH_PAUSE = 30.0


def fresh_read_seconds() -> float:
    """How long a signed-in read that names no position waits for the writes before it
    (api/fresh_reads.py): a live projector takes milliseconds; a stopped one should not hold
    every desk page for the five seconds a named position is waited for. 0: no waiting."""
    return float(os.environ.get("SUNLIGHT_FRESH_READ_SECONDS", "2.0"))


@dataclass
class Services:
    ledger: Ledger
    views: dict[str, ReadModel]
    web: WebState | None = None  # sessions and rate limits (api/web_state.py)
    # The same read models on each streaming replica, and which one a read goes to
    # (api/replica_reads.py); none unless SUNLIGHT_DATABASE_REPLICA_URLS names some.
    replicas: list[dict[str, ReadModel]] = field(default_factory=list)
    router: ReadRouter | None = None
    fresh_read_seconds: float = field(default_factory=fresh_read_seconds)
    fresh_paused_until: float = 0.0  # monotonic; see wait_fresh

    @property
    def read_views(self) -> dict[str, ReadModel]:
        """The read models this request reads: a replica's when it was routed to one."""
        if has_app_context():
            return g.get("read_views") or self.views  # type: ignore[no-any-return]
        return self.views

    @property
    def view(self) -> BooksView:
        return self.read_views["books"]  # type: ignore[return-value]

    @property
    def queries(self) -> BooksQueries:
        return BooksQueries(self.view)

    @property
    def spending(self) -> SpendingQueries:
        return SpendingQueries(self.view)

    @property
    def distributions(self) -> DistributionQueries:
        return DistributionQueries(self.view)

    @property
    def disclosures(self) -> DisclosureQueries:
        return DisclosureQueries(self.read_views["disclosures"])  # type: ignore[arg-type]

    @property
    def members(self) -> MemberQueries:
        return MemberQueries(self.read_views["register"])  # type: ignore[arg-type]

    @property
    def identity(self) -> IdentityQueries:
        return IdentityQueries(self.read_views["identity"])  # type: ignore[arg-type]

    def wait_for(self, position: int | None, timeout: float = WAIT_SECONDS) -> bool:
        """Block until every read model includes `position`; False if one did not in time."""
        if not position:
            return True
        deadline = time.monotonic() + timeout
        try:
            for view in self.read_views.values():
                view.wait(view.application_name, position,  # type: ignore[attr-defined]
                          timeout=max(deadline - time.monotonic(), 0.001))
        except TimeoutError:
            return False
        return True

    def wait_fresh(self, position: int) -> bool:
        """Wait briefly for `position`, for a read that named none (api/fresh_reads.py). Once
        such a wait times out (the projection process stopped, or a read model halted at a
        fault), the reads of the next FRESH_PAUSE seconds do not wait: one slow read, not all."""
        if self.fresh_read_seconds <= 0 or time.monotonic() < self.fresh_paused_until:
            return False
        if self.wait_for(position, timeout=self.fresh_read_seconds):
            return True
        self.fresh_paused_until = time.monotonic() + FRESH_PAUSE
        return False

    def close(self) -> None:
        self.ledger.close()
        close_views(self.views)
        for views in self.replicas:
            close_views(views)
        if self.web is not None:
            self.web.close()


def services() -> Services:
    return current_app.extensions["sunlight"]
