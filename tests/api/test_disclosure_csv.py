"""The spreadsheet copy of a published disclosure leaves no yuan out: the lines recorded with no
money moving (depreciation) and the totals follow the money lines, as on the page and the sheet;
the approver's column is headed 审批人."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from demo.village import DEMO_ORG
from tests.api.desk_walk import demo_app
from tests.conftest import Clock


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app, _ = demo_app(Path(tmp_path_factory.mktemp("demo")), Clock())
    yield app
    app.extensions["sunlight"].close()


def with_accrued_lines(app: Flask) -> dict[str, Any]:
    services = app.extensions["sunlight"]
    for row in services.disclosures.published(DEMO_ORG):
        found = services.disclosures.public_disclosure(DEMO_ORG, str(row["id"]))
        if found and '"accrued":[{' in found["content"]:
            return found
    raise AssertionError("the demo publishes no month with depreciation")


def test_the_csv_carries_the_lines_without_money_moving_and_the_totals(demo):
    # Given a published month whose books hold depreciation (no money moved)
    row = with_accrued_lines(demo)
    page = demo.test_client().get(f"/{DEMO_ORG}/disclosures/{row['id']}")
    assert page.status_code == 200
    # When its spreadsheet copy is downloaded
    response = demo.test_client().get(f"/{DEMO_ORG}/disclosures/{row['id']}.csv",
                                      headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    # Then after the money lines come the lines recorded without money moving, each with its
    # amount, and the totals, as the page shows them
    content = json.loads(row["content"])
    captions = [r[0] for r in rows if r]
    start = next(i for i, r in enumerate(rows) if r and r[0].startswith("不涉及现金"))
    accrued = rows[start + 2:start + 2 + len(content["accrued"])]
    assert [r[3] for r in accrued] == [line["amount"] for line in content["accrued"]]
    assert [r[1] for r in accrued] == [line["item"] for line in content["accrued"]]
    for name, total in content["totals"].items():
        assert any(r[1:2] == [total["amount"]] for r in rows if len(r) == 2), name
    assert {"收入合计", "支出合计", "收支相抵"} <= set(captions)
    # And the approver's column says whose approval it is
    assert "审批人" in rows[0] and "已审批" not in rows[0]

