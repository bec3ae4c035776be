"""A command works on a copy of the books taken from the cache, so that a command that fails
leaves the cache as it was: the copy shares no dict or list with the cached books."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from ledger.application import Ledger
from ledger.books import Line, VoucherDraft
from ledger.kernel import aggregate

ORG = "sunlight-village"


def test_a_copy_of_the_books_shares_nothing_that_a_command_changes(memory_ledger: Ledger
                                                                    ) -> None:
    memory_ledger.books.register_organization(code=ORG, name_zh="阳光村股份经济合作社",
                                              kind="village_collective",
                                              books_start=date(2025, 1, 1), actor="admin")
    memory_ledger.books.post_voucher(ORG, VoucherDraft(
        date(2025, 3, 9), "购办公用品", (Line("513", debit=1_000), Line("101", credit=1_000))),
        actor="kuaiji")
    books = memory_ledger.books.of(ORG)
    twin = copy.deepcopy(books)
    assert twin.__dict__ == books.__dict__ and type(twin) is type(books)
    twin.accounts["101"]["closed"] = True
    twin.balances["101"] = 0
    twin.counters["2025-03"] = 99
    assert books.accounts["101"]["closed"] is False
    assert books.balances["101"] == -1_000
    assert books.counters == {"2025-03": 1}


def test_the_books_records_are_copied_whole_and_hold_nothing_changed_in_place(
        memory_ledger: Ledger, monkeypatch: Any) -> None:
    """The chart, a year's activity and a year's closing numbers are copied two levels deep by
    the built-in copy, not walked value by value: so they must hold only immutable values."""
    memory_ledger.books.register_organization(code=ORG, name_zh="阳光村股份经济合作社",
                                              kind="village_collective",
                                              books_start=date(2025, 1, 1), actor="admin")
    memory_ledger.books.post_voucher(ORG, VoucherDraft(
        date(2025, 3, 9), "购办公用品", (Line("513", debit=1_000), Line("101", credit=1_000))),
        actor="kuaiji")
    books = memory_ledger.books.of(ORG)
    walked: list[int] = []
    walk = aggregate._plain_copy

    def recording(value: Any, memo: dict[int, Any]) -> Any:
        walked.append(id(value))
        return walk(value, memo)

    monkeypatch.setattr(aggregate, "_plain_copy", recording)
    twin = copy.deepcopy(books)
    assert twin.__dict__ == books.__dict__
    for name in ("accounts", "year_activity", "closing_vouchers"):
        assert id(getattr(books, name)) not in walked
        for key, record in getattr(books, name).items():
            assert getattr(twin, name)[key] is not record
            values = record.values() if isinstance(record, dict) else record
            assert all(type(v) in (str, int, bool, type(None)) for v in values), (name, key)
    assert books.accounts and books.year_activity
