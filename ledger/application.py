"""The ledger application: each command loads the aggregates it concerns, lets them check the rules,
and writes all resulting events in one atomic append.

Two writers of the same books are told apart by the event store's optimistic concurrency: the
loser's append fails as a whole and the command is decided again on the fresh state, so a
conflict is never lost or doubled, and numbers stay gap-free.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder
from eventsourcing.utils import EnvType

from ledger.aggregate import DateAsISO, LedgerAggregate, dataclass_transcoding
from ledger.books import Books
from ledger.chart import get_chart
from ledger.deciding import DecisionCommands
from ledger.disclosing import DisclosureCommands
from ledger.errors import (
    BooksNotKept,
    ConcurrentUpdate,
    DateOutOfRange,
    InvalidUser,
    InvalidVoucherLine,
    OrganizationExists,
    OrganizationNotFound,
    TokenNotFound,
    UserExists,
    UserNotFound,
    VoucherNotFound,
)
from ledger.idempotency import IdempotencyKey, RequestKey
from ledger.importing import ImportCommands
from ledger.members import Household, MemberRoll, Person
from ledger.numbering import NumberBook
from ledger.organizations import NO_BOOKS, Organization
from ledger.paying import SpendingCommands, cash_flags
from ledger.payments import PaymentRegister
from ledger.periods import Period
from ledger.personal import PersonalDataCipher
from ledger.receiving import ReceivingCommands
from ledger.registering import MemberCommands
from ledger.shares import ShareClass, ShareRegister
from ledger.tokens import ApiToken, parse
from ledger.users import EVERY_ORG, User, check_password
from ledger.vouchers import Voucher, VoucherDraft, voucher_id

T = TypeVar("T", bound=LedgerAggregate)
MAX_ATTEMPTS = 40
NUMBER = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{4,}")
CHINA = ZoneInfo("Asia/Shanghai")


def china_today() -> date:
    """Vouchers are dated by the calendar of the villages, not of the server."""
    return datetime.now(CHINA).date()


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a command produced, and the event-log position a reader must reach to see it."""

    value: T
    position: int
    replayed: bool = False


class Ledger(DisclosureCommands, DecisionCommands, SpendingCommands, ReceivingCommands,
             MemberCommands, ImportCommands, Application[UUID]):
    name = "ledger"
    # The library reads this class attribute: the aggregates that grow with every posting.
    snapshotting_intervals = {Books: 100, NumberBook: 100, PaymentRegister: 100,  # noqa: RUF012
                              MemberRoll: 100, ShareRegister: 100}

    def __init__(self, env: EnvType | None = None, *,
                 clock: Callable[[], date] = china_today,
                 now: Callable[[], datetime] = utc_now,
                 passwords: PasswordHasher | None = None,
                 cipher: PersonalDataCipher | None = None) -> None:
        super().__init__(env)
        self.cipher = cipher
        self.clock = clock
        self.now = now
        self.passwords = passwords or PasswordHasher()
        self._no_such_user_hash = ""
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        for record, name in ((Person, "member"), (Household, "household"),
                             (ShareClass, "share_class")):
            transcoder.register(dataclass_transcoding(record, name))

    # -- commands ---------------------------------------------------------------------------

    def register_organization(
        self,
        *,
        code: str,
        name_zh: str,
        kind: str,
        books_start: date,
        actor: str,
        name_en: str = "",
        chart: str = "mof-2023-village",
        request: RequestKey | None = None,
    ) -> Outcome[Organization]:
        def decide() -> tuple[Organization, list[LedgerAggregate]]:
            org = Organization.register(code=code, name_zh=name_zh, name_en=name_en, kind=kind,
                                        chart=chart, books_start=books_start, actor=actor)
            if org.id in self.repository:
                raise OrganizationExists(f"an organization with code {code} exists",
                                         field="code", code=code)
            if chart == NO_BOOKS:
                return org, [org]
            books = Books.open(org=code, chart=get_chart(chart), books_start=books_start,
                               actor=actor)
            return org, [org, books]

        return self._write(code, request, actor, decide)

    def open_account(
        self, org: str, *, parent: str, code: str, name_zh: str, actor: str,
        name_en: str = "", request: RequestKey | None = None,
    ) -> Outcome[Books]:
        def decide() -> tuple[Books, list[LedgerAggregate]]:
            books = self.books(org)
            books.open_sub_account(parent=parent, code=code, name_zh=name_zh, name_en=name_en,
                                   actor=actor)
            return books, [books]

        return self._write(org, request, actor, decide)

    def close_account(
        self, org: str, code: str, *, reason: str, actor: str, request: RequestKey | None = None
    ) -> Outcome[Books]:
        def decide() -> tuple[Books, list[LedgerAggregate]]:
            books = self.books(org)
            books.close_account(code, reason=reason, actor=actor)
            return books, [books]

        return self._write(org, request, actor, decide)

    def post_voucher(
        self, org: str, draft: VoucherDraft, *, actor: str, request: RequestKey | None = None
    ) -> Outcome[Voucher]:
        draft.check()

        def decide() -> tuple[Voucher, list[LedgerAggregate]]:
            books = self.books(org)
            self._check_parties(org, draft)
            cash_before = books.balance_within(books.chart_spec.cash)
            number = books.enter_voucher(draft, today=self.clock(), actor=actor)
            voucher = Voucher.post(org=org, number=number, draft=draft, actor=actor)
            flags = cash_flags(self.organization(org), books, cash_before, voucher, actor)
            return voucher, [books, voucher, *flags]

        return self._write(org, request, actor, decide)

    def reverse_voucher(
        self, org: str, ref: str, *, on: date, reason: str, actor: str,
        request: RequestKey | None = None,
    ) -> Outcome[Voucher]:
        def decide() -> tuple[Voucher, list[LedgerAggregate]]:
            books = self.books(org)
            cash_before = books.balance_within(books.chart_spec.cash)
            original = self.voucher(org, ref)
            draft = original.reversal_draft(on, reason)
            if on < original.date:
                raise DateOutOfRange(
                    f"a reversal cannot be dated before the voucher it reverses "
                    f"({original.date.isoformat()})", field="date")
            number = books.enter_voucher(draft, today=self.clock(), actor=actor,
                                         reverses=original.number)
            reversal = Voucher.post(org=org, number=number, draft=draft, actor=actor,
                                    reverses=original.number, reason=reason.strip())
            original.mark_reversed(reversal, reason.strip(), actor)
            flags = cash_flags(self.organization(org), books, cash_before, reversal, actor)
            return reversal, [books, reversal, original, *flags]

        return self._write(org, request, actor, decide)

    def close_period(
        self, org: str, period: Period, *, actor: str, request: RequestKey | None = None
    ) -> Outcome[Books]:
        def decide() -> tuple[Books, list[LedgerAggregate]]:
            books = self.books(org)
            books.close_period(period, today=self.clock(), actor=actor)
            return books, [books]

        return self._write(org, request, actor, decide)

    def close_year(
        self, org: str, year: int, *, actor: str, request: RequestKey | None = None
    ) -> Outcome[Books]:
        def decide() -> tuple[Books, list[LedgerAggregate]]:
            books = self.books(org)
            entered = books.close_year(year, today=self.clock(), actor=actor)
            vouchers = [Voucher.post(org=org, number=number, draft=draft, actor=actor)
                        for draft, number in entered]
            return books, [books, *vouchers]

        return self._write(org, request, actor, decide)

    # -- identity ---------------------------------------------------------------------------

    def create_user(
        self, *, login: str, display_name: str, password: str, actor: str,
        request: RequestKey | None = None,
    ) -> Outcome[User]:
        check_password(password)
        password_hash = self.passwords.hash(password)

        def decide() -> tuple[User, list[LedgerAggregate]]:
            user = User.register(login=login, display_name=display_name,
                                 password_hash=password_hash, actor=actor)
            if user.id in self.repository:
                raise UserExists(f"the login {login} is taken", field="login", login=login)
            return user, [user]

        return self._write(f"user:{login}", request, actor, decide)

    def change_password(self, login: str, *, password: str, actor: str,
                        current_password: str | None = None,
                        request: RequestKey | None = None) -> Outcome[User]:
        """Set a new password; a user changing their own proves the current one first."""
        if current_password is not None and self.authenticate_password(
                login, current_password) is None:
            raise InvalidUser("this is not the current password", field="current_password")
        check_password(password)
        password_hash = self.passwords.hash(password)

        def decide() -> tuple[User, list[LedgerAggregate]]:
            user = self.user(login)
            user.change_password(password_hash, actor=actor)
            return user, [user]

        return self._write(f"user:{login}", request, actor, decide)

    def grant_role(self, login: str, *, org: str, role: str, reason: str, actor: str,
                   request: RequestKey | None = None) -> Outcome[User]:
        def decide() -> tuple[User, list[LedgerAggregate]]:
            self._check_org_exists(org)
            user = self.user(login)
            user.grant(org, role, reason=reason, actor=actor)
            return user, [user]

        return self._write(f"user:{login}", request, actor, decide)

    def revoke_role(self, login: str, *, org: str, role: str, reason: str, actor: str,
                    request: RequestKey | None = None) -> Outcome[User]:
        def decide() -> tuple[User, list[LedgerAggregate]]:
            user = self.user(login)
            user.revoke(org, role, reason=reason, actor=actor)
            return user, [user]

        return self._write(f"user:{login}", request, actor, decide)

    def issue_token(self, login: str, *, label: str, expires_at: datetime | None, actor: str,
                    request: RequestKey | None = None) -> tuple[Outcome[ApiToken], str | None]:
        """The token, and its plaintext, which nobody can see again; None when replayed."""
        plaintext: list[str] = []

        def decide() -> tuple[ApiToken, list[LedgerAggregate]]:
            self.user(login)
            token, secret = ApiToken.issue(login=login, label=label, expires_at=expires_at,
                                           now=self.now(), actor=actor)
            plaintext[:] = [secret]
            return token, [token]

        outcome = self._write(f"user:{login}", request, actor, decide)
        return outcome, None if outcome.replayed else plaintext[0]

    def revoke_token(self, login: str, token_id: UUID, *, reason: str, actor: str,
                     request: RequestKey | None = None) -> Outcome[ApiToken]:
        def decide() -> tuple[ApiToken, list[LedgerAggregate]]:
            token = self.token(login, token_id)
            token.revoke(reason=reason, actor=actor)
            return token, [token]

        return self._write(f"user:{login}", request, actor, decide)

    def authenticate_token(self, token: str) -> User | None:
        """The user a bearer token stands for, or None: unknown, expired or revoked."""
        parsed = parse(token)
        if parsed is None:
            return None
        token_id, secret = parsed
        try:
            stored: ApiToken = self.repository.get(token_id)
        except AggregateNotFoundError:
            return None
        if not isinstance(stored, ApiToken) or not stored.is_valid(secret, self.now()):
            return None
        return self.user(stored.login)

    def authenticate_password(self, login: str, password: str) -> User | None:
        try:
            user = self.user(login)
        except (UserNotFound, InvalidUser):
            user = None
        if not self._no_such_user_hash:
            # Checked against when a login does not exist, so a miss takes as long as a hit.
            self._no_such_user_hash = self.passwords.hash("no such user")
        try:
            self.passwords.verify(user.password_hash if user else self._no_such_user_hash,
                                  password)
        except VerificationError:
            return None
        return user

    def _check_parties(self, org: str, draft: VoucherDraft) -> None:
        """A line names someone on the roll, or no one; a name that is not there is a typo."""
        named = [(i, line.party) for i, line in enumerate(draft.lines) if line.party]
        if not named:
            return
        roll = self.member_roll(org)
        for i, party in named:
            kind, _, ref = party.partition(":")
            if ref not in (roll.members if kind == "member" else roll.households):
                raise InvalidVoucherLine(f"no {kind} {ref} on the roll",
                                         field=f"lines[{i}].party")

    def _check_org_exists(self, org: str) -> None:
        if org != EVERY_ORG and Organization.id_for(org) not in self.repository:
            raise InvalidUser(f"no organization {org}", field="org")

    # -- the few reads that need aggregates --------------------------------------------------

    def user(self, login: str) -> User:
        try:
            user: User = self.repository.get(User.id_for(login))
        except AggregateNotFoundError:
            raise UserNotFound(f"no user {login}", login=login) from None
        return user

    def token(self, login: str, token_id: UUID) -> ApiToken:
        try:
            token: ApiToken = self.repository.get(token_id)
        except AggregateNotFoundError:
            token = None  # type: ignore[assignment]
        if not isinstance(token, ApiToken) or token.login != login:
            raise TokenNotFound("no such token of yours", token=str(token_id))
        return token

    def organization(self, code: str) -> Organization:
        try:
            return self.repository.get(Organization.id_for(code))
        except AggregateNotFoundError:
            raise OrganizationNotFound(f"no organization {code}", code=code) from None

    def books(self, org: str) -> Books:
        try:
            return self.repository.get(Books.id_for(org))
        except AggregateNotFoundError:
            if self.organization(org).chart == NO_BOOKS:
                raise BooksNotKept(
                    "a farmers' cooperative's books are not kept here yet: its chart of accounts "
                    "(财会〔2021〕37号) is still to come; its members and member accounts are",
                    code=org) from None
            raise OrganizationNotFound(f"no organization {org}", code=org) from None

    def voucher(self, org: str, ref: str) -> Voucher:
        """A voucher by its number (2025-03-0007) or id, within one organization only."""
        try:
            vid = voucher_id(org, ref) if NUMBER.fullmatch(ref) else UUID(ref)
        except ValueError:
            raise VoucherNotFound(f"no voucher {ref}", voucher=ref) from None
        try:
            voucher: Voucher = self.repository.get(vid)
        except AggregateNotFoundError:
            raise VoucherNotFound(f"no voucher {ref}", voucher=ref) from None
        if not isinstance(voucher, Voucher) or voucher.org != org:
            raise VoucherNotFound(f"no voucher {ref}", voucher=ref)
        return voucher

    def log_head(self) -> int:
        return self.recorder.max_notification_id() or 0

    # -- writing ----------------------------------------------------------------------------

    def _write(
        self,
        lock_key: str,
        request: RequestKey | None,
        actor: str,
        decide: Callable[[], tuple[Any, list[LedgerAggregate]]],
    ) -> Outcome[Any]:
        # Threads of one process queue here instead of colliding in the database; other
        # processes are told apart by the append's version check and decide again.
        with self._lock(lock_key):
            for attempt in range(MAX_ATTEMPTS):
                if request is not None:
                    replayed = self._replay(request)
                    if replayed is not None:
                        return replayed
                value, changed = decide()
                if request is not None:
                    changed.append(IdempotencyKey.use(
                        request, result_id=value.id, result_version=value.version, actor=actor))
                try:
                    recordings = self.save(*changed)
                except IntegrityError:
                    time.sleep(random.uniform(0, min(0.25, 0.002 * 2**attempt)))
                    continue
                return Outcome(value, recordings[-1].notification.id)
        raise ConcurrentUpdate(f"gave up after {MAX_ATTEMPTS} attempts; nothing was written")

    def _replay(self, request: RequestKey) -> Outcome[Any] | None:
        used = self._used(request)
        if used is None:
            return None
        used.check_same_request(request)
        value = self.repository.get(used.result_id, version=used.result_version)
        # The first write's own position is not kept; the log's head is at or after it, so a
        # reader that waits for it still reads its own write.
        return Outcome(value, position=self.log_head(), replayed=True)

    def _used(self, request: RequestKey) -> IdempotencyKey | None:
        try:
            return self.repository.get(request.id)
        except AggregateNotFoundError:
            pass
        if not request.scope:
            return None
        # A retry of a request first sent before keys were scoped: the same digest means the
        # same method, path (so organization and operation) and body, so it is that request.
        try:
            legacy: IdempotencyKey = self.repository.get(IdempotencyKey.id_for(request.key))
        except AggregateNotFoundError:
            return None
        return legacy if legacy.digest == request.digest else None

    @contextmanager
    def _lock(self, key: str) -> Iterator[None]:
        with self._locks_guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            yield
