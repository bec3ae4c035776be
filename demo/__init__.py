"""The demo village 阳光村股份经济合作社: its books from January 2025 to October 2026, its members
and household shares, its users, the 2025 year-end distribution, October 2026's decisions and
payments, and its published disclosures — all written through the ledger's public commands, so
that a load writes the same events every time and every page has something true to show.

`load_demo_village` loads it all in the order the village lived it: the 2025 distribution is
decided in January 2026 and posted before 2025 is closed, so the register and the users exist
before the books are posted (the roll's changes of 2026 come after them), and the disclosures
are built from the books read model as it stands on the day each one is published. The
village's fruit cooperative (demo/cooperative.py) comes last, with its own books and its 2025
surplus shared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from demo.cooperative import COOP_ORG, post_cooperative_books, register_cooperative
from demo.cooperative_surplus import create_cooperative_users, surplus_steps
from demo.disclosures import publish_demo_disclosures
from demo.distribution import DemoClock, distribution_calls
from demo.members import load_demo_changes, load_demo_roll
from demo.spending import load_demo_spending
from demo.village import DEMO_ORG, create_demo_users, post_demo_books, register_demo
from infra.storage import Storage
from ledger.application import Ledger
from projections.books.view import BooksView
from projections.runner import catch_up_all, close_views, open_views

__all__ = ["COOP_ORG", "DEMO_ORG", "DemoClock", "Loaded", "load_demo_village"]


@dataclass(frozen=True)
class Loaded:
    users: list[tuple[str, str, str, str, str]]  # (login, name, role, password, token)
    published: int  # disclosures published besides the distribution's two


def load_demo_village(app: Ledger, storage: Storage) -> Loaded:
    """Load the whole demo into empty books; `app` must have a clock the loader can set to the
    day of each step (DemoClock, or the tests' Clock)."""
    register_demo(app)
    users = create_demo_users(app)
    load_demo_roll(app)
    views = open_views(storage)
    try:
        post_demo_books(app, distribution_calls(app, _caught_up(app, views)))
    finally:
        close_views(views)
    load_demo_changes(app)
    load_demo_spending(app)
    published = publish_demo_disclosures(app, storage)
    register_cooperative(app)
    users += create_cooperative_users(app)
    views = open_views(storage)
    try:
        post_cooperative_books(app, surplus_steps(_caught_up(app, views)), closes_2025=True)
    finally:
        close_views(views)
    return Loaded(users, published)


def _caught_up(app: Ledger, views: dict) -> Callable[[], BooksView]:
    def books() -> BooksView:
        catch_up_all(app, views)
        return views["books"]
    return books
