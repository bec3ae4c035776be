"""The public pages of spending under democratic decision: a matter's resolution (决议公开) shows
its meetings, votes and resolution number, its result (结果公开) what was paid; a month's income
and expenditure names, on a line that paid a request, the request and its approvers; and the
desk drafts a resolution from a matter number."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from typing import Any

import pytest
from flask import Flask

from api.disclosure import public as public_routes
from api.disclosure.public_views import matter_view
from ledger.application import Ledger
from ledger.books import Line, VoucherDraft
from projections.disclosure.content import prepare
from tests.api.desk_browser import Browser
from tests.projections import test_spending_read_model as story
from tests.projections.test_spending_read_model import ORG, RESOLUTION_NO, ROLES

NAMES = {"caiwu": "蔡会计", "cunzhang": "李主任", "shuji": "周书记", "jiandu": "张委员",
         "jiandu2": "王委员", "kuaiji": "刘会计"}



@pytest.fixture
def ledger(app: Flask) -> Ledger:
    return app.extensions["sunlight"].ledger


@pytest.fixture
def numbers(ledger: Ledger, project: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The March 2026 story of tests/projections/test_spending_read_model.py, its people under
    their display names: a matter decided by three meetings, requests approved and paid."""
    def village(app: Ledger) -> None:
        app.books.register_organization(code=ORG, name_zh="东村", kind="village_collective",
                                        books_start=date(2026, 1, 1), actor="admin")
        for login, role in ROLES.items():
            app.identity.create_user(login=login, display_name=NAMES[login],
                                     password="a long password", actor="admin")
            app.identity.grant_role(login, org=ORG, role=role, reason="elected", actor="admin")

    monkeypatch.setattr(story, "village", village)
    found = story.spend(ledger)
    project()
    return found

QUORUM_NOT_MET = ("到会人数不足：应到30人，实到10人，须过半数 "
                  "(quorum not met: 10 of 30 present, >1/2 needed)")


def publish(app: Flask, project: Any, kind: str, period: str, title: str,
            inputs: dict[str, Any]) -> str:
    services = app.extensions["sunlight"]
    project()
    with services.queries.read() as reader:
        prepared = prepare(reader, ORG, kind, period, title, inputs)
    ledger = services.ledger
    ref = str(ledger.disclosure.draft_disclosure(ORG, kind=kind, period=period, title=title,
                                                 inputs=inputs,
                                                 content=prepared.content,
                                                 position=prepared.position,
                                                 actor="kuaiji").value.id)
    ledger.disclosure.submit_disclosure(ORG, ref, panel=["jiandu", "jiandu2"], actor="kuaiji")
    for member in ("jiandu", "jiandu2"):
        ledger.disclosure.sign_disclosure(ORG, ref, member=member, opinion="属实")
    ledger.disclosure.publish_disclosure(ORG, ref, actor="kuaiji")
    project()
    return ref


def text_of(page: str) -> str:
    """The page's text, tags dropped and whitespace squeezed, as a reader sees it."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_a_published_resolution_shows_its_meetings_and_number(app, project, numbers):
    matter = numbers["matter"]
    ref = publish(app, project, "resolution", "", "硬化东路决议公开", {"matter": matter})
    response = app.test_client().get(f"/{ORG}/disclosures/{ref}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    text = text_of(page)
    for needed in ("决议公开", "硬化东路", matter, "东路一公里硬化", RESOLUTION_NO,
                   "两委联席会议商议", "党员大会审议", "村民（代表）会议决议",
                   "2026-03-05", "2026-03-06", "2026-03-08", "28 / 30", "26 / 1 / 1",
                   "通过", "路面", "监理", "25,000.00", "贰万伍仟元整", "预算合计", "叁万元整"):
        assert needed in text, needed
    assert text.count("26 / 1 / 1") == 3
    # Each meeting is a card on a phone: every cell names its column.
    assert 'data-label="实到/应到"' in page and 'data-label="赞成/反对/弃权"' in page
    # The budget lines name their account, and need no fund source or unit columns.
    assert "资金来源" not in page
    assert "已支出" not in text  # only the result says what was spent
    english = text_of(app.test_client().get(f"/{ORG}/disclosures/{ref}?lang=en")
                      .get_data(as_text=True))
    for needed in ("Disclosure of a resolution", "Joint meeting of the two committees",
                   "Present / entitled", "Resolution no.", "Total budget"):
        assert needed in english, needed


def test_a_published_result_shows_what_was_paid(app, project, numbers, ledger):
    matter = numbers["matter"]
    publish(app, project, "resolution", "", "硬化东路决议公开", {"matter": matter})
    ledger.spending.carry_out_matter(ORG, matter, on=date(2026, 4, 30),
                                     summary="东路硬化完工，验收合格",
                                     actor="kuaiji")
    ref = publish(app, project, "matter_result", "", "硬化东路结果公开", {"matter": matter})
    text = text_of(app.test_client().get(f"/{ORG}/disclosures/{ref}").get_data(as_text=True))
    for needed in ("决议执行结果公开", "已支出 15,000.00，结余 10,000.00",
                   "已支出 800.00，结余 4,200.00", numbers["road"], numbers["survey"],
                   "路桥公司", "监理公司", "壹万伍仟捌佰元整", "2026-04-30",
                   "东路硬化完工，验收合格", "实施情况", "预算结余"):
        assert needed in text, needed


def test_a_paid_line_names_its_request_and_approvers(app, project, numbers):
    ref = publish(app, project, "income_expenditure", "2026-03", "2026年3月财务收支明细", {})
    page = app.test_client().get(f"/{ORG}/disclosures/{ref}").get_data(as_text=True)
    content = json.loads(app.extensions["sunlight"].disclosures.public_disclosure(
        ORG, ref)["content"])
    [upkeep] = [line for line in content["lines"]
                if line.get("spending", {}).get("request") == numbers["upkeep"]]
    # The month's lines are a list on the page (api/templates/public/_lines.html), each an item.
    row = re.search(rf'<li id="line-{upkeep["no"]}".*?</li>', page, re.S)
    assert row is not None
    shown = text_of(row.group(0))
    assert f"支出申请 {numbers['upkeep']}" in shown
    assert "审批：李主任（两委）、周书记（两委）、张委员（监委）" in shown
    [survey] = [line for line in content["lines"]
                if line.get("spending", {}).get("request") == numbers["survey"]]
    row = re.search(rf'<li id="line-{survey["no"]}".*?</li>', page, re.S)
    assert row is not None
    shown = text_of(row.group(0))
    assert "审批：蔡会计（财务负责人）" in shown and f"决议文号：{RESOLUTION_NO}" in shown
    # A line that paid no request says nothing of one.
    income = next(line for line in content["lines"] if line["side"] == "income")
    row = re.search(rf'<li id="line-{income["no"]}".*?</li>', page, re.S)
    assert row is not None and "支出申请" not in row.group(0)
    english = text_of(app.test_client().get(f"/{ORG}/disclosures/{ref}?lang=en")
                      .get_data(as_text=True))
    assert "Approved by: 李主任 (two committees), 周书记 (two committees)" in english


def test_the_supervisors_review_page_marks_payments_without_approval(app, project, numbers,
                                                                  ledger):
    # Given March with a payment the accountant posted with no request behind it,
    ledger.books.post_voucher(ORG, VoucherDraft(
        date=date(2026, 3, 28), summary="付误工补贴",
        lines=(Line("513", debit=60_000), Line("102", credit=60_000))), actor="kuaiji")
    ref = publish(app, project, "income_expenditure", "2026-03", "2026年3月财务收支明细", {})
    content = json.loads(app.extensions["sunlight"].disclosures.public_disclosure(
        ORG, ref)["content"])
    [bare] = [line for line in content["lines"] if line.get("unapproved")]
    [upkeep] = [line for line in content["lines"]
                if line.get("spending", {}).get("request") == numbers["upkeep"]]
    # when a supervisor opens it on the desk (where it is reviewed before it is signed),
    browser = Browser(app, project)
    browser.sign_in("jiandu")
    page = browser.get(f"/desk/{ORG}/disclosures/{ref}")

    def row(no: int) -> str:
        found = re.search(rf'<tr id="line-{no}".*?</tr>', page, re.S)
        assert found is not None
        return text_of(found.group(0))
    # then the payment without approval is marked 无审批, as on the public page, and a paid
    # request names its approvers.
    assert "无审批" in row(bare["no"]) and "无审批" not in row(upkeep["no"])
    assert "已审批：李主任、周书记、张委员" in row(upkeep["no"]).replace(" ", "")


def test_the_sheet_of_a_resolution_shows_its_meetings(app, project, numbers, monkeypatch):
    ref = publish(app, project, "resolution", "", "硬化东路决议公开",
                  {"matter": numbers["matter"]})
    rendered: list[str] = []
    monkeypatch.setattr(public_routes, "html_to_pdf",
                        lambda page: rendered.append(page) or b"%PDF-")
    response = app.test_client().get(f"/{ORG}/disclosures/{ref}/sheet.pdf?lang=en")
    assert response.status_code == 200
    [sheet] = rendered
    text = text_of(sheet)
    for needed in ("两委联席会议商议", "村民（代表）会议决议", RESOLUTION_NO, "26 / 1 / 1",
                   "贰万伍仟元整"):
        assert needed in text, needed


def test_a_resolution_names_who_proposed_the_matter(app, project, numbers, monkeypatch):
    # Given the matter the party branch proposed (the first of 四议两公开), decided and disclosed,
    ref = publish(app, project, "resolution", "", "硬化东路决议公开",
                  {"matter": numbers["matter"]})
    # then the page, the English page and the noticeboard sheet name the proposer.
    page = text_of(app.test_client().get(f"/{ORG}/disclosures/{ref}").get_data(as_text=True))
    assert "提议 党支部" in page, page
    english = text_of(app.test_client().get(f"/{ORG}/disclosures/{ref}?lang=en")
                      .get_data(as_text=True))
    assert "Proposed by The party branch" in english
    rendered: list[str] = []
    monkeypatch.setattr(public_routes, "html_to_pdf",
                        lambda page: rendered.append(page) or b"%PDF-")
    assert app.test_client().get(f"/{ORG}/disclosures/{ref}/sheet.pdf").status_code == 200
    assert "提议 党支部" in text_of(rendered[0])


def test_the_desk_drafts_a_resolution_from_a_matter_number(app, project, numbers):
    browser = Browser(app, project)
    browser.sign_in("kuaiji")
    form = browser.get(f"/desk/{ORG}/disclosures/new?kind=resolution")
    assert 'name="matter"' in form and "事项编号" in form
    assert 'value="resolution" selected' in form and "决议公开" in form
    key = re.search(r'name="key" value="([0-9a-f]+)"', form)
    assert key is not None
    data = {"key": key.group(1), "kind": "resolution", "period": "", "title": "硬化东路决议公开",
            "title_default": "", "notes": "", "matter": numbers["matter"].lower()}
    # An unknown matter is refused beside the field, and the form keeps what was typed.
    refused = browser.post(f"/desk/{ORG}/disclosures/new",
                           {**data, "matter": "M2026-0099"}, status=422)
    assert 'id="matter"' in refused and 'value="M2026-0099"' in refused
    assert 'aria-invalid="true"' in refused and 'href="#matter"' in refused
    browser.get(f"/desk/{ORG}/disclosures/new?kind=resolution")
    key = re.search(r'name="key" value="([0-9a-f]+)"', browser.last)
    assert key is not None
    where = browser.post(f"/desk/{ORG}/disclosures/new", {**data, "key": key.group(1)})
    ref = where.split("/disclosures/")[1].split("?")[0]
    drafted = app.extensions["sunlight"].ledger.disclosure.disclosure(ORG, ref)
    assert drafted.kind == "resolution" and drafted.period == ""
    assert drafted.inputs["matter"] == numbers["matter"]
    content = json.loads(drafted.content)
    assert content["matter"]["number"] == numbers["matter"]
    assert content["resolution_no"] == RESOLUTION_NO


def test_a_meeting_that_stopped_the_matter_says_why() -> None:
    meeting = {"no": 1, "step": "deliberate", "date": "2026-03-09", "entitled": 30,
               "present": 10, "votes_for": 10, "votes_against": 0, "abstain": 0,
               "passed": False, "reason": QUORUM_NOT_MET}
    [shown] = matter_view({"meetings": [meeting]})["meetings"]
    assert shown["step_label"] == "两委联席会议商议"
    assert shown["outcome"] == "未通过：" + QUORUM_NOT_MET
