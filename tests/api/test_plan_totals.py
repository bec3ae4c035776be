"""A distribution plan's desk page adds its holders up: 合计 of the shares and of the amounts
under the households (the collective share apart), and for a cooperative each member's
contributions and shares (the weight the remaining surplus is split by) beside a 合计 of every
column — so the accountant checks the table against 向成员分配 without a calculator."""

from __future__ import annotations

import re

from tests.api.desk_browser import browser
from tests.api.test_cooperative_distributions import coop, desk, desk_form  # noqa: F401
from tests.api.test_distribution_desk import drafted, ledger, village  # noqa: F401
from tests.application.test_cooperative_surplus import COOP
from tests.registers import ORG


def _cells(row: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]


def test_the_village_plan_adds_up_its_households(village, project) -> None:  # noqa: F811
    wang = browser(village, project, "wang")
    number = drafted(wang)
    project()
    page = wang.get(f"/desk/{ORG}/distributions/{number}")
    total = re.search(r'<tr class="total" id="holders-total">(.*?)</tr>', page, re.S)[1]
    # 001 (85 shares), 002 (80), 003 (35) at 100.00 a share; the collective's 60 apart.
    assert _cells(total)[-3:] == ["200", "20,000.00", ""]  # the status column empty
    assert "合计（3户/人）" in total


def test_the_cooperative_plan_shows_each_weight_and_adds_every_column(
        desk, coop, project) -> None:  # noqa: F811
    page = desk.get(f"/desk/{COOP}/distributions/new")
    location = desk.post(f"/desk/{COOP}/distributions/new", desk_form(page, draft="1"))
    number = re.search(r"/distributions/(\d{4}-\d+)", location)[1]
    project()
    plan = desk.get(f"/desk/{COOP}/distributions/{number}")
    assert "出资额及份额（元）" in plan
    rows = re.findall(r'<tr id="h-(\d{4})">(.*?)</tr>', plan, re.S)
    total = _cells(re.search(r'<tr class="total" id="members-total">(.*?)</tr>', plan, re.S)[1])
    columns = [[_cells(row)[i] for _, row in rows] for i in range(2, 7)]
    # Each column's 合计 is the sum of its rows, to the fen.
    for column, shown in zip(columns, total[-6:-1], strict=True):
        assert sum(int(c.replace(",", "").replace(".", "")) for c in column) == int(
            shown.replace(",", "").replace(".", "")), (column, shown)
    assert total[-2] == "108,000.00"  # the distributable surplus, every fen of it
