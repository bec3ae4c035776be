"""Questions on the village's public pages: shown only once screened visible, hidden ones never,
overdue ones flagged; bad input kept beside its field; limits per address counted across
workers; a signed-in visitor needs the form's CSRF token; an asker's phone number is never
shown anywhere public."""


import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api import create_app
from api.disclosure.public import QUESTION_WINDOW, QUESTIONS_PER_WINDOW
from tests.api.conftest import FAST_HASHER, make_user
from tests.api.public_village import (
    ORG,
    PHONE,
    Village,
    ask_data,
    make_village,
    page_of,
)


@pytest.fixture
def village(app: Flask, client: FlaskClient, org: str, project: Any) -> Village:
    """v1 with January 2025 posted (5,000 contracting income, 1,200 cadre allowances, 300.50
    office costs in cash), its income and expenditure published, and a draft for February."""
    return make_village(app, client, project)


# --- questions -------------------------------------------------------------------------------

def test_a_question_is_shown_only_once_screened_visible(village):
    browser = village.app.test_client()
    response = browser.post(f"{village.page}/questions", data=ask_data(
        village, name="张三丰", phone=PHONE))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{village.page}?asked=1#ask")
    assert "Set-Cookie" not in response.headers  # anonymous visitors get no cookie
    notice = page_of(browser.get(f"{village.page}?asked=1"))
    assert "监督委员会审核后" in notice
    [asked] = village.questions()
    assert asked["status"] == "pending" and asked["line_no"] == 1
    assert "这笔发包款" not in page_of(browser.get(village.page))
    assert "这笔发包款" not in page_of(browser.get(f"/{ORG}/"))

    village.screen(asked["id"], visible=True)
    page = page_of(browser.get(village.page))
    assert "这笔发包款是哪一年的合同？" in page and "张**" in page and "张三丰" not in page
    assert "第 1 行" in page
    listing = page_of(browser.get(f"/{ORG}/"))
    assert "这笔发包款是哪一年的合同？" in listing and "等待答复" in listing

    village.ledger.disclosure.answer_question(ORG, asked["id"], text="2024年签订的五年合同。",
                                              actor="wang")
    village.project()
    assert "2024年签订的五年合同。" in page_of(browser.get(f"/{ORG}/"))


def test_a_hidden_question_is_not_shown(village):
    browser = village.app.test_client()
    browser.post(f"{village.page}/questions", data=ask_data(village, text="一句骂人的话，不该公开"))
    [asked] = village.questions()
    village.screen(asked["id"], visible=False, reason="含有辱骂")
    for path in (village.page, f"/{ORG}/"):
        page = page_of(browser.get(path))
        assert "骂人" not in page and "含有辱骂" not in page


def test_an_overdue_question_is_flagged(village, clock):
    browser = village.app.test_client()
    browser.post(f"{village.page}/questions", data=ask_data(village, line="0"))
    [asked] = village.questions()
    village.screen(asked["id"], visible=True)
    assert "已逾期" not in page_of(browser.get(f"/{ORG}/"))
    clock.today = clock.today.replace(year=clock.today.year + 1)
    page = page_of(browser.get(f"/{ORG}/"))
    assert "已逾期" in page and 'class="question overdue"' in page
    assert "整个公开" in page_of(browser.get(village.page))


@pytest.mark.parametrize("fields, field, message", [
    ({"website": "http://spam.example"}, "form", "无法接受"),
    ({"challenge": "99"}, "challenge", "两个数的和"),  # 99 is no sum of two digits 1–9
    ({"challenge": "three"}, "challenge", "两个数的和"),
    ({"text": "短"}, "text", "4 到 500 个字"),
    ({"line": "42"}, "line", "请选择表格中的一行"),
    ({"line": "x"}, "line", "请选择表格中的一行"),
    ({"name": "名" * 30}, "name", "最多 20 个字"),
    ({"phone": "call me"}, "phone", "电话号码"),
])
def test_bad_input_is_shown_next_to_its_field_and_kept(village, fields, field, message):
    browser = village.app.test_client()
    data = ask_data(village, **({"text": "我想知道这笔钱的去向"} | fields))
    response = browser.post(f"{village.page}/questions", data=data)
    page = page_of(response)
    assert response.status_code == 422
    assert message in page
    if field != "form":
        assert f'id="q-{field}-error"' in page and f'aria-describedby="q-{field}-error"' in page
    assert data["text"] in page  # what they typed is still there
    assert "http://spam.example" not in page
    assert village.questions() == []


def test_questions_are_limited_per_address(village):
    browser = village.app.test_client()
    for _ in range(QUESTIONS_PER_WINDOW + 2):  # a villager's miscount does not count
        assert browser.post(f"{village.page}/questions",
                            data=ask_data(village, challenge="77")).status_code == 422
    for _ in range(QUESTIONS_PER_WINDOW - 1):
        assert browser.post(f"{village.page}/questions",
                            data=ask_data(village)).status_code == 303
    # A robot filling the hidden field does count.
    assert browser.post(f"{village.page}/questions",
                        data=ask_data(village, website="x")).status_code == 422
    limited = browser.post(f"{village.page}/questions", data=ask_data(village))
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert "提问太多" in page_of(limited)
    other = village.app.test_client().post(
        f"{village.page}/questions", data=ask_data(village),
        environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 303
    assert len(village.questions()) == QUESTIONS_PER_WINDOW


def test_questions_are_counted_once_across_workers_and_the_refusal_says_when(village, storage,
                                                                           clock):
    other_worker = create_app(storage, clock=clock, passwords=FAST_HASHER)  # same database
    try:
        first, second = village.app.test_client(), other_worker.test_client()
        for _ in range(3):
            assert first.post(f"{village.page}/questions",
                              data=ask_data(village)).status_code == 303
        assert second.post(f"{village.page}/questions",
                           data=ask_data(village)).status_code == 303
        assert second.post(f"{village.page}/questions",  # a robot's form counts too
                           data=ask_data(village, website="x")).status_code == 422
        limited = first.post(f"{village.page}/questions", data=ask_data(village))
        assert limited.status_code == 429
        seconds = int(limited.headers["Retry-After"])
        assert 0 < seconds <= QUESTION_WINDOW
        assert f"请在 {-(-seconds // 60)} 分钟后再试" in page_of(limited)
        assert second.post(f"{village.page}/questions",
                           data=ask_data(village)).status_code == 429
        assert len(village.questions()) == QUESTIONS_PER_WINDOW - 1
    finally:
        other_worker.extensions["sunlight"].close()


def test_a_signed_in_visitor_needs_the_forms_csrf_token(village):
    make_user(village.app, "cadre", (ORG, "committee"))
    browser = village.app.test_client()
    page = browser.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert browser.post("/login", data={"login": "cadre", "password": "a long password",
                                        "csrf_token": token}).status_code == 303
    form = page_of(browser.get(village.page))
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    assert browser.post(f"{village.page}/questions",
                        data=ask_data(village)).status_code == 403
    assert browser.post(f"{village.page}/questions",
                        data=ask_data(village, csrf_token=token)).status_code == 303
    [asked] = village.questions()
    assert asked["status"] == "pending"
    assert 'name="csrf_token"' not in page_of(village.app.test_client().get(village.page))


def test_the_phone_number_never_appears_publicly(village):
    browser = village.app.test_client()
    assert browser.post(f"{village.page}/questions", data=ask_data(
        village, name="李四", phone=PHONE)).status_code == 303
    [asked] = village.questions()
    assert asked["has_phone"] == 1
    village.screen(asked["id"], visible=True)
    village.ledger.disclosure.answer_question(ORG, asked["id"], text="已电话回复。", actor="wang")
    village.project()
    for path in (f"/{ORG}/", village.page, f"{village.page}.json", f"{village.page}.csv",
                 f"/{ORG}/?lang=en", f"{village.page}?lang=en"):
        body = browser.get(path).get_data()
        assert PHONE.encode() not in body, path
        assert b"\xe6\x9d\x8e\xe5\x9b\x9b" not in body, path  # "李四" unmasked
    # A rejected form shows back only to the one who typed it, never after screening.
    rejected = browser.post(f"{village.page}/questions",
                            data=ask_data(village, phone=PHONE, challenge="0"))
    assert rejected.status_code == 422
