"""The register read model, on SQLite and PostgreSQL, after the village's story
(register_story.py): a cooperative's member accounts and trade, no ID or phone number kept in the
clear, party balances netting a reversal, a rebuild from event one giving the same bytes, and the
register on every day agreeing with the aggregate. The roll as it stood: test_register_roll.py.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from unittest import mock

from ledger.application import Ledger
from ledger.kernel.personal import mask_id_number, mask_phone
from projections.books.queries import BooksQueries
from projections.books.view import BooksView
from projections.register.queries import MemberQueries
from projections.register.view import TABLES, RegisterView
from projections.runner import rebuild
from tests.projections.register_story import (
    ALL,
    BABY_ID,
    COOP,
    CORRECTED_ID,
    CORRECTED_PHONE,
    PERSON_ORG,
    day,
    roll,
)
from tests.registers import ORG, PEOPLE


def test_cooperative_member_accounts_and_trade(story: MemberQueries) -> None:
    account = story.member_account(COOP, "0001")
    assert account is not None
    assert account["contributions"] == [
        {"on": "2025-03-01", "form": "money", "amount": 500_000, "share_capital": 500_000,
         "capital_reserve": 0, "account": "", "description": "", "voucher": "2025-03-0001"},
        {"on": "2025-04-01", "form": "kind", "amount": 200_000, "share_capital": 200_000,
         "capital_reserve": 0, "account": "",
         "description": "手扶拖拉机一台，成员大会评估作价", "voucher": ""}]
    assert (account["contributed"], account["reserve_share"], account["exit"]) == (
        700_000, 12_345, None)
    assert account["reserve_share_by_year"] == [{"year": 2025, "amount": 12_345}]
    assert account["trades"] == [{"product": "苹果", "unit": "公斤",
                                  "direction": "sold_to_cooperative", "quantity": "1360.75",
                                  "amount": 680_250}]
    in_2025 = story.member_account(COOP, "0001", year=2025)
    assert in_2025 is not None and in_2025["trades"][0]["quantity"] == "1350.75"
    leaving = story.member_account(COOP, "0002")
    assert leaving is not None and leaving["exit"] == {
        "notified": "2025-09-15", "effective": "2025-12-31", "document": "退社申请书"}
    assert story.member_account(COOP, "0009") is None

    rows, total = story.member_accounts(COOP, ALL)
    assert total == 2 and rows == [
        {"number": "0001", "name": "周农", "contributed": 700_000, "reserve_share": 12_345,
         "trade_amount": 680_250, "exit_effective": None},
        {"number": "0002", "name": "吴果", "contributed": 0, "reserve_share": 0,
         "trade_amount": 90_000, "exit_effective": "2025-12-31"}]
    members, total = story.trades(COOP, year=2025, party="member", page=ALL)
    assert total == 3 and [(t["on"], t["member"], t["name"]) for t in members] == [
        ("2025-05-01", "0001", "周农"), ("2025-06-01", "0001", "周农"),
        ("2025-07-01", "0002", "吴果")]
    [outsider], total = story.trades(COOP, party="non_member", page=ALL)
    assert total == 1 and (outsider["counterparty"], outsider["member"], outsider["amount"],
                           outsider["quantity"]) == ("李四", "", 600_000, "2")
    # The exit takes effect at the year end: a member until then, and not after.
    assert [n for _, n, _ in roll(story, "2025-12-30", org=COOP)] == ["0001", "0002"]
    assert [n for _, n, _ in roll(story, "2025-12-31", org=COOP)] == ["0001"]


def test_only_sealed_and_masked_personal_data(story: MemberQueries,
                                              register_view: RegisterView) -> None:
    dumped = dump(register_view)
    clear = [p["id_number"] for p in PEOPLE] + [BABY_ID, CORRECTED_ID, CORRECTED_PHONE] + [
        p["phone"] for p in PEOPLE if "phone" in p]
    for number in clear:
        assert number not in dumped
        assert number[-10:] not in dumped  # nor most of it
    rows, _ = story.roll(ORG, status="all", page=ALL)
    by_number = {row["number"]: row for row in rows}
    assert by_number["0001"]["id_masked"] == mask_id_number(PEOPLE[0]["id_number"])
    assert by_number["0006"]["id_masked"] == mask_id_number(CORRECTED_ID)
    assert by_number["0007"]["id_sealed"].startswith("pd1")
    assert by_number["0001"]["phone_masked"] == mask_phone(PEOPLE[0]["phone"])
    assert by_number["0003"]["phone_sealed"] == by_number["0003"]["phone_masked"] == ""


def test_party_balances_net_a_reversal(story: MemberQueries, view: BooksView) -> None:
    queries = BooksQueries(view)
    assert queries.party_balances(ORG) == [
        {"party": "household:002", "account": "113", "account_name": "内部往来", "debit": 0,
         "credit": 0, "balance": 0},
        {"party": "member:0002", "account": "113", "account_name": "内部往来",
         "debit": 50_000, "credit": 10_000, "balance": 40_000}]
    assert queries.party_balances(ORG, party="member:0002", on=day("2025-07-31")) == [
        {"party": "member:0002", "account": "113", "account_name": "内部往来",
         "debit": 50_000, "credit": 0, "balance": 50_000}]
    assert queries.party_balances(ORG, party="household:002", on=day("2025-07-06"))[0][
        "balance"] == 20_000
    assert queries.party_balances(PERSON_ORG) == []


def dump(view: Any) -> str:
    """Every row of every table of the view, in a stable order, as text to compare."""
    with view.sql() as sql:
        rows = {table: sql.execute(f"SELECT * FROM {table}").all() for table in view.tables}
    return json.dumps({table: sorted(json.dumps(row, sort_keys=True, ensure_ascii=False,
                                                default=str) for row in table_rows)
                       for table, table_rows in rows.items()}, ensure_ascii=False)


def test_rebuilding_gives_the_same_rows_byte_for_byte(story: MemberQueries, ledger: Ledger,
                                                      view: BooksView,
                                                      register_view: RegisterView) -> None:
    with register_view.sql() as sql:
        empty = [t for t in TABLES if not sql.execute(f"SELECT * FROM {t}").all()]
    assert empty == [], "the story leaves a row in every table"
    head = ledger.log_head()
    followed = dump(register_view), dump(view)
    assert '"books_line_parties": []' not in followed[1]
    assert rebuild(ledger, register_view) == head
    assert rebuild(ledger, view) == head
    assert (dump(register_view), dump(view)) == followed
    # One event per transaction sees the rows of every earlier event in its own write.
    with mock.patch("projections.log.BATCH", 1):
        assert rebuild(ledger, register_view) == head
    assert dump(register_view) == followed[0]


def test_the_register_on_every_day_agrees_with_the_aggregate(story: MemberQueries,
                                                             ledger: Ledger) -> None:
    """The read model and the domain keep the register apart; on each day anything moved, and
    the day before, they must hold the same quantities for every holder and class."""
    for org in (ORG, PERSON_ORG):
        register = ledger.register.share_register(org)
        days = sorted({d for by_class in register.entries.values()
                       for moves in by_class.values() for d, _ in moves})
        checked = {d for moved in days for d in (moved, date.fromordinal(moved.toordinal() - 1))}
        for on in sorted(checked):
            projected = {(h["holder"], code): quantity
                         for h in story.register(org, on=on)["holders"]
                         for code, quantity in h["by_class"].items() if quantity}
            expected = {(holder, code): register.balance(holder, code, on)
                        for holder, by_class in register.entries.items() for code in by_class
                        if register.balance(holder, code, on)}
            assert projected == expected, (org, on)
        assert len(checked) > 4
