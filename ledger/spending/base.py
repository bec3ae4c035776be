"""What every command of spending stands on: the store it writes through, the books (the
organization, its accounts, its numbers, the posting service), identity (who holds which role)
and the clock; and the matters, requests, grants and payment registers each command loads.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ledger.books import BooksCommands
from ledger.identity import IdentityCommands
from ledger.kernel.writing import Store
from ledger.spending.errors import GrantNotFound, MatterNotFound, SpendingNotFound
from ledger.spending.grants import Grant
from ledger.spending.matters import Matter
from ledger.spending.payments import PaymentRegister
from ledger.spending.spending_requests import SpendingRequest


class SpendingBase:
    def __init__(self, store: Store, *, books: BooksCommands, identity: IdentityCommands,
                 clock: Callable[[], date],
                 decision_gate: Callable[[Matter, date], None] | None = None) -> None:
        self.store = store
        self.books = books
        self.identity = identity
        self.clock = clock
        # What must hold before a matter's deciding meeting is recorded, beyond the matter's own
        # rules: a distribution plan disclosed ten days before. Handed in by the application,
        # because the distribution is decided through matters and so sits above them.
        self.decision_gate = decision_gate

    def matter(self, org: str, number: str) -> Matter:
        return self.store.load(Matter, Matter.id_for(org, number), lambda: (
            MatterNotFound(f"no matter {number}", matter=number)))

    def spending_request(self, org: str, number: str) -> SpendingRequest:
        return self.store.load(SpendingRequest, SpendingRequest.id_for(org, number), lambda: (
            SpendingNotFound(f"no spending request {number}", request=number)))

    def grant(self, org: str, number: str) -> Grant:
        return self.store.load(Grant, Grant.id_for(org, number), lambda: (
            GrantNotFound(f"no grant {number}", grant=number)))

    def payment_registers(self, org: str, year: int, actor: str) -> list[PaymentRegister]:
        """This year's register, after last year's when it exists: the window in which split
        payments are looked for may cross New Year."""
        last_year = self.store.find(PaymentRegister, PaymentRegister.id_for(org, year - 1))
        this_year = self.store.load_or_open(
            PaymentRegister, PaymentRegister.id_for(org, year),
            lambda: PaymentRegister.open(org=org, year=year, actor=actor))
        return [*([last_year] if last_year is not None else []), this_year]
