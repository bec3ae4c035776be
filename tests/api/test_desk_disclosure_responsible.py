"""The desk's disclosure page is the accountant's preview of what villagers will read, so its
责任人 is the public page's, on SQLite and PostgreSQL: the accountant's annotation where there is
one, else who handled the line in the books (api/disclosure/public_movements.py), marked so."""

from __future__ import annotations

import re

from tests.api.desk_browser import ORG, browser, form_of, ref_of
from tests.api.test_desk_pages import village  # noqa: F401 - a fixture

MARK = "（账上经办人）"


def row(page: str, no: int) -> str:
    found = re.search(rf'<tr id="line-{no}"[^>]*>(.*?)</tr>', page, re.S)
    assert found, f"no line {no}"
    return found.group(1)


def responsible(page: str, no: int) -> str:
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row(page, no), re.S)
    return re.sub(r"<[^>]+>|\s+", "", cells[-1])


def test_a_line_not_annotated_shows_who_handled_it_as_the_public_page_will(village, project):  # noqa: F811
    wang = browser(village, project, "wang")
    form = {**form_of(wang.get(f"/desk/{ORG}/disclosures/new")),
            "note-2026-10-0002/1-responsible": "王会计"}
    ref = ref_of(wang.post(f"/desk/{ORG}/disclosures/new", form))
    page = wang.get(f"/desk/{ORG}/disclosures/{ref}")
    # 2026-10-0001: nobody annotated it; wang posted the voucher.
    assert responsible(page, 1) == f"wang{MARK}"
    assert 'title="wang"' in row(page, 1)
    assert responsible(page, 2) == "王会计"  # the accountant's word, unmarked
