"""The desk's disclosure pages after publication and around it, as a browser drives them: a
published disclosure corrected by a new one with its reason, questions screened and answered,
signing in and back, a reader who sees but cannot act, English on request, and a draft the JSON
schema refuses. On SQLite and on PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask

from tests.api.conftest import make_user
from tests.api.desk_browser import (
    ORG,
    Browser,
    browser,
    draft_october,
    field,
    form_of,
    publish_october,
    ref_of,
    set_up_village,
    stage,
    waiting,
)


@pytest.fixture
def village(app, client, org, project) -> Flask:
    """v1 with October's vouchers; wang keeps its books; zhao, qian and sun sit on its
    supervision committee (so two of the three must sign); chen is on its village committee."""
    return set_up_village(app, client, project)


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
    answered = re.search(rf'<article class="question[^"]*" id="q-{shown}">.*?</article>', page,
                         re.S).group(0)
    assert "前答复" not in answered  # answered: its due day is no longer a task
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
