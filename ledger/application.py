"""The ledger application: the event store, and the commands of each part of the village's
business composed over it — `ledger.books`, `ledger.register`, `ledger.spending`,
`ledger.distribution`, `ledger.disclosure`, `ledger.identity`. Each part writes through one
store; the application only hands each part what it needs of the others.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from uuid import UUID

from argon2 import PasswordHasher
from eventsourcing.application import Application, ProcessingEvent
from eventsourcing.persistence import JSONTranscoder
from eventsourcing.utils import EnvType

from ledger.books import Books, BooksCommands, NumberBook, Organization, Voucher
from ledger.cooperative import MemberAccountCommands, SurplusCommands, check_additional_votes
from ledger.disclosure import DisclosureCommands
from ledger.distribution import Distribution, DistributionCommands
from ledger.identity import IdentityCommands
from ledger.kernel.aggregate import DateAsISO, dataclass_transcoding
from ledger.kernel.clock import china_today, utc_now
from ledger.kernel.personal import PersonalDataCipher
from ledger.kernel.writing import Store, WriteGate
from ledger.register import (
    Household,
    MemberRoll,
    Person,
    RegisterCommands,
    ShareClass,
    ShareRegister,
)
from ledger.spending import PaymentRegister, SpendingCommands


class Ledger(Application[UUID]):
    name = "ledger"
    # The library reads this class attribute: the aggregates that grow with every posting.
    snapshotting_intervals = {Books: 100, NumberBook: 100, PaymentRegister: 100,  # noqa: RUF012
                              MemberRoll: 100, ShareRegister: 100, Distribution: 100}

    def __init__(self, env: EnvType | None = None, *,
                 clock: Callable[[], date] = china_today,
                 now: Callable[[], datetime] = utc_now,
                 passwords: PasswordHasher | None = None,
                 cipher: PersonalDataCipher | None = None,
                 gate: WriteGate | None = None) -> None:
        super().__init__(env)
        self.clock = clock
        self.cipher = cipher  # the key that seals personal data, for the edge to open it
        # The storage's write gate lets one writer of an organization in at a time across
        # processes; without one, only this process's threads take turns.
        self.store = Store(self, gate)
        self.identity = IdentityCommands(
            self.store, now=now, passwords=passwords or PasswordHasher(),
            org_exists=lambda org: self.store.exists(Organization.id_for(org)))
        self.register = RegisterCommands(self.store, organization=self._organization,
                                         cipher=cipher, clock=clock)
        self.books = BooksCommands(
            self.store, clock=clock, check_parties=self.register.check_parties,
            check_settings=lambda organization, changes: check_additional_votes(
                organization, changes, lambda: self.register.member_roll(organization.code),
                clock()), paid_by=self._paid_by)
        self.spending = SpendingCommands(
            self.store, books=self.books, identity=self.identity, clock=clock,
            decision_gate=lambda matter, on: self.distribution.check_decision(matter, on))
        self.distribution = DistributionCommands(self.store, books=self.books,
                                                 register=self.register,
                                                 spending=self.spending, clock=clock,
                                                 surplus_now=lambda d: self.surplus.now(d))
        # A cooperative's surplus plan (Art. 44), posted and paid by the distribution's commands.
        self.surplus = SurplusCommands(self.store, books=self.books, register=self.register,
                                       distribution=self.distribution, clock=clock)
        # A cooperative's contributions and trade, posted to its books (财会〔2021〕37号).
        self.member_accounts = MemberAccountCommands(self.store, books=self.books,
                                                     register=self.register,
                                                     distribution=self.distribution, clock=clock)
        self.disclosure = DisclosureCommands(self.store, books=self.books,
                                             identity=self.identity, spending=self.spending,
                                             distribution=self.distribution, cipher=cipher,
                                             clock=clock)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        for record, name in ((Person, "member"), (Household, "household"),
                             (ShareClass, "share_class")):
            transcoder.register(dataclass_transcoding(record, name))

    def log_head(self) -> int:
        return self.store.log_head()

    def close(self) -> None:
        self.store.close()
        super().close()

    def _take_snapshots(self, processing_event: ProcessingEvent[UUID]) -> None:
        """One snapshot per aggregate and save, of the aggregate as saved: the library would
        take one at every interval the save crossed, each replaying the events since the last,
        so that importing a year of vouchers (10,000 events on the books) took a hundred
        snapshots where only the newest is ever read."""
        crossed: set[UUID] = set()
        for event in processing_event.events:
            aggregate = processing_event.aggregates.get(event.originator_id)
            interval = self.snapshotting_intervals.get(type(aggregate))
            if interval and event.originator_version % interval == 0:
                crossed.add(event.originator_id)
        if self.snapshots is None:
            return
        for aggregate_id in crossed:
            aggregate = processing_event.aggregates[aggregate_id]
            self.snapshots.put([type(aggregate).Snapshot.take(aggregate)])

    def _organization(self, code: str) -> Organization:
        # The register is made before the books it reads organizations from.
        return self.books.organization(code)

    def _paid_by(self, org: str, voucher: Voucher) -> tuple[str, str] | None:
        """The record a voucher paid or posted, as a reader names it: a spending request (the
        year's payment register holds its payment) or a distribution (its posting, or a payout),
        so that the voucher is not reversed alone (ledger/books/commands.py)."""
        year = voucher.date.year
        register = self.store.find(PaymentRegister, PaymentRegister.id_for(org, year),
                                   copy=False)
        for payment in register.payments if register is not None else ():
            if payment["voucher"] == voucher.number:
                return "spending_request", str(payment["request"])
        for plan in (*self.distribution.of_year(org, year - 1),
                     *self.distribution.of_year(org, year)):
            if voucher.number == plan.voucher or any(
                    paid["voucher"] == voucher.number for paid in plan.paid.values()):
                return "distribution", str(plan.number)
        return None
