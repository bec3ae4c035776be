"""Running totals of the books read model (科目发生额汇总), so that no report sums every line ever
posted: the balances of a month read O(accounts x months), whatever the length of the history.

Rule: every line posted adds its debit, its credit, one to the count of lines and, on a year-end
closing voucher, its net debit to three rows of its account, keyed by the line's `as_of` day: the
row of that year, of that month and of that day; a line that names a party adds its debit and
credit to three rows of (account, party).
They are written by the handler that writes the line, in its transaction, so a total holds
exactly the lines projected. Any sum over `as_of` <= a day D is then read from the rows of the
years before D's, the months of D's year before D's and the days of D's month up to D (whole
months and whole years taken as such): at most years + 11 + 31 rows per account, never a line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from projections.db import Sql

DDL = (
    # grain: 0 a year (span '2025'), 1 a month ('2025-03'), 2 a day ('2025-03-14').
    """CREATE TABLE IF NOT EXISTS books_totals (
        org TEXT NOT NULL, grain SMALLINT NOT NULL, span TEXT NOT NULL, account TEXT NOT NULL,
        debit BIGINT NOT NULL, credit BIGINT NOT NULL, closing_net BIGINT NOT NULL,
        lines BIGINT NOT NULL, PRIMARY KEY (org, grain, span, account))""",
    """CREATE TABLE IF NOT EXISTS books_party_totals (
        org TEXT NOT NULL, grain SMALLINT NOT NULL, span TEXT NOT NULL, account TEXT NOT NULL,
        party TEXT NOT NULL, debit BIGINT NOT NULL, credit BIGINT NOT NULL,
        PRIMARY KEY (org, grain, span, account, party))""",
)
TABLES = ("books_totals", "books_party_totals")

_ADD = (
    "INSERT INTO books_totals VALUES (:org, :grain, :span, :account, :debit, :credit, "
    ":closing_net, :lines) ON CONFLICT (org, grain, span, account) DO UPDATE SET "
    "debit = books_totals.debit + excluded.debit, "
    "credit = books_totals.credit + excluded.credit, "
    "closing_net = books_totals.closing_net + excluded.closing_net, "
    "lines = books_totals.lines + excluded.lines"
)
_ADD_PARTY = (
    "INSERT INTO books_party_totals VALUES (:org, :grain, :span, :account, :party, :debit, "
    ":credit) ON CONFLICT (org, grain, span, account, party) DO UPDATE SET "
    "debit = books_party_totals.debit + excluded.debit, "
    "credit = books_party_totals.credit + excluded.credit"
)

_COLUMNS = ("org", "grain", "span", "account", "debit", "credit", "closing_net", "lines")
_PARTY_COLUMNS = ("org", "grain", "span", "account", "party", "debit", "credit")


def _spans(as_of: str) -> tuple[tuple[int, str], ...]:
    return (0, as_of[:4]), (1, as_of[:7]), (2, as_of)


def add_lines(sql: Sql, org: str, as_of: str, closing: bool,
              lines: Iterable[Mapping[str, Any]]) -> None:
    """Add one voucher's lines (all of one `as_of` day) to their accounts' and parties' totals;
    the lines of a batch are added up by day first and spread to their year's, month's and
    day's rows as the batch is written, so each row is written once per batch."""
    # Added in place to the batch's pending sums by (org, day, account) (projections/sql.py):
    # a line costs one lookup, and a day's many lines on an account spread to three rows once.
    pending = sql.sums_later(_ADD, _COLUMNS, 4, spread=_spread)
    by_party: dict[tuple[str, str], list[int]] = {}
    for line in lines:
        account, debit, credit = line["account"], line["debit"], line["credit"]
        kept = pending.get(key := (org, as_of, account))
        if kept is None:
            pending[key] = [debit, credit, debit - credit if closing else 0, 1]
        else:
            kept[0] += debit
            kept[1] += credit
            kept[2] += debit - credit if closing else 0
            kept[3] += 1
        if line.get("party"):
            sums = by_party.setdefault((account, line["party"]), [0, 0])
            sums[0] += debit
            sums[1] += credit
    if by_party:
        sql.fold(_ADD_PARTY, _PARTY_COLUMNS, 5, [
            (org, grain, span, account, party, debit, credit)
            for grain, span in _spans(as_of)
            for (account, party), (debit, credit) in by_party.items()])


def _spread(by_day: dict[tuple[Any, ...], list[int]]) -> dict[tuple[Any, ...], list[int]]:
    """The sums by (org, day, account) as the rows they add to: by (org, grain, span, account)
    for the day's year, month and day."""
    rows: dict[tuple[Any, ...], list[int]] = {}
    for (org, as_of, account), sums in by_day.items():
        rows[(org, 2, as_of, account)] = sums  # a day's row is its own sums, met once
        for key in ((org, 0, as_of[:4], account), (org, 1, as_of[:7], account)):
            kept = rows.get(key)
            if kept is None:
                rows[key] = list(sums)
            else:
                kept[0] += sums[0]
                kept[1] += sums[1]
                kept[2] += sums[2]
                kept[3] += sums[3]
    return rows


def _through(day: date) -> dict[str, str]:
    """The spans whose rows add up to everything with `as_of` <= `day`: the years before it, the
    months of its year before it and the days of its month up to it, a whole month or year read
    from its own row when `day` is its last day. An empty range is written high < low."""
    year, month = f"{day.year:04d}", f"{day.year:04d}-{day.month:02d}"
    month_end = (day + timedelta(days=1)).day == 1
    if month_end and day.month == 12:
        return {"y": year, "m0": "~", "m": "", "d0": "~", "d": ""}
    previous = f"{day.year:04d}-{day.month - 1:02d}"  # "YYYY-00" in January: no month
    return {"y": f"{day.year - 1:04d}", "m0": f"{year}-01", "m": month if month_end else previous,
            "d0": "~" if month_end else f"{month}-01", "d": "" if month_end else day.isoformat()}


def _rows_through(sql: Sql, table: str, columns: str, keys: str, org: str, day: date,
                  where: str = "", params: Mapping[str, Any] | None = None,
                  ) -> list[dict[str, Any]]:
    spans = (f"SELECT {keys}, {columns} FROM {table} WHERE org = :org{where} AND grain = "
             "{grain} AND span >= {low} AND span <= {high}")
    parts = " UNION ALL ".join(spans.format(grain=grain, low=low, high=high) for grain, low, high
                               in ((0, "''", ":y"), (1, ":m0", ":m"), (2, ":d0", ":d")))
    sums = ", ".join(f"SUM({column}) AS {column}" for column in columns.split(", "))
    return sql.execute(f"SELECT {keys}, {sums} FROM ({parts}) t GROUP BY {keys} ORDER BY {keys}",
                       {"org": org, **_through(day), **(params or {})}).all()


def account_totals(sql: Sql, org: str, day: date) -> dict[str, tuple[int, int, int]]:
    """Each account's debits, credits and closing net debit with `as_of` <= `day`; an account
    appears once any line of it is that old, even if they net to nothing."""
    rows = _rows_through(sql, "books_totals", "debit, credit, closing_net", "account", org, day)
    return {row["account"]: (int(row["debit"]), int(row["credit"]), int(row["closing_net"]))
            for row in rows}


def line_count(sql: Sql, org: str, prefix: str, start: date, end: date) -> int:
    """How many lines the accounts under `prefix` (itself included) have with `as_of` in
    [start, end]: what a ledger page counts, without walking the lines. Read from the rows that
    cover the range exactly: its whole months, and the days before and after them."""
    if start > end:
        return 0
    # The range's whole months run from `first` to `last`; an empty range is written high < low.
    first = start if start.day == 1 else (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    last = end if (end + timedelta(days=1)).day == 1 else end.replace(day=1) - timedelta(days=1)
    if first <= last:
        params = {"d0": start.isoformat(), "d1": (first - timedelta(days=1)).isoformat(),
                  "m0": first.isoformat()[:7], "m1": last.isoformat()[:7],
                  "d2": (last + timedelta(days=1)).isoformat(), "d3": end.isoformat()}
    else:  # no whole month: the range's days only
        params = {"d0": start.isoformat(), "d1": end.isoformat(), "m0": "~", "m1": "",
                  "d2": "~", "d3": ""}
    parts = " UNION ALL ".join(
        f"SELECT lines FROM books_totals WHERE org = :org AND grain = {grain} AND span >= :{low} "
        f"AND span <= :{high} AND account LIKE :prefix"
        for grain, low, high in ((2, "d0", "d1"), (1, "m0", "m1"), (2, "d2", "d3")))
    return int(sql.execute(f"SELECT COALESCE(SUM(lines), 0) AS n FROM ({parts}) t",
                           {"org": org, "prefix": prefix + "%", **params}).scalar())


def party_totals(sql: Sql, org: str, prefix: str, day: date,
                 ) -> dict[tuple[str, str], tuple[int, int]]:
    """Each (account, party) under `prefix`: debits and credits with `as_of` <= `day`."""
    rows = _rows_through(sql, "books_party_totals", "debit, credit", "account, party", org, day,
                         " AND account LIKE :prefix", {"prefix": prefix + "%"})
    return {(row["account"], row["party"]): (int(row["debit"]), int(row["credit"]))
            for row in rows}


def year_nets(sql: Sql, org: str, year: int, books_start: date) -> dict[str, int]:
    """Each account's net debit over the lines dated in `year` (the voucher's date, not its
    `as_of`): the year's totals, corrected by the only lines whose two days differ, those of the
    opening balances (and their reversals), all brought in as of the day before the books start
    and found by that day through the index of the lines, never by reading the year's lines."""
    nets = {row["account"]: int(row["debit"]) - int(row["credit"]) for row in sql.execute(
        "SELECT account, debit, credit FROM books_totals WHERE org = :org AND grain = 0 "
        "AND span = :year", {"org": org, "year": f"{year:04d}"}).all()}
    accounts = {f"a{i}": row["account"] for i, row in enumerate(sql.execute(
        "SELECT DISTINCT account FROM books_totals WHERE org = :org AND grain = 0",
        {"org": org}).all())}
    if not accounts:
        return nets
    brought_in = books_start - timedelta(days=1)
    for line in sql.execute(
            "SELECT account, date, debit, credit FROM books_lines WHERE org = :org AND account "
            f"IN ({', '.join(':' + key for key in accounts)}) AND as_of = :as_of",
            {"org": org, "as_of": brought_in.isoformat(), **accounts}).all():
        net = int(line["debit"]) - int(line["credit"])
        dated_in_year = line["date"][:4] == f"{year:04d}"
        if dated_in_year != (brought_in.year == year):
            nets[line["account"]] = nets.get(line["account"], 0) + (net if dated_in_year
                                                                     else -net)
    return nets
