"""Property tests of the books read model and the statements computed from it.

Hypothesis writes small books: an organization whose books start on 2025-01-01, a few
sub-accounts (113 内部往来 members two levels deep, 501/511 details, two bank accounts), then a
random sequence of commands that are valid by construction: balanced vouchers of two to five
lines on random leaf accounts (322's 3220201/3220202/3220203 and 32201 among them), sometimes
opening balances first, reversals of earlier vouchers (opening balances included), month closes
in order and the year-end closes, and now and then a voucher dated in a closed month or a second
set of opening balances, which must be refused without writing anything. The clock stands at
2027-03-01, so every day of 2025 and 2026 is past.

Properties, on SQLite and on PostgreSQL (each example is a new organization in the same store):

1. every month's trial balance (2025-01 to 2026-12) ties out, each month's closing balances are
   the next month's opening balances account by account, the year-to-date columns add up month
   by month, the balance sheet at every month end balances in both columns and its
   start-of-year column is last December's balance sheet; detail ledgers open and close with
   the trial balance and their running balance walks from one to the other;
2. the income statement of any range of months of a year ends with the balance sheet's
   未分配收益 at the end of the range and starts with it at the day before the range; each of
   its lines is the range's own activity on its accounts, and a closed year's net income is
   what the year-end close carried into 32201;
3. the domain's own balances equal the read model's net balance of every leaf, the read
   model's sums over every month equal sums worked out here from the domain's vouchers, and
   its vouchers are the domain's.

Properties 1 and 2 are also checked on many more books kept in memory, with the sums worked out
from the domain's vouchers instead of read from a database. The bugs they found are kept at the
end as the smallest examples.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, event, given, note, settings
from hypothesis import strategies as st

from ledger.application import Ledger
from ledger.books import (
    InvalidAccount,
    Line,
    OpeningBalancesExist,
    Period,
    PeriodClosed,
    Voucher,
    VoucherDraft,
)
from projections.books.layouts import PL_ACCOUNTS
from projections.books.queries import BooksQueries, BooksReader, Page, Sums
from projections.books.statements import (
    balance_sheet,
    detail_ledger,
    income_statement,
    trial_balance,
)
from projections.runner import catch_up

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
# psycopg_pool's background threads draw from `random` (connection-lifetime jitter) while
# Hypothesis generates the next example, which it mistakes for a strategy using `random`.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Do not use the `random` module inside strategies")


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
    """Two to five lines on random leaves (the same one may repeat), debits equal credits."""
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


# -- reading the books ------------------------------------------------------------------------


class SumsSource:
    """Sums over a date range, as the read model's BooksReader.sums answers them."""

    def sums(self, org: str, start: date, end: date) -> Mapping[str, Sums]:
        raise NotImplementedError


class ReaderSums(SumsSource):
    def __init__(self, reader: BooksReader) -> None:
        self.reader = reader

    def sums(self, org: str, start: date, end: date) -> Mapping[str, Sums]:
        return self.reader.sums(org, start, end)


@dataclass(frozen=True)
class FlatLine:
    account: str
    day: date
    kind: str
    debit: int
    credit: int
    brought_forward: bool


def domain_vouchers(ledger: Ledger, org: str) -> list[Voucher]:
    counters = ledger.books.of(org).counters
    return [ledger.books.voucher(org, f"{period}-{n:04d}")
            for period in sorted(counters) for n in range(1, counters[period] + 1)]


class OracleSums(SumsSource):
    """Sums worked out from the domain's vouchers, by the rule the read model documents:
    opening balances and their reversal count as of the day before the books start."""

    def __init__(self, vouchers: Iterable[Voucher]) -> None:
        vouchers = list(vouchers)
        kinds = {v.number: v.kind for v in vouchers}
        self.lines = [
            FlatLine(line.account, v.date, v.kind, line.debit, line.credit,
                     v.kind == "opening" or kinds.get(v.reverses or "") == "opening")
            for v in vouchers for line in v.line_items
        ]

    def sums(self, org: str, start: date, end: date) -> Mapping[str, Sums]:
        totals: dict[str, list[int]] = {}
        for line in self.lines:
            day = BOOKS_START - timedelta(days=1) if line.brought_forward else line.day
            if day > end:
                continue
            row = totals.setdefault(line.account, [0, 0, 0, 0])
            net = line.debit - line.credit
            if day < start:
                row[0] += net
            else:
                row[1] += line.debit
                row[2] += line.credit
            if day >= start and line.kind == "closing":
                row[3] += net
        return {code: Sums(*row) for code, row in totals.items()}

    def balances(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for line in self.lines:
            result[line.account] = result.get(line.account, 0) + line.debit - line.credit
        return result


def line_of(statement: Mapping[str, Any], key: str) -> dict[str, Any]:
    return next(row for row in statement["lines"] if row["key"] == key)


def month_trial_balance(source: SumsSource, org: str, accounts: list[dict[str, Any]],
                        period: Period) -> dict[str, Any]:
    month = source.sums(org, period.first_day, period.last_day)
    year = source.sums(org, date(period.year, 1, 1), period.last_day)
    return trial_balance(accounts, month, year, include_zero=True)


def sheet_at(source: SumsSource, org: str, day: date) -> dict[str, Any]:
    return balance_sheet(source.sums(org, date(day.year, 1, 1), day), day)


def statement_for(source: SumsSource, org: str, start: Period, end: Period) -> dict[str, Any]:
    period = source.sums(org, start.first_day, end.last_day)
    year = source.sums(org, date(start.year, 1, 1), end.last_day)
    return income_statement(period, year, str(start), str(end))


# -- the properties, on any source of sums ----------------------------------------------------


def check_months_tie_out(source: SumsSource, org: str, accounts: list[dict[str, Any]],
                         ) -> dict[Period, dict[str, dict[str, Any]]]:
    """Property 1; returns each month's trial-balance rows by account."""
    months: dict[Period, dict[str, dict[str, Any]]] = {}
    previous: dict[str, Any] | None = None
    december: dict[str, Any] | None = None
    for period in MONTHS:
        balance = month_trial_balance(source, org, accounts, period)
        assert balance["balanced"], (period, balance["totals"])
        rows = months[period] = {row["code"]: row for row in balance["rows"]}
        assert set(rows) == {a["code"] for a in accounts}
        if previous is not None:
            carried = {code: (row["closing_debit"], row["closing_credit"])
                       for code, row in previous.items()}
            brought = {code: (row["opening_debit"], row["opening_credit"])
                       for code, row in rows.items()}
            assert brought == carried, period
        for code, row in rows.items():
            before = previous[code] if previous is not None and period.month > 1 else {
                "year_debit": 0, "year_credit": 0}
            assert row["year_debit"] == before["year_debit"] + row["debit"], (period, code)
            assert row["year_credit"] == before["year_credit"] + row["credit"], (period, code)
        previous = rows

        sheet = sheet_at(source, org, period.last_day)
        assert sheet["balanced"], period
        for key in ("start_of_year", "end"):
            assets = line_of(sheet, "assets_total")[key]
            assert assets == line_of(sheet, "liabilities_and_equity_total")[key], (period, key)
        if december is not None and period.year > BOOKS_START.year:
            # The start-of-year column is last year's balance sheet at December 31, line by line.
            assert ({line["key"]: line["start_of_year"] for line in sheet["lines"]}
                    == {line["key"]: line["end"] for line in december["lines"]}), period
        if period.month == 12:
            december = sheet
    return months


def check_detail_ledgers(reader: BooksReader, org: str,
                         months: Mapping[Period, Mapping[str, Mapping[str, Any]]],
                         ranges: Iterable[tuple[Period, Period]]) -> None:
    """A detail ledger over whole months opens and closes with the trial balance, its totals are
    the months' debits and credits, and its running balance walks from one to the other."""
    def net(debit: int, credit: int) -> int:
        return debit - credit

    def signed(balance: int, direction: str) -> int:
        return {"借": balance, "贷": -balance, "平": 0}[direction]

    for code in LEDGER_ACCOUNTS:
        account = reader.account(org, code)
        assert account is not None
        for start, end in ranges:
            first, last = start.first_day, end.last_day
            sums = {c: s for c, s in reader.sums(org, first, last).items() if c.startswith(code)}
            lines, total = reader.ledger_lines(org, code, first, last, Page(1, 100_000))
            ledger = detail_ledger(account, sums, lines)
            assert total == len(lines)
            opening = months[start][code]
            closing = months[end][code]
            within = [months[p][code] for p in MONTHS if start <= p <= end]
            assert signed(ledger["opening_balance"], ledger["opening_direction"]) == net(
                opening["opening_debit"], opening["opening_credit"]), (code, start)
            assert signed(ledger["closing_balance"], ledger["closing_direction"]) == net(
                closing["closing_debit"], closing["closing_credit"]), (code, end)
            assert ledger["debit_total"] == sum(row["debit"] for row in within)
            assert ledger["credit_total"] == sum(row["credit"] for row in within)
            running = signed(ledger["opening_balance"], ledger["opening_direction"])
            for line in ledger["lines"]:
                running += line["debit"] - line["credit"]
                assert signed(line["balance"], line["direction"]) == running, line
            assert running == signed(ledger["closing_balance"], ledger["closing_direction"])


def check_income_against_sheet(source: SumsSource, org: str,
                               ranges: Iterable[tuple[Period, Period]]) -> None:
    """Property 2: the statement's 年初未分配收益 is the balance sheet's 未分配收益 where the year
    starts, in every column; the year to date ends on the sheet's, and a range adds to the
    year's start exactly what the sheet's 未分配收益 moved within the range."""
    for start, end in ranges:
        statement = statement_for(source, org, start, end)
        at_year_start, at_range_start, at_end = (
            line_of(sheet_at(source, org, day), "undistributed")["end"]
            for day in (date(start.year - 1, 12, 31), start.first_day - timedelta(days=1),
                        end.last_day))
        brought_in = line_of(statement, "undistributed_start")
        assert (brought_in["amount"], brought_in["year_to_date"]) == (
            at_year_start, at_year_start), (start, end)
        assert line_of(statement, "undistributed_end")["amount"] == (
            at_year_start + at_end - at_range_start), (start, end)
        # The year-to-date column of a range ending in December is the whole year.
        whole = line_of(statement_for(source, org, Period(start.year, 1), end),
                        "undistributed_end")["amount"]
        assert line_of(statement, "undistributed_end")["year_to_date"] == whole


def check_income_lines(source: SumsSource, org: str, vouchers: list[Voucher],
                       ranges: Iterable[tuple[Period, Period]], closed_year: int | None) -> None:
    """Property 2, line by line: each line of the statement is the range's own activity on its
    accounts, worked out from the domain's vouchers (closing and brought-forward lines aside),
    and the net income of a closed year is what its year-end close carried into 32201."""
    lines = OracleSums(vouchers).lines

    def activity(prefix: str, start: date, end: date) -> int:
        return sum(line.debit - line.credit for line in lines
                   if line.account.startswith(prefix) and start <= line.day <= end
                   and line.kind != "closing" and not line.brought_forward)

    for start, end in ranges:
        statement = statement_for(source, org, start, end)
        first, last = start.first_day, end.last_day
        expected = {
            "net_income": -sum(activity(code, first, last) for code in PL_ACCOUNTS),
            "to_reserve": activity("3220201", first, last),
            "to_members": activity("3220202", first, last),
            "other_distributions": activity("32202", first, last)
            - activity("3220201", first, last) - activity("3220202", first, last),
            "other_transfers": -activity("321", first, last) - activity("32201", first, last),
        }
        assert {key: line_of(statement, key)["amount"] for key in expected} == expected, (
            start, end)

    for year in range(BOOKS_START.year, (closed_year or 0) + 1):
        day = date(year, 12, 31)
        # The close's second voucher carries 321 本年收益 into 32201 未分配收益.
        carried = sum(line.credit - line.debit for v in vouchers
                      if v.kind == "closing" and v.date == day
                      and {line.account for line in v.line_items} <= {"321", "32201"}
                      for line in v.line_items if line.account == "32201")
        # Balances brought forward onto income and expense accounts are closed with the year.
        brought_forward = -sum(line.debit - line.credit for line in lines
                               if line.brought_forward and line.day.year == year
                               and line.account.startswith((*PL_ACCOUNTS, "321")))
        statement = statement_for(source, org, Period(year, 1), Period(year, 12))
        assert carried == line_of(statement, "net_income")["amount"] + brought_forward, year


def full_years() -> list[tuple[Period, Period]]:
    return [(Period(year, 1), Period(year, 12)) for year in YEARS]


MONTH_RANGES = st.lists(
    st.tuples(st.sampled_from(YEARS), st.integers(1, 12), st.integers(1, 12)).map(
        lambda t: (Period(t[0], min(t[1], t[2])), Period(t[0], max(t[1], t[2])))),
    min_size=1, max_size=3)


# -- storage-backed properties ----------------------------------------------------------------

# No explain phase: it reruns a failing example hundreds of times, minutes on real storage.
PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink)
STORAGE_SETTINGS = settings(suppress_health_check=[HealthCheck.function_scoped_fixture],
                            max_examples=25, deadline=None, phases=PHASES)


@STORAGE_SETTINGS
@given(program=programs(), ranges=MONTH_RANGES)
def test_statements_tie_out_on_storage(ledger, view, clock, program, ranges):
    """Properties 1 and 2 on the read model, after catch_up."""
    clock.today = TODAY
    run = run_program(ledger, program)
    assert catch_up(ledger, view) == ledger.log_head()
    with BooksQueries(view).read() as reader:
        source = ReaderSums(reader)
        accounts = reader.all_accounts(run.org)
        months = check_months_tie_out(source, run.org, accounts)
        check_detail_ledgers(reader, run.org, months, [*full_years(), *ranges])
        check_income_against_sheet(source, run.org, [*full_years(), *ranges])
        check_income_lines(source, run.org, domain_vouchers(ledger, run.org),
                           [*full_years(), *ranges], run.closed_year)


@STORAGE_SETTINGS
@given(program=programs())
def test_domain_balances_agree_with_the_read_model(ledger, view, clock, program):
    """Property 3: the books aggregate's balances, the read model's, and sums worked out from
    the domain's vouchers agree, leaf by leaf, at every month end and over every month."""
    clock.today = TODAY
    run = run_program(ledger, program)
    catch_up(ledger, view)
    books = ledger.books.of(run.org)
    oracle = OracleSums(domain_vouchers(ledger, run.org))
    with BooksQueries(view).read() as reader:
        latest = reader.sums(run.org, BOOKS_START, TODAY)
        assert {code: s.after for code, s in latest.items()} == books.balances
        assert oracle.balances() == books.balances
        for period in MONTHS:
            for start in (period.first_day, date(period.year, 1, 1)):
                assert reader.sums(run.org, start, period.last_day) == oracle.sums(
                    run.org, start, period.last_day), (start, period)
        # Every voucher, as the domain holds it, with its lines in order.
        rows, total = reader.vouchers(run.org, Page(1, 100_000))
        vouchers = domain_vouchers(ledger, run.org)
        assert total == len(vouchers)
        assert sorted((row["number"], row["date"], row["kind"], row["reverses"],
                       row["reversed_by"], [(line["account"], line["debit"], line["credit"])
                                            for line in row["lines"]]) for row in rows) == sorted(
            (v.number, v.date.isoformat(), v.kind, v.reverses, v.reversed_by,
             [(line.account, line.debit, line.credit) for line in v.line_items])
            for v in vouchers)
        organization = reader.organization(run.org)
        assert organization is not None
        assert organization["closed_through"] == (
            None if run.closed_through is None else str(run.closed_through))
        assert organization["closed_year"] == run.closed_year
    assert books.closed_through == organization["closed_through"]


# -- the same properties on many more books kept in memory ------------------------------------


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=150,
          deadline=None, phases=PHASES)
@given(program=programs(max_commands=40), ranges=MONTH_RANGES)
def test_statements_tie_out_in_memory(memory_ledger, clock, program, ranges):
    clock.today = TODAY
    run = run_program(memory_ledger, program)
    books = memory_ledger.books.of(run.org)
    oracle = OracleSums(domain_vouchers(memory_ledger, run.org))
    assert oracle.balances() == books.balances
    accounts = [{"code": code, "level": 1 + (len(code) - 3) // 2, "name_zh": state["name_zh"],
                 "name_en": state["name_en"]} for code, state in sorted(books.accounts.items())]
    check_months_tie_out(oracle, run.org, accounts)
    check_income_against_sheet(oracle, run.org, [*full_years(), *ranges])
    check_income_lines(oracle, run.org, domain_vouchers(memory_ledger, run.org),
                       [*full_years(), *ranges], run.closed_year)
    # Every year closed leaves nothing on its income, expense, 321 and 各项分配 accounts.
    if run.closed_year is not None:
        swept = oracle.sums(run.org, BOOKS_START, date(run.closed_year, 12, 31))
        for code, s in swept.items():
            if books.is_swept_at_year_end(code):
                assert s.after == 0, code


# -- the smallest examples of bugs the properties found, now fixed ---------------------------------


def test_balance_sheet_before_the_books_start_shows_the_brought_forward_balances(
        ledger, view, clock):
    clock.today = TODAY
    org = new_org_code()
    setup_books(ledger, org)
    ledger.books.post_voucher(org, VoucherDraft(BOOKS_START, "期初余额", (
        Line("101", debit=10_000), Line("32201", credit=10_000)), kind="opening"), actor=ACTOR)
    catch_up(ledger, view)
    with BooksQueries(view).read() as reader:
        source = ReaderSums(reader)
        statement = statement_for(source, org, Period(2025, 1), Period(2025, 12))
        brought_forward = line_of(sheet_at(source, org, date(2025, 1, 31)), "undistributed")
        day_before = sheet_at(source, org, date(2024, 12, 31))
    assert line_of(statement, "undistributed_start")["amount"] == 10_000
    assert brought_forward["start_of_year"] == 10_000
    assert line_of(day_before, "undistributed")["end"] == 10_000
    assert line_of(day_before, "cash")["end"] == 10_000


def test_a_sub_account_of_322_beside_32201_and_32202_reaches_the_income_statement(
        ledger, view, clock):
    clock.today = TODAY
    org = new_org_code()
    setup_books(ledger, org)
    ledger.books.open_account(org, parent="322", code="32203", name_zh="以前年度收益调整",
                              actor=ACTOR)
    ledger.books.post_voucher(org, VoucherDraft(date(2025, 3, 1), "调整", (
        Line("32203", debit=3_000), Line("101", credit=3_000))), actor=ACTOR)
    catch_up(ledger, view)
    with BooksQueries(view).read() as reader:
        source = ReaderSums(reader)
        statement = statement_for(source, org, Period(2025, 1), Period(2025, 12))
        sheet = sheet_at(source, org, date(2025, 12, 31))
    assert sheet["balanced"]
    assert line_of(sheet, "undistributed")["end"] == -3_000
    assert line_of(statement, "undistributed_end")["amount"] == -3_000


def test_opening_balances_on_321_can_be_replaced(memory_ledger, clock):
    clock.today = TODAY
    org = new_org_code()
    setup_books(memory_ledger, org)
    draft = VoucherDraft(BOOKS_START, "期初余额", (Line("101", debit=1), Line("321", credit=1)),
                         kind="opening")
    try:
        opening = memory_ledger.books.post_voucher(org, draft, actor=ACTOR).value
    except InvalidAccount:
        return  # refusing 321 in opening balances is a fix too
    memory_ledger.books.reverse_voucher(org, opening.number, on=BOOKS_START, reason="期初录错",
                                        actor=ACTOR)
    assert memory_ledger.books.of(org).opening_voucher is None
