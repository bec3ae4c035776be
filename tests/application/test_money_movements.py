"""The monthly 收支明细 (format /3) lists every yuan that moved through cash or bank, on SQLite and
PostgreSQL: given a March with each kind of movement — income, spending, a project, a grant
received and spent, 一事一议 money, a loan, a dividend paid, cash drawn from the bank, a payment
nobody approved and rent earned but not collected — each appears with its class and with who
stands behind it, and the totals tie to the change in cash and bank."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from ledger.application import Ledger
from ledger.books import Line, VoucherDraft
from ledger.disclosure import InvalidDisclosure
from ledger.kernel.money import parse_fen
from projections.books.queries import BooksReader
from projections.books.view import BooksView
from projections.disclosure.content import build
from projections.disclosure.verify import verify
from projections.runner import catch_up
from tests.application.test_spending_disclosures import built, content_of
from tests.projections.test_spending_read_model import ORG, publish, spend


def posted(app: Ledger, day: int, summary: str, *lines: Line) -> str:
    return app.books.post_voucher(ORG, VoucherDraft(date=date(2026, 3, day), summary=summary,
                                                    lines=lines), actor="kuaiji").value.number


def busy_march(app: Ledger) -> dict[str, str]:
    """spend()'s March (rent received, a road grant, the road and its survey paid on approved
    requests, upkeep paid from the grant) and every other kind of movement besides."""
    numbers = spend(app)
    app.spending.record_grant(ORG, on=date(2026, 3, 16), kind="yishiyiyi", name="修桥一事一议",
                              grantor="村民筹资", amount=400_000, account="231",
                              paid_into="102", purpose_accounts=["153"], actor="kuaiji")
    app.books.open_account(ORG, parent="211", code="21102", name_zh="应付分配款", actor="kuaiji")
    numbers |= {
        "loan": posted(app, 17, "向信用社借款", Line("102", debit=1_000_000),
                       Line("201", credit=1_000_000)),
        "dividend": posted(app, 18, "支付上年分红", Line("21102", debit=250_000),
                           Line("102", credit=250_000)),
        "drawn": posted(app, 19, "提取现金", Line("101", debit=50_000), Line("102", credit=50_000)),
        "cash_paid": posted(app, 20, "购买茶叶", Line("513", debit=3_000),
                            Line("101", credit=3_000)),
        "accrued": posted(app, 31, "确认应收租金", Line("112", debit=120_000),
                          Line("501", credit=120_000)),
    }
    return numbers


def fen(value: dict[str, str] | str) -> int:
    return parse_fen(value if isinstance(value, str) else value["amount"])


def test_every_movement_of_cash_and_bank_is_listed_with_its_class(
        ledger: Ledger, view: BooksView) -> None:
    numbers = busy_march(ledger)
    content = built(ledger, view, "income_expenditure", "2026-03", {})
    by_voucher = {line["voucher"]: line for line in content["lines"]}
    classes = {line["class"] for line in content["lines"]}
    assert classes >= {"income", "spending", "project", "grant", "yishi", "loan", "distribution",
                       "transfer"}
    assert (by_voucher[numbers["loan"]]["class"], by_voucher[numbers["loan"]]["side"]) == (
        "loan", "income")
    dividend = by_voucher[numbers["dividend"]]
    assert (dividend["class"], dividend["side"], dividend["amount"]) == (
        "distribution", "spending", "2500.00")
    drawn = by_voucher[numbers["drawn"]]
    assert (drawn["class"], drawn["side"], drawn["via"], drawn["account"]["code"]) == (
        "transfer", "transfer", "银行存款", "101")
    road = next(line for line in content["lines"]
                if line.get("spending", {}).get("request") == numbers["road"])
    assert (road["class"], road["account"]["code"], road["amount"]) == ("project", "153",
                                                                        "15000.00")
    assert {line["class"] for line in content["lines"] if line["side"] == "income"} == {
        "income", "grant", "yishi", "loan"}
    # Rent earned but not received moved no money: it is listed apart, not among the lines.
    assert numbers["accrued"] not in by_voucher
    assert [(a["voucher"], a["side"], a["amount"]) for a in content["accrued"]] == [
        (numbers["accrued"], "income", "1200.00")]


def test_the_totals_tie_to_the_change_in_cash_and_bank(ledger: Ledger, view: BooksView) -> None:
    busy_march(ledger)
    content = built(ledger, view, "income_expenditure", "2026-03", {})
    totals, money = content["totals"], content["money"]
    incoming = sum(fen(line) for line in content["lines"] if line["side"] == "income")
    outgoing = sum(fen(line) for line in content["lines"] if line["side"] == "spending")
    assert (fen(totals["income"]), fen(totals["spending"])) == (incoming, outgoing)
    assert fen(totals["net"]) == fen(money["end"]) - fen(money["start"]) == fen(money["change"])
    # 2,000,000 rent + 1,000,000 grant + 400,000 一事一议 + 1,000,000 loan in; 1,500,000 road,
    # 80,000 survey, 300,000 upkeep, 250,000 dividend, 3,000 tea out; the 50,000 drawn is neither.
    assert (incoming, outgoing) == (4_400_000, 2_133_000)
    assert {m["account"]["code"]: m["end"]["amount"] for m in money["accounts"]} == {
        "101": "470.00", "102": "22200.00"}


def test_who_stands_behind_each_line_and_a_payment_nobody_approved(
        ledger: Ledger, view: BooksView) -> None:
    numbers = busy_march(ledger)
    content = built(ledger, view, "income_expenditure", "2026-03",
                    {"annotations": {f"{numbers['dividend']}/1": {"unit": "各户",
                                                                  "responsible": "王会计"}}})
    lines = content["lines"]
    road = next(line for line in lines if line.get("spending", {}).get("request") == numbers[
        "road"])
    assert (road["unit"], road["handler"], road["handled_as"]) == ("路桥公司", "kuaiji",
                                                                   "request")
    assert {"login": "jiandu", "role": "supervisor", "note": "jiandu同意"} in road["spending"][
        "approvers"]
    assert "unapproved" not in road
    [rent] = [line for line in lines if line["handled_as"] == "receipt"]
    assert (rent["unit"], rent["handler"], rent["class"]) == ("张三", "kuaiji", "income")
    bridge = next(line for line in lines if line["class"] == "yishi")
    assert (bridge["unit"], bridge["fund_source"], bridge["handled_as"]) == (
        "村民筹资", "修桥一事一议", "grant")
    by_voucher = {line["voucher"]: line for line in lines}
    assert by_voucher[numbers["cash_paid"]]["unapproved"] is True
    dividend = by_voucher[numbers["dividend"]]
    assert dividend["unapproved"] is True  # a voucher by hand, not a decided distribution's
    assert (dividend["unit"], dividend["responsible"]) == ("各户", "王会计")
    assert "unapproved" not in by_voucher[numbers["loan"]]  # money in needs no approval
    assert "unapproved" not in by_voucher[numbers["drawn"]]


def test_an_annotation_of_a_line_not_there_is_refused(ledger: Ledger, view: BooksView) -> None:
    busy_march(ledger)
    with pytest.raises(InvalidDisclosure):
        built(ledger, view, "income_expenditure", "2026-03",
              {"annotations": {"2026-03-9999/1": {"unit": "某"}}})


def test_a_published_month_of_movements_verifies(ledger: Ledger, view: BooksView) -> None:
    busy_march(ledger)
    ref = publish(ledger, view, "income_expenditure", "2026-03", "2026年3月财务收支明细", {})
    content: dict[str, Any] = content_of(ledger, ref)
    assert content["format"] == "sunlight-disclosure/9" and content["lines"]
    assert all(finding.ok for finding in verify(ledger, ORG)), json.dumps(
        [f.problems for f in verify(ledger, ORG)], ensure_ascii=False)


def test_a_payment_reversed_comes_off_the_payments_in_red(ledger: Ledger,
                                                           view: BooksView) -> None:
    """Format 5: the reversal's red line stays a payment, negative, so the month's payments do
    not count the 30.00 of tea twice; formats 3 and 4 listed it as a receipt of 30.00."""
    numbers = busy_march(ledger)
    reversal = ledger.books.reverse_voucher(ORG, numbers["cash_paid"], on=date(2026, 3, 21),
                                            reason="发票开错，退回", actor="kuaiji").value.number
    content = built(ledger, view, "income_expenditure", "2026-03", {})
    [red] = [line for line in content["lines"] if line["voucher"] == reversal]
    assert (red["side"], red["amount"], red["class"]) == ("spending", "-30.00", "spending")
    assert "unapproved" not in red  # money taken back is no payment nobody approved
    totals, money = content["totals"], content["money"]
    assert (fen(totals["income"]), fen(totals["spending"])) == (4_400_000, 2_130_000)
    assert fen(totals["net"]) == fen(money["change"])
    catch_up(ledger, view)
    with view.sql() as sql:
        old = build(BooksReader(sql, view), ORG, "income_expenditure", "2026-03", "t", {},
                    format="sunlight-disclosure/4")
    [received] = [line for line in old["lines"] if line["voucher"] == reversal]
    assert (received["side"], received["amount"]) == ("income", "30.00")
    assert (fen(old["totals"]["income"]), fen(old["totals"]["spending"])) == (4_403_000,
                                                                              2_133_000)


def test_a_payment_reversed_names_its_reversal_from_format_7(ledger: Ledger,
                                                             view: BooksView) -> None:
    """Given the 30.00 of tea paid and reversed in March, the payment's own line names the
    reversal (a villager reading it sees it taken back there, not only further down); the
    content of format 6, which an earlier disclosure was published in, is rebuilt without it."""
    numbers = busy_march(ledger)
    reversal = ledger.books.reverse_voucher(ORG, numbers["cash_paid"], on=date(2026, 3, 21),
                                            reason="发票开错，退回", actor="kuaiji").value.number
    content = built(ledger, view, "income_expenditure", "2026-03", {})
    [paid] = [line for line in content["lines"] if line["voucher"] == numbers["cash_paid"]]
    assert paid["reversed_by"] == reversal and paid["amount"] == "30.00"
    assert not [line for line in content["lines"] if "reversed_by" in line and line is not paid]
    catch_up(ledger, view)
    with view.sql() as sql:
        six = build(BooksReader(sql, view), ORG, "income_expenditure", "2026-03", "t", {},
                    format="sunlight-disclosure/6")
    assert not [line for line in six["lines"] if "reversed_by" in line]
