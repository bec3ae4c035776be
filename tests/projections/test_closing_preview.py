"""The year-end close's preview, read from the books read model, is exactly what the books
aggregate would post: the demo village's 2026 so far, and its 2025 (closed) with nothing left."""

from __future__ import annotations

from demo import DEMO_ORG, load_demo_village
from ledger.books import closing_drafts
from projections.books.queries import BooksQueries
from projections.books.reports import closing_preview
from projections.runner import catch_up


def test_the_preview_is_what_the_close_would_post(ledger, storage, view):
    load_demo_village(ledger, storage)
    catch_up(ledger, view)
    books = ledger.books.of(DEMO_ORG)
    with BooksQueries(view).read() as reader:
        chart = reader.organization(DEMO_ORG)["chart"]
        preview = closing_preview(reader, DEMO_ORG, chart, 2026)
        closed = closing_preview(reader, DEMO_ORG, chart, 2025)
    expected = closing_drafts(books.chart_spec, books.accounts, books.year_activity["2026"], 2026)
    assert preview == expected
    assert len(preview) >= 2 and all(d.kind == "closing" for d in preview)
    assert all(sum(line.debit - line.credit for line in d.lines) == 0 for d in preview)
    assert closed == []  # 2025's closing vouchers brought every swept account to zero
