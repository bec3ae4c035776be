"""A ledger page (明细账) of an account and its sub-accounts: cut into pages, it shows exactly the
lines, in the same order and with the same running balances, as the whole ledger read at once;
and a page does the same work whatever the number of lines of its month, since it reads only the
lines up to its own end, in order from the index, and counts them from the running totals.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

import pytest

from infra.storage import Storage
from ledger.application import Ledger
from ledger.books import Line, VoucherDraft
from projections.books import reports
from projections.books.queries import BooksQueries, BooksReader, Page
from projections.books.view import BooksView
from projections.runner import catch_up
from tests.projections.books_programs import ACTOR, BOOKS_START, TODAY, new_org_code, setup_books
from tests.projections.test_report_totals import _step, post_round

MARCH = (date(2025, 3, 1), date(2025, 3, 31))


def lines_sorted(reader: BooksReader, org: str, prefix: str, start: date,
                 end: date) -> list[tuple[Any, ...]]:
    """The ledger as it was read before pages read the index: every line of the range, sorted
    by (as_of, date, seq, line_no), the net debit accumulated along them."""
    rows = reader.sql.execute(
        "SELECT l.as_of, l.date, l.seq, l.line_no, l.number, l.account, v.summary, l.memo, "
        "l.debit, l.credit FROM books_lines l JOIN books_vouchers v ON v.id = l.voucher_id "
        "WHERE l.org = :org AND l.account LIKE :prefix AND l.as_of >= :start "
        "AND l.as_of <= :end", {"org": org, "prefix": prefix + "%",
                                "start": start.isoformat(), "end": end.isoformat()}).all()
    ordered, accumulated = [], 0
    for row in sorted(rows, key=lambda r: (r["as_of"], r["date"], r["seq"], r["line_no"])):
        accumulated += int(row["debit"]) - int(row["credit"])
        ordered.append((row["date"], row["number"], row["line_no"], row["account"],
                        row["summary"], row["memo"], int(row["debit"]), int(row["credit"]),
                        accumulated))
    return ordered


def shown(lines: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(line["date"], line["number"], line["line_no"], line["account"], line["summary"],
             line["memo"], int(line["debit"]), int(line["credit"]), line["accumulated"])
            for line in lines]


def test_the_pages_of_a_parent_ledger_are_the_whole_ledger_cut(ledger: Ledger,
                                                              view: BooksView, clock) -> None:
    # Given opening balances on 102's sub-accounts (brought in as of the day before the books
    # start) and vouchers that move money between them on the same days, in both orders
    clock.today = TODAY
    org = new_org_code()
    setup_books(ledger, org)
    ledger.books.post_voucher(org, VoucherDraft(BOOKS_START, "期初余额", (
        Line("10201", debit=90_000), Line("10202", debit=10_000),
        Line("32201", credit=100_000)), kind="opening"), actor=ACTOR)
    for i, day in enumerate((date(2025, 1, 20), date(2025, 1, 5), date(2025, 1, 20),
                             date(2025, 2, 1), date(2025, 1, 5), date(2025, 1, 31))):
        into, out = ("10201", "10202") if i % 2 else ("10202", "10201")
        ledger.books.post_voucher(org, VoucherDraft(day, f"转存{i}", (
            Line(into, debit=1_000 * (i + 1), memo="转入"), Line("101", debit=7),
            Line(out, credit=1_000 * (i + 1) + 7, memo="转出"))), actor=ACTOR)
    catch_up(ledger, view)

    with BooksQueries(view).read() as reader:
        for code in ("102", "10201"):
            for start, end in ((date(2024, 12, 31), date(2025, 1, 31)),
                               (date(2025, 1, 1), date(2025, 2, 28))):
                expected = lines_sorted(reader, org, code, start, end)
                # When the ledger is read whole, and in pages of 3
                whole, total = reader.ledger_lines(org, code, start, end, Page(1, 1_000))
                pages = [reader.ledger_lines(org, code, start, end, Page(n, 3))
                         for n in range(1, 6)]
                # Then both show the lines in order with their running balance, and count them
                assert shown(whole) == expected and total == len(expected), (code, start)
                assert [line for page, _ in pages for line in shown(page)] == expected
                assert {count for _, count in pages} == {len(expected)}


def page_steps(view: BooksView, org: str) -> dict[str, int]:
    """The SQLite virtual machine's steps each ledger page takes: rows read, not time taken."""
    counted = {}
    for name, code, page in (("parent 102, page 1", "102", Page(1, 3)),
                             ("parent 102, page 2", "102", Page(2, 2)),
                             ("leaf 10201, page 1", "10201", Page(1, 3)),
                             ("leaf 513, page 2", "513", Page(2, 1))):
        with BooksQueries(view).read() as reader:
            steps = [0]
            connection = reader.sql._cursor.sqlite_cursor.connection
            connection.set_progress_handler(partial(_step, steps), 1)
            try:
                reports.detail_ledger(reader, org, code, *MARCH, page)
            finally:
                connection.set_progress_handler(None, 1)
            counted[name] = steps[0]
    return counted


# It counts the steps of SQLite's virtual machine: SQLite only (a skipped PostgreSQL run would
# fail CI, which requires every PostgreSQL test to run).
@pytest.mark.parametrize("storage", ["sqlite"], indirect=True)
def test_a_ledger_page_reads_no_more_when_its_month_grows(storage: Storage, ledger: Ledger,
                                                         view: BooksView, clock) -> None:
    # Given a receipt and a payment through 10201 on each of two days of March (and of
    # February and April), so March's ledger of 102 holds four lines
    clock.today = TODAY
    org = new_org_code()
    setup_books(ledger, org)
    post_round(ledger, org)
    catch_up(ledger, view)
    few = page_steps(view, org)

    # When twenty times as many vouchers are posted on the same days and accounts
    for _ in range(20):
        post_round(ledger, org)
    catch_up(ledger, view)

    # Then each page takes the same steps as before: it read its own lines, never the month's
    assert page_steps(view, org) == few
