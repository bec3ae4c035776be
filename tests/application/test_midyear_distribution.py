"""A distribution plan disclosed in the year the books start after January 1 (format
"sunlight-disclosure/9"): its income statement and balance sheet read as the desk reads them,
the opening balances brought in as 年初未分配收益 and 年初数, not 0.00 and a 其他转入 (format 5
read the plan's statements from January 1); a plan published in format 5 rebuilds byte for byte.

Given 东村 whose books start on 2025-07-01 with 30,000.00 undistributed brought in, 100,000.00
of contracting income and 20,000.00 of management in the second half of 2025, and its 2025 plan;
when the plan is disclosed; then its statements are the desk's.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from ledger.application import Ledger
from ledger.books import Line, VoucherDraft
from projections.books.view import BooksView
from projections.disclosure.content import FORMAT, FORMATS, build, canonical
from projections.disclosure.verify import verify
from tests.application.test_distribution import PLAN, matter, posted
from tests.application.test_distribution_disclosure import reading
from tests.conftest import Clock
from tests.distributions import publish
from tests.registers import ORG, village_with_shares


def midyear_plan(app: Ledger, clock: Clock) -> str:
    """东村 with books from 2025-07-01 and its 2025 plan drafted; the plan's number."""
    clock.today = date(2026, 1, 5)
    village_with_shares(app, matter_steps="decide", books_start=date(2025, 7, 1))
    app.books.open_account(ORG, parent="211", code="21102", name_zh="应付收益分配",
                           name_en="Distributions payable", actor="kuaiji")
    app.books.post_voucher(ORG, VoucherDraft(
        date=date(2025, 7, 1), summary="期初余额", kind="opening",
        lines=(Line("102", debit=10_000_000), Line("301", credit=7_000_000),
               Line("32201", credit=3_000_000))), actor="kuaiji")
    posted(app, "2025-08-01", "102", "501", 10_000_000)
    posted(app, "2025-09-01", "513", "102", 2_000_000)
    app.identity.create_user(login="jiandu", display_name="监督", password="a long password",
                             actor="admin")
    app.identity.grant_role("jiandu", org=ORG, role="supervisor", reason="elected",
                            actor="admin")
    plan = app.distribution.draft(ORG, **(PLAN | {"matter": matter(app)}), actor="kuaiji")
    return plan.value.number


def _lines(statement: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {line["key"]: line for line in statement["lines"]}


def test_the_plan_s_statements_bring_the_opening_balances_in(
        ledger: Ledger, clock: Clock, view: BooksView) -> None:
    number = midyear_plan(ledger, clock)
    ref = publish(ledger, reading(ledger, view), number, "plan")
    content = json.loads(ledger.disclosure.disclosure(ORG, ref).content)
    assert content["format"] == FORMAT == "sunlight-disclosure/9"
    assert [(f["item"], f["amount"]) for f in content["figures"]][:3] == [
        ("本年收益", "80000.00"), ("年初未分配收益", "30000.00"), ("可分配收益", "110000.00")]
    income = _lines(content["statements"]["income_statement"])
    assert income["undistributed_start"]["year_to_date"] == "30000.00"
    assert income["other_transfers"]["year_to_date"] == "0.00"
    assert income["net_income"]["year_to_date"] == "80000.00"
    sheet = content["statements"]["balance_sheet"]
    assert sheet["start_of_year"] == "2025-06-30" and sheet["balanced"] is True
    assert _lines(sheet)["cash"]["start_of_year"] == "100000.00"
    assert _lines(sheet)["undistributed"]["start_of_year"] == "30000.00"
    findings = verify(ledger, ORG)  # rebuilt from the events in the format it names
    assert len(findings) == 1 and findings[0].ok, findings[0].problems


def test_a_plan_published_in_format_5_keeps_its_reading(
        ledger: Ledger, clock: Clock, view: BooksView) -> None:
    """Format 5 read the plan's statements from January 1: 0.00 as 年初数, the opening
    30,000.00 as 其他转入. Built in format 5, they are those figures still."""
    number = midyear_plan(ledger, clock)
    with reading(ledger, view)() as reader:
        old = build(reader, ORG, "distribution", "2025", "旧",
                    {"distribution": number, "stage": "plan"}, format=FORMATS[4])
        again = build(reader, ORG, "distribution", "2025", "旧",
                      {"distribution": number, "stage": "plan"}, format=FORMATS[4])
    assert old["format"] == "sunlight-disclosure/5" and canonical(old) == canonical(again)
    income = _lines(old["statements"]["income_statement"])
    assert income["undistributed_start"]["year_to_date"] == "0.00"
    assert income["other_transfers"]["year_to_date"] == "30000.00"
    assert "start_of_year" not in old["statements"]["balance_sheet"]
    assert _lines(old["statements"]["balance_sheet"])["cash"]["start_of_year"] == "0.00"
