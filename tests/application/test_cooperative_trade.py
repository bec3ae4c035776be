"""Trade posted in the same write as the trade book: a sale Dr the settlement / Cr 50101 for a
member and 50102 for a non-member, a purchase Dr 121 产品物资 (or 52101/52102) / Cr the
settlement (2017 Law Art. 41); 114 成员往来 settles a member's trade only, and lines on 114 and
on the members' sub-accounts name the member. Without a settlement it is recorded only."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ledger.application import Ledger
from ledger.books import BooksNotKept
from ledger.register import InvalidMemberAccount, MemberNotFound, TradeBook
from tests.cooperatives import COOP, cooperative_with_members, lines_of

ON = date(2026, 10, 8)
RICE = {"product": "稻谷", "quantity": "1250.5", "unit": "公斤", "amount": 350_140}


@pytest.fixture
def coop(ledger: Ledger) -> Ledger:
    cooperative_with_members(ledger)
    return ledger


def trade(app: Ledger, **given: Any) -> TradeBook:
    return app.member_accounts.record_trade(COOP, on=ON, actor="kuaiji",
                                            **({**RICE} | given)).value


def test_a_purchase_from_a_member_on_account_names_the_member(coop: Ledger) -> None:
    book = trade(coop, member="0003", direction="sold_to_cooperative", settlement="114")
    assert lines_of(coop, book.last_voucher) == [
        ("121", 350_140, 0, ""), ("114", 0, 350_140, "member:0003")]
    assert book.volumes == {"0003": 350_140}


def test_sales_to_members_and_to_non_members_go_to_their_own_sub_accounts(
        coop: Ledger) -> None:
    member = trade(coop, member="0001", direction="bought_from_cooperative", settlement="101")
    assert lines_of(coop, member.last_voucher) == [
        ("101", 350_140, 0, ""), ("50101", 0, 350_140, "member:0001")]
    outside = trade(coop, counterparty="县粮食收储公司", direction="bought_from_cooperative",
                    settlement="102")
    assert lines_of(coop, outside.last_voucher) == [
        ("102", 350_140, 0, ""), ("50102", 0, 350_140, "")]
    assert (outside.volumes, outside.outside_volume) == ({"0001": 350_140}, 350_140)


def test_a_purchase_booked_as_an_expense_goes_to_the_traders_side(coop: Ledger) -> None:
    member = trade(coop, member="0002", direction="sold_to_cooperative", settlement="101",
                   account="521")
    assert lines_of(coop, member.last_voucher) == [
        ("52101", 350_140, 0, "member:0002"), ("101", 0, 350_140, "")]
    outside = trade(coop, counterparty="邻村农户", direction="sold_to_cooperative",
                    settlement="101", account="521")
    assert lines_of(coop, outside.last_voucher)[0] == ("52102", 350_140, 0, "")


def test_without_a_settlement_a_trade_is_recorded_only(coop: Ledger) -> None:
    book = trade(coop, member="0003", direction="sold_to_cooperative")
    assert (book.last_voucher, book.volumes) == ("", {"0003": 350_140})
    assert coop.books.of(COOP).counters == {}


@pytest.mark.parametrize(("given", "field"), [
    ({"counterparty": "邻村农户", "direction": "sold_to_cooperative", "settlement": "114"},
     "settlement"),
    ({"member": "0001", "direction": "sold_to_cooperative", "settlement": "121"}, "settlement"),
    ({"member": "0001", "direction": "bought_from_cooperative", "settlement": "101",
      "account": "50102"}, "account"),
    ({"counterparty": "邻村农户", "direction": "bought_from_cooperative", "settlement": "101",
      "account": "50101"}, "account"),
    ({"member": "0001", "direction": "bought_from_cooperative", "settlement": "101",
      "account": "121"}, "account"),
    ({"member": "0001", "direction": "sold_to_cooperative", "settlement": "101",
      "account": "201"}, "account"),
    ({"member": "0001", "direction": "sold_to_cooperative", "account": "121"}, "settlement"),
    ({"member": "0001", "direction": "sold_to_cooperative", "settlement": "101",
      "voucher": "记-3"}, "voucher"),
    ({"member": "0001", "direction": "sideways", "settlement": "101"}, "direction"),
    ({"member": "0001", "direction": "sold_to_cooperative", "settlement": "101",
      "quantity": "1e3"}, "quantity"),
])
def test_a_refused_trade_names_its_field_and_writes_nothing(
        coop: Ledger, given: dict[str, Any], field: str) -> None:
    head = coop.log_head()
    with pytest.raises(InvalidMemberAccount) as refused:
        trade(coop, **given)
    assert refused.value.field == field
    assert coop.log_head() == head


def test_a_stranger_is_not_a_member(coop: Ledger) -> None:
    head = coop.log_head()
    with pytest.raises(MemberNotFound):
        trade(coop, member="0099", direction="sold_to_cooperative", settlement="101")
    assert coop.log_head() == head


def test_a_cooperative_keeping_only_its_register_records_and_posts_nothing(
        ledger: Ledger) -> None:
    ledger.books.register_organization(code=COOP, name_zh="只记成员合作社",
                                       kind="farmers_cooperative", chart="",
                                       books_start=date(2026, 1, 1), actor="admin")
    book = trade(ledger, counterparty="县粮食收储公司", direction="bought_from_cooperative")
    assert book.outside_volume == 350_140
    with pytest.raises(BooksNotKept):
        trade(ledger, counterparty="县粮食收储公司", direction="bought_from_cooperative",
              settlement="101")
