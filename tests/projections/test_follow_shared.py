"""Following the log live (issue 19): the read models of a process share one subscription, so a
stored event is read once for all of them; a follower reads from the log itself only what it was
not handed (what was written before it joined), and every read model reaches the head.
"""

from __future__ import annotations

from collections.abc import Iterator
from unittest import mock

import pytest

from infra.storage import Storage
from ledger.application import Ledger
from projections.books.view import BooksProjection
from projections.follower import LogFollower, SharedLog
from projections.identity.view import IdentityProjection
from projections.runner import open_ledger, open_view
from tests.fixtures.every_event.dump import STORE
from tests.fixtures.stores import load_store


@pytest.fixture
def every_event(storage: Storage) -> Iterator[Ledger]:
    load_store(STORE, storage)
    app = open_ledger(storage)
    yield app
    app.close()


def test_followers_share_one_reading_of_the_log_and_reach_its_head(every_event, storage):
    # Given the books and the identity read models behind a log, each followed with a reader
    # of its own, and the process's one subscription
    views = [open_view(storage, p, create_tables=True)
             for p in (BooksProjection, IdentityProjection)]
    readers = [open_ledger(storage) for _ in views]
    shared = SharedLog(open_ledger(storage))
    try:
        with LogFollower(views[0], readers[0], shared), LogFollower(views[1], readers[1], shared):
            # When they have caught up with the log
            head = every_event.log_head()
            for view in views:
                view.wait(view.application_name, head, timeout=60)  # type: ignore[attr-defined]
            read: list[int] = []
            for reader in readers:
                real = reader.recorder.select_notifications
                reader.recorder.select_notifications = mock.Mock(  # type: ignore[method-assign]
                    side_effect=lambda *a, real=real, **k: read.append(1) or real(*a, **k))
            # And users are made meanwhile
            for n in range(3):
                every_event.identity.create_user(login=f"user-{n}", display_name=f"用户{n}",
                                                 password="a long password", actor="test")
            head = every_event.log_head()
            # Then both reach the new head
            for view in views:
                view.wait(view.application_name, head, timeout=60)  # type: ignore[attr-defined]
            # And neither read the new events itself: the subscription handed them in
            assert read == []
    finally:
        shared.close()
        for reader, view in zip(readers, views, strict=True):
            reader.close()
            view.datastore.close()  # type: ignore[attr-defined]
