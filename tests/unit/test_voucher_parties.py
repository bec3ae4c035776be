"""A voucher line may name the member or household it is with, so each one's balance with the
organization is a query; a name that is not on the roll is refused, and old vouchers keep their
stored bytes."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.application import Ledger
from ledger.books import InvalidVoucherLine, Line, VoucherDraft
from tests.registers import ORG, confirm_people


def lent(party: str) -> VoucherDraft:
    return VoucherDraft(date=date(2026, 3, 1), summary="借支",
                        lines=(Line("112", debit=30_000, party=party),
                               Line("101", credit=30_000)))


def test_a_line_names_a_member_or_household_on_the_roll(village: Ledger):
    confirm_people(village)
    posted = village.books.post_voucher(ORG, lent("member:0003"), actor="kuaiji").value
    assert posted.lines[0]["party"] == "member:0003"
    assert "party" not in posted.lines[1]
    assert posted.line_items[0].party == "member:0003"
    village.books.post_voucher(ORG, lent("household:002"), actor="kuaiji")
    with pytest.raises(InvalidVoucherLine) as error:
        village.books.post_voucher(ORG, lent("member:0999"), actor="kuaiji")
    assert error.value.field == "lines[0].party"
    with pytest.raises(InvalidVoucherLine) as error:
        lent("张三").check()
    assert error.value.field == "lines[0].party"


def test_a_reversal_carries_the_party_in_red_ink(village: Ledger):
    confirm_people(village)
    posted = village.books.post_voucher(ORG, lent("member:0003"), actor="kuaiji").value
    reversal = village.books.reverse_voucher(ORG, posted.number, on=date(2026, 3, 2), reason="录错",
                                             actor="kuaiji").value
    assert reversal.line_items[0] == Line("112", debit=-30_000, party="member:0003")


def test_a_line_without_a_party_keeps_the_bytes_it_always_had():
    assert Line("101", debit=1).as_dict() == {"account": "101", "debit": 1, "credit": 0,
                                              "memo": ""}
