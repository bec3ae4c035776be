"""What the HTTP edge talks to: the ledger application for commands, the read models for queries.

Built once per process (after gunicorn forks), kept on the Flask app.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from ledger.application import Ledger
from projections.books import BooksView
from projections.queries import BooksQueries

WAIT_SECONDS = 5.0


@dataclass
class Services:
    ledger: Ledger
    view: BooksView

    @property
    def queries(self) -> BooksQueries:
        return BooksQueries(self.view)

    def wait_for(self, position: int | None, timeout: float = WAIT_SECONDS) -> bool:
        """Block until the read models include `position`; False if they did not in time."""
        if not position:
            return True
        try:
            self.view.wait(self.view.application_name, position, timeout=timeout)
        except TimeoutError:
            return False
        return True

    def close(self) -> None:
        self.ledger.close()
        self.view.datastore.close()  # type: ignore[attr-defined]


def services() -> Services:
    return current_app.extensions["sunlight"]
