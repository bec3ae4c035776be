"""The four reports of the books and the year-end close's preview, each read through one reader,
so the JSON API, the desk and the downloads show the same figures from the same snapshot.

The preview computes the closing vouchers from the read model with the ledger's own rule
(`closing_drafts`), so what the desk shows before the close is what the close will post.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ledger.books import Period, UnknownAccount, VoucherDraft, closing_drafts, is_swept
from ledger.kernel.chart import get_chart
from ledger.kernel.errors import InvalidCommand
from projections.books import equity_changes as equity
from projections.books import statements, totals
from projections.books.chart_layouts import StatementLayouts, layouts_for
from projections.books.queries import BooksReader, Page


def trial_balance(reader: BooksReader, org: str, period: Period, *,
                  include_zero: bool = False) -> dict[str, Any]:
    month = reader.sums(org, period.first_day, period.last_day)
    # In the year the books start after January 1, the year so far runs from their first day:
    # the opening voucher's balances are brought in, never the year's debits and credits.
    year = reader.sums(org, first_day_of_books(reader, org, date(period.year, 1, 1),
                                                period.last_day), period.last_day)
    report = statements.trial_balance(reader.all_accounts(org), month, year,
                                      include_zero=include_zero)
    return {"period": str(period), **report}


def chart_balances(reader: BooksReader, org: str, on: date,
                   accounts: list[dict[str, Any]] | None = None) -> dict[str, int]:
    """Each account's balance at the end of `on` as a net debit, a parent's that of its
    subtree, read from the running totals as every report reads: when `on` ends a month, the
    closing balance the trial balance of that month shows."""
    nets = {code: s.after for code, s in reader.sums(org, on, on).items()}
    return statements.balances(reader.all_accounts(org) if accounts is None else accounts, nets)


def detail_ledger(reader: BooksReader, org: str, code: str, start: date, end: date,
                  page: Page) -> tuple[dict[str, Any], int]:
    """The ledger of an account and its sub-accounts over [start, end], and how many lines it
    has in all (the page holds some of them)."""
    account = reader.account(org, code)
    if account is None:
        raise UnknownAccount(f"no account {code}", field="account", account=code)
    sums = {c: s for c, s in reader.sums(org, start, end).items() if c.startswith(code)}
    lines, total = reader.ledger_lines(org, code, start, end, page)
    return {**statements.detail_ledger(account, sums, lines), "start": start, "end": end,
            "months": ledger_months(reader, org, code, start, end)}, total


def ledger_months(reader: BooksReader, org: str, code: str, start: date,
                  end: date) -> list[dict[str, Any]]:
    """本月合计 and 本年累计 of each month of [start, end] in which the account moved: the month's
    within the range, the year's as the trial balance counts them (from January 1, or the
    books' first day in the year they start), so each ties to that month's trial balance."""
    months, month = [], Period.of(start)
    while month.first_day <= end:
        last = min(month.last_day, end)
        within = reader.sums(org, max(month.first_day, start), last)
        moved = {c: s for c, s in within.items() if c.startswith(code)}
        if any(s.debit or s.credit for s in moved.values()):
            year = reader.sums(org, first_day_of_books(reader, org, date(month.year, 1, 1), last),
                               last)
            months.append(statements.month_totals(
                str(month), moved, {c: s for c, s in year.items() if c.startswith(code)}))
        month = month.next()
    return months


# 内部往来 (113, villages) and 成员往来 (114, cooperatives): the chart's two-sided account, whose
# members' debts and credits are shown apart, never netted against each other. The village's
# code stays here for the disclosure formats that name it; everything else asks the chart.
INTERNAL = "113"


def layouts_of(reader: BooksReader, org: str) -> StatementLayouts:
    """The statement layouts of the org's chart, as the read model records it."""
    row = reader.organization(org)
    return layouts_for(row["chart"] if row else None)


def first_day_of_books(reader: BooksReader, org: str, start: date, end: date) -> date:
    """`start`, or the day the books start when that falls after `start` and by `end`: the
    opening balances count as of the day before the books start, so a range read from there
    brings them in instead of counting them as the range's activity."""
    organization = reader.organization(org) or {}
    books_start = date.fromisoformat(str(organization.get("books_start") or start)[:10])
    return books_start if start < books_start <= end else start


def balance_sheet(reader: BooksReader, org: str, on: date) -> dict[str, Any]:
    """The balance sheet at `on`. Its 年初数 are the balances at the end of the year before;
    in the year the books start, the balances they started with (the opening balances, as of
    the day before the books start), which are those of January 1 only when the books start
    then: books moved here mid-year would otherwise show an empty opening column."""
    start = first_day_of_books(reader, org, date(on.year, 1, 1), on)
    brought_in = None if start == date(on.year, 1, 1) else start - timedelta(days=1)
    layouts = layouts_of(reader, org)
    return statements.balance_sheet(reader.sums(org, start, on), on,
                                    reader.party_nets(org, layouts.two_sided, start, on),
                                    layouts=layouts, brought_in=brought_in)


def income_statement(reader: BooksReader, org: str, start: Period,
                     end: Period) -> dict[str, Any]:
    """收益及收益分配表 of the months `start` to `end` beside the year to date. Its 年初未分配收益
    is the balance brought into the year: at the end of the year before, or in the year the
    books start after January 1, the opening balances (as of the day before they start), which
    the year's 其他转入 then no longer counts (books moved here mid-year, their 321 and 322
    balances brought in by the opening voucher). Months that do not start the year leave the
    本期 column of the distribution rows blank (see statements.income_statement)."""
    last = end.last_day
    period_first = first_day_of_books(reader, org, start.first_day, last)
    year_first = first_day_of_books(reader, org, date(start.year, 1, 1), last)
    return statements.income_statement(reader.sums(org, period_first, last),
                                       reader.sums(org, year_first, last), str(start), str(end),
                                       starts_year=period_first == year_first,
                                       layouts=layouts_of(reader, org))


def equity_changes(reader: BooksReader, org: str, year: int, on: date | None = None, *,
                   from_books_start: bool = True) -> dict[str, Any]:
    """成员权益变动表 of a cooperative for `year`, up to `on` (default December 31); a village has
    no such statement (InvalidCommand on field org). Its 年初余额 are those brought into the
    year: in the year the books start after January 1, the opening balances (as of the day
    before they start), never counted as the year's 本年增加. `from_books_start=False` keeps
    the old reading from January 1, only for disclosures published under it (formats 1–4)."""
    if not layouts_of(reader, org).cooperative:
        raise InvalidCommand("成员权益变动表 is a farmers' cooperative's statement",
                             field="org")
    end = on or date(year, 12, 31)
    start = date(year, 1, 1)
    if from_books_start:
        start = first_day_of_books(reader, org, start, end)
    brought_in = None if start == date(year, 1, 1) else start - timedelta(days=1)
    return equity.equity_changes(reader.sums(org, start, end), year, end,
                                 brought_in=brought_in)


def year_activity(reader: BooksReader, org: str, chart_id: str, year: int) -> dict[str, int]:
    """The net debit, over the vouchers dated in `year`, of each account the close sweeps: what
    the books aggregate keeps as its year activity, read from the running totals instead."""
    chart = get_chart(chart_id)
    categories = {a["code"]: a["category"] for a in reader.all_accounts(org)}
    organization = reader.organization(org)
    if organization is None:
        return {}
    nets = totals.year_nets(reader.sql, org, year,
                            date.fromisoformat(organization["books_start"]))
    return {code: net for code, net in nets.items()
            if is_swept(chart, code, categories[code])}


def closing_preview(reader: BooksReader, org: str, chart_id: str,
                    year: int) -> list[VoucherDraft]:
    """The closing vouchers the year-end close of `year` would post now, written nowhere."""
    accounts = {a["code"]: a for a in reader.all_accounts(org)}
    activity = year_activity(reader, org, chart_id, year)
    return closing_drafts(get_chart(chart_id), accounts, activity, year)
