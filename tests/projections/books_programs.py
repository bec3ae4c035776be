"""Random small books for the property tests (test_properties.py): an organization whose books
start on 2025-01-01, a few sub-accounts, and a program of commands valid by construction that
run_program sends to a Ledger, noting what was accepted, refused or not sent.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, assume, event, note, settings
from hypothesis import strategies as st

from ledger.application import Ledger
from ledger.books import (
    Line,
    OpeningBalancesExist,
    Period,
    PeriodClosed,
    VoucherDraft,
)
from ledger.books.vouchers import moves_a_balance

ACTOR = "会计"
BOOKS_START = date(2025, 1, 1)
LAST_DAY = date(2026, 12, 31)
TODAY = date(2027, 3, 1)
FIRST_PERIOD = Period(2025, 1)
LAST_PERIOD = Period(2026, 12)
YEARS = (2025, 2026)
MONTHS: tuple[Period, ...] = tuple(
    Period(year, month) for year in YEARS for month in range(1, 13))

# (parent, code, name): opened before any posting, in this order.
SUB_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("102", "10201", "农商银行基本户"),
    ("102", "10202", "信用社"),
    ("113", "11301", "第一村民小组"),
    ("11301", "1130101", "张三"),
    ("11301", "1130102", "李四"),
    ("113", "11302", "第二村民小组"),
    ("113", "11303", "村办企业"),
    ("501", "50101", "发包收入"),
    ("501", "50102", "农产品销售收入"),
    ("511", "51101", "农产品销售支出"),
)
# Every leaf a voucher may post to: assets, a contra asset, liabilities, equity, 322's leaves,
# production cost, and income and expense accounts. Not 321 本年收益: it takes only the year-end
# close's entries (opening balances on it: see test_opening_balances_on_321_can_be_replaced).
LEAVES: tuple[str, ...] = (
    "101", "10201", "10202", "112", "1130101", "1130102", "11302", "11303", "121", "151",
    "152", "201", "211", "301", "311", "32201", "3220201", "3220202", "3220203", "401",
    "50101", "50102", "502", "503", "504", "51101", "512", "513", "514", "515", "521",
)
# Accounts whose detail ledger is compared (parents and leaves).
LEDGER_ACCOUNTS = ("101", "113", "11301", "322", "501")

_org_numbers = itertools.count(1)


def new_org_code() -> str:
    return f"p{next(_org_numbers)}-{uuid.uuid4().hex[:10]}"


# -- commands ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Post:
    lines: tuple[Line, ...]
    day: int  # picks a day among the open ones


@dataclass(frozen=True)
class PostLate:
    """A voucher dated in a closed month: refused, and nothing is written."""

    lines: tuple[Line, ...]
    day: int


@dataclass(frozen=True)
class PostOpening:
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Reverse:
    pick: int  # picks one of the vouchers that can still be reversed
    day: int


@dataclass(frozen=True)
class Close:
    months: int  # closes this many months in order; December by the year-end close


Command = Post | PostLate | PostOpening | Reverse | Close


@dataclass(frozen=True)
class Program:
    commands: tuple[Command, ...]


@st.composite
def balanced_lines(draw: st.DrawFn, accounts: tuple[str, ...] = LEAVES) -> tuple[Line, ...]:
    """Two to five lines on random leaves (the same one may repeat), debits equal credits, some
    balance moved (a voucher that moves none is refused: vouchers.moves_a_balance)."""
    count = draw(st.integers(2, 5))
    debit_count = draw(st.integers(1, count - 1))
    credit_count = count - debit_count
    codes = draw(st.lists(st.sampled_from(accounts), min_size=count, max_size=count))
    debits = draw(st.lists(st.integers(1, 50_000_000), min_size=debit_count,
                           max_size=debit_count))
    total = sum(debits)
    if total < credit_count:
        debits[0] += credit_count
        total += credit_count
    cuts = sorted(draw(st.sets(st.integers(1, total - 1), min_size=credit_count - 1,
                               max_size=credit_count - 1))) if credit_count > 1 else []
    credits = [b - a for a, b in itertools.pairwise([0, *cuts, total])]
    lines = [Line(code, debit=amount) for code, amount in zip(codes, debits, strict=False)]
    lines += [Line(code, credit=amount)
              for code, amount in zip(codes[debit_count:], credits, strict=True)]
    assume(moves_a_balance(lines))
    return tuple(draw(st.permutations(lines)))


DAY = st.integers(0, 10_000)
KINDS_OF_COMMAND: dict[str, st.SearchStrategy[Any]] = {
    "post": st.builds(Post, balanced_lines(), DAY),
    "reverse": st.builds(Reverse, st.integers(0, 50), DAY),
    "close": st.builds(Close, st.integers(1, 2)),
    "close-more": st.builds(Close, st.integers(1, 14)),
    "late": st.builds(PostLate, balanced_lines(), DAY),
    "opening": st.builds(PostOpening, balanced_lines()),
}
# Most commands post a voucher (a kind listed n times is drawn n times as often).
COMMAND: st.SearchStrategy[Command] = st.sampled_from(
    ("post",) * 10 + ("reverse",) * 3 + ("close", "close-more", "late", "opening"),
).flatmap(KINDS_OF_COMMAND.__getitem__)


@st.composite
def programs(draw: st.DrawFn, max_commands: int = 24) -> Program:
    commands: list[Command] = []
    if draw(st.booleans()):
        commands.append(PostOpening(draw(balanced_lines())))
    commands += draw(st.lists(COMMAND, min_size=8, max_size=max_commands))
    if draw(st.booleans()):
        # Often enough, close a whole year somewhere in the middle of the work.
        at = draw(st.integers(0, len(commands)))
        commands.insert(at, Close(draw(st.integers(12, 16))))
    return Program(tuple(commands))


# -- running a program ------------------------------------------------------------------------


@dataclass
class Posted:
    number: str
    day: date
    kind: str
    reversed: bool = False


@dataclass
class Run:
    """What a program did: the organization, the commands accepted, refused or not sent."""

    org: str
    accepted: int = 0
    refused: int = 0
    skipped: int = 0
    positions: list[int] = field(default_factory=list)
    closed_through: Period | None = None
    closed_year: int | None = None
    opening: str | None = None
    vouchers: list[Posted] = field(default_factory=list)

    @property
    def next_open(self) -> Period:
        return FIRST_PERIOD if self.closed_through is None else self.closed_through.next()

    def report(self) -> None:
        note(f"org {self.org}: {self.accepted} accepted, {self.refused} refused, "
             f"{self.skipped} not sent; closed through {self.closed_through}")
        event(f"vouchers: {bucket(len(self.vouchers))}")
        event(f"reversals: {bucket(sum(v.kind == 'reversal' for v in self.vouchers))}")
        event(f"commands refused: {bucket(self.refused)}, not sent: {bucket(self.skipped)}")
        event(f"closed through: {self.closed_through and self.closed_through.year}")
        event(f"years closed: {self.closed_year}")
        openings = [v for v in self.vouchers if v.kind == "opening"]
        event(f"opening vouchers: {len(openings)}, reversed: {sum(v.reversed for v in openings)}")


def bucket(n: int) -> str:
    return "0" if n == 0 else "1-4" if n < 5 else "5-9" if n < 10 else "10+"


def day_between(low: date, high: date, pick: int) -> date:
    return low + timedelta(days=pick % ((high - low).days + 1))


def setup_books(ledger: Ledger, org: str) -> None:
    ledger.books.register_organization(code=org, name_zh="阳光村股份经济合作社",
                                       kind="village_collective", books_start=BOOKS_START,
                                       actor=ACTOR)
    for parent, code, name in SUB_ACCOUNTS:
        ledger.books.open_account(org, parent=parent, code=code, name_zh=name, actor=ACTOR)


def run_program(ledger: Ledger, program: Program, org: str | None = None,
                after: Callable[[int], None] | None = None) -> Run:
    """Register the books and run the commands; `after` sees each accepted command's position."""
    run = Run(org or new_org_code())
    setup_books(ledger, run.org)

    def accepted(position: int | None) -> None:
        assert position is not None
        run.accepted += 1
        run.positions.append(position)
        if after is not None:
            after(position)

    def refused(error: type[Exception] | tuple[type[Exception], ...],
                attempt: Callable[[], Any]) -> None:
        head = ledger.log_head()
        with pytest.raises(error):
            attempt()
        assert ledger.log_head() == head, "a refused command wrote events"
        run.refused += 1

    for step, command in enumerate(program.commands):
        summary = f"第{step + 1}笔业务"
        if isinstance(command, Post):
            if run.next_open > LAST_PERIOD:
                run.skipped += 1
                continue
            day = day_between(run.next_open.first_day, LAST_DAY, command.day)
            outcome = ledger.books.post_voucher(run.org, VoucherDraft(day, summary, command.lines),
                                                actor=ACTOR)
            run.vouchers.append(Posted(outcome.value.number, day, "regular"))
            accepted(outcome.position)
        elif isinstance(command, PostLate):
            if run.closed_through is None:
                run.skipped += 1
                continue
            day = day_between(BOOKS_START, run.closed_through.last_day, command.day)
            refused(PeriodClosed, lambda d=day, c=command, s=summary: ledger.books.post_voucher(
                run.org, VoucherDraft(d, s, c.lines), actor=ACTOR))
        elif isinstance(command, PostOpening):
            draft = VoucherDraft(BOOKS_START, "期初余额", command.lines, kind="opening")
            if run.opening is not None or run.closed_through is not None:
                refused((OpeningBalancesExist, PeriodClosed),
                        lambda d=draft: ledger.books.post_voucher(
                    run.org, d, actor=ACTOR))
                continue
            outcome = ledger.books.post_voucher(run.org, draft, actor=ACTOR)
            run.opening = outcome.value.number
            run.vouchers.append(Posted(outcome.value.number, BOOKS_START, "opening"))
            accepted(outcome.position)
        elif isinstance(command, Reverse):
            candidates = [v for v in run.vouchers if v.kind != "reversal" and not v.reversed]
            if not candidates or run.next_open > LAST_PERIOD:
                run.skipped += 1
                continue
            original = candidates[command.pick % len(candidates)]
            low = max(original.day, run.next_open.first_day)
            # Opening balances are replaced within the month the books start.
            high = FIRST_PERIOD.last_day if original.kind == "opening" else LAST_DAY
            if low > high:
                run.skipped += 1
                continue
            day = day_between(low, high, command.day)
            outcome = ledger.books.reverse_voucher(run.org, original.number, on=day,
                                                   reason="记错科目",
                                                   actor=ACTOR)
            original.reversed = True
            if original.kind == "opening":
                run.opening = None
            run.vouchers.append(Posted(outcome.value.number, day, "reversal"))
            accepted(outcome.position)
        else:
            for _ in range(command.months):
                period = run.next_open
                if period > LAST_PERIOD:
                    break
                if period.month == 12:
                    outcome = ledger.books.close_year(run.org, period.year, actor=ACTOR)
                    run.closed_year = period.year
                else:
                    outcome = ledger.books.close_period(run.org, period, actor=ACTOR)
                run.closed_through = period
                accepted(outcome.position)
    run.report()
    return run


# No explain phase: it reruns a failing example hundreds of times, minutes on real storage.
PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink)
STORAGE_SETTINGS = settings(suppress_health_check=[HealthCheck.function_scoped_fixture],
                            max_examples=25, deadline=None, phases=PHASES)
