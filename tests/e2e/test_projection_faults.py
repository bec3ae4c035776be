"""End to end: a read model that cannot store an event stops alone, says so, and costs nothing.

`sunlight projections run` follows a store whose books read model has lost a table (an event it
cannot store, whatever the cause). The books stay before that event while the identity read model
goes on; the fault is listed by `sunlight projections status` (exit 1) and kept with its tries; the
process, restarting the books again and again, holds no more database connections after many
tries than after the first; once the table is back the books catch up and the fault is gone.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from infra.storage import Storage
from ledger.books import Line, VoucherDraft
from projections.faults import faults
from projections.runner import close_views, create_tables, open_ledger, open_views
from tests.conftest import PG_URL

pytestmark = pytest.mark.e2e
ORG = "v1"


def wait_until(check: Callable[[], Any], timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.05)
    raise AssertionError(f"not reached in {timeout} s")


def environ(storage: Storage, app_name: str) -> dict[str, str]:
    return os.environ | {"SUNLIGHT_DATABASE_URL": storage.database_url,
                         "SUNLIGHT_DATA_DIR": str(storage.data_dir), "PGAPPNAME": app_name}


def connections(app_name: str) -> int:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                           (app_name,)).fetchone()
    return int(row[0]) if row else 0


@pytest.fixture
def broken_books(storage: Storage) -> Iterator[tuple[Any, dict[str, Any]]]:
    """A village with one voucher, its books read model without the table vouchers go to."""
    create_tables(storage)
    app, views = open_ledger(storage), open_views(storage)
    app.books.register_organization(code=ORG, name_zh="一村", kind="village_collective",
                                    books_start=date(2025, 1, 1), actor="test")
    with views["books"].sql(commit=True) as sql:
        sql.execute("DROP TABLE books_vouchers")
    yield app, views
    app.close()
    close_views(views)


def test_a_read_model_that_cannot_store_an_event_stops_alone_and_recovers(
        storage: Storage, broken_books: tuple[Any, dict[str, Any]], tmp_path: Path):
    app, views = broken_books
    posted = app.books.post_voucher(ORG, VoucherDraft(date(2025, 1, 5), "收取发包款", (
        Line("102", debit=100), Line("501", credit=100))), actor="wang").position
    app_name = f"sunlight-test-{uuid.uuid4().hex[:12]}"
    env = environ(storage, app_name)
    # Its log to a file, not a pipe: a pipe read only at the end fills, and the process stalls.
    log_file = (tmp_path / "projector.log").open("w")
    runner = subprocess.Popen([sys.executable, "-m", "api.cli", "projections", "run",
                               "--retry-after", "0.02"], env=env, stderr=log_file, text=True)
    try:
        books = views["books"]
        first = wait_until(lambda: [f for f in faults(books) if f["name"] == "books"])[0]
        assert (first["event"], first["position"], first["org"]) == (posted, posted - 1, ORG)
        assert first["topic"] == "ledger.vouchers:Voucher.Posted"

        # The others go on: a user made now reaches the identity read model.
        made = app.identity.create_user(login="lisi", display_name="李四",
                                        password="a long password",
                                        actor="test").position
        wait_until(lambda: views["identity"].position() >= made)
        assert books.position() == posted - 1

        # The connections held while the books are tried again, by try: every try closes what
        # it opened, so the later tries hold no more than the early ones.
        held: dict[int, int] = {}

        def tried(enough: int) -> bool:
            attempts = max([f["attempts"] for f in faults(books)] or [0])
            if storage.is_postgres:
                held[attempts] = max(held.get(attempts, 0), connections(app_name))
            return attempts >= enough

        wait_until(lambda: tried(8), timeout=120)
        if storage.is_postgres:
            early = max(v for k, v in held.items() if k <= 4)
            late = max(v for k, v in held.items() if k > 4)
            assert late <= early + 2, held

        status = subprocess.run([sys.executable, "-m", "api.cli", "projections", "status"],
                                env=env, capture_output=True, text=True, timeout=120)
        assert status.returncode == 1, status.stdout + status.stderr
        assert f"books read model STOPPED before event {posted}" in status.stderr

        create_tables(storage)  # the operator mends the cause
        head = app.log_head()
        wait_until(lambda: books.position() >= head)
        wait_until(lambda: not faults(books))
        with books.sql() as sql:
            assert sql.execute("SELECT summary FROM books_vouchers").all() == [
                {"summary": "收取发包款"}]
    finally:
        runner.terminate()
        runner.wait(timeout=60)
        log_file.close()
    log = (tmp_path / "projector.log").read_text()
    assert f"cannot project event {posted}" in log
    assert "the others go on" in log
