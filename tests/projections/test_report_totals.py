"""The running totals the reports read (projections/books/totals.py): after any sequence of
vouchers, reversals, opening balances and closes, every year's, month's and day's total of an
account (and of an account and a party) is the sum of its lines, and a sum over any range of
days, mid-month ones included, is what summing the lines gives, as is the year activity the
year-end close's preview sweeps. And a report does the same work
whatever the number of lines behind it: more vouchers on the same days and accounts add no row
it reads.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infra.storage import Storage
from ledger.application import Ledger
from ledger.books import Line, Period, VoucherDraft, is_swept
from ledger.kernel.chart import get_chart
from projections.books import reports, totals
from projections.books.queries import BooksQueries, BooksReader, Sums
from projections.books.view import BooksView
from projections.db import Sql
from projections.runner import catch_up
from tests.projections.books_programs import (
    STORAGE_SETTINGS,
    TODAY,
    new_org_code,
    programs,
    run_program,
    setup_books,
)
from tests.registers import ORG, village_with_shares

NUMBERS = ("debit", "credit", "closing_net", "grain", "lines")
DAYS = st.integers(0, 800).map(lambda n: date(2024, 12, 1) + timedelta(days=n))


def lines_summed(sql: Sql, table: str, keys: str, closing: bool) -> list[dict[str, Any]]:
    """What the totals must hold, summed from the lines themselves, by year, month and day."""
    net = (", SUM(CASE WHEN kind = 'closing' THEN debit - credit ELSE 0 END) AS closing_net, "
           "COUNT(*) AS lines") if closing else ""
    rows = []
    for grain, length in ((0, 4), (1, 7), (2, 10)):
        rows += sql.execute(
            f"SELECT org, {grain} AS grain, SUBSTR(as_of, 1, {length}) AS span, {keys}, "
            f"SUM(debit) AS debit, SUM(credit) AS credit{net} FROM {table} "
            f"GROUP BY org, SUBSTR(as_of, 1, {length}), {keys}").all()
    return sorted(({k: int(v) if k in NUMBERS else v
                    for k, v in row.items()} for row in rows), key=str)


def totals_rows(sql: Sql, table: str) -> list[dict[str, Any]]:
    return sorted(({k: int(v) if k in NUMBERS else v
                    for k, v in row.items()} for row in sql.execute(
                        f"SELECT * FROM {table}").all()), key=str)


def sums_from_lines(reader: BooksReader, org: str, start: date, end: date) -> dict[str, Sums]:
    """The reports' sums as they were read before the totals: from every line."""
    rows = reader.sql.execute(
        """SELECT account,
            SUM(CASE WHEN as_of < :start THEN debit - credit ELSE 0 END) AS before,
            SUM(CASE WHEN as_of >= :start THEN debit ELSE 0 END) AS debit,
            SUM(CASE WHEN as_of >= :start THEN credit ELSE 0 END) AS credit,
            SUM(CASE WHEN as_of >= :start AND kind = 'closing'
                THEN debit - credit ELSE 0 END) AS closing_net
        FROM books_lines WHERE org = :org AND as_of <= :end GROUP BY account""",
        {"org": org, "start": start.isoformat(), "end": end.isoformat()}).all()
    return {row["account"]: Sums(int(row["before"]), int(row["debit"]), int(row["credit"]),
                                 int(row["closing_net"])) for row in rows}


@STORAGE_SETTINGS
@given(program=programs(), days=st.lists(st.tuples(DAYS, DAYS), min_size=1, max_size=6))
def test_the_totals_are_the_sums_of_the_lines(ledger, view, clock, program, days):
    clock.today = TODAY
    run = run_program(ledger, program)
    catch_up(ledger, view)
    with BooksQueries(view).read() as reader:
        assert totals_rows(reader.sql, "books_totals") == lines_summed(
            reader.sql, "books_lines", "account", closing=True)
        ranges = [*days, (date(2025, 1, 1), date(2025, 12, 31)),
                  (date(2026, 1, 1), date(2026, 12, 31)), (date(2025, 3, 1), date(2025, 3, 31))]
        for start, end in ranges:
            assert reader.sums(run.org, start, end) == sums_from_lines(reader, run.org, start,
                                                                       end), (start, end)
            for prefix in ("", "102", "10201", "113"):
                assert totals.line_count(reader.sql, run.org, prefix, start, end) == lines_counted(
                    reader, run.org, prefix, start, end), (prefix, start, end)
        chart = reader.organization(run.org)["chart"]
        for year in (2024, 2025, 2026, 2027):
            activity = reports.year_activity(reader, run.org, chart, year)
            assert {c: n for c, n in activity.items() if n} == year_activity_from_lines(
                reader, run.org, activity_accounts(reader, run.org, chart), year), year


def lines_counted(reader: BooksReader, org: str, prefix: str, start: date, end: date) -> int:
    """A ledger's count of lines as it was read before the totals counted them."""
    return reader.sql.execute(
        "SELECT COUNT(*) AS n FROM books_lines WHERE org = :org AND account LIKE :prefix "
        "AND as_of >= :start AND as_of <= :end", {"org": org, "prefix": prefix + "%",
                                                  "start": start.isoformat(),
                                                  "end": end.isoformat()}).scalar()


def activity_accounts(reader: BooksReader, org: str, chart: str) -> set[str]:
    """The accounts the year-end close sweeps."""
    swept = get_chart(chart)
    return {a["code"] for a in reader.all_accounts(org)
            if is_swept(swept, a["code"], a["category"])}


def year_activity_from_lines(reader: BooksReader, org: str, swept: set[str],
                             year: int) -> dict[str, int]:
    """The close's year activity as it was read before the totals: the lines dated in `year`."""
    rows = reader.sql.execute(
        "SELECT account, SUM(debit - credit) AS net FROM books_lines WHERE org = :org "
        "AND date >= :start AND date <= :end GROUP BY account",
        {"org": org, "start": f"{year}-01-01", "end": f"{year}-12-31"}).all()
    return {row["account"]: int(row["net"]) for row in rows
            if row["account"] in swept and int(row["net"])}


def test_the_party_totals_are_the_sums_of_the_party_lines(ledger: Ledger, view: BooksView):
    # Given two members' dealings under 11301 over two years, one of them reversed
    village_with_shares(ledger)
    ledger.books.open_account(ORG, parent="113", code="11301", name_zh="成员往来", actor="kuaiji")
    posted = []
    for day, lines in (
            (date(2025, 3, 9), (Line("11301", debit=50_000, party="member:0001"),
                                Line("102", credit=50_000))),
            (date(2025, 8, 1), (Line("102", debit=30_000),
                                Line("11301", credit=30_000, party="member:0002"))),
            (date(2026, 2, 14), (Line("11301", debit=7_000, party="member:0002"),
                                 Line("11301", debit=3_000, party="member:0002"),
                                 Line("102", credit=10_000)))):
        posted.append(ledger.books.post_voucher(ORG, VoucherDraft(day, "往来", lines),
                                                actor="kuaiji").value.number)
    ledger.books.reverse_voucher(ORG, posted[1], on=date(2026, 2, 20), reason="记错",
                                 actor="kuaiji")
    catch_up(ledger, view)

    with BooksQueries(view).read() as reader:
        # Then each year's, month's and day's total is its lines' sum
        assert totals_rows(reader.sql, "books_party_totals") == lines_summed(
            reader.sql, "books_line_parties", "account, party", closing=False)
        # And each party's net is what its lines give, mid-month and at a year end
        for start, end in ((date(2025, 1, 1), date(2025, 12, 31)),
                           (date(2026, 1, 1), date(2026, 2, 15)),
                           (date(2026, 2, 15), date(2026, 2, 28))):
            assert reader.party_nets(ORG, "113", start, end) == party_nets_from_lines(
                reader, start, end), (start, end)


def party_nets_from_lines(reader: BooksReader, start: date,
                          end: date) -> dict[tuple[str, str], tuple[int, int]]:
    """Each (account, party) with a line by `end`: its net before `start` and at `end`."""
    nets: dict[tuple[str, str], tuple[int, int]] = {}
    for row in reader.sql.execute("SELECT account, party, as_of, debit, credit "
                                  "FROM books_line_parties ORDER BY as_of").all():
        day, net = date.fromisoformat(row["as_of"]), int(row["debit"]) - int(row["credit"])
        if day <= end:
            before, after = nets.get((row["account"], row["party"]), (0, 0))
            nets[row["account"], row["party"]] = (before + (net if day < start else 0),
                                                  after + net)
    return nets


# -- the work a report does -------------------------------------------------------------------

RECEIPT = (Line("10201", debit=12_000), Line("50101", credit=12_000))
PAYMENT = (Line("513", debit=4_500), Line("10201", credit=4_500))
DAYS_USED = tuple(date(2025, month, day) for month in (2, 3, 4) for day in (3, 17))


def post_round(ledger: Ledger, org: str) -> None:
    """A receipt and a payment on each of the same six days: no new account or day."""
    for day in DAYS_USED:
        for lines in (RECEIPT, PAYMENT):
            ledger.books.post_voucher(org, VoucherDraft(day, "收支", lines), actor="会计")


def _step(steps: list[int]) -> int:
    steps[0] += 1
    return 0  # go on


def steps_of(view: BooksView, org: str) -> dict[str, int]:
    """The SQLite virtual machine's steps each report takes: rows read, not time taken."""
    counted = {}
    queries = BooksQueries(view)
    for name, call in (
            ("trial balance", lambda r: reports.trial_balance(r, org, Period(2025, 3))),
            ("balance sheet", lambda r: reports.balance_sheet(r, org, date(2025, 3, 20))),
            ("income statement", lambda r: reports.income_statement(
                r, org, Period(2025, 1), Period(2025, 4)))):
        with queries.read() as reader:
            steps = [0]
            connection = reader.sql._cursor.sqlite_cursor.connection
            connection.set_progress_handler(partial(_step, steps), 1)
            try:
                call(reader)
            finally:
                connection.set_progress_handler(None, 1)
            counted[name] = steps[0]
    return counted


# It counts the steps of SQLite's virtual machine: SQLite only (a skipped PostgreSQL run would
# fail CI, which requires every PostgreSQL test to run).
@pytest.mark.parametrize("storage", ["sqlite"], indirect=True)
def test_a_report_reads_no_more_when_the_history_grows(storage: Storage, ledger: Ledger,
                                                      view: BooksView, clock) -> None:
    clock.today = TODAY
    org = new_org_code()
    setup_books(ledger, org)
    post_round(ledger, org)
    catch_up(ledger, view)
    few = steps_of(view, org)

    # When twenty times as many vouchers are posted on the same days and accounts
    for _ in range(20):
        post_round(ledger, org)
    catch_up(ledger, view)

    # Then every report takes the same steps as before: it read totals, never the lines
    assert steps_of(view, org) == few
