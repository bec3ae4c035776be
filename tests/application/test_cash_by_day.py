"""The cash rules held day by day, on SQLite and PostgreSQL: a voucher dated back among days
already posted moves the till on its own day and on every later one, so cash below zero or over
the limit is found on the day it happens, with that day's balance — not on the sum of every
posting whatever its date. Books restored from a snapshot of the older shape (no cash by day)
are read again from their events, so the rule holds on stores written before it."""

from __future__ import annotations

from datetime import date

import pytest
from eventsourcing.utils import get_topic

from infra.storage import Storage
from ledger.application import Ledger
from ledger.books import Books, Line, Organization, Period, RedFlag, VoucherDraft
from projections.runner import open_ledger
from tests.conftest import Clock

ORG = "v1"


@pytest.fixture
def village(ledger: Ledger, clock: Clock) -> Ledger:
    clock.today = date(2026, 11, 30)
    ledger.books.register_organization(code=ORG, name_zh="东村", kind="village_collective",
                                       books_start=date(2026, 1, 1), actor="admin")
    return ledger


def cash(app: Ledger, day: int, fen: int, summary: str = "零星收支") -> str:
    """Cash in (fen > 0, from 501) or out (fen < 0, to 513) on 2026-11-`day`, with a receipt."""
    other = "501" if fen > 0 else "513"
    lines = ((Line("101", debit=fen), Line(other, credit=fen)) if fen > 0
             else (Line(other, debit=-fen), Line("101", credit=-fen)))
    return app.books.post_voucher(ORG, VoucherDraft(date=date(2026, 11, day), summary=summary,
                                                    lines=lines, attachments=1),
                                  actor="kuaiji").value.number


def red_flags(app: Ledger) -> list[RedFlag]:
    topic = get_topic(RedFlag.Raised)
    return [app.repository.get(n.originator_id)
            for n in app.recorder.select_notifications(start=1, limit=10_000, topics=[topic])]


def test_a_payment_dated_before_the_receipt_that_covers_it_takes_its_day_below_zero(
        village: Ledger) -> None:
    # Given 1,000.00 in the till on 11-01 and 2,000.00 received on 11-20,
    cash(village, 1, 100_000)
    cash(village, 20, 200_000)
    # when 3,000.00 is paid out dated 11-02 (the till holds 3,000.00 only after the 20th),
    paid = cash(village, 2, -300_000, "清扫劳务费")
    # then the till is below zero on 11-02 by 2,000.00, and the warning says so, on that day.
    [flag] = red_flags(village)
    assert (flag.kind, flag.key, flag.date) == ("cash_negative", paid, date(2026, 11, 2))
    assert (flag.trigger["before"], flag.trigger["after"]) == ("1000.00", "-2000.00")


def test_cash_over_the_limit_is_the_balance_of_its_own_day(village: Ledger) -> None:
    # Given 4,500.00 in the till on 11-10, and 800.00 paid out on 11-22,
    cash(village, 10, 450_000)
    cash(village, 22, -80_000)
    # when 1,000.00 is drawn from the bank on 11-20,
    drawn = village.books.post_voucher(ORG, VoucherDraft(
        date=date(2026, 11, 20), summary="提现", lines=(Line("101", debit=100_000),
                                                        Line("102", credit=100_000))),
        actor="kuaiji").value.number
    # then the till held 5,500.00 at the end of 11-20 (over the 5,000.00 limit), which the
    # warning names; the 800.00 paid out later does not come off that day's figure.
    [flag] = red_flags(village)
    assert (flag.kind, flag.key, flag.date) == ("cash_over_limit", drawn, date(2026, 11, 20))
    assert flag.trigger["after"] == "5500.00"


def test_a_receipt_dated_back_takes_a_later_day_over_the_limit(village: Ledger) -> None:
    # Given 4,900.00 received on 11-15 after nothing before,
    cash(village, 15, 490_000)
    # when 200.00 received is dated 11-03,
    late = cash(village, 3, 20_000)
    # then 11-03 holds 200.00 only, but 11-15 now holds 5,100.00: over the limit on the 15th.
    [flag] = red_flags(village)
    assert (flag.kind, flag.key, flag.date, flag.trigger["after"]) == (
        "cash_over_limit", late, date(2026, 11, 15), "5100.00")


def test_a_month_closed_lets_its_days_go(village: Ledger, clock: Clock) -> None:
    # Given cash moved on 11-03 (and nothing else),
    cash(village, 3, 10_000)
    assert village.books.of(ORG).cash_days == {"2026-11-03": 10_000}
    # when the months through November close, then no day of theirs is kept.
    clock.today = date(2026, 12, 5)
    for month in range(1, 12):
        village.books.close_period(ORG, Period(2026, month), actor="kuaiji")
    assert village.books.of(ORG).cash_days == {}


def test_books_snapshotted_before_cash_by_day_are_read_again_from_their_events(
        village: Ledger, storage: Storage, clock: Clock) -> None:
    # Given the books snapshotted in the shape they had before cash was kept by day,
    cash(village, 1, 100_000)
    cash(village, 20, 200_000)
    books = village.books.of(ORG)
    old = Books.Snapshot.take(books)
    del old.state["cash_days"]
    old.state.pop("class_version", None)
    village.snapshots.put([old])
    # when another process posts a payment dated back,
    fresh = open_ledger(storage, clock=clock, cipher=village.cipher)
    try:
        # (both the books and their organization cached, as a serving process has them)
        restored = fresh.repository.get(Books.id_for(ORG))
        fresh.repository.get(Organization.id_for(ORG))
        assert restored.cash_days is None  # the old snapshot tells no days
        paid = cash(fresh, 2, -300_000, "清扫劳务费")
        # then its books were read from their events, and the day below zero is found.
        [flag] = red_flags(fresh)
        assert (flag.kind, flag.key, flag.date) == ("cash_negative", paid, date(2026, 11, 2))
    finally:
        fresh.close()
