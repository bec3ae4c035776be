"""The books (账簿) of one organization: its accounts, its months, and the numbering of vouchers.

Everything a posting must respect is decided here, in one consistency boundary: the account is an
open leaf, the month is open, the number is the next one of the month with no gap. Months close in
order and never reopen; the year-end close carries income and expenses into 321 本年收益 and the
year's result into 322 收益分配—未分配收益, by vouchers it posts itself.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from ledger.books import cash_days
from ledger.books.accounts import Account, check_new_sub_account, is_within
from ledger.books.errors import (
    AccountAlreadyClosed,
    AccountClosed,
    AccountInUse,
    AccountNotFound,
    AccountNotLeaf,
    DateOutOfRange,
    InvalidAccount,
    OpeningBalancesExist,
    PeriodAlreadyClosed,
    PeriodClosed,
    PeriodNotClosable,
    UnknownAccount,
)
from ledger.books.periods import Period
from ledger.books.vouchers import VoucherDraft
from ledger.books.year_end import check_year_closable, closing_drafts, is_swept
from ledger.kernel.aggregate import LedgerAggregate, stable_id
from ledger.kernel.chart import Chart, get_chart
from ledger.kernel.money import format_fen
from ledger.kernel.topics import stored_as


@stored_as("ledger.books")
class Books(LedgerAggregate):
    class Opened(LedgerAggregate.Created):
        org: str
        chart: str
        books_start: date
        accounts: list[dict[str, str]]

    class SubAccountOpened(LedgerAggregate.Event):
        code: str
        parent: str
        name_zh: str
        name_en: str

        def apply(self, books: Books) -> None:
            parent = books.accounts[self.parent]
            parent["leaf"] = False
            books.accounts[self.code] = {
                "name_zh": self.name_zh,
                "name_en": self.name_en,
                "category": parent["category"],
                "normal_balance": parent["normal_balance"],
                "parent": self.parent,
                "leaf": True,
                "closed": False,
            }

    class AccountsClosed(LedgerAggregate.Event):
        codes: list[str]
        reason: str

        def apply(self, books: Books) -> None:
            for code in self.codes:
                books.accounts[code]["closed"] = True

    class VoucherEntered(LedgerAggregate.Event):
        number: str
        date: date
        kind: str
        amounts: dict[str, int]
        reverses: str | None

        def apply(self, books: Books) -> None:
            period = str(Period.of(self.date))
            books.counters[period] = books.counters.get(period, 0) + 1
            year = books.year_activity.setdefault(str(self.date.year), {})
            for code, amount in self.amounts.items():
                books.balances[code] = books.balances.get(code, 0) + amount
                if books.is_swept_at_year_end(code):
                    year[code] = year.get(code, 0) + amount
            if books.cash_days is not None:
                cash_days.record(books.cash_days, self.amounts, books.chart_spec.cash, self.date)
            if self.kind == "opening":
                books.opening_voucher = self.number
            if self.reverses is not None and self.reverses == books.opening_voucher:
                books.opening_voucher = None

    class PeriodClosed(LedgerAggregate.Event):
        period: str

        def apply(self, books: Books) -> None:
            books.closed_through = self.period
            if books.cash_days is not None:
                cash_days.let_go(books.cash_days, self.period)

    class YearClosed(LedgerAggregate.Event):
        year: int
        closing_vouchers: list[str]

        def apply(self, books: Books) -> None:
            books.closed_through = str(Period(self.year, 12))
            books.closed_year = self.year
            books.closing_vouchers[str(self.year)] = self.closing_vouchers
            books.year_activity.pop(str(self.year), None)
            if books.cash_days is not None:
                cash_days.let_go(books.cash_days, books.closed_through)

    # Every account's record, each year's activity and closing numbers hold only str, int,
    # bool and None: copied two levels deep (LedgerAggregate.__deepcopy__).
    _FLAT_RECORDS = frozenset({"accounts", "year_activity", "closing_vouchers"})

    def __init__(
        self, org: str, chart: str, books_start: date, accounts: list[dict[str, str]]
    ) -> None:
        self.org = org
        self.chart = chart
        self.books_start = books_start
        codes = {spec["code"] for spec in accounts}
        self.accounts: dict[str, dict[str, Any]] = {
            spec["code"]: {
                "name_zh": spec["name_zh"],
                "name_en": spec["name_en"],
                "category": spec["category"],
                "normal_balance": spec["normal_balance"],
                "parent": spec["code"][:-2] if len(spec["code"]) > 3 else None,
                "leaf": not any(c != spec["code"] and c.startswith(spec["code"]) for c in codes),
                "closed": False,
            }
            for spec in accounts
        }
        # Net debit balance of every leaf that ever took a posting (present even when zero).
        self.balances: dict[str, int] = {}
        # Net debit per year of the accounts the year-end close sweeps, for years not yet closed.
        self.year_activity: dict[str, dict[str, int]] = {}
        self.counters: dict[str, int] = {}
        self.closed_through: str | None = None
        self.closed_year: int | None = None
        self.opening_voucher: str | None = None  # its number, while it stands unreversed
        self.closing_vouchers: dict[str, list[str]] = {}  # numbers, by year closed
        # Cash on hand's net debit by day, in the open months (ledger/books/cash_days.py).
        self.cash_days: dict[str, int] | None = {}

    # Version 2 keeps cash_days. A snapshot of version 1 cannot tell them: restored from one,
    # the books are read again from their events (ledger/kernel/fresh.py, `_replayed`).
    class_version = 2

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["cash_days"] = None

    @property
    def restored_whole(self) -> bool:
        return self.cash_days is not None

    @staticmethod
    def id_for(org: str) -> UUID:
        return stable_id("books", org)

    @classmethod
    def open(cls, *, org: str, chart: Chart, books_start: date, actor: str) -> Books:
        return cls._create(cls.Opened, id=cls.id_for(org), org=org, chart=chart.id,
                           books_start=books_start,
                           accounts=[spec.as_event_data() for spec in chart.accounts], actor=actor)

    # -- reading the state ------------------------------------------------------------------

    @property
    def chart_spec(self) -> Chart:
        return get_chart(self.chart)

    def account(self, code: str) -> Account:
        try:
            return Account.from_state(code, self.accounts[code])
        except KeyError:
            raise AccountNotFound(f"no account {code} in these books", code=code) from None

    def is_swept_at_year_end(self, code: str) -> bool:
        return is_swept(self.chart_spec, code, self.accounts[code]["category"])

    def next_open_period(self) -> Period:
        if self.closed_through is None:
            return Period.of(self.books_start)
        return Period.parse(self.closed_through).next()

    def is_closed(self, period: Period) -> bool:
        return self.closed_through is not None and period <= Period.parse(self.closed_through)

    # -- accounts ---------------------------------------------------------------------------

    def open_sub_account(
        self, *, parent: str, code: str, name_zh: str, name_en: str, actor: str
    ) -> str:
        if parent not in self.accounts:
            raise UnknownAccount(f"no account {parent} to open a sub-account under",
                                 field="parent", parent=parent)
        if self.accounts[parent]["closed"]:
            raise AccountClosed(f"account {parent} is closed", field="parent", parent=parent)
        if parent in self.chart_spec.protected_accounts() - {self.chart_spec.distribution}:
            raise InvalidAccount(
                f"the year-end close posts to {parent} itself; it takes no sub-accounts",
                field="parent", parent=parent,
            )
        if parent in self.balances:
            raise AccountInUse(
                f"account {parent} has taken postings; sub-accounts must be opened before an "
                "account takes its first posting",
                field="parent", parent=parent,
            )
        name = check_new_sub_account(self.accounts, parent=parent, code=code, name_zh=name_zh,
                                     name_en=name_en)
        self.trigger_event(self.SubAccountOpened, code=code, parent=parent, name_zh=name,
                           name_en=name_en.strip(), actor=actor)
        return code

    def close_account(self, code: str, *, reason: str, actor: str) -> list[str]:
        account = self.account(code)
        if account.closed:
            raise AccountAlreadyClosed(f"account {code} is already closed", code=code)
        if code in self.chart_spec.protected_accounts():
            raise InvalidAccount(f"the year-end close needs account {code}", field="code")
        if not reason or not reason.strip():
            raise InvalidAccount("closing an account needs a reason", field="reason")
        subtree = sorted(c for c in self.accounts if is_within(c, code))
        for leaf in subtree:
            # Each leaf on its own: offsetting balances of two sub-accounts are still money.
            if self.balances.get(leaf, 0) != 0:
                balance = format_fen(self.balances[leaf])
                raise AccountInUse(
                    f"account {leaf} has a balance of {balance}; transfer it first",
                    code=code, account=leaf, balance=balance,
                )
        codes = [c for c in subtree if not self.accounts[c]["closed"]]
        self.trigger_event(self.AccountsClosed, codes=codes, reason=reason.strip(), actor=actor)
        return codes

    # -- vouchers ---------------------------------------------------------------------------

    def enter_voucher(
        self, draft: VoucherDraft, *, today: date, actor: str, reverses: str | None = None
    ) -> str:
        """Check the voucher against the books and give it the month's next number."""
        self._check_date(draft.date, today, draft.kind)
        start = Period.of(self.books_start)
        if reverses is not None and reverses == self.opening_voucher \
                and Period.of(draft.date) != start:
            # Opening balances are brought forward; replacing them elsewhere than in the first
            # month would make that month's closing differ from the next month's opening.
            raise DateOutOfRange(
                f"opening balances are replaced within {start}, the month the books start; "
                "correct them later by an ordinary voucher", field="date")
        for i, line in enumerate(draft.lines):
            self._check_postable(line.account, f"lines[{i}].account", draft.kind)
        period = Period.of(draft.date)
        number = f"{period}-{self.counters.get(str(period), 0) + 1:04d}"
        amounts: dict[str, int] = {}
        for line in draft.lines:
            amounts[line.account] = amounts.get(line.account, 0) + line.net_debit
        self.trigger_event(self.VoucherEntered, number=number, date=draft.date, kind=draft.kind,
                           amounts=amounts, reverses=reverses, actor=actor)
        return number

    def _check_date(self, day: date, today: date, kind: str) -> None:
        if day < self.books_start:
            raise DateOutOfRange(f"the books start on {self.books_start.isoformat()}",
                                 field="date", books_start=self.books_start.isoformat())
        if day > today:
            raise DateOutOfRange("a voucher cannot be dated in the future", field="date",
                                 today=today.isoformat())
        period = Period.of(day)
        if self.is_closed(period):
            raise PeriodClosed(f"{period} is closed; post the correction in an open month",
                               field="date", period=str(period), closed_through=self.closed_through)
        if kind == "opening":
            if day != self.books_start:
                raise DateOutOfRange(f"opening balances are dated the day the books start, "
                                     f"{self.books_start.isoformat()}", field="date",
                                     opening_day=self.books_start.isoformat())
            if self.opening_voucher is not None:
                raise OpeningBalancesExist(f"opening balances are already posted as "
                                           f"{self.opening_voucher}; reverse them to post new "
                                           "ones", number=self.opening_voucher)

    def check_account(self, code: str, field: str) -> None:
        """That an ordinary voucher may post to `code`, reported against the command's `field`."""
        self._check_postable(code, field, "regular")

    def balance_within(self, parent: str) -> int:
        """Net debit of an account with all its sub-accounts, e.g. 101 库存现金."""
        return sum(n for code, n in self.balances.items() if is_within(code, parent))

    def _check_postable(self, code: str, field: str, kind: str) -> None:
        state = self.accounts.get(code)
        if state is None:
            raise UnknownAccount(f"no account {code} in the chart of these books",
                                 field=field, account=code)
        if not state["leaf"]:
            children = sorted(c for c, s in self.accounts.items() if s["parent"] == code)
            raise AccountNotLeaf(f"{code} has sub-accounts; post to one of them",
                                 field=field, account=code, sub_accounts=children)
        # The year-end close may clear a balance left on an account closed since.
        if state["closed"] and kind != "closing":
            raise AccountClosed(f"account {code} is closed to new postings",
                                field=field, account=code)
        # Reversals are allowed: the only postings to 321 they can undo are opening balances.
        if code == self.chart_spec.current_year_income and kind == "regular":
            raise InvalidAccount(
                f"{code} 本年收益 takes only the year-end close's entries; post income and "
                "expenses to their own accounts", field=field, account=code)

    # -- periods ----------------------------------------------------------------------------

    def close_period(self, period: Period, *, today: date, actor: str) -> None:
        if self.is_closed(period):
            raise PeriodAlreadyClosed(f"{period} is already closed", period=str(period))
        expected = self.next_open_period()
        if period < expected:
            raise PeriodNotClosable(f"the books start in {expected}", period=str(period))
        if period != expected:
            raise PeriodNotClosable(f"months close in order: close {expected} first",
                                    period=str(period), next_open=str(expected))
        if period.month == 12:
            raise PeriodNotClosable(f"December closes with the year-end close of {period.year}",
                                    period=str(period))
        if today <= period.last_day:
            raise PeriodNotClosable(f"{period} has not ended", period=str(period))
        self.trigger_event(self.PeriodClosed, period=str(period), actor=actor)

    def close_year(
        self, year: int, *, today: date, actor: str
    ) -> list[tuple[VoucherDraft, str]]:
        """Post the closing vouchers of the year, then close December and the year."""
        check_year_closable(self.closed_year, self.books_start.year, self.next_open_period(),
                            year, today)
        drafts = closing_drafts(self.chart_spec, self.accounts,
                                self.year_activity.get(str(year), {}), year)
        entered = [(draft, self.enter_voucher(draft, today=today, actor=actor))
                   for draft in drafts]
        self.trigger_event(self.YearClosed, year=year,
                           closing_vouchers=[number for _, number in entered], actor=actor)
        return entered
