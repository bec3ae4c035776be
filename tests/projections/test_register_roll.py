"""The register read model, on SQLite and PostgreSQL, after the village's story
(register_story.py): the roll, a member's history, the households and the share register, each
read exactly as it stood on several days, and a per-person register through a birth and a death.
"""

from __future__ import annotations

import json
from typing import Any

from ledger.kernel.personal import mask_phone
from projections.books.queries import Page
from projections.register.queries import MemberQueries
from tests.projections.register_story import (
    ACTOR,
    ALL,
    CORRECTED_PHONE,
    PERSON_ORG,
    day,
    roll,
)
from tests.registers import ORG, QUANTIFIED


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


