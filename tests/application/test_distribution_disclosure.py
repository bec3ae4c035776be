"""A year's distribution disclosed (收益分配公开), on SQLite and PostgreSQL: the plan shows its
figures, its terms, the year's statements and a line per holder by household number and masked
name; the result shows each line paid or not and when; neither carries a slip code or an ID
number, and the auditor's check rebuilds both byte for byte."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from ledger.application import Ledger
from ledger.disclosure import InvalidDisclosure
from projections.books.queries import BooksReader
from projections.books.view import BooksView
from projections.disclosure.content import build
from projections.disclosure.verify import verify
from projections.runner import catch_up
from tests.conftest import Clock
from tests.distributions import decided_and_paid, distribution_village, publish
from tests.registers import ORG, PEOPLE


def reading(app: Ledger, view: BooksView) -> Any:
    @contextmanager
    def read() -> Iterator[BooksReader]:
        catch_up(app, view)
        with view.sql() as sql:
            yield BooksReader(sql, view)
    return read


def content_of(app: Ledger, ref: str) -> dict[str, Any]:
    return json.loads(app.disclosure.disclosure(ORG, ref).content)


def test_the_plan_shows_its_figures_statements_and_a_line_per_household(
        ledger: Ledger, clock: Clock, view: BooksView) -> None:
    matter, number = distribution_village(ledger, clock)
    ref = publish(ledger, reading(ledger, view), number, "plan")
    content = content_of(ledger, ref)
    assert content["kind"] == "distribution" and content["period"]["label"] == "2025"
    facts = content["distribution"]
    assert (facts["number"], facts["stage"], facts["matter"], facts["record_date"]) == (
        number, "plan", matter, "2025-12-31")
    assert facts["terms"]["to_members.per_share"] == "100.00"
    assert facts["collective"]["shares"] == 60 and facts["collective"]["amount"] == "6000.00"
    assert [(f["item"], f["amount"]) for f in content["figures"]] == [
        ("本年收益", "80000.00"), ("年初未分配收益", "0.00"), ("可分配收益", "80000.00"),
        ("提取公积公益金", "24000.00"), ("集体股应分（留作未分配收益）", "6000.00"),
        ("向成员分配", "20000.00"), ("年末未分配收益", "36000.00")]
    assert [(x["no"], x["item"], x["shares"], x["amount"]) for x in content["lines"]] == [
        (1, "001户 张**", 85, "8500.00"), (2, "002户 王**", 80, "8000.00"),
        (3, "003户 刘**", 35, "3500.00")]
    assert content["lines"][0]["amount_capital"] == "捌仟伍佰元整"
    assert "paid" not in content["lines"][0]
    income = {line["key"]: line for line in content["statements"]["income_statement"]["lines"]}
    assert any(line["amount"] == "80000.00" for line in income.values())
    assert content["statements"]["balance_sheet"]["balanced"] is True
    assert content["totals"]["to_members"]["amount"] == "20000.00"


def test_the_result_shows_each_holder_paid_or_not_and_when(
        ledger: Ledger, clock: Clock, view: BooksView) -> None:
    matter, number = distribution_village(ledger, clock)
    publish(ledger, reading(ledger, view), number, "plan")
    decided_and_paid(ledger, clock, matter, number, ["household:002"])
    ref = publish(ledger, reading(ledger, view), number, "result")
    content = content_of(ledger, ref)
    assert "statements" not in content and content["distribution"]["stage"] == "result"
    assert content["distribution"]["posted_on"] == "2025-12-31"
    assert [(x["household"], x["name"], x["amount"], x["paid"], x["paid_on"])
            for x in content["lines"]] == [
        ("001", "张**", "8500.00", False, ""), ("002", "王**", "8000.00", True, "2026-01-16"),
        ("003", "刘**", "3500.00", False, "")]
    assert content["totals"]["paid"]["amount"] == "8000.00"
    assert content["totals"]["unpaid"]["amount"] == "12000.00"
    findings = verify(ledger, ORG)
    assert len(findings) == 2 and all(f.ok for f in findings), [f.problems for f in findings]


def test_no_slip_code_or_id_number_or_whole_name_is_disclosed(
        ledger: Ledger, clock: Clock, view: BooksView) -> None:
    _, number = distribution_village(ledger, clock)
    ref = publish(ledger, reading(ledger, view), number, "plan")
    text = ledger.disclosure.disclosure(ORG, ref).content
    codes = [line["code"] for line in ledger.distribution.distribution(ORG, number).lines]
    assert not any(f'"{code}"' in text for code in codes)
    assert not any(p["id_number"] in text or p["name"] in text for p in PEOPLE)


def test_a_distribution_is_disclosed_under_its_own_year_only(
        ledger: Ledger, clock: Clock, view: BooksView) -> None:
    _, number = distribution_village(ledger, clock)
    with reading(ledger, view)() as reader:
        with pytest.raises(InvalidDisclosure) as refused:
            build(reader, ORG, "distribution", "2024", "t",
                  {"distribution": number, "stage": "plan"})
        assert refused.value.field == "period"
        with pytest.raises(InvalidDisclosure) as refused:
            build(reader, ORG, "distribution", "2025", "t",
                  {"distribution": "2025-9", "stage": "plan"})
        assert refused.value.field == "inputs.distribution"
        with pytest.raises(InvalidDisclosure) as refused:
            build(reader, ORG, "distribution", "2025", "t",
                  {"distribution": number, "stage": "later"})
        assert refused.value.field == "inputs.stage"
