"""The year's statements as a disclosure shows them (资产负债表, 收益分配表's income part), one
builder for the statement kinds and for a distribution's plan, which the Law wants disclosed
beside them; amounts are decimal strings of yuan, with their capital numerals where totalled.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ledger.kernel.money import capital_numerals, format_fen
from projections.books import statements
from projections.books.queries import BooksReader
from projections.books.reports import INTERNAL


def amount(fen: int) -> dict[str, str]:
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


def balance_sheet(reader: BooksReader, org: str, end: date, *,
                  by_party: bool = True) -> dict[str, Any]:
    """`by_party`: 内部往来 shown party by party, and each line's 行次 (format 3 on); formats 1
    and 2 netted it within each sub-account and named no rows."""
    start = date(end.year, 1, 1)
    parties = reader.party_nets(org, INTERNAL, start, end) if by_party else None
    sheet = statements.balance_sheet(reader.sums(org, start, end), end, parties)
    return {"date": end.isoformat(), "balanced": sheet["balanced"],
            "lines": _statement_lines(sheet["lines"], "end", "start_of_year", by_party)}


def income_statement(reader: BooksReader, org: str, start: date, end: date, *,
                     range_brought_in: bool, rows: bool = True) -> dict[str, Any]:
    """`range_brought_in`: format 1's 年初未分配收益 of the range (see content.py); `rows`: each
    line's 行次 (format 3 on)."""
    report = statements.income_statement(
        reader.sums(org, start, end), reader.sums(org, date(start.year, 1, 1), end),
        start.isoformat(), end.isoformat(), range_brought_in=range_brought_in)
    return {"lines": _statement_lines(report["lines"], "amount", "year_to_date", rows)}
