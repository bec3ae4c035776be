"""The application's commands for matters decided by 四议两公开: propose, hold each meeting in
turn, record the resolution carried out. Disclosing a resolution or its result is publishing a
disclosure of that kind, which records itself on the matter in the same write.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

from eventsourcing.application import AggregateNotFoundError

from ledger.aggregate import LedgerAggregate
from ledger.books import Books
from ledger.errors import InvalidMatter, LedgerError, MatterNotFound
from ledger.idempotency import RequestKey
from ledger.matters import Matter
from ledger.numbering import NumberBook
from ledger.organizations import Organization


class _Application(Protocol):
    clock: Callable[[], date]
    repository: Any

    def _write(self, lock_key: str, request: RequestKey | None, actor: str,
               decide: Callable[[], tuple[Any, list[LedgerAggregate]]]) -> Any: ...

    def organization(self, code: str) -> Organization: ...

    def books(self, org: str) -> Books: ...

    def matter(self, org: str, number: str) -> Matter: ...

    def number_book(self, org: str, series: str, year: int, actor: str) -> NumberBook: ...


class DecisionCommands:
    def matter(self: _Application, org: str, number: str) -> Matter:
        try:
            matter: Matter = self.repository.get(Matter.id_for(org, number))
        except AggregateNotFoundError:
            raise MatterNotFound(f"no matter {number}", matter=number) from None
        return matter

    def number_book(self: _Application, org: str, series: str, year: int,
                    actor: str) -> NumberBook:
        """The series' book for the year, opened by the first number taken from it."""
        try:
            book: NumberBook = self.repository.get(NumberBook.id_for(org, series, year))
        except AggregateNotFoundError:
            book = NumberBook.open(org=org, series=series, year=year, actor=actor)
        return book

    def propose_matter(
        self: _Application, org: str, *, on: date, title: str, category: str,
        description: str, proposed_by: str, budget_total: int,
        budget_lines: list[dict[str, Any]], actor: str, request: RequestKey | None = None,
    ) -> Any:
        def decide() -> tuple[Matter, list[LedgerAggregate]]:
            organization = self.organization(org)
            books = self.books(org)
            for i, line in enumerate(budget_lines):
                try:
                    books.account(str(line.get("account", "")))
                except LedgerError:
                    raise InvalidMatter(f"no account {line.get('account')} in these books",
                                        field=f"budget_lines[{i}].account") from None
            numbers = self.number_book(org, "matter", on.year, actor)
            matter = Matter.propose(
                org=org, number=numbers.take(actor), on=on, today=self.clock(), title=title,
                category=category, description=description, proposed_by=proposed_by,
                budget_total=budget_total, budget_lines=budget_lines,
                settings=organization.settings, actor=actor)
            return matter, [numbers, matter]

        return self._write(f"{org}/matters", request, actor, decide)

    def hold_meeting(
        self: _Application, org: str, number: str, *, step: str, on: date, body: str = "",
        entitled: int, present: int, votes_for: int, votes_against: int = 0, abstain: int = 0,
        minutes: str = "", resolution_no: str = "", actor: str,
        request: RequestKey | None = None,
    ) -> Any:
        """Record one step's meeting; a meeting that fails its quorum or vote stops the matter."""
        def decide() -> tuple[Matter, list[LedgerAggregate]]:
            matter = self.matter(org, number)
            matter.hold_meeting(step=step, on=on, today=self.clock(), body=body,
                                entitled=entitled, present=present, votes_for=votes_for,
                                votes_against=votes_against, abstain=abstain, minutes=minutes,
                                resolution_no=resolution_no, actor=actor)
            return matter, [matter]

        return self._write(f"{org}/matter/{number}", request, actor, decide)

    def carry_out_matter(self: _Application, org: str, number: str, *, on: date, summary: str,
                         actor: str, request: RequestKey | None = None) -> Any:
        def decide() -> tuple[Matter, list[LedgerAggregate]]:
            matter = self.matter(org, number)
            matter.carry_out(on=on, today=self.clock(), summary=summary, actor=actor)
            return matter, [matter]

        return self._write(f"{org}/matter/{number}", request, actor, decide)
