"""The desk pages driven as a browser drives them: sign in through the form, post each form with
the CSRF token the page carries, follow the 303s. The whole disclosure workflow and the questions,
on SQLite and on PostgreSQL."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api.disclosure.desk_forms import default_title, last_ended
from tests.api.conftest import make_user

ORG = "v1"
# What a browser asks for; without it the pages' errors stay JSON, as for programs.
HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
OCTOBER = [
    {"date": "2026-10-05", "summary": "收取一组发包款",
     "lines": [{"account": "102", "debit": "5000.00"}, {"account": "50101", "credit": "5000.00"}]},
    {"date": "2026-10-09", "summary": "支付干部报酬",
     "lines": [{"account": "51301", "debit": "1200.00"}, {"account": "102", "credit": "1200.00"}]},
]



class Browser:
    """One person's browser: a session cookie, and the CSRF token of the last page it read."""

    def __init__(self, app: Flask, project: Callable[[], int]) -> None:
        self.client: FlaskClient = app.test_client()
        self.client.environ_base["HTTP_ACCEPT"] = HTML
        self.project = project
        self.csrf = ""
        self.last: Any = None

    def get(self, path: str, status: int = 200) -> str:
        self.project()  # the projection process would have caught up by now
        response = self.client.get(path)
        assert response.status_code == status, (path, response.status_code)
        return self._read(response)

    def post(self, path: str, data: dict[str, str] | None = None, *, status: int = 303,
             csrf: bool = True) -> str:
        """Posts a form; on a 303 returns where it leads, otherwise the page it answered with."""
        form = {**(data or {}), **({"csrf_token": self.csrf} if csrf else {})}
        response = self.client.post(path, data=form)
        assert response.status_code == status, (path, response.status_code,
                                                response.get_data(as_text=True)[:3000])
        if status == 303:
            return response.headers["Location"]
        return self._read(response)

    def follow(self, path: str, data: dict[str, str] | None = None) -> str:
        return self.get(self.post(path, data))

    def sign_in(self, login: str, next_path: str = "/desk/") -> str:
        self.get(f"/login?next={next_path}")
        return self.post("/login", {"login": login, "password": "a long password",
                                    "next": next_path})

    def _read(self, response: Any) -> str:
        page = response.get_data(as_text=True)
        if found := re.search(r'name="csrf_token" value="([^"]+)"', page):
            self.csrf = found.group(1)
        self.last = page
        return page


def field(page: str, name: str) -> str:
    """The value a form field shows (input value or textarea text), unescaped."""
    found = (re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', page)
             or re.search(rf'<textarea[^>]*name="{re.escape(name)}"[^>]*>([^<]*)</textarea>',
                          page))
    assert found, f"no field {name}"
    return html.unescape(found.group(1))


def form_of(page: str) -> dict[str, str]:
    """The draft form's fields as the page filled them in (the selected kind included)."""
    names = re.findall(r'<(?:input|textarea)[^>]*name="([^"]+)"', page)
    values = {name: field(page, name) for name in names if name != "csrf_token"}
    values["kind"] = re.search(r'<option value="(\w+)" selected>', page).group(1)
    return values


def ref_of(location: str) -> str:
    return re.search(r"/disclosures/([0-9a-f-]{36})", location).group(1)


def waiting(page: str, what: str) -> str:
    """The desk's list of what waits for the user: "review", "screen" or "answer"."""
    found = re.search(rf'<ul class="items" id="{what}-{ORG}">(.*?)</ul>', page, re.S)
    return found.group(1) if found else ""


def stage(page: str) -> str:
    return re.search(r'class="stage stage-(\w+)"', page).group(1)


@pytest.fixture
def village(app, client, org, project) -> Flask:
    """v1 with October's vouchers; wang keeps its books; zhao, qian and sun sit on its
    supervision committee (so two of the three must sign); chen is on its village committee."""
    for voucher in OCTOBER:
        assert client.post(f"/api/v1/orgs/{ORG}/vouchers", json=voucher).status_code == 201
    for login in ("zhao", "qian", "sun"):
        make_user(app, login, (ORG, "supervisor"))
    make_user(app, "chen", (ORG, "committee"))
    project()
    return app


def browser(app: Flask, project: Callable[[], int], login: str) -> Browser:
    person = Browser(app, project)
    assert person.sign_in(login) == "/desk/"
    return person


def draft_october(wang: Browser) -> str:
    form = form_of(wang.get(f"/desk/{ORG}/disclosures/new"))
    return wang.post(f"/desk/{ORG}/disclosures/new", {**form, "notes": "请村民监督"})


def test_the_disclosure_workflow_from_draft_to_publication(village, project):
    wang = browser(village, project, "wang")
    desk = wang.get("/desk/")
    assert f'href="/desk/{ORG}/disclosures/new"' in desk and "一村股份经济合作社" in desk

    new = wang.get(f"/desk/{ORG}/disclosures/new")
    assert field(new, "period") == "2026-10"  # the last month ended before 2026-11-22
    assert field(new, "title") == "2026年10月财务收支明细"
    # October's lines are offered for their fund source, unit and person responsible.
    assert 'name="note-2026-10-0002/1-unit"' in new
    form = {**form_of(new), "notes": "请村民监督", "note-2026-10-0002/1-unit": "村委会",
            "note-2026-10-0002/1-responsible": "王会计"}
    location = wang.post(f"/desk/{ORG}/disclosures/new", form)
    assert "done=drafted" in location
    ref = ref_of(location)

    page = wang.get(location)
    assert stage(page) == "drafted" and "<h1>2026年10月财务收支明细</h1>" in page
    for shown in ("5,000.00", "伍仟元整", "1,200.00", "壹仟贰佰元整", "村委会", "王会计",
                  "请村民监督", "2026-10-0001"):
        assert shown in page, shown
    assert f'action="/desk/{ORG}/disclosures/{ref}/submit"' in page
    assert f"/desk/{ORG}/disclosures/new?supersedes={ref}" in page  # redraft

    page = wang.follow(f"/desk/{ORG}/disclosures/{ref}/submit")
    assert stage(page) == "in_review" and "qian、sun、zhao" in page
    assert "3 人中 2 人" in page  # the quorum: a majority of three

    zhao = browser(village, project, "zhao")
    assert f"/desk/{ORG}/disclosures/{ref}" in waiting(zhao.get("/desk/"), "review")
    page = zhao.get(f"/desk/{ORG}/disclosures/{ref}")
    assert f'action="/desk/{ORG}/disclosures/{ref}/sign"' in page
    page = zhao.follow(f"/desk/{ORG}/disclosures/{ref}/sign", {
        "opinion": "经核对，账实相符", "line-0": "2", "line_note-0": "请附工资表"})
    assert stage(page) == "in_review" and "经核对，账实相符" in page and "请附工资表" in page
    assert f'action="/desk/{ORG}/disclosures/{ref}/sign"' not in page  # zhao has signed
    assert waiting(zhao.get("/desk/"), "review") == ""

    # One signature of the two needed: publishing is refused, with the rule on the page.
    page = wang.post(f"/desk/{ORG}/disclosures/{ref}/publish", status=409)
    assert "这份公开处于“审核中”阶段，现在不能公布。" in page  # the rule, in Chinese

    qian = browser(village, project, "qian")
    qian.get(f"/desk/{ORG}/disclosures/{ref}")
    assert stage(qian.follow(f"/desk/{ORG}/disclosures/{ref}/sign")) == "reviewed"

    page = wang.get(f"/desk/{ORG}/disclosures/{ref}")
    assert field(page, "posting_from") == "2026-11-22"
    assert field(page, "posting_to") == "2026-11-26"  # five days, the default posting_days
    page = wang.post(f"/desk/{ORG}/disclosures/{ref}/publish",
                     {"posting_from": "2026-11-22", "posting_to": "2026-11-23"}, status=422)
    assert "公开至少要张贴 5 天。" in page
    assert field(page, "posting_to") == "2026-11-23"  # what was typed stays
    page = wang.follow(f"/desk/{ORG}/disclosures/{ref}/publish",
                       {"posting_from": "2026-11-22", "posting_to": "2026-11-26"})
    assert stage(page) == "published" and "2026-11-22 – 2026-11-26" in page
    assert "2026-12-01" in page  # objections until five days after the posting
    assert f"/desk/{ORG}/disclosures/new?corrects={ref}" in page

    # sun never gave a verdict, but the disclosure is published: nothing left to sign.
    sun = browser(village, project, "sun")
    page = sun.get(f"/desk/{ORG}/disclosures/{ref}")
    assert f'action="/desk/{ORG}/disclosures/{ref}/sign"' not in page
    page = sun.post(f"/desk/{ORG}/disclosures/{ref}/sign", status=409)
    assert "现在不能签字。" in page


def test_a_refusal_returns_the_draft_and_a_redraft_supersedes_it(village, project):
    ledger = village.extensions["sunlight"].ledger
    wang = browser(village, project, "wang")
    first = ref_of(draft_october(wang))
    wang.get(f"/desk/{ORG}/disclosures/{first}")
    wang.post(f"/desk/{ORG}/disclosures/{first}/submit")

    zhao = browser(village, project, "zhao")
    zhao.get(f"/desk/{ORG}/disclosures/{first}")
    page = zhao.post(f"/desk/{ORG}/disclosures/{first}/refuse", {"reason": " "}, status=422)
    # The JSON route's schema reads the form (api/forms.py): a blank reason is a missing one.
    assert re.search(r'<span class="error" id="refuse-reason-error">此项必填。<', page)
    page = zhao.follow(f"/desk/{ORG}/disclosures/{first}/refuse",
                       {"reason": "干部报酬缺少发放名单"})
    assert stage(page) == "returned" and "干部报酬缺少发放名单" in page

    page = wang.get(f"/desk/{ORG}/disclosures/{first}")
    assert f'/disclosures/{first}/submit"' not in page  # a returned draft is redrafted
    redraft = wang.get(f"/desk/{ORG}/disclosures/new?supersedes={first}")
    assert field(redraft, "supersedes") == first and field(redraft, "notes") == "请村民监督"
    assert field(redraft, "title") == "2026年10月财务收支明细"
    location = wang.post(f"/desk/{ORG}/disclosures/new",
                         {**form_of(redraft), "notes": "附发放名单"})
    second = ref_of(location)
    page = wang.get(location)
    assert stage(page) == "drafted" and f"/desk/{ORG}/disclosures/{first}" in page
    old = wang.get(f"/desk/{ORG}/disclosures/{first}")
    assert stage(old) == "superseded" and f"/desk/{ORG}/disclosures/{second}" in old
    assert "/new?supersedes=" not in old  # a superseded draft is not redrafted again

    wang.post(f"/desk/{ORG}/disclosures/{second}/submit")
    # lisi joins the committee after the submission: not on this review's panel.
    make_user(village, "lisi", (ORG, "supervisor"))
    lisi = browser(village, project, "lisi")
    page = lisi.get(f"/desk/{ORG}/disclosures/{second}")
    assert f'/disclosures/{second}/sign"' not in page
    page = lisi.post(f"/desk/{ORG}/disclosures/{second}/sign", status=409)
    assert "lisi 不在这份公开的审核小组中。" in page
    # The accountant holds no supervisor role: refused by the access rule before anything runs.
    page = wang.post(f"/desk/{ORG}/disclosures/{second}/sign", status=403)
    assert "<h1>" in page
    # A form without the session's CSRF token is refused, and nothing is signed.
    zhao.get(f"/desk/{ORG}/disclosures/{second}")
    zhao.post(f"/desk/{ORG}/disclosures/{second}/sign", csrf=False, status=403)
    zhao.post(f"/desk/{ORG}/disclosures/{second}/sign", {"csrf_token": "forged"}, csrf=False,
              status=403)
    assert ledger.disclosure.disclosure(ORG, second).signatures == {}
    zhao.post(f"/desk/{ORG}/disclosures/{second}/sign")
    assert list(ledger.disclosure.disclosure(ORG, second).signatures) == ["zhao"]


def test_invalid_input_is_shown_beside_its_field_and_kept(village, project):
    wang = browser(village, project, "wang")
    form = form_of(wang.get(f"/desk/{ORG}/disclosures/new"))
    page = wang.post(f"/desk/{ORG}/disclosures/new", {**form, "period": "2026-13",
                                                       "notes": "我写的说明"}, status=422)
    assert re.search(r'id="draft-period-error">应为月份（2026-10）、季度（2026-Q3）或年度（2026）。'
                     r"</span>", page)
    assert 'name="period" value="2026-13"' in page and 'aria-invalid="true"' in page
    assert field(page, "notes") == "我写的说明"
    page = wang.post(f"/desk/{ORG}/disclosures/new", {**form, "period": "2026-11"}, status=422)
    assert "2026-11 还没有结束。" in page
    project()
    assert village.extensions["sunlight"].disclosures.of_org(ORG) == []  # nothing was drafted

    special = form_of(wang.get(f"/desk/{ORG}/disclosures/new?kind=special"))
    assert special["period"] == "" and special["title"] == ""
    items = {"body": "村道硬化工程决算如下。", "item-0-item": "水泥", "item-0-amount": "30000",
             "item-0-fund_source": "一事一议财政奖补", "item-0-unit": "村委会",
             "item-0-responsible": "张**", "item-1-item": "人工", "item-1-amount": "12,5"}
    page = wang.post(f"/desk/{ORG}/disclosures/new",
                     {**special, **items, "title": "村道硬化工程专项公开"}, status=422)
    assert re.search(r'id="draft-items-error">[^<]+ \(第 2 行\)', page)
    assert field(page, "item-1-amount") == "12,5" and field(page, "body") == items["body"]
    items["item-1-amount"] = "12500.50"
    page = wang.post(f"/desk/{ORG}/disclosures/new", {**special, **items, "title": ""},
                     status=422)
    assert 'id="draft-title-error"' in page  # a special disclosure has no standard title
    location = wang.post(f"/desk/{ORG}/disclosures/new",
                         {**special, **items, "title": "村道硬化工程专项公开"})
    page = wang.get(location)
    for shown in ("村道硬化工程决算如下。", "30,000.00", "叁万元整", "一事一议财政奖补",
                  "12,500.50", "42,500.50"):
        assert shown in page, shown


def test_a_double_tapped_draft_button_drafts_once(village, project):
    wang = browser(village, project, "wang")
    form = {**form_of(wang.get(f"/desk/{ORG}/disclosures/new")), "csrf_token": wang.csrf}
    first = wang.client.post(f"/desk/{ORG}/disclosures/new", data=form)
    again = wang.client.post(f"/desk/{ORG}/disclosures/new", data=form)
    assert first.status_code == again.status_code == 303
    assert ref_of(first.headers["Location"]) == ref_of(again.headers["Location"])
    project()
    assert len(village.extensions["sunlight"].disclosures.of_org(ORG)) == 1
    # The same form sent back changed (the back button, then an edit) is refused, not replayed.
    changed = wang.post(f"/desk/{ORG}/disclosures/new", {**form, "notes": "改过"}, csrf=False,
                        status=422)
    assert field(changed, "notes") == "改过"


def test_the_default_period_follows_the_cadence(village, project):
    ledger = village.extensions["sunlight"].ledger
    ledger.books.change_settings(ORG, {"disclosure_cadence": "quarter"}, reason="按季公开",
                                 actor="wang")
    wang = browser(village, project, "wang")
    page = wang.get(f"/desk/{ORG}/disclosures/new?kind=balance_sheet")
    assert field(page, "period") == "2026-Q3" and field(page, "title") == "2026年第3季度资产负债表"
    # A title left as proposed follows the kind and period chosen when posting.
    location = wang.post(f"/desk/{ORG}/disclosures/new", {
        **form_of(page), "kind": "income_statement", "period": "2025"})
    assert "<h1>2025年度收益及收益分配表</h1>" in wang.get(location)
    # A title the accountant wrote is kept by a redraft; only a standard one follows the period.
    page = wang.get(f"/desk/{ORG}/disclosures/new?kind=balance_sheet")  # a fresh form
    location = wang.post(f"/desk/{ORG}/disclosures/new", {
        **form_of(page), "title": "2026年三季度资产负债表（含村道工程）"})
    redraft = form_of(wang.get(f"/desk/{ORG}/disclosures/new?supersedes={ref_of(location)}"))
    assert redraft["title"] == "2026年三季度资产负债表（含村道工程）"
    assert redraft["title_default"] == ""


@pytest.mark.parametrize(("cadence", "today", "period"), [
    ("month", date(2026, 1, 3), "2025-12"), ("month", date(2026, 11, 30), "2026-10"),
    ("quarter", date(2026, 2, 1), "2025-Q4"), ("quarter", date(2026, 10, 1), "2026-Q3"),
    ("year", date(2026, 12, 31), "2025"),
])
def test_last_ended_period(cadence, today, period):
    assert last_ended(cadence, today) == period


def test_default_titles():
    assert default_title("income_expenditure", "2026-10") == "2026年10月财务收支明细"
    assert default_title("balance_sheet", "2026-Q3") == "2026年第3季度资产负债表"
    assert default_title("income_statement", "2026") == "2026年度收益及收益分配表"
    assert default_title("special", "2026-10") == default_title("balance_sheet", "x") == ""


def publish_october(app: Flask, project: Callable[[], int]) -> str:
    """A published 收支明细 of October, made through the ledger: the pages are tested above."""
    wang = browser(app, project, "wang")
    ref = ref_of(draft_october(wang))
    ledger = app.extensions["sunlight"].ledger
    ledger.disclosure.submit_disclosure(ORG, ref, panel=["qian", "sun", "zhao"], actor="wang")
    for member in ("zhao", "qian"):
        ledger.disclosure.sign_disclosure(ORG, ref, member=member)
    ledger.disclosure.publish_disclosure(ORG, ref, actor="wang")
    return ref


def test_a_published_disclosure_is_corrected_by_a_new_one_with_the_reason(village, project):
    published = publish_october(village, project)
    wang = browser(village, project, "wang")
    page = wang.get(f"/desk/{ORG}/disclosures/{published}")
    assert stage(page) == "published" and "/new?supersedes=" not in page
    form = form_of(wang.get(f"/desk/{ORG}/disclosures/new?corrects={published}"))
    assert form["corrects"] == published and form["correction_reason"] == ""
    title = "2026年10月财务收支明细（更正）"
    page = wang.post(f"/desk/{ORG}/disclosures/new", {**form, "title": title}, status=422)
    assert 'id="draft-correction_reason-error">请说明更正了什么，以及为什么更正。' in page
    assert field(page, "title") == title
    location = wang.post(f"/desk/{ORG}/disclosures/new",
                         {**form, "title": title, "correction_reason": "漏记一笔发包款"})
    correction = ref_of(location)
    assert "漏记一笔发包款" in wang.get(location)
    page = wang.get(f"/desk/{ORG}/disclosures/{published}")
    assert stage(page) == "published" and f"/desk/{ORG}/disclosures/{correction}" in page
    assert "/new?corrects=" not in page  # corrected once; the correction is corrected next
    # A redraft would drop what the correction corrects (a draft supersedes or corrects, not
    # both), so a correction's page offers none.
    page = wang.get(location)
    assert stage(page) == "drafted" and "/new?supersedes=" not in page


def test_questions_are_screened_and_answered_through_the_pages(village, project, clock):
    ledger = village.extensions["sunlight"].ledger
    ref = publish_october(village, project)
    shown = str(ledger.disclosure.ask_question(ORG, ref, line=2, text="干部报酬发给了谁？",
                                               name="张三丰").value.id)
    hidden = str(ledger.disclosure.ask_question(ORG, ref, line=0,
                                                text="某某人是个贪官！！").value.id)

    zhao = browser(village, project, "zhao")
    to_screen = waiting(zhao.get("/desk/"), "screen")
    assert "干部报酬发给了谁？" in to_screen and "某某人是个贪官！！" in to_screen
    page = zhao.get(f"/desk/{ORG}/questions")
    assert "张**" in page and "张三丰" not in page
    assert f'action="/desk/{ORG}/questions/{shown}/answer"' not in page  # not zhao's to answer
    page = zhao.post(f"/desk/{ORG}/questions/{hidden}/screen", {"visible": "0"}, status=422)
    assert f'id="{hidden}-reason-error">请说明隐藏这个问题的原因。' in page
    location = zhao.post(f"/desk/{ORG}/questions/{hidden}/screen",
                         {"visible": "0", "reason": "人身攻击，不涉及账目"})
    assert location.startswith(f"/desk/{ORG}/questions?") and "done=screened" in location
    assert "人身攻击，不涉及账目" in zhao.get(location)
    zhao.follow(f"/desk/{ORG}/questions/{shown}/screen", {"visible": "1"})
    # Showing it twice is a conflict with the question's state, shown on the page.
    page = zhao.post(f"/desk/{ORG}/questions/{shown}/screen", {"visible": "1"}, status=409)
    assert "这个问题已经公开显示了。" in page
    zhao.post(f"/desk/{ORG}/questions/{shown}/answer", {"text": "不该由我回答"}, status=403)

    wang = browser(village, project, "wang")
    assert "干部报酬发给了谁？" in waiting(wang.get("/desk/"), "answer")
    page = wang.get(f"/desk/{ORG}/questions")
    assert f'action="/desk/{ORG}/questions/{shown}/answer"' in page
    assert f'action="/desk/{ORG}/questions/{hidden}/answer"' not in page
    assert f'action="/desk/{ORG}/questions/{shown}/screen"' not in page  # not wang's to screen
    wang.post(f"/desk/{ORG}/questions/{shown}/screen", {"visible": "0", "reason": "x"},
              status=403)
    page = wang.post(f"/desk/{ORG}/questions/{shown}/answer", {"text": "  "}, status=422)
    assert f'id="{shown}-text-error">此项必填。<' in page
    page = wang.follow(f"/desk/{ORG}/questions/{shown}/answer",
                       {"text": "发给村两委五名干部，名单见附件。"})
    assert "发给村两委五名干部，名单见附件。" in page
    assert ledger.disclosure.question(ORG, shown).answer == "发给村两委五名干部，名单见附件。"

    # A question nobody answers in time is flagged on the desk and on the questions page.
    late = str(ledger.disclosure.ask_question(ORG, ref, line=1,
                                              text="发包款存在哪个账户？").value.id)
    ledger.disclosure.screen_question(ORG, late, visible=True, reason="", actor="zhao")
    clock.today += timedelta(days=6)
    chen = browser(village, project, "chen")  # the village committee may answer too
    assert 'class="overdue"' in chen.get("/desk/")
    page = chen.get(f"/desk/{ORG}/questions")
    assert re.search(rf'<article class="question overdue" id="q-{late}">', page)
    assert f'<article class="question" id="q-{shown}">' in page  # answered: not overdue
    chen.follow(f"/desk/{ORG}/questions/{late}/answer", {"text": "存在信用社基本户。"})
    assert 'class="overdue"' not in chen.get("/desk/")


def test_without_signing_in_a_browser_is_sent_to_sign_in_and_back(village, project):
    visitor = Browser(village, project)
    response = visitor.client.get("/desk/")
    assert response.status_code == 303
    assert response.headers["Location"] == "/login?next=/desk/"
    response = visitor.client.get(f"/desk/{ORG}/questions?lang=en")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/login?next=/desk/{ORG}/questions%3Flang%3Den"
    # Programs keep the API's JSON answer.
    program = village.test_client()
    response = program.get("/desk/")
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    assert visitor.sign_in("wang", f"/desk/{ORG}/questions") == f"/desk/{ORG}/questions"


def test_a_reader_sees_but_cannot_act(village, project):
    ref = ref_of(draft_october(browser(village, project, "wang")))
    make_user(village, "auditor", (ORG, "auditor"))
    auditor = browser(village, project, "auditor")
    page = auditor.get(f"/desk/{ORG}/disclosures/{ref}")
    assert stage(page) == "drafted" and "<form" not in page.split("</nav>", 1)[1]
    auditor.get(f"/desk/{ORG}/disclosures/new", status=403)
    chen = browser(village, project, "chen")
    page = chen.get(f"/desk/{ORG}/disclosures/nonsense", status=404)
    assert "没有这个公开。" in page


def test_the_desk_speaks_english_on_request(village, project):
    wang = browser(village, project, "wang")
    assert "<h1>我的工作台</h1>" in wang.get("/desk/")
    page = wang.get("/desk/?lang=en")
    assert "<h1>My desk</h1>" in page and "New disclosure" in page


def test_a_draft_the_json_schema_refuses_names_the_row_and_drafts_nothing(village, project):
    """Given a special disclosure's rows, when one has an amount but no item (DraftIn's Item
    needs one), then 422 beside the items, naming the row, and nothing drafted."""
    wang = browser(village, project, "wang")
    special = form_of(wang.get(f"/desk/{ORG}/disclosures/new?kind=special"))
    rows = {"body": "村道硬化工程决算如下。", "item-0-item": "水泥", "item-0-amount": "30000",
            "item-1-amount": "12500.50"}
    page = wang.post(f"/desk/{ORG}/disclosures/new",
                     {**special, **rows, "title": "村道硬化工程专项公开"}, status=422)
    assert re.search(r'id="draft-items-error">应为 1 至 200 个字。 \(第 2 行\)', page)
    assert field(page, "item-1-amount") == "12500.50"
    project()
    assert village.extensions["sunlight"].disclosures.of_org(ORG) == []
