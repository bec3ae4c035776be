"""Vouchers of different villages posted at the same time share one transaction: while the
process's transaction is in flight, the vouchers of two other villages decided meanwhile are
appended together, each answered with its own voucher. Should another writer (one that did not
wait for its turn) take a village's next number while its voucher waits, the joint append fails
as a whole, the other village's voucher is still posted, and the loser is decided again on fresh
books: numbered next, with no gap."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from infra.storage import Storage
from ledger.application import Ledger
from ledger.books import Line, Voucher, VoucherDraft
from ledger.kernel.appending import IN_FLIGHT
from ledger.kernel.writing import ProcessGate
from projections.runner import create_tables, open_ledger
from tests.conftest import Clock

VILLAGES = ("east-village", "west-village", "north-village", "south-village")
IN_FLIGHT_FIRST = VILLAGES[2:2 + IN_FLIGHT]  # whose appends the process sends first


def office_supplies(i: int) -> VoucherDraft:
    return VoucherDraft(date(2025, 3, 9), f"购办公用品{i + 1}",
                        (Line("513", debit=1_000 + i), Line("102", credit=1_000 + i)),
                        attachments=1)  # its receipt: a white slip would add a warning


@dataclass
class HeldRecorder:
    """The event store's appends as the test sees them: the first ones, as many as the process
    sends at once, are held in flight until the test releases them, and every append's count of
    events is noted."""

    release: threading.Event = field(default_factory=threading.Event)
    appends: list[int] = field(default_factory=list)

    def in_flight(self) -> bool:
        return len(self.appends) >= IN_FLIGHT


@contextmanager
def first_append_held(app: Ledger) -> Iterator[HeldRecorder]:
    held = HeldRecorder()
    insert = app.recorder.insert_events

    def noted(*args: Any, **kwargs: Any) -> Any:
        held.appends.append(len(args[0]))
        if len(held.appends) <= IN_FLIGHT:
            assert held.release.wait(30)
        return insert(*args, **kwargs)

    app.recorder.insert_events = noted  # type: ignore[method-assign]
    try:
        yield held
    finally:
        held.release.set()


def books_with_villages(storage: Storage) -> Ledger:
    create_tables(storage)
    app = open_ledger(storage, clock=Clock())
    for code in VILLAGES:
        app.books.register_organization(code=code, name_zh="阳光村股份经济合作社",
                                        kind="village_collective",
                                        books_start=date(2025, 1, 1), actor="admin")
    return app


def post_in_thread(app: Ledger, village: str, draft: VoucherDraft,
                   answers: dict[str, object]) -> threading.Thread:
    def accountant() -> None:
        try:
            answers[village] = app.books.post_voucher(village, draft, actor="kuaiji").value
        except BaseException as error:  # the assertions below show it
            answers[village] = error

    thread = threading.Thread(target=accountant)
    thread.start()
    return thread


def wait_until(condition: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_vouchers_of_two_villages_queued_behind_a_third_land_in_one_transaction(
        storage: Storage) -> None:
    app = books_with_villages(storage)
    east, west = VILLAGES[:2]
    answers: dict[str, object] = {}
    try:
        with first_append_held(app) as held:
            # Given the north village's voucher in flight,
            threads = [post_in_thread(app, village, office_supplies(2 + n), answers)
                       for n, village in enumerate(IN_FLIGHT_FIRST)]
            wait_until(held.in_flight)
            # when the east and west villages' accountants post meanwhile,
            threads += [post_in_thread(app, east, office_supplies(0), answers),
                        post_in_thread(app, west, office_supplies(1), answers)]
            wait_until(lambda: app.store.appends.queued == 2)
            held.release.set()
            for thread in threads:
                thread.join()
        # then both are appended in one transaction (a voucher's event and its books' each),
        assert held.appends == [2] * IN_FLIGHT + [4]
        # and each accountant is answered with the village's own first voucher.
        for i, village in enumerate((east, west, *IN_FLIGHT_FIRST)):  # posted i-th
            voucher = answers[village]
            assert isinstance(voucher, Voucher), voucher
            assert voucher.number == "2025-03-0001"
            assert app.books.voucher(village, "2025-03-0001").summary == f"购办公用品{i + 1}"
    finally:
        app.close()


def test_a_village_whose_number_was_taken_meanwhile_does_not_cost_the_other_its_voucher(
        storage: Storage) -> None:
    app = books_with_villages(storage)
    east, west = VILLAGES[:2]
    answers: dict[str, object] = {}
    # A writer that does not wait for the west village's turn, as a process without a gate.
    other = open_ledger(storage, clock=Clock(), gate=ProcessGate())
    try:
        with first_append_held(app) as held:
            threads = [post_in_thread(app, village, office_supplies(2 + n), answers)
                       for n, village in enumerate(IN_FLIGHT_FIRST)]
            wait_until(held.in_flight)
            threads += [post_in_thread(app, east, office_supplies(0), answers),
                        post_in_thread(app, west, office_supplies(1), answers)]
            wait_until(lambda: app.store.appends.queued == 2)
            # Given the west village's voucher decided as its first, the other writer posts
            # the west village's first voucher before it is appended;
            other.books.post_voucher(west, office_supplies(9), actor="chuna")
            held.release.set()
            for thread in threads:
                thread.join()
        # then the east village's voucher is posted all the same,
        east_voucher = answers[east]
        assert isinstance(east_voucher, Voucher) and east_voucher.number == "2025-03-0001"
        assert app.books.voucher(east, "2025-03-0001").summary == "购办公用品1"
        # and the west village's is decided again, numbered after the other writer's.
        west_voucher = answers[west]
        assert isinstance(west_voucher, Voucher) and west_voucher.number == "2025-03-0002"
        assert app.books.voucher(west, "2025-03-0001").summary == "购办公用品10"
        assert app.books.voucher(west, "2025-03-0002").summary == "购办公用品2"
        assert app.books.of(west).counters == {"2025-03": 2}
        assert app.store.conflicts == 1
        # The joint append was tried, and failed as a whole.
        assert held.appends[:IN_FLIGHT + 1] == [2] * IN_FLIGHT + [4]
    finally:
        other.close()
        app.close()
