"""A cooperative's reserve shares (公积金份额, 2017 Law Art. 42–43), on SQLite and PostgreSQL: the
members are given at most the reserve there is to quantify — for a year kept here, what its posted
surplus plan credited to 322 盈余公积 (the posting quantifies it itself); for a year before the
books start here, what 322's balance holds beyond every share given. A share beyond it is refused
on `amount` with what is left, and nothing is written."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.application import Ledger
from ledger.register import InvalidMemberAccount
from tests.application.test_cooperative_surplus import (
    COOP,
    cooperative,
    decide,
    disclose,
    drafted,
    posted,
)
from tests.conftest import Clock


@pytest.fixture
def coop(ledger: Ledger, clock: Clock) -> Ledger:
    return cooperative(ledger, clock)


def quantify(app: Ledger, member: str, year: int, fen: int) -> int:
    return app.member_accounts.quantify_reserve_share(COOP, member, year=year, amount=fen,
                                                      actor="kuaiji").value.reserve_share


def refused(app: Ledger, member: str, year: int, fen: int) -> dict[str, object]:
    head = app.log_head()
    with pytest.raises(InvalidMemberAccount) as error:
        quantify(app, member, year, fen)
    assert error.value.field == "amount" and app.log_head() == head
    assert f"at most {error.value.context['left']} fen" in error.value.message
    return error.value.context


def test_a_year_without_a_posted_plan_has_no_reserve_to_quantify(coop: Ledger) -> None:
    # The acceptance walk: 100,000.00 to member 0001 while 322 is 0.00.
    assert refused(coop, "0001", 2025, 10_000_000) == {"left": 0, "drawn": 0, "quantified": 0}
    assert refused(coop, "0001", 2025, 1)["left"] == 0
    # A drafted plan has drawn nothing yet.
    drafted(coop)
    assert refused(coop, "0002", 2025, 1)["drawn"] == 0
    assert refused(coop, "0002", 2026, 1)["drawn"] == 0


def test_the_posted_plans_reserve_is_all_given_by_its_posting(coop: Ledger,
                                                               clock: Clock) -> None:
    number, distribution = drafted(coop)
    disclose(coop, distribution)
    clock.today = date(2026, 1, 20)
    assert decide(coop, number, date(2026, 1, 20))
    coop.distribution.post(COOP, distribution, actor="kuaiji")
    # 1,200,000 fen drawn and given 6 : 2 : 1; a member admitted later finds nothing left.
    coop.register.confirm_member(COOP, name="王新", sex="male", born=date(1990, 1, 1),
                                 household="", on=date(2026, 1, 20), basis="admitted",
                                 actor="kuaiji")
    assert refused(coop, "0004", 2025, 1) == {"left": 0, "drawn": 1_200_000,
                                              "quantified": 1_200_000}


def test_a_year_before_the_books_is_bounded_by_what_322_holds(coop: Ledger) -> None:
    # 3,000.00 of reserve brought over from the books kept before 2025.
    posted(coop, "2025-01-02", "102", "322", 300_000)
    assert quantify(coop, "0001", 2024, 200_000) == 200_000
    assert refused(coop, "0002", 2024, 100_001) == {"left": 100_000, "drawn": 300_000,
                                                    "quantified": 200_000}
    assert quantify(coop, "0002", 2024, 100_000) == 100_000
    assert refused(coop, "0003", 2023, 1)["left"] == 0


def test_with_no_reserve_any_share_above_zero_is_refused(coop: Ledger) -> None:
    assert refused(coop, "0001", 2024, 1) == {"left": 0, "drawn": 0, "quantified": 0}
    assert quantify(coop, "0001", 2024, 0) == 0


def test_the_domain_rule_up_to_what_is_left_and_not_a_fen_more(coop: Ledger) -> None:
    account = coop.register.member_account(COOP, "0001", "kuaiji")
    with pytest.raises(InvalidMemberAccount) as error:
        account.quantify_reserve(year=2025, amount=400_001, drawn=1_200_000,
                                 quantified=800_000, actor="kuaiji")
    assert error.value.field == "amount" and account.reserve_share == 0
    account.quantify_reserve(year=2025, amount=400_000, drawn=1_200_000, quantified=800_000,
                             actor="kuaiji")
    assert account.reserve_by_year == {2025: 400_000}
