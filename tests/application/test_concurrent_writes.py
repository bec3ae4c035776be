"""Many writers of one village's books take turns instead of colliding: three applications on
one event store (as gunicorn's workers are), each posting from two threads at once, lose no
append to a version conflict, and the month's vouchers are numbered without a gap. Vouchers that
queue behind a writer are appended together, each in its own request, and one refused among
them leaves the others posted. A writer killed while it holds the turn does not keep it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from infra.storage import Storage
from infra.write_gates import FileWriteGate, PostgresWriteGate, write_gate
from ledger.application import Ledger
from ledger.books import Line, Voucher, VoucherDraft
from ledger.kernel.aggregate import serving
from ledger.kernel.errors import LedgerError
from projections.runner import create_tables, open_ledger
from tests.conftest import PG_URL, Clock

ORG = "sunlight-village"
PROCESSES, THREADS, EACH = 3, 2, 8


def office_supplies(i: int) -> VoucherDraft:
    return VoucherDraft(date(2025, 3, 9), f"购办公用品{i + 1}",
                        (Line("513", debit=1_000 + i), Line("102", credit=1_000 + i)),
                        attachments=1)  # its receipt: a white slip would add a warning


def test_writers_of_one_village_in_several_processes_take_turns(storage: Storage) -> None:
    create_tables(storage)
    apps = [open_ledger(storage, clock=Clock()) for _ in range(PROCESSES)]
    try:
        apps[0].books.register_organization(code=ORG, name_zh="阳光村股份经济合作社",
                                            kind="village_collective",
                                            books_start=date(2025, 1, 1), actor="admin")
        failures: list[BaseException] = []
        start = threading.Barrier(PROCESSES * THREADS)

        def accountant(app: Ledger, first: int) -> None:
            start.wait()
            try:
                for i in range(first, first + EACH):
                    app.books.post_voucher(ORG, office_supplies(i), actor="kuaiji")
            except BaseException as error:  # reported by the assertion below
                failures.append(error)

        threads = [threading.Thread(target=accountant, args=(app, EACH * (p * THREADS + t)))
                   for p, app in enumerate(apps) for t in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert failures == []
        assert [app.store.conflicts for app in apps] == [0] * PROCESSES
        posted = PROCESSES * THREADS * EACH
        numbers = {apps[0].books.voucher(ORG, f"2025-03-{n:04d}").number
                   for n in range(1, posted + 1)}
        assert len(numbers) == posted
        assert apps[0].books.of(ORG).counters == {"2025-03": posted}
    finally:
        for app in apps:
            app.close()


def test_the_gate_lets_one_holder_of_a_village_in_at_a_time(storage: Storage) -> None:
    create_tables(storage)
    first, second = write_gate(storage), write_gate(storage)  # as two processes would
    order: list[str] = []
    inside = threading.Event()

    def other_writer() -> None:
        inside.wait()
        with second.hold(ORG):
            order.append("second in")

    thread = threading.Thread(target=other_writer)
    thread.start()
    with first.hold(ORG):
        inside.set()
        thread.join(timeout=0.5)
        order.append("first out")
        with second.hold("another-village"):  # another village's writer is not held up
            order.append("another village")
    thread.join()
    first.close()
    second.close()
    assert order == ["first out", "another village", "second in"]


def test_the_file_gate_makes_its_folder_only_when_a_write_takes_it(tmp_path: Path) -> None:
    gate = FileWriteGate(tmp_path / "events.sqlite.locks")
    assert not (tmp_path / "events.sqlite.locks").exists()
    with gate.hold(ORG):
        assert (tmp_path / "events.sqlite.locks").is_dir()


class HeldGate:
    """A gate that keeps the first writer waiting until the test opens it, so that the other
    accountants' vouchers queue behind it."""

    def __init__(self) -> None:
        self.open = threading.Event()

    @contextmanager
    def hold(self, scope: str) -> Iterator[None]:
        self.open.wait()
        yield

    def close(self) -> None:
        pass


def queue_behind_one_writer(storage: Storage, drafts: list[VoucherDraft]
                            ) -> tuple[Ledger, list[object], list[int]]:
    """Each draft posted by its own accountant at once, in its own request; what each was
    answered, and the number of appends the event store made."""
    create_tables(storage)
    gate = HeldGate()
    app = open_ledger(storage, clock=Clock(), gate=gate)
    gate.open.set()
    app.books.register_organization(code=ORG, name_zh="阳光村股份经济合作社",
                                    kind="village_collective", books_start=date(2025, 1, 1),
                                    actor="admin")
    gate.open.clear()
    appends: list[int] = []
    insert = app.recorder.insert_events

    def counted(*args: Any, **kwargs: Any) -> Any:
        appends.append(len(args[0]))
        return insert(*args, **kwargs)

    app.recorder.insert_events = counted  # type: ignore[method-assign]
    answers: list[object] = [None] * len(drafts)

    def accountant(i: int) -> None:
        with serving(f"request-{i}"):
            try:
                answers[i] = app.books.post_voucher(ORG, drafts[i], actor="kuaiji").value
            except LedgerError as refused:
                answers[i] = refused

    threads = [threading.Thread(target=accountant, args=(i,)) for i in range(len(drafts))]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # every accountant is now queued behind the first, held at the gate
    gate.open.set()
    for thread in threads:
        thread.join()
    return app, answers, appends


def test_vouchers_queued_behind_a_writer_are_appended_in_one_transaction(
        storage: Storage) -> None:
    drafts = [office_supplies(i) for i in range(6)]
    app, answers, appends = queue_behind_one_writer(storage, drafts)
    try:
        # Each voucher is two events (its own, the books'): the queue was appended together.
        assert sum(appends) == 12 and max(appends) >= 8
        vouchers = [answer for answer in answers if isinstance(answer, Voucher)]
        assert sorted(v.number for v in vouchers) == [f"2025-03-{n:04d}" for n in range(1, 7)]
        for i, voucher in enumerate(answers):
            assert isinstance(voucher, Voucher) and voucher.summary == drafts[i].summary
            stored = app.books.voucher(ORG, voucher.number)
            assert stored.summary == drafts[i].summary
            posted = next(iter(app.events.get(stored.id)))
            assert posted.request_id == f"request-{i}"  # type: ignore[attr-defined]
    finally:
        app.close()


def test_a_refused_voucher_in_the_queue_leaves_the_others_numbered_without_a_gap(
        storage: Storage) -> None:
    drafts = [office_supplies(i) for i in range(5)]
    drafts[2] = VoucherDraft(date(2025, 3, 9), "记到不存在的科目",
                             (Line("51399", debit=500), Line("101", credit=500)))
    app, answers, _ = queue_behind_one_writer(storage, drafts)
    try:
        assert isinstance(answers[2], LedgerError)
        numbers = sorted(a.number for a in answers if isinstance(a, Voucher))
        assert numbers == [f"2025-03-{n:04d}" for n in range(1, 5)]
        assert app.books.of(ORG).counters == {"2025-03": 4}
    finally:
        app.close()


HOLD_AND_HANG = """
import sys, time
from pathlib import Path
from infra.storage import Storage
from infra.write_gates import write_gate
gate = write_gate(Storage(database_url=sys.argv[1], data_dir=Path(sys.argv[2])))
with gate.hold(sys.argv[3]):
    print("held", flush=True)
    time.sleep(600)
"""


def test_a_writer_killed_holding_the_turn_does_not_block_the_village(storage: Storage) -> None:
    create_tables(storage)
    writer = subprocess.Popen(
        [sys.executable, "-c", HOLD_AND_HANG, storage.database_url, str(storage.data_dir), ORG],
        stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2])
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "held"
        gate, entered = write_gate(storage), threading.Event()

        def next_writer() -> None:
            with gate.hold(ORG):
                entered.set()

        thread = threading.Thread(target=next_writer, daemon=True)
        thread.start()
        assert not entered.wait(0.5)  # the turn is the other process's
        os.kill(writer.pid, signal.SIGKILL)
        assert entered.wait(30)  # the killed writer's turn ended with it
        thread.join()
        gate.close()
    finally:
        writer.kill()
        writer.wait()


def test_the_gate_replaces_a_connection_the_database_dropped(storage: Storage) -> None:
    if not storage.is_postgres:
        pytest.skip("the SQLite gate is a lock file: it has no connection to lose")
    import psycopg

    gate = write_gate(storage)
    assert isinstance(gate, PostgresWriteGate)
    with gate.hold(ORG):
        pass
    idle = gate._idle[0]  # the connection the next writer would take
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (idle.info.backend_pid,))
    with gate.hold(ORG):  # a restart of the database between two writes costs no write
        pass
    assert idle.closed and gate._idle and gate._idle[0] is not idle
    gate.close()
