"""Disclosures of spending under democratic decision, on SQLite and PostgreSQL: a month's income
and expenditure shows, on each line that paid a request, the request, its approvers and the
resolution; a matter's resolution (决议公开) and result (结果公开) are drafted, signed and published
as steps of the matter; and the auditor's check rebuilds all of them byte for byte."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ledger.application import Ledger
from ledger.disclosure import InvalidDisclosure
from projections.books.queries import BooksReader
from projections.books.view import BooksView
from projections.disclosure.content import prepare
from projections.disclosure.verify import verify
from projections.runner import catch_up
from projections.spending.queries import SpendingQueries
from tests.projections.test_spending_read_model import (
    ORG,
    RESOLUTION_NO,
    finish,
    publish,
    spend,
)

# The keys every line of a 收支明细 has.
PLAIN_LINE = {"no", "ref", "date", "voucher", "side", "item", "account", "amount",
              "amount_capital", "fund_source", "unit", "responsible"}


def content_of(app: Ledger, ref: str) -> dict[str, Any]:
    return json.loads(app.disclosure.disclosure(ORG, ref).content)


def built(app: Ledger, view: BooksView, kind: str, period: str,
          inputs: dict[str, Any]) -> dict[str, Any]:
    catch_up(app, view)
    with view.sql() as sql:
        return json.loads(prepare(BooksReader(sql, view), ORG, kind, period, "t",
                                  inputs).content)


def test_a_paid_line_shows_its_request_approvers_and_resolution(
        ledger: Ledger, view: BooksView) -> None:
    numbers = spend(ledger)
    ref = publish(ledger, view, "income_expenditure", "2026-03", "2026年3月财务收支明细",
                  {"annotations": {"2026-03-0005/1": {"unit": "养护队"}}})
    lines = content_of(ledger, ref)["lines"]
    by_request = {line["spending"]["request"]: line for line in lines if "spending" in line}
    # Format /3 lists every payment from cash or bank: the road (an asset, 153) too.
    assert set(by_request) == {numbers["road"], numbers["survey"], numbers["upkeep"]}
    survey = by_request[numbers["survey"]]
    assert survey["spending"] == {
        "request": numbers["survey"], "matter": numbers["matter"],
        "approvers": [{"login": "caiwu", "role": "finance_lead", "note": "caiwu同意"}],
        "resolution_no": RESOLUTION_NO, "fund_source": "集体收入"}
    assert survey["fund_source"] == "集体收入" and survey["amount"] == "800.00"
    upkeep = by_request[numbers["upkeep"]]
    assert [(a["login"], a["role"]) for a in upkeep["spending"]["approvers"]] == [
        ("cunzhang", "committee"), ("shuji", "committee"), ("jiandu", "supervisor")]
    assert upkeep["spending"]["matter"] == "" and upkeep["spending"]["resolution_no"] == ""
    assert upkeep["fund_source"] == upkeep["spending"]["fund_source"] == "农村道路补助"
    assert upkeep["unit"] == "养护队"
    # Money in from a receipt names its payer and who issued the receipt.
    [income] = [line for line in lines if line["class"] == "income"]
    assert set(income) >= PLAIN_LINE and income["fund_source"] == "经营收入"
    assert (income["unit"], income["handled_as"]) == ("张三", "receipt")
    [finding] = verify(ledger, ORG)
    assert finding.ok, finding.problems


def test_the_accountants_annotation_still_names_the_source(
        ledger: Ledger, view: BooksView) -> None:
    numbers = spend(ledger)
    content = built(ledger, view, "income_expenditure", "2026-03",
                    {"annotations": {"2026-03-0004/1": {"fund_source": "上级补助"}}})
    [survey] = [line for line in content["lines"]
                if line.get("spending", {}).get("request") == numbers["survey"]]
    assert survey["fund_source"] == "上级补助"
    assert survey["spending"]["fund_source"] == "集体收入"


def test_a_resolution_and_its_result_are_published_and_verify(
        ledger: Ledger, view: BooksView) -> None:
    numbers = spend(ledger)
    matter = numbers["matter"]
    resolution, result = finish(ledger, view, matter)

    published = ledger.spending.matter(ORG, matter)
    assert published.status == "result_disclosed"
    assert published.resolution_disclosure == resolution
    catch_up(ledger, view)
    row = SpendingQueries(view).matter(ORG, matter)
    assert (row["resolution_disclosure"], row["result_disclosure"]) == (resolution, result)

    decided = content_of(ledger, resolution)
    assert decided["kind"] == "resolution" and "period" not in decided
    assert decided["matter"] == {
        "number": matter, "title": "硬化东路", "category": "project",
        "description": "东路一公里硬化", "date": "2026-03-03", "proposed_by": "party_branch",
        "reserved": False}
    assert [(m["step"], m["entitled"], m["present"], m["votes_for"], m["votes_against"],
             m["abstain"]) for m in decided["meetings"]] == [
        ("deliberate", 30, 28, 26, 1, 1), ("review", 30, 28, 26, 1, 1),
        ("decide", 30, 28, 26, 1, 1)]
    assert decided["resolution_no"] == RESOLUTION_NO
    assert decided["totals"] == {"budget": {"amount": "30000.00",
                                            "amount_capital": "叁万元整"}}
    assert [(line["item"], line["account"]["code"], line["amount"], line["amount_capital"])
            for line in decided["lines"]] == [("路面", "153", "25000.00", "贰万伍仟元整"),
                                              ("监理", "513", "5000.00", "伍仟元整")]
    assert "payments" not in decided and "spent" not in decided["lines"][0]

    done = content_of(ledger, result)
    assert done["kind"] == "matter_result"
    assert [(line["spent"]["amount"], line["remaining"]["amount"])
            for line in done["lines"]] == [("15000.00", "10000.00"), ("800.00", "4200.00")]
    assert done["totals"]["spent"] == {"amount": "15800.00", "amount_capital": "壹万伍仟捌佰元整"}
    assert [(p["request"], p["date"], p["payee"], p["amount"]) for p in done["payments"]] == [
        (numbers["road"], "2026-03-10", "路桥公司", "15000.00"),
        (numbers["survey"], "2026-03-12", "监理公司", "800.00")]
    assert all(p["voucher"] for p in done["payments"])
    assert done["carried_out"] == {"date": "2026-04-30", "summary": "东路硬化完工，验收合格"}

    findings = verify(ledger, ORG)
    assert len(findings) == 2 and all(f.ok for f in findings), [f.problems for f in findings]


def test_a_matter_disclosure_may_name_a_period(ledger: Ledger, view: BooksView) -> None:
    numbers = spend(ledger)
    content = built(ledger, view, "resolution", "2026-03", {"matter": numbers["matter"]})
    assert content["period"] == {"label": "2026-03", "start": "2026-03-01",
                                 "end": "2026-03-31"}


@pytest.mark.parametrize("inputs", [{"matter": "M2026-0099"}, {}, {"matter": 7}])
def test_an_unknown_matter_is_refused(ledger: Ledger, view: BooksView,
                                      inputs: dict[str, Any]) -> None:
    spend(ledger)
    with pytest.raises(InvalidDisclosure) as refused:
        built(ledger, view, "matter_result", "", inputs)
    assert refused.value.field == "inputs.matter"
