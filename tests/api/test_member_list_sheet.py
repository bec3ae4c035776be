"""The cooperative's printed surplus sheet (盈余分配 plan and result) gives each figure of a
member's line a column of its own: trade, its return, the remaining share and the amount print
side by side without touching, on A4 and on A3. Checked on the words' boxes from poppler's
`pdftotext -bbox`; skipped, like the other sheet tests, only where poppler is missing."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest

from demo.cooperative import COOP_ORG
from tests.api.public_village import poppler
from tests.api.test_sheet_fits import demo  # noqa: F401

AMOUNT = re.compile(r"^-?\d{1,3}(,\d{3})*\.\d\d$")
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">'
                  r"([^<]*)</word>")


def surplus_disclosures(app) -> list[dict]:
    return [row for row in app.extensions["sunlight"].disclosures.published(COOP_ORG)
            if row["kind"] == "distribution"]


def amounts_by_row(boxes: str) -> dict[float, list[tuple[float, float]]]:
    """The x-extent of every amount on the page's first table rows, keyed by the row's top."""
    rows: dict[float, list[tuple[float, float]]] = {}
    for x_min, y_min, x_max, text in WORD.findall(boxes):
        if AMOUNT.match(text):
            rows.setdefault(round(float(y_min)), []).append((float(x_min), float(x_max)))
    return rows


@pytest.mark.parametrize("size", ["A4", "A3"])
def test_each_figure_of_a_members_line_prints_in_its_own_column(demo, tmp_path,  # noqa: F811
                                                                size):
    # Given the demo cooperative's published surplus plan and result
    published = surplus_disclosures(demo)
    assert len(published) == 2, [row["title"] for row in published]
    for row in published:
        # When its noticeboard sheet is printed
        response = demo.test_client().get(
            f"/{COOP_ORG}/disclosures/{row['id']}/sheet.pdf?size={size}")
        assert response.status_code == 200
        boxes = poppler("pdftotext", response.get_data(), tmp_path, "-bbox", "-f", "1", "-l", "1")
        # Then on every line holding four figures or more, no figure overlaps the next
        lines = [sorted(extents) for extents in amounts_by_row(boxes).values()
                 if len(extents) >= 4]
        assert lines, row["title"]
        for extents in lines:
            for (_, right), (left, _) in pairwise(extents):
                assert right <= left, (row["title"], size, extents)
