"""A command works on a copy of the books taken from the cache, so that a command that fails
leaves the cache as it was: the copy shares no dict or list with the cached books."""

from __future__ import annotations

import copy
from datetime import date

from ledger.application import Ledger
from ledger.books import Line, VoucherDraft

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
