"""The register read model, on SQLite and PostgreSQL, after a village's story: a birth, deaths,
a marriage out, a household divided and its heads changed, shares transferred (one backdated),
bought back and inherited by an outside heir; a per-person register that follows a birth and a
death; a cooperative's member accounts and trade; and voucher lines that name members and
households, one reversed. The roll and the shares are read as they stood on several days; no
ID or phone number is kept in the clear; and a rebuild from event one gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any
from unittest import mock

import pytest

from infra.storage import Storage
from ledger.application import Ledger
from ledger.books import Line, VoucherDraft
from ledger.kernel.personal import mask_id_number, mask_phone
from projections.books.queries import BooksQueries, Page
from projections.books.view import BooksView
from projections.register.queries import MemberQueries
from projections.register.view import TABLES, RegisterProjection, RegisterView
from projections.runner import catch_up, open_view, rebuild
from tests.registers import ORG, PEOPLE, QUANTIFIED, id_number, village_with_shares

PERSON_ORG = "v2"
COOP = "c1"
ALL = Page(1, 100)
ACTOR = "kuaiji"
BABY_ID = id_number(date(2025, 9, 1), "male", 7)
CORRECTED_ID = id_number(date(1970, 9, 9), "male", 16)
CORRECTED_PHONE = "13900003333"


def day(text: str) -> date:
    return date.fromisoformat(text)


def village_story(app: Ledger) -> None:
    """The household-held village: every change of the roll, and shares moved in and out of
    order of their dates."""
    village_with_shares(app)
    app.register.confirm_member(ORG, number="0007", name="张小宝", sex="male",
                                born=day("2025-09-01"),
                                household="001", on=day("2025-09-10"), basis="birth",
                                id_number=BABY_ID,
                                actor=ACTOR)
    app.register.move_shares(ORG, kind="transfer", on=day("2025-10-01"), source="household:001",
                             target="household:002", share_class="labour", quantity=5,
                             basis="转让协议2025-1", actor=ACTOR)
    app.register.end_membership(ORG, "0001", on=day("2025-12-01"), basis="death",
                                document="死亡证明",
                                actor=ACTOR)
    app.register.change_household_head(ORG, "001", head="0002", on=day("2025-12-05"), actor=ACTOR)
    app.register.register_household(ORG, number="004", on=day("2026-01-10"), address="东村二组",
                                    actor=ACTOR)
    app.register.move_member(ORG, "0003", household="004", on=day("2026-01-10"), reason="分户",
                             head=True, actor=ACTOR)
    app.register.move_shares(ORG, kind="buy_back", on=day("2026-02-01"), source="household:003",
                             target="org", share_class="labour", quantity=10,
                             basis="回购决〔2026〕1号",
                             price=100_000, actor=ACTOR)
    # Recorded after the buy-back, dated before everything else that moved.
    app.register.move_shares(ORG, kind="transfer", on=day("2025-08-01"), source="household:002",
                             target="household:003", share_class="labour", quantity=3,
                             basis="转让协议2025-0", actor=ACTOR)
    app.register.end_membership(ORG, "0003", on=day("2026-03-01"), basis="joined_other_collective",
                                document="户口迁移证明", actor=ACTOR)
    app.register.change_household_head(ORG, "002", head="0005", on=day("2026-04-01"), actor=ACTOR)
    app.register.correct_member(ORG, "0002", reason="电话号码变更", phone=CORRECTED_PHONE,
                                actor=ACTOR)
    app.register.correct_member(ORG, "0006", reason="身份证号录错", id_number=CORRECTED_ID,
                                actor=ACTOR)
    app.register.end_membership(ORG, "0006", on=day("2026-05-01"), basis="death",
                                document="死亡证明",
                                actor=ACTOR)
    app.register.move_shares(ORG, kind="inheritance", on=day("2026-05-10"), source="household:003",
                             target="outside", target_name="刘小龙", share_class="population",
                             quantity=10, basis="继承公证书", actor=ACTOR)


def vouchers_with_parties(app: Ledger) -> None:
    def post(on: str, *lines: Line) -> str:
        return app.books.post_voucher(ORG, VoucherDraft(day(on), "成员往来", lines),
                                      actor=ACTOR).value.number

    post("2025-07-05", Line("113", debit=50_000, memo="借款", party="member:0002"),
         Line("102", credit=50_000))
    wrong = post("2025-07-06", Line("113", debit=20_000, party="household:002"),
                 Line("102", credit=20_000))
    post("2025-08-01", Line("102", debit=10_000), Line("113", credit=10_000,
                                                       party="member:0002"))
    app.books.reverse_voucher(ORG, wrong, on=day("2025-07-10"), reason="记错户", actor=ACTOR)


def per_person_story(app: Ledger) -> None:
    village_with_shares(app, holding="person", org=PERSON_ORG)
    app.register.confirm_member(PERSON_ORG, number="0007", name="张小宝", sex="male",
                                born=day("2025-09-01"), household="001", on=day("2025-09-10"),
                                basis="birth", actor=ACTOR)
    app.register.end_membership(PERSON_ORG, "0004", on=day("2025-12-01"), basis="death",
                                document="死亡证明", actor=ACTOR)


def cooperative_story(app: Ledger) -> None:
    app.books.register_organization(code=COOP, name_zh="丰收果蔬专业合作社",
                                    kind="farmers_cooperative",
                                    chart="", books_start=day("2025-01-01"), actor="admin")
    for name in ("周农", "吴果"):
        app.register.confirm_member(COOP, name=name, sex="male", born=day("1970-01-01"),
                                    household="",
                                    on=day("2025-03-01"), basis="admitted", actor=ACTOR)
    app.register.record_contribution(COOP, "0001", on=day("2025-03-01"), form="money",
                                     amount=500_000,
                                     voucher="2025-03-0001", actor=ACTOR)
    app.register.record_contribution(COOP, "0001", on=day("2025-04-01"), form="kind",
                                     amount=200_000,
                                     description="手扶拖拉机一台，成员大会评估作价", actor=ACTOR)
    app.register.quantify_reserve_share(COOP, "0001", year=2025, amount=12_345, actor=ACTOR)
    for on, quantity, amount in (("2025-05-01", "1250.5", 625_250),
                                 ("2025-06-01", "100.25", 50_000), ("2026-05-01", "10", 5_000)):
        app.register.record_trade(COOP, on=day(on), direction="sold_to_cooperative", product="苹果",
                                  quantity=quantity, unit="公斤", amount=amount, member="0001",
                                  actor=ACTOR)
    app.register.record_trade(COOP, on=day("2025-05-02"), direction="bought_from_cooperative",
                              product="化肥", quantity="2", unit="吨", amount=600_000,
                              counterparty="李四", actor=ACTOR)
    app.register.record_trade(COOP, on=day("2025-07-01"), direction="sold_to_cooperative",
                              product="梨",
                              quantity="300", unit="公斤", amount=90_000, member="0002",
                              actor=ACTOR)
    app.register.notify_exit(COOP, "0002", on=day("2025-09-15"), document="退社申请书", actor=ACTOR)


@pytest.fixture
def register_view(storage: Storage, ledger: Ledger) -> Iterator[RegisterView]:
    opened = open_view(storage, RegisterProjection)
    yield opened
    opened.datastore.close()


@pytest.fixture
def story(ledger: Ledger, view: BooksView, register_view: RegisterView) -> MemberQueries:
    village_story(ledger)
    vouchers_with_parties(ledger)
    per_person_story(ledger)
    cooperative_story(ledger)
    catch_up(ledger, register_view)
    catch_up(ledger, view)
    return MemberQueries(register_view)


def roll(queries: MemberQueries, on: str | None, org: str = ORG,
         **filters: Any) -> list[tuple[str, str, bool]]:
    rows, total = queries.roll(org, on=None if on is None else day(on), page=ALL, **filters)
    assert total == len(rows)
    return [(row["household"], row["number"], row["head"]) for row in rows]


def test_the_roll_as_it_stood_on_each_day(story: MemberQueries) -> None:
    assert roll(story, "2025-06-15") == [
        ("001", "0001", True), ("001", "0002", False), ("001", "0003", False),
        ("002", "0004", True), ("002", "0005", False), ("003", "0006", True)]
    assert roll(story, "2025-05-31") == []
    assert ("001", "0007", False) in roll(story, "2025-09-10")
    assert ("001", "0007", False) not in roll(story, "2025-09-09")
    # The head died: the household has no head until the meeting names one.
    assert roll(story, "2025-12-03", household="001") == [
        ("001", "0002", False), ("001", "0003", False), ("001", "0007", False)]
    assert roll(story, "2025-12-05", household="001")[0] == ("001", "0002", True)
    assert roll(story, "2026-01-15") == [
        ("001", "0002", True), ("001", "0007", False), ("002", "0004", True),
        ("002", "0005", False), ("003", "0006", True), ("004", "0003", True)]
    assert roll(story, None) == [
        ("001", "0002", True), ("001", "0007", False), ("002", "0004", False),
        ("002", "0005", True)]
    assert roll(story, None, status="ended") == [
        ("001", "0001", False), ("003", "0006", False), ("004", "0003", False)]
    assert roll(story, "2026-03-15", status="ended") == [
        ("001", "0001", False), ("004", "0003", False)]
    assert [n for _, n, _ in roll(story, None, status="all", q="张")] == ["0001", "0007", "0003"]
    assert [n for _, n, _ in roll(story, None, status="all", q="000")] == [
        "0001", "0002", "0007", "0004", "0005", "0006", "0003"]
    assert roll(story, None, status="all", q="%") == []

    [before] = story.roll(ORG, on=day("2025-11-30"), q="0001", page=ALL)[0]
    assert (before["active"], before["ended_on"], before["ended_basis"]) == (True, None, "")
    [after] = story.roll(ORG, on=day("2025-12-01"), q="0001", status="all", page=ALL)[0]
    assert {k: after[k] for k in ("active", "ended_on", "ended_basis", "document", "head",
                                  "household", "basis", "confirmed_on", "resolution",
                                  "resolution_date", "name", "sex", "born")} == {
        "active": False, "ended_on": "2025-12-01", "ended_basis": "death",
        "document": "死亡证明", "head": False, "household": "001", "basis": "original",
        "confirmed_on": "2025-06-01", "resolution": "成员确认决〔2025〕1号",
        "resolution_date": "2025-06-01", "name": "张大山", "sex": "male", "born": "1960-03-08"}
    rows, total = story.roll(ORG, on=day("2026-01-15"), page=Page(2, 4))
    assert total == 6 and [r["number"] for r in rows] == ["0006", "0003"]


def test_a_member_and_the_history_of_changes(story: MemberQueries) -> None:
    member = story.member(ORG, "0003")
    assert member is not None
    assert (member["household"], member["active"], member["ended_basis"]) == (
        "004", False, "joined_other_collective")
    assert [(h["on"], h["change"]) for h in member["history"]] == [
        ("2025-06-01", "confirmed"), ("2026-01-10", "moved"), ("2026-03-01", "ended")]
    moved = member["history"][1]
    assert {k: moved[k] for k in ("household", "from_household", "reason", "head",
                                  "recorded_by")} == {
        "household": "004", "from_household": "001", "reason": "分户", "head": True,
        "recorded_by": ACTOR}
    assert member["history"][2]["document"] == "户口迁移证明"
    earlier = story.member(ORG, "0003", on=day("2025-12-31"))
    assert earlier is not None and (earlier["household"], earlier["active"]) == ("001", True)
    assert story.member(ORG, "0007", on=day("2025-09-09")) is None
    assert story.member(ORG, "9999") is None

    wife = story.member(ORG, "0002")
    assert wife is not None
    assert wife["phone_masked"] == mask_phone(CORRECTED_PHONE)
    assert [(h["on"], h["change"]) for h in wife["history"][:2]] == [
        ("2025-06-01", "confirmed"), ("2025-12-05", "head")]
    corrected = wife["history"][2]
    assert corrected["change"] == "corrected" and corrected["on"] >= "2025-12-05"
    assert (corrected["fields"], corrected["reason"]) == (
        ["phone_masked", "phone_sealed"], "电话号码变更")
    assert CORRECTED_PHONE[-4:] not in json.dumps(corrected)


def test_households_on_each_day(story: MemberQueries) -> None:
    rows, total = story.households(ORG, on=day("2025-12-31"), page=ALL)
    assert total == 3
    assert [(h["number"], h["head"], h["head_name"], h["member_count"]) for h in rows] == [
        ("001", "0002", "李秀英", 3), ("002", "0004", "王建国", 2), ("003", "0006", "刘志强", 1)]
    assert rows[0]["members"] == [{"number": "0002", "name": "李秀英", "head": True},
                                  {"number": "0003", "name": "张小明", "head": False},
                                  {"number": "0007", "name": "张小宝", "head": False}]
    assert story.household(ORG, "004", on=day("2025-12-31")) is None
    divided = story.household(ORG, "004", on=day("2026-01-15"))
    assert divided == {"number": "004", "address": "东村二组", "registered_on": "2026-01-10",
                       "head": "0003", "head_name": "张小明",
                       "members": [{"number": "0003", "name": "张小明", "head": True}],
                       "member_count": 1}
    married_out = story.household(ORG, "004")
    assert married_out is not None
    assert (married_out["head"], married_out["members"]) == ("", [])
    headless = story.household(ORG, "001", on=day("2025-12-03"))
    assert headless is not None and (headless["head"], headless["head_name"]) == ("", "")
    latest, _ = story.households(ORG, page=ALL)
    assert [(h["number"], h["head_name"], h["member_count"]) for h in latest] == [
        ("001", "李秀英", 2), ("002", "赵桂兰", 2), ("003", "", 0), ("004", "", 0)]


def holdings(register: dict[str, Any]) -> dict[str, tuple[int, str, str, bool]]:
    return {h["holder"]: (h["total"], h["percent"], h["name"], h["votes"])
            for h in register["holders"]}


def test_the_share_register_exactly_as_it_stood(story: MemberQueries) -> None:
    empty = story.register(ORG, on=day("2025-06-29"))
    assert (empty["quantified_on"], empty["holders"], empty["grand_total"], empty["totals"]) == (
        QUANTIFIED.isoformat(), [], 0, {})
    first = story.register(ORG, on=QUANTIFIED)
    assert (first["holding"], first["resolution"], first["on"]) == (
        "household", "股改决〔2025〕1号", "2025-06-30")
    assert [c["code"] for c in first["classes"]] == ["population", "labour", "collective"]
    assert holdings(first) == {
        "org": (100, "33.33", "集体", False),
        "household:001": (85, "28.33", "张大山", True),
        "household:002": (80, "26.67", "王建国", True),
        "household:003": (35, "11.67", "刘志强", True)}
    # The transfer recorded last but dated 1 August is there from that day.
    assert holdings(story.register(ORG, on=day("2025-09-01")))["household:003"] == (
        38, "12.67", "刘志强", True)
    year_end = story.register(ORG, on=day("2025-12-31"))
    assert holdings(year_end) == {
        "org": (100, "33.33", "集体", False),
        "household:001": (80, "26.67", "李秀英", True),
        "household:002": (82, "27.33", "王建国", True),
        "household:003": (38, "12.67", "刘志强", True)}
    assert year_end["totals"] == {"population": 100, "labour": 140, "collective": 60}
    assert year_end["grand_total"] == 300
    assert holdings(story.register(ORG, on=day("2025-12-03")))["household:001"][2] == ""
    latest = story.register(ORG)
    assert latest["on"] is None
    assert holdings(latest) == {
        "org": (110, "36.67", "集体", False),
        "household:001": (80, "26.67", "李秀英", True),
        "household:002": (82, "27.33", "赵桂兰", True),
        "household:003": (18, "6.00", "", False),
        "outside:1": (10, "3.33", "刘小龙", False)}
    heir = latest["holders"][-1]
    assert (heir["kind"], heir["ref"], heir["by_class"]) == ("outside", "1", {"population": 10})
    assert [h["holder"] for h in latest["holders"]] == [
        "org", "household:001", "household:002", "household:003", "outside:1"]

    rows, total = story.movements(ORG, page=ALL)
    assert total == 4
    assert [(m["on"], m["kind"], m["source"], m["target"], m["quantity"], m["price"])
            for m in rows] == [
        ("2025-08-01", "transfer", "household:002", "household:003", 3, 0),
        ("2025-10-01", "transfer", "household:001", "household:002", 5, 0),
        ("2026-02-01", "buy_back", "household:003", "org", 10, 100_000),
        ("2026-05-10", "inheritance", "household:003", "outside:1", 10, 0)]
    assert rows[3]["target_name"] == "刘小龙" and rows[3]["recorded_by"] == ACTOR
    assert story.movements(ORG, page=ALL, holder="household:001")[1] == 1
    assert story.movements(ORG, page=ALL, since=day("2025-10-01"),
                           until=day("2026-02-01"))[1] == 2
    assert story.share_classes(ORG)[2] == {"code": "collective", "name_zh": "集体股",
                                           "basis": "collective", "per_person": 0,
                                           "cap_percent": 30}
    assert story.register("nowhere") == {
        "on": None, "quantified_on": None, "holding": "", "resolution": "", "classes": [],
        "totals": {}, "grand_total": 0, "holders": []}


def test_a_per_person_register_follows_births_and_deaths(story: MemberQueries) -> None:
    def at(on: str) -> dict[str, tuple[int, str, str, bool]]:
        return holdings(story.register(PERSON_ORG, on=day(on)))

    before = at("2025-09-09")
    assert "member:0007" not in before and before["org"][0] == 100
    assert before["member:0004"] == (45, "20.00", "王建国", True)
    born = at("2025-09-10")
    assert born["member:0007"] == (10, "4.44", "张小宝", True)
    assert born["org"] == (90, "40.00", "集体", False)
    # The per-person shares go back to the reserve; the labour shares stay with the estate.
    died = at("2025-12-01")
    assert died["member:0004"] == (35, "15.56", "王建国", False)
    assert died["org"] == (100, "44.44", "集体", False)
    assert story.register(PERSON_ORG)["grand_total"] == 225
    rows, _ = story.movements(PERSON_ORG, page=ALL)
    assert [(m["kind"], m["on"], m["source"], m["target"], m["quantity"]) for m in rows] == [
        ("allocation", "2025-09-10", "org", "member:0007", 10),
        ("return", "2025-12-01", "member:0004", "org", 10)]


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
