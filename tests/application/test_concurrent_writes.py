"""Many writers of one village's books take turns instead of colliding: three applications on
one event store (as gunicorn's workers are), each posting from two threads at once, lose no
append to a version conflict, and the month's vouchers are numbered without a gap."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from infra.storage import Storage
from infra.write_gates import FileWriteGate, write_gate
from ledger.application import Ledger
from ledger.books import Line, VoucherDraft
from projections.runner import create_tables, open_ledger
from tests.conftest import Clock

ORG = "sunlight-village"
PROCESSES, THREADS, EACH = 3, 2, 8


def office_supplies(i: int) -> VoucherDraft:
    return VoucherDraft(date(2025, 3, 9), f"购办公用品{i + 1}",
                        (Line("513", debit=1_000 + i), Line("101", credit=1_000 + i)))


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
