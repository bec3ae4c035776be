"""内部往来 (113) on the balance sheet, party by party: one member's debt and another member's
credit under the same sub-account are a receivable and a payable, not their difference, so a debt
cannot hide behind someone else's credit. Disclosures published before keep their netted bytes."""

from __future__ import annotations

from datetime import date

from ledger.application import Ledger
from ledger.books import Line, VoucherDraft
from projections.books import reports
from projections.books.queries import BooksQueries
from projections.books.view import BooksView
from projections.disclosure.content import FORMATS, build
from projections.runner import catch_up
from tests.registers import ORG, village_with_shares

DAY = date(2025, 8, 1)


def lent_and_borrowed(app: Ledger) -> None:
    """张大山 owes the village 500.00; the village owes 李秀英 300.00; both under 11301."""
    village_with_shares(app)
    app.books.open_account(ORG, parent="113", code="11301", name_zh="成员往来",
                           name_en="Members", actor="kuaiji")
    for lines in ((Line("11301", debit=50_000, party="member:0001"), Line("102", credit=50_000)),
                  (Line("102", debit=30_000), Line("11301", credit=30_000, party="member:0002"))):
        app.books.post_voucher(ORG, VoucherDraft(date=DAY, summary="往来", lines=lines),
                               actor="kuaiji")


def lines_of(sheet: dict, key: str) -> int:
    return next(line["end"] for line in sheet["lines"] if line["key"] == key)


def test_a_members_debt_and_another_members_credit_are_shown_apart(
        ledger: Ledger, view: BooksView) -> None:
    lent_and_borrowed(ledger)
    catch_up(ledger, view)
    with BooksQueries(view).read() as reader:
        sheet = reports.balance_sheet(reader, ORG, date(2025, 12, 31))
    assert lines_of(sheet, "receivables") == 50_000
    assert lines_of(sheet, "payables") == 30_000
    assert sheet["balanced"]


def test_a_disclosure_in_the_earlier_format_still_nets_them(
        ledger: Ledger, view: BooksView) -> None:
    lent_and_borrowed(ledger)
    catch_up(ledger, view)
    with BooksQueries(view).read() as reader:
        old = build(reader, ORG, "balance_sheet", "2025-12", "t", {}, format=FORMATS[1])
        new = build(reader, ORG, "balance_sheet", "2025-12", "t", {})
    assert [line["amount"] for line in old["lines"] if line["key"] == "receivables"] == ["200.00"]
    assert [line["amount"] for line in new["lines"] if line["key"] == "receivables"] == ["500.00"]
