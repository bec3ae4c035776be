"""The property checks of the books' statements (test_properties.py), on any source of sums: the
read model's, or an oracle worked out from the domain's vouchers by the rule the read model
documents (opening balances count as of the day before the books start).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from ledger.application import Ledger
from ledger.books import (
    Period,
    Voucher,
)
from projections.books.layouts import PL_ACCOUNTS
from projections.books.queries import BooksReader, Page, Sums
from projections.books.statements import (
    balance_sheet,
    detail_ledger,
    income_statement,
    trial_balance,
)
from tests.projections.books_programs import BOOKS_START, LEDGER_ACCOUNTS, MONTHS, YEARS

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

