"""A voucher the accountant posts that pays money out for spending with no receipt attached is a
white slip (白条), the first thing an auditor looks for: given the books, when such a voucher is
posted, then a warning (no_receipt) names it, in the same write; a voucher with its receipts
counted or scanned, a transfer between money accounts, a debt paid, money received and a
reversal raise none. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.application import Ledger
from ledger.books import Line, VoucherDraft
from tests.application.test_spending import ORG, red_flags, village  # noqa: F401 - a fixture

DAY = date(2026, 10, 9)


def post(app: Ledger, summary: str, *lines: Line, **draft: object) -> str:
    return app.books.post_voucher(ORG, VoucherDraft(date=DAY, summary=summary, lines=lines,
                                                    **draft), actor="kuaiji").value.number


@pytest.fixture
def funded(village: Ledger) -> Ledger:  # noqa: F811
    """东村 with 1,000.00 in the bank and 200.00 in cash, received with their papers."""
    post(village, "收取发包款", Line("102", debit=100_000), Line("501", credit=100_000),
         attachments=1)
    post(village, "提取现金", Line("101", debit=20_000), Line("102", credit=20_000))
    return village


def test_spending_paid_with_nothing_attached_is_flagged_on_its_voucher(funded: Ledger) -> None:
    number = post(funded, "买水泥", Line("513", debit=15_000), Line("101", credit=15_000))
    [flag] = red_flags(funded)
    assert (flag.kind, flag.key, flag.date) == ("no_receipt", number, DAY)
    assert flag.trigger == {"voucher": number, "amount": "150.00", "accounts": ["513"]}


def test_a_cost_paid_from_the_bank_in_part_is_flagged_for_what_left_the_bank(
        funded: Ledger) -> None:
    number = post(funded, "购种子，部分赊欠", Line("401", debit=30_000),
                  Line("102", credit=10_000), Line("211", credit=20_000))
    [flag] = red_flags(funded)
    assert (flag.key, flag.trigger["amount"], flag.trigger["accounts"]) == (
        number, "100.00", ["401"])


def test_receipts_counted_or_scanned_and_vouchers_that_buy_nothing_are_not_flagged(
        funded: Ledger) -> None:
    post(funded, "买水泥", Line("513", debit=15_000), Line("101", credit=15_000), attachments=2)
    post(funded, "买钉子", Line("513", debit=1_000), Line("101", credit=1_000),
         receipt_digests=("a" * 64,))
    post(funded, "还欠款", Line("211", debit=5_000), Line("102", credit=5_000))
    post(funded, "存现金", Line("102", debit=1_000), Line("101", credit=1_000))
    post(funded, "收租金", Line("101", debit=3_000), Line("501", credit=3_000))
    post(funded, "计提折旧", Line("513", debit=2_000), Line("152", credit=2_000))
    assert red_flags(funded) == []


def test_reversing_a_white_slip_settles_its_warning_and_raises_no_second(
        funded: Ledger) -> None:
    # Given a white slip's warning, open,
    number = post(funded, "买水泥", Line("513", debit=15_000), Line("101", credit=15_000))
    # when its voucher is reversed,
    reversal = funded.books.reverse_voucher(ORG, number, on=DAY, reason="重复记账",
                                            actor="kuaiji").value.number
    # then the warning stays, acknowledged by the reversal in the reverser's name.
    [flag] = red_flags(funded)
    assert flag.key == number
    assert [(a["by"], a["reason"]) for a in flag.acknowledgements] == [
        ("kuaiji", f"凭证已冲销（冲销凭证 {reversal}）")]


def test_a_warning_acknowledged_before_the_reversal_keeps_its_one_reason(
        funded: Ledger) -> None:
    number = post(funded, "买水泥", Line("513", debit=15_000), Line("101", credit=15_000))
    [flag] = red_flags(funded)
    funded.books.acknowledge_red_flag(ORG, str(flag.id), reason="收据后补", actor="jiandu")
    funded.books.reverse_voucher(ORG, number, on=DAY, reason="重复记账", actor="kuaiji")
    [flag] = red_flags(funded)
    assert [a["reason"] for a in flag.acknowledgements] == ["收据后补"]
