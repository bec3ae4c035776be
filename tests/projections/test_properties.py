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

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings

from ledger.books import (
    InvalidAccount,
    Line,
    Period,
    VoucherDraft,
)
from projections.books.queries import BooksQueries, Page
from projections.runner import catch_up
from tests.projections.books_oracle import (
    MONTH_RANGES,
    OracleSums,
    ReaderSums,
    check_detail_ledgers,
    check_income_against_sheet,
    check_income_lines,
    check_months_tie_out,
    domain_vouchers,
    full_years,
    line_of,
    sheet_at,
    statement_for,
)
from tests.projections.books_programs import (
    ACTOR,
    BOOKS_START,
    MONTHS,
    PHASES,
    STORAGE_SETTINGS,
    TODAY,
    new_org_code,
    programs,
    run_program,
    setup_books,
)

# psycopg_pool's background threads draw from `random` (connection-lifetime jitter) while
# Hypothesis generates the next example, which it mistakes for a strategy using `random`.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Do not use the `random` module inside strategies")

# -- storage-backed properties ----------------------------------------------------------------



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
