"""The notes to the statements (会计报表附注) drafted from a small ledger: the largest receivables
and payables by party and by account, tying to the balance sheet; the subsidies received and
used; the accountant's contingent matters. A format-3 balance sheet numbers its lines by 行次 and
carries the notes, and verifies once published; the earlier formats have neither."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.application import Ledger
from ledger.books import Line, VoucherDraft
from ledger.disclosure import InvalidDisclosure
from projections.books.layouts import BALANCE_SHEET
from projections.books.queries import BooksQueries
from projections.books.view import BooksView
from projections.disclosure.content import FORMATS, build
from projections.disclosure.drafting import Draft, draft_from_books
from projections.disclosure.verify import verify
from projections.runner import catch_up
from tests.registers import ORG, village_with_shares

JULY, AUGUST = date(2025, 7, 15), date(2025, 8, 10)
CONTINGENT = {"notes_to_statements": {"contingent": "  为邻村修路贷款担保 100,000.00 元。 "}}


def post(app: Ledger, day: date, *lines: Line) -> None:
    app.books.post_voucher(ORG, VoucherDraft(date=day, summary="往来", lines=lines),
                           actor="kuaiji")


def small_ledger(app: Ledger) -> None:
    """Six debtors (five members under 11301, household 001 under 112), two creditors by name
    (household 002 under 211, member 0006 whose credit under 11301 outweighs its debt) and one
    without; 1,000.00 of subsidy income; a road grant under 24101: 2,000.00 received in July,
    3,000.00 more in August, 1,200.00 of it used."""
    village_with_shares(app)
    for parent, code, name in (("113", "11301", "成员往来"), ("241", "24101", "道路项目资金")):
        app.books.open_account(ORG, parent=parent, code=code, name_zh=name, name_en=name,
                               actor="kuaiji")
    post(app, JULY, Line("102", debit=200_000), Line("24101", credit=200_000))
    for number, fen in (("0001", 60_000), ("0002", 50_000), ("0003", 40_000), ("0004", 30_000),
                        ("0005", 20_000), ("0006", 10_000)):
        post(app, AUGUST, Line("11301", debit=fen, party=f"member:{number}"),
             Line("102", credit=fen))
    post(app, AUGUST, Line("102", debit=25_000), Line("11301", credit=25_000, party="member:0006"))
    post(app, AUGUST, Line("112", debit=5_000, party="household:001"), Line("102", credit=5_000))
    post(app, AUGUST, Line("102", debit=70_000), Line("211", credit=70_000, party="household:002"))
    post(app, AUGUST, Line("102", debit=8_000), Line("211", credit=8_000))
    post(app, AUGUST, Line("102", debit=100_000), Line("503", credit=100_000))
    post(app, AUGUST, Line("102", debit=300_000), Line("24101", credit=300_000))
    post(app, AUGUST, Line("24101", debit=120_000), Line("102", credit=120_000))


@pytest.fixture
def content(ledger: Ledger, view: BooksView) -> dict:
    small_ledger(ledger)
    catch_up(ledger, view)
    with BooksQueries(view).read() as reader:
        return build(reader, ORG, "balance_sheet", "2025-08", "8月资产负债表", CONTINGENT)


def test_the_largest_receivables_and_payables_by_party_and_by_account(content):
    notes = content["notes_to_statements"]
    receivables, payables = notes["receivables"], notes["payables"]
    assert [(p["party"], p["amount"]) for p in receivables["by_party"]] == [
        ("member:0001", "600.00"), ("member:0002", "500.00"), ("member:0003", "400.00"),
        ("member:0004", "300.00"), ("member:0005", "200.00")]  # household 001's 50.00 is 6th
    assert [(a["code"], a["amount"]) for a in receivables["by_account"]] == [
        ("11301", "2000.00"), ("112", "50.00")]
    assert [(p["party"], p["amount"]) for p in payables["by_party"]] == [
        ("household:002", "700.00"), ("member:0006", "150.00")]
    assert [(a["code"], a["amount"]) for a in payables["by_account"]] == [
        ("211", "780.00"), ("11301", "150.00")]
    # The totals are the balance sheet's own lines.
    end = {line["key"]: line["amount"] for line in content["lines"]}
    assert (receivables["amount"], payables["amount"]) == (end["receivables"], end["payables"])
    assert receivables["amount_capital"] == "贰仟零伍拾元整"


def test_the_subsidies_received_and_used_in_the_period(content):
    subsidies = content["notes_to_statements"]["subsidies"]
    assert subsidies["income"]["amount"] == "1000.00"
    [grant] = subsidies["earmarked"]
    assert (grant["code"], grant["name_zh"]) == ("24101", "道路项目资金")
    assert [grant[k] for k in ("opening", "received", "used", "closing")] == [
        "2000.00", "3000.00", "1200.00", "3800.00"]
    assert subsidies["earmarked_totals"]["closing"]["amount"] == "3800.00"


def test_the_policies_and_the_accountants_contingent_matters(content):
    notes = content["notes_to_statements"]
    assert "财会〔2023〕14号" in notes["policies"] and "权责发生制" in notes["policies"]
    assert notes["contingent"] == "为邻村修路贷款担保 100,000.00 元。"


def test_each_line_names_its_row(content):
    assert [(line["row"], line["key"]) for line in content["lines"]] == [
        (line.row, line.key) for line in BALANCE_SHEET]


def test_the_earlier_formats_have_neither_rows_nor_notes(ledger: Ledger, view: BooksView):
    small_ledger(ledger)
    catch_up(ledger, view)
    with BooksQueries(view).read() as reader:
        for old in FORMATS[:2]:
            for kind in ("balance_sheet", "income_statement"):
                built = build(reader, ORG, kind, "2025-08", "t", CONTINGENT, format=old)
                assert "notes_to_statements" not in built
                assert not any("row" in line for line in built["lines"])


def test_contingent_matters_too_long_are_refused(ledger: Ledger, view: BooksView):
    small_ledger(ledger)
    catch_up(ledger, view)
    with BooksQueries(view).read() as reader, pytest.raises(InvalidDisclosure) as refused:
        build(reader, ORG, "income_statement", "2025-08", "t",
              {"notes_to_statements": {"contingent": "担" * 2001}})
    assert refused.value.field == "notes_to_statements.contingent"


def test_a_published_balance_sheet_with_notes_verifies(ledger: Ledger, view: BooksView):
    small_ledger(ledger)
    ledger.identity.create_user(login="jiandu", display_name="监督", password="a long password",
                                actor="admin")
    ledger.identity.grant_role("jiandu", org=ORG, role="supervisor", reason="elected",
                               actor="admin")

    def read():
        catch_up(ledger, view)
        return BooksQueries(view).read()
    ref = str(draft_from_books(ledger, read, ORG, Draft(
        kind="balance_sheet", period="2025-08", title="8月资产负债表", inputs=CONTINGENT),
        actor="kuaiji").value.id)
    ledger.disclosure.submit_disclosure(ORG, ref, panel=["jiandu"], actor="kuaiji")
    ledger.disclosure.sign_disclosure(ORG, ref, member="jiandu", opinion="属实")
    ledger.disclosure.publish_disclosure(ORG, ref, actor="kuaiji")
    [finding] = verify(ledger, ORG, ref)
    assert finding.ok
