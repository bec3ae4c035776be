"""The demo village: the same events on every load, books that tie out, and real corrections."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from eventsourcing.utils import get_topic

from demo.village import DEMO_ORG, load_demo
from ledger.application import Ledger
from ledger.books import OrganizationExists, Period, Voucher
from projections.books.queries import BooksQueries
from projections.books.statements import balance_sheet, income_statement, trial_balance
from projections.runner import catch_up


def events_without_timestamps(app: Ledger) -> list[tuple[str, dict[str, Any]]]:
    events = []
    for notification in app.recorder.select_notifications(start=1, limit=100_000):
        state = dict(vars(app.mapper.to_domain_event(notification)))
        del state["timestamp"]
        events.append((notification.topic, state))
    return events


def all_vouchers(app: Ledger) -> list[Voucher]:
    counters = app.books.of(DEMO_ORG).counters
    return [app.books.voucher(DEMO_ORG, f"{period}-{n:04d}")
            for period in sorted(counters) for n in range(1, counters[period] + 1)]


def line(statement: dict[str, Any], key: str) -> dict[str, Any]:
    return next(row for row in statement["lines"] if row["key"] == key)


def test_loading_the_demo_twice_writes_the_same_events(memory_ledger, clock):
    other = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock)
    load_demo(memory_ledger)
    load_demo(other)

    first = events_without_timestamps(memory_ledger)
    assert len(first) > 500
    assert first == events_without_timestamps(other)


def test_the_demo_loads_once_only(memory_ledger):
    load_demo(memory_ledger)
    with pytest.raises(OrganizationExists):
        load_demo(memory_ledger)


def test_the_demo_books_tie_out_on_real_storage(ledger, view):
    load_demo(ledger)
    catch_up(ledger, view)
    queries = BooksQueries(view)
    accounts = queries.all_accounts(DEMO_ORG)

    period = Period(2025, 1)
    while period <= Period(2026, 10):
        month_sums = queries.sums(DEMO_ORG, period.first_day, period.last_day)
        year_sums = queries.sums(DEMO_ORG, date(period.year, 1, 1), period.last_day)
        balance = trial_balance(accounts, month_sums, year_sums)
        assert balance["balanced"], period
        assert balance["totals"]["debit"] > 0, period
        period = period.next()

    dec31 = date(2025, 12, 31)
    year_sums = queries.sums(DEMO_ORG, date(2025, 1, 1), dec31)
    sheet = balance_sheet(year_sums, dec31)
    assert sheet["balanced"]
    statement = income_statement(year_sums, year_sums, "2025-01", "2025-12")
    undistributed_end = line(statement, "undistributed_end")
    assert undistributed_end["year_to_date"] == undistributed_end["amount"]
    assert undistributed_end["amount"] == line(sheet, "undistributed")["end"]
    assert line(statement, "net_income")["amount"] > 0
    assert line(statement, "to_reserve")["amount"] > 0
    assert line(statement, "to_members")["amount"] > 0

    organization = queries.organization(DEMO_ORG)
    assert organization is not None
    assert (organization["closed_year"], organization["closed_through"]) == (2025, "2026-09")
    books = ledger.books.of(DEMO_ORG)
    assert (books.closed_year, books.closed_through) == (2025, "2026-09")


def test_the_demo_stays_within_its_horizon(memory_ledger):
    load_demo(memory_ledger)
    vouchers = all_vouchers(memory_ledger)

    assert max(v.date for v in vouchers) <= date(2026, 10, 31)
    assert memory_ledger.books.of(DEMO_ORG).next_open_period() == Period(2026, 10)
    assert [v.kind for v in vouchers].count("opening") == 1
    assert {v.number[:7] for v in vouchers} == {
        f"{year}-{month:02d}" for year, last in ((2025, 12), (2026, 10))
        for month in range(1, last + 1)}


def test_the_demo_corrects_mistakes_by_reversal(memory_ledger):
    load_demo(memory_ledger)
    reversals = [v for v in all_vouchers(memory_ledger) if v.kind == "reversal"]

    assert len(reversals) >= 2
    assert len({v.number[:7] for v in reversals}) == len(reversals)  # each in its own month
    for reversal in reversals:
        original = memory_ledger.books.voucher(DEMO_ORG, reversal.reverses)
        assert original.reversed_by == reversal.number
        assert original.reversal_reason == reversal.reason
        assert reversal.reason
        assert [line.negated() for line in original.line_items] == list(reversal.line_items)


def test_the_demo_has_one_user_per_role_whose_token_works(memory_ledger):
    from argon2 import PasswordHasher

    from demo.village import DEMO_USERS, create_demo_users

    memory_ledger.identity.passwords = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    load_demo(memory_ledger)
    created = create_demo_users(memory_ledger)
    assert [role for _, _, role, _, _ in created] == [role for *_, role in DEMO_USERS]
    assert len({password for *_, password, _ in created}) == len(created)
    for login, _, role, password, token in created:
        user = memory_ledger.identity.authenticate_token(token)
        assert user is not None and user.login == login
        assert memory_ledger.identity.authenticate_password(login, password) is not None
        org = "*" if role == "admin" else DEMO_ORG
        assert user.holds(org, role)


def test_the_demo_october_shows_decisions_payments_and_red_flags(memory_ledger):
    from demo.spending import load_demo_spending
    from demo.village import create_demo_users
    from ledger.books import RedFlag

    load_demo(memory_ledger)
    create_demo_users(memory_ledger)
    load_demo_spending(memory_ledger)
    app = memory_ledger
    road = app.spending.matter(DEMO_ORG, "M2026-0001")
    assert road.status == "decided" and road.spent == 1_800_000
    assert app.spending.grant(DEMO_ORG, "G2026-0001").unspent == 200_000
    statuses = [app.spending.spending_request(DEMO_ORG, f"S2026-{n:04d}").status for n in range(1,
                                                                                                8)]
    assert statuses == ["paid", "approved", "paid", "paid", "paid", "paid", "pending"]
    topic = get_topic(RedFlag.Raised)
    flags = {(flag.kind, flag.key) for flag in (
        app.repository.get(n.originator_id)
        for n in app.recorder.select_notifications(start=1, limit=100_000, topics=[topic]))}
    assert {("split_payment", "S2026-0006"), ("no_receipt", "S2026-0006")} <= flags


def test_the_demo_village_has_its_roll_and_frozen_household_shares(memory_ledger):
    from demo.members import load_demo_members

    load_demo(memory_ledger)
    load_demo_members(memory_ledger)
    roll = memory_ledger.register.member_roll(DEMO_ORG)
    register = memory_ledger.register.share_register(DEMO_ORG)
    assert len(roll.members) == 31 and len(roll.households) == 11
    assert {p.ended_basis for p in roll.members.values() if p.ended_on} == {
        "death", "joined_other_collective"}
    # Frozen per household: the birth, the deaths and the marriages moved no share; only the
    # lone household's inheritance did.
    assert register.holdings("household:003") == {"population": 30, "labour": 40}
    assert register.holdings("household:007") == {"population": 30, "labour": 70}
    assert register.holdings("outside:1") == {"population": 10, "labour": 66}
    assert register.totals() == {"population": 290, "labour": 513, "collective": 150}


def test_the_demo_march_column_adds_the_undistributed_at_the_start_of_2026(ledger, view):
    # Given the demo village, whose 2025 close left 420,659.88 undistributed,
    load_demo(ledger)
    catch_up(ledger, view)
    queries = BooksQueries(view)
    march = queries.sums(DEMO_ORG, date(2026, 3, 1), date(2026, 3, 31))
    year = queries.sums(DEMO_ORG, date(2026, 1, 1), date(2026, 3, 31))
    # when March 2026 alone is shown beside the year to date,
    statement = income_statement(march, year, "2026-03", "2026-03")
    # then 加：年初未分配收益 is the year's start in both columns, not March 1's 559,233.03.
    start = line(statement, "undistributed_start")
    assert (start["amount"], start["year_to_date"]) == (42065988, 42065988)
