"""The year-end close (年终结账): income and expenses into 321 本年收益, then 321 and the year's
distributions into 32201 未分配收益, by closing vouchers dated 31 December; then the year is closed.
"""

from __future__ import annotations

from datetime import date

import pytest

from ledger.application import Ledger
from ledger.books import (
    AccountClosed,
    Books,
    Line,
    Period,
    PeriodAlreadyClosed,
    PeriodClosed,
    PeriodNotClosable,
    Voucher,
    VoucherDraft,
)

JAN, NOV = Period(2025, 1), Period(2025, 11)
INCOME = ("501", "502", "503", "504")
EXPENSES = ("511", "512", "513", "514", "515", "521")
PL = INCOME + EXPENSES
DISTRIBUTIONS = ("3220201", "3220202", "3220203")


def given_a_year_of_business(village: Ledger, post) -> None:
    """Income 15,855.67, expenses 7,566.71 (net income 8,288.96), distributions 3,000.00."""
    village.books.open_account("v1", parent="501", code="50101", name_zh="发包收入", actor="会计")
    village.books.open_account("v1", parent="501", code="50102", name_zh="农产品销售收入",
                               actor="会计")
    post(date(2025, 1, 5), Line("102", debit=1000000), Line("50101", credit=1000000))
    post(date(2025, 2, 5), Line("102", debit=234567), Line("50102", credit=234567))
    post(date(2025, 3, 5), Line("102", debit=50000), Line("502", credit=50000))
    post(date(2025, 4, 5), Line("102", debit=300001), Line("503", credit=300001))
    post(date(2025, 5, 5), Line("101", debit=999), Line("504", credit=999))
    post(date(2025, 6, 5), Line("511", debit=400000), Line("102", credit=400000))
    post(date(2025, 7, 5), Line("512", debit=1111), Line("513", debit=222222),
         Line("102", credit=223333))
    post(date(2025, 8, 5), Line("514", debit=100000), Line("102", credit=100000))
    post(date(2025, 9, 5), Line("515", debit=5), Line("101", credit=5))
    post(date(2025, 10, 5), Line("521", debit=33333), Line("214", credit=33333))
    post(date(2025, 11, 5), Line("401", debit=7000), Line("102", credit=7000))
    post(date(2025, 12, 20), Line("3220201", debit=100000), Line("311", credit=100000))
    post(date(2025, 12, 21), Line("3220202", debit=200000), Line("211", credit=200000))


def closing_vouchers(ledger: Ledger, year: int = 2025) -> list[Voucher]:
    found = []
    for n in ledger.recorder.select_notifications(start=1, limit=10000):
        event = ledger.mapper.to_domain_event(n)
        if type(event) is Voucher.Posted and event.kind == "closing" \
                and event.date.year == year:
            found.append(ledger.books.voucher("v1", event.number))
    return found


def net(voucher: Voucher) -> list[tuple[str, int, int]]:
    return [(line.account, line.debit, line.credit) for line in voucher.line_items]


def test_the_year_end_close_sweeps_every_income_and_expense_leaf_into_321(
    village, post, close_months
):
    given_a_year_of_business(village, post)
    close_months(JAN, NOV)

    village.books.close_year("v1", 2025, actor="会计")

    first = closing_vouchers(village)[0]
    assert (first.number, first.date, first.kind) == ("2025-12-0003", date(2025, 12, 31),
                                                       "closing")
    assert first.summary == "结转2025年度各项收入和费用"
    assert net(first) == [
        ("50101", 1000000, 0), ("50102", 234567, 0), ("502", 50000, 0), ("503", 300001, 0),
        ("504", 999, 0), ("511", 0, 400000), ("512", 0, 1111), ("513", 0, 222222),
        ("514", 0, 100000), ("515", 0, 5), ("521", 0, 33333), ("321", 0, 828896),
    ]


def test_the_year_end_close_carries_321_and_then_the_distributions_into_32201(
    village, post, close_months
):
    given_a_year_of_business(village, post)
    close_months(JAN, NOV)

    village.books.close_year("v1", 2025, actor="会计")

    _, income, distribution = closing_vouchers(village)
    assert (income.number, income.summary) == ("2025-12-0004", "结转2025年度本年收益")
    assert net(income) == [("321", 828896, 0), ("32201", 0, 828896)]
    assert (distribution.number, distribution.summary) == ("2025-12-0005",
                                                           "结转2025年度收益分配")
    assert net(distribution) == [("3220201", 0, 100000), ("3220202", 0, 200000),
                                 ("32201", 300000, 0)]
    assert all(v.date == date(2025, 12, 31) and v.kind == "closing"
               for v in (income, distribution))


def test_after_the_close_only_32201_holds_the_years_result(village, post, close_months):
    given_a_year_of_business(village, post)
    close_months(JAN, NOV)

    village.books.close_year("v1", 2025, actor="会计")

    balances = village.books.of("v1").balances
    swept = [c for c in balances if c[:3] in PL or c == "321" or c in DISTRIBUTIONS]
    assert {c: balances[c] for c in swept} == {c: 0 for c in swept}
    assert len(swept) == 14  # 11 income and expense leaves, 321, 3220201, 3220202
    assert balances["32201"] == -528896  # a credit of 5,288.96 yuan: 8,288.96 − 3,000.00
    assert balances["401"] == 7000  # costs are not closed at year end
    assert sum(balances.values()) == 0


def test_the_close_writes_the_closing_entries_then_closes_december_and_the_year(
    village, post, close_months
):
    given_a_year_of_business(village, post)
    close_months(JAN, NOV)
    head = village.log_head()

    outcome = village.books.close_year("v1", 2025, actor="主任")

    events = [village.mapper.to_domain_event(n)
              for n in village.recorder.select_notifications(start=head + 1, limit=100)]
    assert [type(e).__qualname__ for e in events] == [
        "Books.VoucherEntered", "Books.VoucherEntered", "Books.VoucherEntered",
        "Books.YearClosed", "Voucher.Posted", "Voucher.Posted", "Voucher.Posted"]
    assert {e.actor for e in events} == {"主任"}
    assert (events[3].year, events[3].closing_vouchers) == (
        2025, ["2025-12-0003", "2025-12-0004", "2025-12-0005"])
    assert [e.kind for e in events[:3]] == ["closing"] * 3
    books = outcome.value
    assert (books.closed_through, books.closed_year) == ("2025-12", 2025)
    assert "2025" not in books.year_activity
    assert outcome.position == village.log_head()


def test_a_year_with_only_income_carries_it_all_to_32201(village, post, close_months):
    post(date(2025, 3, 1), Line("102", debit=12345), Line("503", credit=12345))
    close_months(JAN, NOV)

    village.books.close_year("v1", 2025, actor="会计")

    vouchers = closing_vouchers(village)
    assert [net(v) for v in vouchers] == [
        [("503", 12345, 0), ("321", 0, 12345)],
        [("321", 12345, 0), ("32201", 0, 12345)],
    ]
    assert village.books.of("v1").balances["32201"] == -12345


def test_a_year_with_only_expenses_carries_the_loss_to_32201(village, post, close_months):
    post(date(2025, 3, 1), Line("513", debit=8000), Line("515", debit=2),
         Line("101", credit=8002))
    close_months(JAN, NOV)

    village.books.close_year("v1", 2025, actor="会计")

    vouchers = closing_vouchers(village)
    assert [net(v) for v in vouchers] == [
        [("513", 0, 8000), ("515", 0, 2), ("321", 8002, 0)],
        [("321", 0, 8002), ("32201", 8002, 0)],
    ]
    assert village.books.of("v1").balances["32201"] == 8002


def test_an_income_account_with_a_debit_balance_is_swept_by_a_credit(village, post,
                                                                     close_months):
    post(date(2025, 3, 1), Line("502", debit=7000), Line("102", credit=7000))  # 投资损失
    close_months(JAN, NOV)

    village.books.close_year("v1", 2025, actor="会计")

    assert net(closing_vouchers(village)[0]) == [("502", 0, 7000), ("321", 7000, 0)]


def test_income_and_expenses_that_cancel_out_leave_nothing_for_321(village, post,
                                                                   close_months):
    post(date(2025, 3, 1), Line("511", debit=500), Line("501", credit=500))
    close_months(JAN, NOV)

    village.books.close_year("v1", 2025, actor="会计")

    vouchers = closing_vouchers(village)
    assert [net(v) for v in vouchers] == [[("501", 500, 0), ("511", 0, 500)]]
    assert "32201" not in village.books.of("v1").balances


def test_a_year_without_income_expenses_or_distributions_posts_no_closing_voucher(
    village, post, close_months
):
    post(date(2025, 3, 1), Line("102", debit=500), Line("101", credit=500))
    close_months(JAN, NOV)
    head = village.log_head()

    village.books.close_year("v1", 2025, actor="会计")

    [event] = [village.mapper.to_domain_event(n)
               for n in village.recorder.select_notifications(start=head + 1, limit=10)]
    assert type(event) is Books.YearClosed
    assert event.closing_vouchers == []
    assert village.books.of("v1").closed_year == 2025


def test_postings_dated_in_the_next_year_are_left_for_that_years_close(
    village, post, close_months, clock
):
    post(date(2025, 6, 1), Line("102", debit=1000), Line("501", credit=1000))
    post(date(2026, 1, 10), Line("102", debit=70), Line("501", credit=70))
    post(date(2026, 2, 10), Line("513", debit=20), Line("102", credit=20))
    close_months(JAN, NOV)

    village.books.close_year("v1", 2025, actor="会计")

    assert [net(v) for v in closing_vouchers(village)] == [
        [("501", 1000, 0), ("321", 0, 1000)],
        [("321", 1000, 0), ("32201", 0, 1000)],
    ]
    books = village.books.of("v1")
    assert (books.balances["501"], books.balances["513"]) == (-70, 20)
    assert books.year_activity["2026"] == {"501": -70, "513": 20}

    clock.today = date(2027, 1, 1)
    close_months(Period(2026, 1), Period(2026, 11))
    village.books.close_year("v1", 2026, actor="会计")
    assert [net(v) for v in closing_vouchers(village, 2026)] == [
        [("501", 70, 0), ("513", 0, 20), ("321", 0, 50)],
        [("321", 50, 0), ("32201", 0, 50)],
    ]
    assert village.books.of("v1").balances["32201"] == -1050


def test_the_months_before_december_must_be_closed_first(village, post, close_months):
    close_months(JAN, Period(2025, 10))
    head = village.log_head()

    with pytest.raises(PeriodNotClosable) as err:
        village.books.close_year("v1", 2025, actor="会计")
    assert err.value.context == {"year": 2025, "next_open": "2025-11"}
    assert village.log_head() == head


def test_a_year_that_has_not_ended_cannot_close(village, close_months, clock):
    clock.today = date(2025, 12, 31)
    close_months(JAN, NOV)
    with pytest.raises(PeriodNotClosable) as err:
        village.books.close_year("v1", 2025, actor="会计")
    assert err.value.context == {"year": 2025}

    clock.today = date(2026, 1, 1)
    assert village.books.close_year("v1", 2025, actor="会计").value.closed_year == 2025


def test_years_close_in_order(village, close_months):
    for year in (2026, 2024):
        with pytest.raises(PeriodNotClosable) as err:
            village.books.close_year("v1", year, actor="会计")
        assert err.value.context == {"year": year, "next_year": 2025}


def test_a_year_is_closed_once(village, post, close_months):
    post(date(2025, 3, 1), Line("102", debit=100), Line("501", credit=100))
    close_months(JAN, NOV)
    village.books.close_year("v1", 2025, actor="会计")
    head = village.log_head()

    with pytest.raises(PeriodAlreadyClosed) as err:
        village.books.close_year("v1", 2025, actor="会计")
    assert err.value.context == {"year": 2025}
    assert village.log_head() == head


def test_after_the_close_december_refuses_postings_and_january_can_close(
    village, post, close_months
):
    close_months(JAN, NOV)
    with pytest.raises(PeriodNotClosable):
        village.books.close_period("v1", Period(2026, 1), actor="会计")

    village.books.close_year("v1", 2025, actor="会计")

    with pytest.raises(PeriodClosed) as err:
        post(date(2025, 12, 31), Line("102", debit=1), Line("501", credit=1))
    assert err.value.field == "date"
    assert village.books.close_period("v1", Period(2026, 1), actor="会计").value.closed_through \
        == "2026-01"


def test_the_close_clears_a_balance_left_on_an_account_closed_since(
    village, post, close_months
):
    # 2025 income of 10.00 and a 2026 refund of 10.00 leave 504 at zero, so it may be closed,
    # but the 2025 activity must still be swept into 321.
    post(date(2025, 5, 1), Line("102", debit=1000), Line("504", credit=1000))
    post(date(2026, 1, 5), Line("504", debit=1000), Line("102", credit=1000))
    village.books.close_account("v1", "504", reason="不再使用", actor="会计")
    with pytest.raises(AccountClosed):
        post(date(2026, 1, 6), Line("102", debit=1), Line("504", credit=1))
    close_months(JAN, NOV)

    village.books.close_year("v1", 2025, actor="会计")

    assert net(closing_vouchers(village)[0]) == [("504", 1000, 0), ("321", 0, 1000)]
    assert village.books.of("v1").balances["504"] == 1000  # the 2026 refund, swept in 2026


def test_closing_the_same_books_twice_gives_identical_closing_vouchers(clock):
    def run() -> list[tuple[str, list]]:
        ledger = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock)
        ledger.books.register_organization(code="v1", name_zh="一村", kind="village_collective",
                                           books_start=date(2025, 1, 1), actor="会计")

        def post(day, *lines):
            return ledger.books.post_voucher("v1", VoucherDraft(day, "记账", tuple(lines)),
                                             actor="会计")

        given_a_year_of_business(ledger, post)
        period = JAN
        while period <= NOV:
            ledger.books.close_period("v1", period, actor="会计")
            period = period.next()
        ledger.books.close_year("v1", 2025, actor="会计")
        return [(v.number, v.lines) for v in closing_vouchers(ledger)]

    first, second = run(), run()
    assert len(first) == 3
    assert first == second
