"""A household with no head recorded is labelled by its first member and how many it has
(（户主未登记）李秀英等2人) everywhere the desk's plan page labels it: the plan's spreadsheet and
the credit union's batch (full for the accountant, masked 李**等2人 for a role that may not see
personal data), the JSON API's holder lines (first_member, members: null and 0 elsewhere), and the
preview before drafting, read from the register as it stands now. A plan drafted before the first
member was kept (its lines hold neither key) exports a blank name, as it always did.

东村 of tests/registers.py, as tests/api/test_distribution_heir_and_headless.py sets it up: 张大山
(0001), head of household 001, died in November 2025, leaving 李秀英 (0002) and 张小明 (0003)
with no head recorded; household 002 has its head.
"""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

from openpyxl import load_workbook

from api.distribution.sheets import batch_sheet, plan_sheet
from projections.runner import catch_up_all
from tests.api.conftest import make_user, signed_in
from tests.api.desk_browser import browser
from tests.api.test_distribution_heir_and_headless import _drafted
from tests.application.test_distribution import posted
from tests.registers import ORG, village_with_shares

V = f"/api/v1/orgs/{ORG}/distributions"
LABEL = "（户主未登记）李秀英等2人"
TERMS = {"year": 2025, "reserve": {"rate": "0.30"}, "to_members": {"per_share": "100.00"}}


def _rows(data: bytes) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def _row_of(rows: list[tuple[Any, ...]], ref: str) -> tuple[Any, ...]:
    return next(row for row in rows if len(row) > 1 and row[1] == ref)


def test_the_plan_sheet_and_the_batch_name_a_headless_household(app, clock) -> None:
    # Given a plan drafted with household 001 headless (李秀英 and 张小明),
    _plan, number = _drafted(app, clock)
    accountant = signed_in(app, make_user(app, "wang", (ORG, "accountant")))
    committee = signed_in(app, make_user(app, "liu", (ORG, "committee")))
    # when the accountant exports the plan and the batch, and the committee the batch,
    sheet = _rows(accountant.get(f"{V}/{number}?format=xlsx").data)
    full = _rows(accountant.get(f"{V}/{number}/bank-batch.xlsx?holders=all").data)
    masked = _rows(committee.get(f"{V}/{number}/bank-batch.xlsx?holders=all").data)
    # then household 001's name column reads as the desk page reads it, masked for the committee,
    assert _row_of(sheet, "001")[3] == LABEL
    assert _row_of(full, "001")[2] == LABEL
    assert _row_of(masked, "001")[2] == "（户主未登记）李**等2人"
    # and a household with its head keeps its head's name.
    assert _row_of(sheet, "002")[3] and "户主未登记" not in _row_of(sheet, "002")[3]


def test_an_old_plans_sheets_keep_a_blank_name() -> None:
    # Given a plan drafted before the first member was kept: its headless line has neither key,
    line = {"holder": "household:001", "kind": "household", "name": "", "shares": 85,
            "amount": 850_000, "paid": False, "paid_on": None, "paid_voucher": None}
    plan = {"year": 2025, "id": "2025-1", "record_date": "2025-12-31", "status": "drafted",
            "holders": [line], **dict.fromkeys(
                ("net_income", "undistributed_at_start", "loss_covered", "distributable",
                 "accumulation", "welfare", "reserve", "collective_kept",
                 "collective_to_reserve", "already_distributed", "to_members",
                 "undistributed_at_end"), 0)}
    # when its sheets are made, then the name column is blank, as before.
    assert _row_of(_rows(plan_sheet("东村", plan)), "001")[3] is None
    for full in (True, False):
        assert _row_of(_rows(batch_sheet([line], full_names=full)), "001")[2] is None


def test_the_api_holder_lines_carry_the_first_member_and_count(app, clock) -> None:
    # Given the plan drafted with household 001 headless,
    _plan, number = _drafted(app, clock)
    client = signed_in(app, make_user(app, "wang", (ORG, "accountant")))
    # when an API client reads the plan, one line and the unpaid,
    plan = client.get(f"{V}/{number}").get_json()
    one = client.get(f"{V}/{number}/holders/household:001").get_json()
    owed = client.get(f"{V}/{number}/unpaid").get_json()
    lines = {h["holder"]: h for h in plan["holders"]}
    # then household 001 carries its first member and count, every other line null and 0.
    assert (lines["household:001"]["first_member"], lines["household:001"]["members"]) == (
        "李秀英", 2)
    assert (one["first_member"], one["members"]) == ("李秀英", 2)
    assert {h["holder"]: h["members"] for h in owed["holders"]}["household:001"] == 2
    assert (lines["household:002"]["first_member"], lines["household:002"]["members"]) == (
        None, 0)
    assert (lines["outside:1"]["first_member"], lines["outside:1"]["members"]) == (None, 0)
    # And the schema says what they are.
    spec = client.get("/api/v1/openapi.json").get_json()
    holder = spec["components"]["schemas"]["DistributionHolderOut"]["properties"]
    assert "first member" in holder["first_member"]["description"]
    assert holder["members"]["type"] == "integer"


def _headless_village(app, clock) -> None:
    """东村 with 张大山, head of household 001, dead: nothing drafted."""
    ledger = app.extensions["sunlight"].ledger
    clock.today = date(2026, 1, 5)
    village_with_shares(ledger, matter_steps="decide")
    ledger.books.open_account(ORG, parent="211", code="21102", name_zh="应付收益分配",
                              name_en="Distributions payable", actor="kuaiji")
    posted(ledger, "2025-03-01", "102", "501", 10_000_000)
    ledger.register.end_membership(ORG, "0001", on=date(2025, 11, 1), basis="death",
                                   document="死亡证明", actor="kuaiji")
    ledger.spending.propose_matter(ORG, on=date(2026, 1, 5), title="2025年度收益分配",
                                   category="distribution", description="",
                                   proposed_by="party_branch", budget_total=0, budget_lines=[],
                                   actor="kuaiji")
    catch_up_all(ledger, app.extensions["sunlight"].views)


def test_the_preview_names_a_headless_household_from_the_register_now(
        app, clock, project) -> None:
    # Given household 001 headless and no plan drafted,
    _headless_village(app, clock)
    token = make_user(app, "wang", (ORG, "accountant"))
    # when the accountant previews the plan on the desk and through the API,
    desk = browser(app, project, "wang")
    form = desk.get(f"/desk/{ORG}/distributions/new")
    key = re.search(r'name="key" value="([0-9a-f]{32})"', form)[1]
    page = desk.post(f"/desk/{ORG}/distributions/new", {
        "year": "2025", "record_date": "2025-12-31", "reserve_mode": "one",
        "reserve_rate": "0.30", "to_mode": "per_share", "per_share": "100.00",
        "collective_share": "keep", "key": key, "preview": "1"}, status=200)
    preview = re.search(r'<section id="preview">(.*?)</section>', page, re.S)[1]
    row = re.search(r'<tr id="h-001">(.*?)</tr>', preview, re.S)[1]
    api = signed_in(app, token).post(f"{V}/preview", json=TERMS).get_json()
    lines = {h["holder"]: h for h in api["holders"]}
    # then both name household 001 by its first member and count, as drafting would keep them.
    assert LABEL in row
    assert (lines["household:001"]["first_member"], lines["household:001"]["members"]) == (
        "李秀英", 2)
    assert (lines["household:002"]["first_member"], lines["household:002"]["members"]) == (
        None, 0)
