"""A supervisor signs a month's 收支明细 seeing the warnings on its vouchers: the demo's October
paid 红星五金店 400.00 three times within days (a split payment) and once with no receipt (白条),
and those lines say so on the review page, as the warnings page does."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from demo.village import DEMO_ORG
from projections.runner import catch_up_all
from tests.api.desk_walk import _hidden, demo_app, signed_in
from tests.conftest import Clock


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, dict]]:
    app, passwords = demo_app(Path(tmp_path_factory.mktemp("demo")), Clock())
    yield app, passwords
    app.extensions["sunlight"].close()


def test_the_review_page_shows_the_warnings_on_the_lines_they_concern(demo):
    app, passwords = demo
    # Given October's 收支明细 drafted on the desk
    accountant = signed_in(app, "kuaiji", passwords["kuaiji"][0])
    drafted = accountant.post(f"/desk/{DEMO_ORG}/disclosures/new", data={
        **_hidden(accountant.get(f"/desk/{DEMO_ORG}/disclosures/new")),
        "kind": "income_expenditure", "period": "2026-10"})
    assert drafted.status_code == 303, drafted.get_data(as_text=True)
    catch_up_all(app.extensions["sunlight"].ledger, app.extensions["sunlight"].views)
    # When it is opened for review
    page = accountant.get(drafted.headers["Location"]).get_data(as_text=True)
    # Then the line of voucher 2026-10-0016 carries its two warnings, and a plain line none
    row = re.search(r'<tr id="line-\d+">(?:(?!</tr>).)*2026-10-0016(?:(?!</tr>).)*</tr>', page,
                    re.S)
    assert row, "no line of voucher 2026-10-0016"
    assert row[0].count('class="warned"') == 2 and "白条" in row[0], row[0]
    first = re.search(r'<tr id="line-1">.*?</tr>', page, re.S)[0]  # 2026-10-0001, no warning
    assert "2026-10-0016" not in first and 'class="warned"' not in first
