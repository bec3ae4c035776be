"""What the HTTP edge talks to: the ledger application for commands, the read models for queries.

Built once per process (after gunicorn forks), kept on the Flask app.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app

from api.web_state import WebState
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


@dataclass
class Services:
    ledger: Ledger
    views: dict[str, ReadModel]
    web: WebState | None = None  # sessions and rate limits (api/web_state.py)

    @property
    def view(self) -> BooksView:
        return self.views["books"]  # type: ignore[return-value]

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
        return DisclosureQueries(self.views["disclosures"])  # type: ignore[arg-type]

    @property
    def members(self) -> MemberQueries:
        return MemberQueries(self.views["register"])  # type: ignore[arg-type]

    @property
    def identity(self) -> IdentityQueries:
        return IdentityQueries(self.views["identity"])  # type: ignore[arg-type]

    def wait_for(self, position: int | None, timeout: float = WAIT_SECONDS) -> bool:
        """Block until every read model includes `position`; False if one did not in time."""
        if not position:
            return True
        deadline = time.monotonic() + timeout
        try:
            for view in self.views.values():
                view.wait(view.application_name, position,  # type: ignore[attr-defined]
                          timeout=max(deadline - time.monotonic(), 0.001))
        except TimeoutError:
            return False
        return True

    def close(self) -> None:
        self.ledger.close()
        close_views(self.views)
        if self.web is not None:
            self.web.close()


def services() -> Services:
    return current_app.extensions["sunlight"]
