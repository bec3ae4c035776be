"""The year's statements as a disclosure shows them (资产负债表, 收益分配表's income part), one
builder for the statement kinds and for a distribution's plan, which the Law wants disclosed
beside them; amounts are decimal strings of yuan, with their capital numerals where totalled.
A cooperative's are read on its own layouts (资产负债表, 盈余及盈余分配表), and its year adds the
成员权益变动表; a village's content is what it always was.
`from_books_start` (format 5 on) reads each statement as the desk does (projections/books/
reports.py): in the year the books start after January 1, from their first day, so the opening
balances are the 年初数, the 年初未分配收益 and the 年初余额, never the year's activity. Without it
(formats 1–4, and a distribution's plan, which has its own content) the old reading from
January 1 stays, so what was published under it rebuilds byte for byte.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ledger.kernel.money import capital_numerals, format_fen
from projections.books import reports, statements
from projections.books.queries import BooksReader


def amount(fen: int | None) -> dict[str, str]:
    """None (a figure the column does not have, format 8 on): both texts empty."""
    if fen is None:
        return {"amount": "", "amount_capital": ""}
    return {"amount": format_fen(fen), "amount_capital": capital_numerals(fen)}


def _statement_lines(report_lines: list[dict[str, Any]], first: str, second: str,
                     rows: bool) -> list[dict[str, Any]]:
    """`rows`: each line names its 行次 (format 3 on; formats 1 and 2 had no `row` key)."""
    return [{
        **({"row": line["row"]} if rows else {}),
        "no": index,
        "key": line["key"],
        "item": line["label_zh"],
        "item_en": line["label_en"],
        "section": line["section"],
        "indent": line["indent"],
        "total": line["total"],
        **amount(line[first]),
        second: format_fen(line[second]),
    } for index, line in enumerate(report_lines, start=1)]


def _first_day(reader: BooksReader, org: str, start: date, end: date,
               from_books_start: bool) -> date:
    return reports.first_day_of_books(reader, org, start, end) if from_books_start else start


def balance_sheet(reader: BooksReader, org: str, end: date, *, by_party: bool = True,
                  from_books_start: bool = False) -> dict[str, Any]:
    """`by_party`: 内部往来 shown party by party, and each line's 行次 (format 3 on); formats 1
    and 2 netted it within each sub-account and named no rows. `from_books_start` (format 5):
    the 年初数 are the opening balances in the year the books start after January 1, and the
    content names the day they are of (`start_of_year`), as the desk's column head does."""
    start = _first_day(reader, org, date(end.year, 1, 1), end, from_books_start)
    brought_in = None if start == date(end.year, 1, 1) else start - timedelta(days=1)
    layouts = reports.layouts_of(reader, org)
    parties = reader.party_nets(org, layouts.two_sided, start, end) if by_party else None
    sheet = statements.balance_sheet(reader.sums(org, start, end), end, parties,
                                     layouts=layouts, brought_in=brought_in)
    return {"date": end.isoformat(), "balanced": sheet["balanced"],
            **({"start_of_year": sheet["start_of_year"].isoformat()} if from_books_start
               else {}),
            "lines": _statement_lines(sheet["lines"], "end", "start_of_year", by_party)}


def income_statement(reader: BooksReader, org: str, start: date, end: date, *,
                     range_brought_in: bool, rows: bool = True,
                     from_books_start: bool = False,
                     whole_years_only: bool = False) -> dict[str, Any]:
    """`range_brought_in`: format 1's 年初未分配收益 of the range (see content.py); `rows`: each
    line's 行次 (format 3 on); `from_books_start`: both columns read from the books' first day
    when it falls in their range (format 5); `whole_years_only` (format 8): a range that starts
    after its year does leaves the distribution rows of its first column empty."""
    period_first = _first_day(reader, org, start, end, from_books_start)
    year_first = _first_day(reader, org, date(start.year, 1, 1), end, from_books_start)
    report = statements.income_statement(
        reader.sums(org, period_first, end), reader.sums(org, year_first, end),
        start.isoformat(), end.isoformat(), range_brought_in=range_brought_in,
        starts_year=not whole_years_only or period_first == year_first,
        layouts=reports.layouts_of(reader, org))
    return {"lines": _statement_lines(report["lines"], "amount", "year_to_date", rows)}


def is_cooperative(reader: BooksReader, org: str) -> bool:
    return reports.layouts_of(reader, org).cooperative


def equity_changes(reader: BooksReader, org: str, end: date, *,
                   from_books_start: bool = False) -> dict[str, Any]:
    """A cooperative's 成员权益变动表 of `end`'s year up to `end`: a row per 年初余额, 本年增加,
    本年减少, 年末余额, each with an amount per column (股金 … 合计); `from_books_start`
    (format 5): its 年初余额 are the opening balances in the year the books start after
    January 1, and the content names their day (`start_of_year`)."""
    report = reports.equity_changes(reader, org, end.year, end,
                                    from_books_start=from_books_start)
    columns = [column["key"] for column in report["columns"]]
    return {
        "year": report["year"],
        "date": end.isoformat(),
        **({"start_of_year": report["start_of_year"].isoformat()} if from_books_start
           else {}),
        "columns": [{"key": c["key"], "item": c["label_zh"], "item_en": c["label_en"]}
                    for c in report["columns"]],
        "rows": [{"no": no, "key": row["key"], "item": row["label_zh"],
                  "item_en": row["label_en"],
                  **{column: format_fen(row[column]) for column in columns}}
                 for no, row in enumerate(report["rows"], start=1)],
    }
