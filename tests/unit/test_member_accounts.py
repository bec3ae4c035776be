"""A cooperative's member accounts: contributions in money or kind, the reserve quantified to
each member, trade kept apart for members and non-members, and exit at a year end."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.application import Ledger
from ledger.books import BooksNotKept, InvalidOrganization
from ledger.register import (
    InvalidMember,
    InvalidMemberAccount,
    MemberAccountStateError,
    MemberNotFound,
    TradeBook,
    exit_effective,
)

COOP = "c1"


@pytest.fixture
def coop(memory_ledger: Ledger) -> Ledger:
    memory_ledger.books.register_organization(code=COOP, name_zh="丰收果蔬专业合作社",
                                              kind="farmers_cooperative", chart="",
                                              books_start=date(2025, 1, 1), actor="admin")
    for name in ("周农", "吴果"):
        memory_ledger.register.confirm_member(COOP, name=name, sex="male", born=date(1970, 1, 1),
                                              household="", on=date(2025, 3, 1), basis="admitted",
                                              actor="kuaiji")
    return memory_ledger


def test_a_cooperative_without_its_chart_keeps_members_but_no_books(coop):
    assert set(coop.register.member_roll(COOP).members) == {"0001", "0002"}
    with pytest.raises(BooksNotKept):
        coop.books.of(COOP)
    with pytest.raises(InvalidOrganization) as error:
        coop.books.register_organization(code="c2", name_zh="合作社", kind="farmers_cooperative",
                                         chart="mof-2023-village", books_start=date(2025, 1, 1),
                                         actor="admin")
    assert "mof-2021-cooperative" in error.value.message
    coop.books.register_organization(code="c3", name_zh="合作社", kind="farmers_cooperative",
                                     books_start=date(2025, 1, 1), actor="admin")
    assert coop.books.of("c3").chart == "mof-2021-cooperative"


def test_contributions_in_money_and_in_kind_at_an_agreed_value(coop):
    coop.register.record_contribution(COOP, "0001", on=date(2025, 3, 1), form="money",
                                      amount=500_000,
                                      actor="kuaiji")
    with pytest.raises(InvalidMemberAccount) as error:
        coop.register.record_contribution(COOP, "0001", on=date(2025, 3, 1), form="kind",
                                          amount=200_000, actor="kuaiji")
    assert error.value.field == "description"
    coop.register.record_contribution(COOP, "0001", on=date(2025, 4, 1), form="kind",
                                      amount=200_000,
                                      description="手扶拖拉机一台，成员大会评估作价",
                                      actor="kuaiji")
    assert coop.register.member_account(COOP, "0001", "x").contributed == 700_000
    with pytest.raises(MemberNotFound):
        coop.register.record_contribution(COOP, "0009", on=date(2025, 4, 1), form="money", amount=1,
                                          actor="kuaiji")


def test_the_reserve_share_is_quantified_once_a_year(coop):
    coop.register.quantify_reserve_share(COOP, "0002", year=2025, amount=12_345, actor="kuaiji")
    with pytest.raises(MemberAccountStateError):
        coop.register.quantify_reserve_share(COOP, "0002", year=2025, amount=1, actor="kuaiji")
    assert coop.register.member_account(COOP, "0002", "x").reserve_share == 12_345


@pytest.mark.parametrize(("notified", "months", "effective"), [
    (date(2026, 9, 30), 3, date(2026, 12, 31)),
    (date(2026, 10, 1), 3, date(2027, 12, 31)),
    (date(2026, 1, 5), 3, date(2026, 12, 31)),
    (date(2026, 12, 30), 0, date(2026, 12, 31)),
    (date(2026, 6, 30), 6, date(2026, 12, 31)),
    (date(2026, 7, 1), 6, date(2027, 12, 31)),
])
def test_an_exit_takes_effect_at_the_first_year_end_the_notice_reaches(notified, months,
                                                                        effective):
    assert exit_effective(notified, months) == effective


def test_exit_notice_ends_membership_at_the_year_end_and_is_given_once(coop):
    coop.register.notify_exit(COOP, "0001", on=date(2026, 11, 2), document="退社申请书",
                              actor="kuaiji")
    person = coop.register.member_roll(COOP).members["0001"]
    assert person.ended_on == date(2027, 12, 31) and person.ended_basis == "exit"
    assert person.active_on(date(2027, 12, 30))
    with pytest.raises(MemberAccountStateError):
        coop.register.notify_exit(COOP, "0001", on=date(2026, 11, 3), document="再次",
                                  actor="kuaiji")
    with pytest.raises(MemberAccountStateError):
        coop.register.record_contribution(COOP, "0001", on=date(2026, 12, 1), form="money",
                                          amount=1,
                                          actor="kuaiji")


def test_member_and_non_member_trade_are_kept_apart(coop):
    coop.register.record_trade(COOP, on=date(2026, 8, 1), member="0001",
                               direction="sold_to_cooperative",
                               product="苹果", quantity="1250.5", unit="公斤", amount=625_250,
                               actor="kuaiji")
    coop.register.record_trade(COOP, on=date(2026, 8, 2), counterparty="城东超市",
                               direction="bought_from_cooperative", product="苹果", quantity="800",
                               unit="公斤", amount=560_000, actor="kuaiji")
    with pytest.raises(InvalidMemberAccount):
        coop.register.record_trade(COOP, on=date(2026, 8, 2), member="0001",
                                   counterparty="城东超市",
                                   direction="sold_to_cooperative", product="苹果", quantity="1",
                                   unit="公斤", amount=1, actor="kuaiji")
    with pytest.raises(InvalidMemberAccount):
        coop.register.record_trade(COOP, on=date(2026, 8, 2), member="0001", product="苹果",
                                   direction="sold_to_cooperative", quantity="1.2.3", unit="公斤",
                                   amount=1, actor="kuaiji")
    events = coop.repository.event_store.get(TradeBook.id_for(COOP, 2026))
    recorded = [(e.member, e.counterparty) for e in events
                if isinstance(e, TradeBook.TradeRecorded)]
    assert recorded == [("0001", ""), ("", "城东超市")]


def test_a_village_keeps_no_member_accounts(village):
    with pytest.raises(InvalidMember) as error:
        village.register.record_contribution("v1", "0001", on=date(2025, 3, 1), form="money",
                                             amount=1, actor="kuaiji")
    assert "farmers' cooperatives" in error.value.message
