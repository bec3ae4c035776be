"""Fixtures of the projection tests: the register read model, and the village's story
(register_story.py) told and projected into it and the books."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from infra.storage import Storage
from ledger.application import Ledger
from projections.books.view import BooksView
from projections.register.queries import MemberQueries
from projections.register.view import RegisterProjection, RegisterView
from projections.runner import catch_up, open_view
from tests.projections.register_story import (
    cooperative_story,
    per_person_story,
    village_story,
    vouchers_with_parties,
)


@pytest.fixture
def register_view(storage: Storage, ledger: Ledger) -> Iterator[RegisterView]:
    opened = open_view(storage, RegisterProjection)
    yield opened
    opened.datastore.close()


@pytest.fixture
def story(ledger: Ledger, view: BooksView, register_view: RegisterView) -> MemberQueries:
    village_story(ledger)
    vouchers_with_parties(ledger)
    per_person_story(ledger)
    cooperative_story(ledger)
    catch_up(ledger, register_view)
    catch_up(ledger, view)
    return MemberQueries(register_view)
