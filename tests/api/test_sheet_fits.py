"""The noticeboard sheet fits its paper: the demo's busiest published month (the most lines)
prints on one A3 page and an ordinary month (the fewest) on one A4 page, each with the lines
where the supervision committee signs (签字) and seals (盖章). Checked with poppler's pdfinfo and
pdftotext; skipped, like the other sheet tests, only where poppler is missing."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from demo.village import DEMO_ORG
from tests.api.desk_walk import demo_app
from tests.api.public_village import poppler
from tests.conftest import Clock


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app, _ = demo_app(Path(tmp_path_factory.mktemp("demo")), Clock())
    yield app
    app.extensions["sunlight"].close()


def months_by_lines(app: Flask) -> list[tuple[int, dict[str, Any]]]:
    """The demo's published monthly 收支明细, fewest lines first."""
    rows = [row for row in app.extensions["sunlight"].disclosures.published(DEMO_ORG)
            if row["kind"] == "income_expenditure" and re.fullmatch(r"\d{4}-\d\d", row["period"])]
    return sorted(((len(json.loads(row["content"]).get("lines", [])), row) for row in rows),
                  key=lambda pair: pair[0])


@pytest.mark.parametrize(("which", "size"), [("busiest", "A3"), ("ordinary", "A4")])
def test_a_month_prints_on_one_page_with_the_committees_signature_lines(demo, tmp_path, which,
                                                                        size):
    months = months_by_lines(demo)
    assert len(months) >= 2 and months[0][0] < months[-1][0], [n for n, _ in months]
    lines, row = months[-1] if which == "busiest" else months[0]
    response = demo.test_client().get(
        f"/{DEMO_ORG}/disclosures/{row['id']}/sheet.pdf?size={size}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    info = poppler("pdfinfo", response.get_data(), tmp_path)
    assert re.search(rf"Page size:.*\({size}\)", info), info
    assert re.search(r"^Pages:\s+1$", info, re.M), (row["period"], lines, info)
    text = "".join(poppler("pdftotext", response.get_data(), tmp_path, "-raw").split())
    assert "签字" in text and "盖章" in text, text[-400:]
    assert row["title"] in text


def test_on_a_sheet_too_long_for_its_page_the_totals_stay_with_the_lines(demo, tmp_path):
    # Given the busiest month printed on A4, which it overflows
    lines, row = months_by_lines(demo)[-1]
    response = demo.test_client().get(f"/{DEMO_ORG}/disclosures/{row['id']}/sheet.pdf?size=A4")
    pages = ["".join(page.split()) for page in poppler(
        "pdftotext", response.get_data(), tmp_path, "-raw").split("\f") if page.strip()]
    assert len(pages) > 1, lines
    # Then the totals are on the page of the last line they add up, not alone on the next one
    last = json.loads(row["content"])["lines"][-1]["item"]
    (with_last,) = [n for n, page in enumerate(pages) if "".join(last.split()) in page]
    assert "收入合计" in pages[with_last] and "支出合计" in pages[with_last]
    # and the signatures still keep together with the review
    assert any("签字" in page and "盖章" in page and "审核" in page for page in pages)


def test_no_approval_is_said_in_plain_words_where_it_is_shown(demo, tmp_path):
    # Given a month with payments booked without a spending request (wages, electricity)
    _, row = months_by_lines(demo)[-1]
    assert any(line.get("unapproved") for line in json.loads(row["content"])["lines"])
    # Then the page and the printed sheet say what 无审批 means, not only mark it in red
    page = demo.test_client().get(f"/{DEMO_ORG}/disclosures/{row['id']}").get_data(as_text=True)
    assert 'id="no-approval-means"' in page and "没有在本系统走支出审批" in page
    sheet = demo.test_client().get(f"/{DEMO_ORG}/disclosures/{row['id']}/sheet.pdf?size=A3")
    text = "".join(poppler("pdftotext", sheet.get_data(), tmp_path, "-raw").split())
    assert "没有在本系统走支出审批" in text  # said shorter, so the sheet keeps to its page
