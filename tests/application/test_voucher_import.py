"""Importing vouchers as the ledger sees it: one atomic write of the books and every voucher,
one snapshot of the books per write however many intervals it crossed, read back exactly as
replayed; and a refused import leaves no trace, not even in the aggregates it loaded."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from infra.storage import Storage
from ledger.application import Ledger
from ledger.books import Books, Line, SheetVoucher, VoucherDraft, VouchersRejected
from projections.runner import open_ledger
from tests.application.test_members import public_state
from tests.conftest import Clock

ORG = "dongcun"


def sheet(count: int, *, start_row: int = 2) -> list[SheetVoucher]:
    """`count` vouchers: cash received for rent, two rows each."""
    vouchers = []
    for i in range(count):
        day = date(2025, 1, 1) + timedelta(days=i % 300)
        amount = 10_000 + i
        draft = VoucherDraft(date=day, summary="收取门面房租金",
                             lines=(Line("101", debit=amount), Line("50101", credit=amount)))
        row = start_row + 2 * i
        vouchers.append(SheetVoucher(number=f"S{i}", rows=(row, row + 1), draft=draft))
    return vouchers


@pytest.fixture
def books(ledger: Ledger) -> Ledger:
    ledger.books.register_organization(code=ORG, name_zh="东村", kind="village_collective",
                                       books_start=date(2025, 1, 1), actor="admin")
    ledger.books.open_account(ORG, parent="501", code="50101", name_zh="出租收入", actor="kuaiji")
    return ledger


def test_an_import_is_one_write_with_one_snapshot_read_back_as_replayed(
        books: Ledger, storage: Storage, clock: Clock, monkeypatch) -> None:
    # given 250 vouchers, which take the books past versions 100 and 200
    snapshots = []
    real_put = books.snapshots.put
    monkeypatch.setattr(books.snapshots, "put", lambda s: snapshots.append(s) or real_put(s))
    head = books.log_head()
    # when they are imported
    outcome = books.books.import_vouchers(ORG, sheet(250), actor="kuaiji")
    # then the books and 250 vouchers (and the cash warnings) are in the log, in one write
    assert outcome.position - head >= 1 + 250
    assert len(snapshots) == 1 and snapshots[0][0].originator_version == outcome.value.version
    fresh = open_ledger(storage, clock=clock, cipher=books.cipher)
    try:
        replayed = None
        for event in fresh.events.get(Books.id_for(ORG)):
            replayed = event.mutate(replayed)
        assert public_state(fresh.repository.get(Books.id_for(ORG))) == public_state(replayed)
        assert fresh.books.of(ORG).counters["2025-01"] == 31
    finally:
        fresh.close()


def test_a_refused_import_names_every_row_and_changes_nothing(books: Ledger) -> None:
    # given a sheet whose 3rd voucher posts to a parent account and 5th is dated in the future
    vouchers = sheet(6)
    bad = vouchers[2]
    vouchers[2] = SheetVoucher(bad.number, bad.rows, VoucherDraft(
        date=bad.draft.date, summary=bad.draft.summary,
        lines=(bad.draft.lines[0], Line("501", credit=bad.draft.lines[0].debit))))
    late = vouchers[4]
    vouchers[4] = SheetVoucher(late.number, late.rows, VoucherDraft(
        date=date(2027, 1, 1), summary=late.draft.summary, lines=late.draft.lines))
    head = books.log_head()
    version = books.books.of(ORG).version
    # when it is imported
    with pytest.raises(VouchersRejected) as refused:
        books.books.import_vouchers(ORG, vouchers, actor="kuaiji")
    # then both are named by the sheet's row and column, and nothing is written
    assert [(p["row"], p["column"]) for p in refused.value.context["rows"]] == [
        (7, "account"), (10, "date")]
    assert books.log_head() == head and books.books.of(ORG).version == version
