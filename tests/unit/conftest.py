"""Fixtures of the domain's unit tests: fresh books, and a registered village in a memory ledger.

Each test reads "given these events or this state, when this command, then these new events or
this domain error"; the fixtures only build the "given".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from ledger.application import Ledger
from ledger.books import Books, Line, Period, Voucher, VoucherDraft
from ledger.kernel.chart import get_chart
from ledger.kernel.writing import Outcome

START = date(2025, 1, 1)
ACTOR = "会计"


@pytest.fixture
def books() -> Books:
    """Books of village "v1" opened on 2025-01-01, with the opening event already collected."""
    opened = Books.open(org="v1", chart=get_chart("mof-2023-village"), books_start=START,
                        actor=ACTOR)
    opened.collect_events()
    return opened


@pytest.fixture
def village(memory_ledger: Ledger) -> Ledger:
    """A memory ledger in which village "v1" is registered, its books starting 2025-01-01."""
    memory_ledger.books.register_organization(code="v1", name_zh="小岗村股份经济合作社",
                                              kind="village_collective", books_start=START,
                                              actor=ACTOR)
    return memory_ledger


@pytest.fixture
def post(village: Ledger) -> Callable[..., Outcome[Voucher]]:
    """post(day, Line(...), Line(...), summary=..., kind=...) posts a voucher in village "v1"."""

    def _post(day: date, *lines: Line, summary: str = "记账", kind: str = "regular",
              actor: str = ACTOR) -> Outcome[Voucher]:
        draft = VoucherDraft(date=day, summary=summary, lines=tuple(lines), kind=kind)
        return village.books.post_voucher("v1", draft, actor=actor)

    return _post


@pytest.fixture
def close_months(village: Ledger) -> Callable[..., None]:
    """close_months(first, last) closes every month of village "v1" from first to last."""

    def _close(first: Period, last: Period, actor: str = ACTOR) -> None:
        period = first
        while period <= last:
            village.books.close_period("v1", period, actor=actor)
            period = period.next()

    return _close
