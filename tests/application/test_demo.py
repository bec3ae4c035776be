"""The demo village: the same events on every load, books that tie out, real corrections, and
the 2025 distribution decided, posted before the year was closed, and partly paid."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.utils import get_topic

from demo import COOP_ORG, DEMO_ORG, load_demo_village
from infra.storage import Storage
from ledger.application import Ledger
from ledger.books import OrganizationExists, Period, Voucher
from projections.books import reports
from projections.books.queries import BooksQueries, BooksReader
from projections.books.statements import balance_sheet, income_statement, trial_balance
from projections.distribution.queries import DistributionQueries
from projections.runner import catch_up, create_tables, open_ledger
from tests.conftest import make_cipher

# Users and their tokens are random on every load, and so is each holder's payment-slip code
# and each sealing of personal data.
RANDOM_TOPICS = ("ledger.users:", "ledger.tokens:")
FRESH_IDS = ("ledger.disclosures:", "ledger.questions:")


def events_without_timestamps(app: Ledger) -> list[tuple[str, str]]:
    """Each event's topic and state as JSON, with its random parts left out and the random ids
    of disclosures and questions replaced by the order they were first written in."""
    events, fresh = [], {}
    for notification in app.recorder.select_notifications(start=1, limit=100_000):
        if notification.topic.startswith(RANDOM_TOPICS):
            continue
        event = app.mapper.to_domain_event(notification)
        if notification.topic.startswith(FRESH_IDS):
            fresh.setdefault(str(event.originator_id), f"fresh-{len(fresh)}")
        state = {k: v for k, v in vars(event).items()
                 if k != "timestamp" and not k.endswith("_sealed")}  # sealed with fresh nonces
        for line in state.get("lines", ()):
            if isinstance(line, dict):
                line.pop("code", None)
        text = json.dumps(state, sort_keys=True, default=str, ensure_ascii=False)
        for real, stable in fresh.items():
            text = text.replace(real, stable)
        events.append((notification.topic, text))
    return events


def all_vouchers(app: Ledger) -> list[Voucher]:
    counters = app.books.of(DEMO_ORG).counters
    return [app.books.voucher(DEMO_ORG, f"{period}-{n:04d}")
            for period in sorted(counters) for n in range(1, counters[period] + 1)]


def line(statement: dict[str, Any], key: str) -> dict[str, Any]:
    return next(row for row in statement["lines"] if row["key"] == key)


@pytest.fixture
def demo(ledger: Ledger, storage: Storage) -> Ledger:
    load_demo_village(ledger, storage)
    return ledger


def test_loading_the_demo_twice_writes_the_same_events(demo, clock, tmp_path: Path):
    storage = Storage(database_url=f"sqlite:///{tmp_path / 'other.sqlite'}", data_dir=tmp_path)
    create_tables(storage)
    other = open_ledger(storage, clock=clock, cipher=make_cipher())
    try:
        load_demo_village(other, storage)
        first = events_without_timestamps(demo)
        assert len(first) > 700
        assert first == events_without_timestamps(other)
    finally:
        other.close()


def test_the_demo_loads_once_only(demo, storage):
    with pytest.raises(OrganizationExists):
        load_demo_village(demo, storage)


def test_the_demo_books_tie_out_on_real_storage(demo, view):
    ledger = demo
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


def test_the_demo_stays_within_its_horizon(demo):
    vouchers = all_vouchers(demo)

    assert max(v.date for v in vouchers) <= date(2026, 10, 31)
    assert demo.books.of(DEMO_ORG).next_open_period() == Period(2026, 10)
    assert [v.kind for v in vouchers].count("opening") == 1
    assert {v.number[:7] for v in vouchers} == {
        f"{year}-{month:02d}" for year, last in ((2025, 12), (2026, 10))
        for month in range(1, last + 1)}


def test_the_demo_corrects_mistakes_by_reversal(demo):
    reversals = [v for v in all_vouchers(demo) if v.kind == "reversal"]

    assert len(reversals) >= 2
    assert len({v.number[:7] for v in reversals}) == len(reversals)  # each in its own month
    for reversal in reversals:
        original = demo.books.voucher(DEMO_ORG, reversal.reverses)
        assert original.reversed_by == reversal.number
        assert original.reversal_reason == reversal.reason
        assert reversal.reason
        assert [line.negated() for line in original.line_items] == list(reversal.line_items)


def test_the_demo_has_one_user_per_role_whose_token_works(ledger, storage):
    from argon2 import PasswordHasher

    from demo.cooperative_surplus import COOP_USERS
    from demo.village import DEMO_USERS

    ledger.identity.passwords = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    created = load_demo_village(ledger, storage).users
    expected = DEMO_USERS + COOP_USERS
    assert [(login, role) for login, _, role, _, _ in created] == [
        (login, role) for login, _, _, role in expected]
    assert len({password for *_, password, _ in created}) == len(created)
    for (login, _, role, password, token), (*_, org, _) in zip(created, expected, strict=True):
        user = ledger.identity.authenticate_token(token)
        assert user is not None and user.login == login
        assert ledger.identity.authenticate_password(login, password) is not None
        assert user.holds(org, role)
    # The cooperative keeps its own accountant, so the village's desk opens on the village alone.
    kuaiji = next(token for login, *_, token in created if login == "kuaiji")
    assert not ledger.identity.authenticate_token(kuaiji).holds(COOP_ORG, "accountant")
    hezuo = next(token for login, *_, token in created if login == "hezuo")
    assert ledger.identity.authenticate_token(hezuo).holds(COOP_ORG, "accountant")


def test_the_demo_october_shows_decisions_payments_and_red_flags(demo):
    from demo.spending import ROAD
    from ledger.books import RedFlag

    app = demo
    road = app.spending.matter(DEMO_ORG, ROAD)
    assert ROAD == "M2026-0002"  # the 2025 distribution was the year's first matter
    assert road.status == "resolution_disclosed" and road.spent == 1_800_000
    assert app.spending.grant(DEMO_ORG, "G2026-0001").unspent == 200_000
    statuses = [app.spending.spending_request(DEMO_ORG, f"S2026-{n:04d}").status for n in range(1,
                                                                                                8)]
    assert statuses == ["paid", "approved", "paid", "paid", "paid", "paid", "pending"]
    topic = get_topic(RedFlag.Raised)
    flags = {(flag.kind, flag.key) for flag in (
        app.repository.get(n.originator_id)
        for n in app.recorder.select_notifications(start=1, limit=100_000, topics=[topic]))}
    assert {("split_payment", "S2026-0006"), ("no_receipt", "S2026-0006")} <= flags


def test_the_demo_village_has_its_roll_and_frozen_household_shares(demo):
    roll = demo.register.member_roll(DEMO_ORG)
    register = demo.register.share_register(DEMO_ORG)
    assert len(roll.members) == 31 and len(roll.households) == 11
    assert {p.ended_basis for p in roll.members.values() if p.ended_on} == {
        "death", "joined_other_collective"}
    # Frozen per household: the birth, the deaths and the marriages moved no share; only the
    # lone household's inheritance did.
    assert register.holdings("household:003") == {"population": 30, "labour": 40}
    assert register.holdings("household:007") == {"population": 30, "labour": 70}
    assert register.holdings("outside:1") == {"population": 10, "labour": 66}
    assert register.totals() == {"population": 290, "labour": 513, "collective": 150}


def test_the_demo_march_column_adds_the_undistributed_at_the_start_of_2026(demo, view):
    # Given the demo village, whose 2025 close left 444,187.92 undistributed (543,659.88 less
    # the 59,321.96 reserve and the 40,150.00 shared among the households),
    catch_up(demo, view)
    queries = BooksQueries(view)
    march = queries.sums(DEMO_ORG, date(2026, 3, 1), date(2026, 3, 31))
    year = queries.sums(DEMO_ORG, date(2026, 1, 1), date(2026, 3, 31))
    # when March 2026 alone is shown beside the year to date,
    statement = income_statement(march, year, "2026-03", "2026-03")
    # then 加：年初未分配收益 is the year's start in both columns, not March 1's 582,761.07.
    start = line(statement, "undistributed_start")
    assert (start["amount"], start["year_to_date"]) == (44418792, 44418792)


def test_the_demo_shares_2025_by_a_plan_decided_posted_and_partly_paid(demo, view):
    # Given the demo: 2025 earned 197,739.88 and brought in 345,920.00; 803 household shares
    # and the collective's 150 on 2025-12-31,
    catch_up(demo, view)
    queries = DistributionQueries(view)
    plan = queries.distribution(DEMO_ORG, "2025-1")
    assert plan is not None
    # then the plan took 30 % of the year's income to the reserve (59,321.96, half up from
    # 59,321.964) and gave 50.00 a share: 40,150.00 to the households, the collective's
    # 7,500.00 kept undistributed,
    figures = plan["figures"]
    assert (figures["net_income"], figures["undistributed_at_start"]) == (19_773_988, 34_592_000)
    assert (figures["reserve"], figures["to_members"], figures["collective_kept"]) == (
        5_932_196, 4_015_000, 750_000)
    assert figures["undistributed_at_end"] == 54_365_988 - 5_932_196 - 4_015_000
    # posted on 2025-12-31 before 2025 was closed, and paid to 8 of the 11 households,
    assert plan["status"] == "posted"
    paid = [x["holder"] for x in plan["lines"] if x["paid"]]
    unpaid = [x["holder"] for x in plan["lines"] if not x["paid"]]
    assert (len(paid), unpaid) == (8, ["household:005", "household:010", "household:011"])
    assert (plan["paid_total"], plan["unpaid_total"]) == (3_020_000, 995_000)
    voucher = demo.books.voucher(DEMO_ORG, demo.distribution.distribution(DEMO_ORG,
                                                                          "2025-1").voucher)
    assert voucher.date == date(2025, 12, 31) and len(voucher.line_items) == 3 + 11
    assert demo.books.of(DEMO_ORG).balances["21102"] == -995_000
    # with its plan disclosed eleven days before the members' meeting, and its result after.
    assert plan["plan_disclosed_on"] == "2026-01-05"
    assert plan["result_disclosed_on"] == "2026-01-20"
    for ref in (plan["plan_disclosure"], plan["result_disclosure"]):
        disclosure = demo.disclosure.disclosure(DEMO_ORG, ref)
        assert disclosure.is_published and disclosure.kind == "distribution"


def test_the_demo_cooperative_statements_balance_and_tie(demo, view):
    # Given the fruit cooperative's books, kept through 2025 and closed after its distribution,
    catch_up(demo, view)
    with view.sql() as sql:
        reader = BooksReader(sql, view)
        sheet = reports.balance_sheet(reader, COOP_ORG, date(2025, 12, 31))
        statement = reports.income_statement(reader, COOP_ORG, Period(2025, 1),
                                              Period(2025, 12))
        changes = reports.equity_changes(reader, COOP_ORG, 2025)
    # then its balance sheet balances, with the grant's cold store in 专项基金 and the members'
    # unpaid share of the surplus (the member who left) still owed,
    assert sheet["balanced"]
    assert line(sheet, "special_fund")["end"] == 15_000_000
    assert line(sheet, "surplus_returns")["end"] + line(sheet, "remaining_surplus")["end"] > 0
    # 盈余及盈余分配表 ends where the balance sheet's 未分配盈余 does,
    assert line(statement, "net_income")["amount"] > 0
    assert line(statement, "undistributed_end")["amount"] == line(sheet, "undistributed")["end"]
    # and 成员权益变动表's last row is the balance sheet's owners' equity, column by column.
    end = next(row for row in changes["rows"] if row["key"] == "end")
    for column in ("share_capital", "special_fund", "capital_reserve", "surplus_reserve",
                   "undistributed"):
        assert end[column] == line(sheet, column)["end"], column
    assert end["total"] == line(sheet, "equity_total")["end"]


def test_the_demo_cooperative_shares_2025_by_trade_and_discloses_it(demo, view):
    from demo.cooperative import LEAVER, MEMBERS
    catch_up(demo, view)
    plan = DistributionQueries(view).distribution(COOP_ORG, "2025-1")
    assert plan is not None and plan["status"] == "posted"
    figures = plan["figures"]
    # Art. 44: at least 60 % of the distributable surplus returned by trade,
    assert figures["trade_return"] * 100 >= 60 * figures["distributable"] > 0
    assert figures["trade_return"] + figures["remaining"] == figures["distributable"]
    # to every member of 2025, the one who left at its end too (Art. 28), who is not paid yet;
    assert len(plan["lines"]) == len(MEMBERS)
    assert [x["holder"] for x in plan["lines"] if not x["paid"]] == [f"member:{LEAVER}"]
    # its plan disclosed 16 days before the members' meeting (Art. 40: 15), its result after.
    assert (plan["plan_disclosed_on"], plan["result_disclosed_on"]) == ("2026-01-06",
                                                                        "2026-01-26")
    for ref in (plan["plan_disclosure"], plan["result_disclosure"]):
        disclosure = demo.disclosure.disclosure(COOP_ORG, ref)
        assert disclosure.is_published and disclosure.kind == "distribution"


def test_the_demo_cooperative_public_page_lists_its_disclosures(demo, storage, clock):
    from api import create_app
    from projections.runner import catch_up_all

    app = create_app(storage, clock=clock)
    try:
        services = app.extensions["sunlight"]
        catch_up_all(services.ledger, services.views)
        page = app.test_client().get(f"/{COOP_ORG}/")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert "阳光村果品专业合作社" in text
        assert "2025年度盈余分配方案公示" in text and "2025年度盈余分配结果公示" in text
    finally:
        services.close()


def test_a_committee_members_own_request_in_the_demo_can_be_approved(ledger, storage):
    """With two committee members, one asking left one approver where two are needed: the
    request could never be approved. The demo's two committees have three."""
    from argon2 import PasswordHasher

    ledger.identity.passwords = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    load_demo_village(ledger, storage)
    spending = ledger.spending
    today = ledger.books.clock()
    number = spending.request_spending(DEMO_ORG, on=today, payee="县农机站", purpose="修水泵",
                                       amount=200_000, account="51302", receipt_count=1,
                                       actor="cunwei").value.number
    for login in ("shuji", "weiyuan", "jiandu"):
        spending.approve_spending(DEMO_ORG, number, approver=login)
    assert spending.spending_request(DEMO_ORG, number).status == "approved"
