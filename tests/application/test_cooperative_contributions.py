"""A member's contribution posted in the same write as the member's account (财会〔2021〕37号,
2017 Law Art. 40): Dr the asset / Cr 301 股金 with the member as party, any rest of the agreed
value Cr 321 资本公积; the member's 出资额 is the 股金 part. Refusals name their field and write
nothing; a cooperative keeping only its register posts nothing, as before."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.application import Ledger
from ledger.books import Period, PeriodClosed
from ledger.register import InvalidMemberAccount, MemberNotFound
from tests.cooperatives import COOP, cooperative_with_members, lines_of

ON = date(2026, 3, 1)


@pytest.fixture
def coop(ledger: Ledger) -> Ledger:
    cooperative_with_members(ledger)
    return ledger


def test_money_is_debited_to_the_bank_and_credited_to_share_capital_with_the_member(
        coop: Ledger) -> None:
    outcome = coop.member_accounts.record_contribution(
        COOP, "0002", on=ON, form="money", amount=500_000, account="102", actor="kuaiji")
    account = outcome.value
    assert account.last_voucher == "2026-03-0001"
    assert lines_of(coop, account.last_voucher) == [
        ("102", 500_000, 0, ""), ("301", 0, 500_000, "member:0002")]
    assert (account.contributed, account.contributions) == (500_000, [(ON, 500_000)])


def test_kind_worth_more_than_the_capital_agreed_puts_the_rest_in_capital_reserve(
        coop: Ledger) -> None:
    account = coop.member_accounts.record_contribution(
        COOP, "0001", on=ON, form="kind", amount=800_000, share_capital=600_000,
        account="142", description="耕牛一头，成员大会评估作价8000元", actor="kuaiji").value
    assert lines_of(coop, account.last_voucher) == [
        ("142", 800_000, 0, ""), ("301", 0, 600_000, "member:0001"),
        ("321", 0, 200_000, "member:0001")]
    assert account.contributed_by(ON) == 600_000
    assert coop.books.of(COOP).balance_within("321") == -200_000


def test_money_goes_to_cash_unless_another_money_account_is_named(coop: Ledger) -> None:
    account = coop.member_accounts.record_contribution(
        COOP, "0003", on=ON, form="money", amount=100, actor="kuaiji").value
    assert lines_of(coop, account.last_voucher)[0] == ("101", 100, 0, "")


@pytest.mark.parametrize(("given", "field"), [
    ({"form": "money", "amount": 100, "account": "151"}, "account"),
    ({"form": "kind", "amount": 100, "description": "农机一台"}, "account"),
    ({"form": "kind", "amount": 100, "description": "现金", "account": "101"}, "account"),
    ({"form": "kind", "amount": 100, "description": "借款", "account": "201"}, "account"),
    ({"form": "money", "amount": 100, "share_capital": 101}, "share_capital"),
    ({"form": "money", "amount": 100, "share_capital": 0}, "share_capital"),
    ({"form": "money", "amount": 0}, "amount"),
    ({"form": "kind", "amount": 100, "account": "151"}, "description"),
    ({"form": "money", "amount": 100, "voucher": "记-12"}, "voucher"),
])
def test_a_refused_contribution_names_its_field_and_writes_nothing(
        coop: Ledger, given: dict, field: str) -> None:
    head = coop.log_head()
    with pytest.raises(InvalidMemberAccount) as refused:
        coop.member_accounts.record_contribution(COOP, "0001", on=ON, actor="kuaiji", **given)
    assert refused.value.field == field
    assert coop.log_head() == head


def test_a_closed_month_and_a_stranger_are_refused(coop: Ledger) -> None:
    coop.books.close_period(COOP, Period(2026, 1), actor="kuaiji")
    head = coop.log_head()
    with pytest.raises(PeriodClosed) as closed:
        coop.member_accounts.record_contribution(COOP, "0001", on=date(2026, 1, 20),
                                                 form="money", amount=100, actor="kuaiji")
    assert closed.value.field == "date"
    with pytest.raises(MemberNotFound):
        coop.member_accounts.record_contribution(COOP, "0099", on=ON, form="money",
                                                 amount=100, actor="kuaiji")
    assert coop.log_head() == head


def test_a_cooperative_keeping_only_its_register_posts_nothing(ledger: Ledger) -> None:
    ledger.books.register_organization(code="reg", name_zh="只记成员合作社",
                                       kind="farmers_cooperative", chart="",
                                       books_start=date(2026, 1, 1), actor="admin")
    ledger.register.confirm_member("reg", name="周大勇", sex="male", born=date(1975, 4, 2),
                                   household="", on=date(2026, 1, 10), basis="admitted",
                                   actor="kuaiji")
    account = ledger.member_accounts.record_contribution(
        "reg", "0001", on=ON, form="money", amount=100, voucher="记-12", actor="kuaiji").value
    assert (account.contributed, account.last_voucher) == (100, "记-12")


def test_a_contribution_stored_before_the_share_capital_part_counts_whole() -> None:
    from ledger.register import MemberAccount

    state = {"on": ON, "form": "money", "amount": 100, "description": "", "voucher": ""}
    MemberAccount.ContributionMade.upcast_v1_v2(state)
    assert (state["share_capital"], state["account"]) == (100, "")
