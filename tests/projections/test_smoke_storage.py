from datetime import date

from ledger.books import Line, VoucherDraft
from projections.runner import catch_up


def test_a_posted_voucher_reaches_the_read_model(ledger, view):
    ledger.books.register_organization(code="v1", name_zh="一村", kind="village_collective",
                                       books_start=date(2025, 1, 1), actor="会计")
    posted = ledger.books.post_voucher("v1", VoucherDraft(
        date=date(2025, 1, 5), summary="收发包款",
        lines=(Line("102", debit=500000), Line("501", credit=500000))), actor="会计")
    assert catch_up(ledger, view) == posted.position
