"""A numbering book (编号簿) hands out the numbers of one series (receipts, spending requests,
grants, matters) of one organization and year, one after the other with no gap and no repeat.

Taking a number is an event written in the same atomic append as what it numbers, so a number is
used exactly when the thing exists; a losing writer decides again and takes the next one.
"""

from __future__ import annotations

from uuid import UUID

from ledger.kernel.aggregate import LedgerAggregate, stable_id
from ledger.kernel.topics import stored_as

SERIES = {"receipt": "R", "spending": "S", "matter": "M", "grant": "G"}


@stored_as("ledger.numbering")
class NumberBook(LedgerAggregate):
    class Opened(LedgerAggregate.Created):
        org: str
        series: str
        year: int

    class NumberTaken(LedgerAggregate.Event):
        number: str

        def apply(self, book: NumberBook) -> None:
            book.last += 1

    def __init__(self, org: str, series: str, year: int, actor: str) -> None:
        self.org = org
        self.series = series
        self.year = year
        self.last = 0

    @staticmethod
    def id_for(org: str, series: str, year: int) -> UUID:
        return stable_id("numbers", org, series, str(year))

    @classmethod
    def open(cls, *, org: str, series: str, year: int, actor: str) -> NumberBook:
        if series not in SERIES:
            raise ValueError(f"no series {series}")
        return cls._create(cls.Opened, id=cls.id_for(org, series, year), org=org, series=series,
                           year=year, actor=actor)

    def take(self, actor: str) -> str:
        """The next number, e.g. R2026-0001 for the first receipt of 2026."""
        number = f"{SERIES[self.series]}{self.year}-{self.last + 1:04d}"
        self.trigger_event(self.NumberTaken, number=number, actor=actor)
        return number
