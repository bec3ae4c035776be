"""A villager's question refused before any route reads it gets the disclosure page back in the
reader's language, not the API's English JSON: a form over the size limit (2 MB) with 413 and the
reason above the form; a form holding bytes that are not UTF-8 with 422 and the reason beside the
field that holds them (never another field's message). Nothing is stored. /api/ paths keep JSON.
(Found in the acceptance walk.)"""

from __future__ import annotations

from urllib.parse import urlencode

from tests.api import test_public_pages
from tests.api.public_village import ask_data, page_of

village = test_public_pages.village  # a fixture: v1 with a published disclosure
FORM = "application/x-www-form-urlencoded"


def encoded(village, **raw: bytes) -> bytes:
    """The ask form URL-encoded, each field of `raw` replaced by those bytes as typed."""
    body = urlencode(ask_data(village, **{name: f"RAW-{name}" for name in raw})).encode()
    for name, value in raw.items():
        body = body.replace(f"RAW-{name}".encode(), value)
    return body


def test_a_question_over_the_size_limit_gets_the_page_back_in_chinese(village):
    before = village.ledger.log_head()
    client = village.app.test_client()
    # When a villager sends a question of 3 MB
    body = urlencode(ask_data(village, text="这" * (1024 * 1024))).encode()
    response = client.post(f"{village.page}/questions", data=body, content_type=FORM)
    # Then the disclosure page comes back, 413, the reason above the form in Chinese
    assert response.status_code == 413
    page = page_of(response)
    assert "问题太长，无法提交（一份表单最多 2 MB）" in page and 'role="alert"' in page
    assert "一村股份经济合作社" in page and "public.css" in page  # the public page's own
    assert "too_large" not in page and village.ledger.log_head() == before


def test_an_api_body_over_the_size_limit_keeps_its_json(village, client):
    response = client.post("/api/v1/orgs", data=b"{" + b" " * (3 * 1024 * 1024) + b"}",
                           content_type="application/json")
    assert response.status_code == 413 and response.is_json
    assert response.get_json()["error"]["code"] == "too_large"


def test_a_question_with_bytes_that_are_not_utf8_is_refused_beside_the_question(village):
    before = village.ledger.log_head()
    client = village.app.test_client()
    # When the question holds bytes that are no UTF-8 (a lead byte cut off, a stray 0xFF)
    body = encoded(village, text=b"%E8%BF%99%E7%AC%94%FF%FE%E8")
    response = client.post(f"{village.page}/questions", data=body, content_type=FORM)
    # Then 422, the page in Chinese, the reason beside the question and no other field's
    assert response.status_code == 422
    page = page_of(response)
    assert 'id="q-text-error"' in page and "含有不是 UTF-8 编码的字节" in page
    for other in ("challenge", "name", "phone", "line"):
        assert f'id="q-{other}-error"' not in page, other
    assert "\ufffd" not in page and village.ledger.log_head() == before


def test_bytes_that_are_not_utf8_in_the_name_are_said_beside_the_name(village):
    client = village.app.test_client()
    body = encoded(village, name=b"%E7%8E%8B%C0", text=b"%E5%90%88%E5%90%8C")
    response = client.post(f"{village.page}/questions", data=body, content_type=FORM)
    assert response.status_code == 422
    page = page_of(response)
    assert 'id="q-name-error"' in page and 'id="q-text-error"' not in page
    assert "合同" in page  # what was clean stays typed


def test_a_clean_question_is_still_taken(village):
    before = village.ledger.log_head()
    response = village.app.test_client().post(
        f"{village.page}/questions", data=encoded(village, text=b"%E5%90%88%E5%90%8C%E5%9C%A8"
                                                               b"%E5%93%AA%E9%87%8C%EF%BC%9F"),
        content_type=FORM)
    assert response.status_code == 303 and village.ledger.log_head() > before


def test_a_blank_question_with_a_wrong_sum_is_told_both_at_once(village):
    # When a villager sends the form untouched: no question, no sum (found in the walk)
    response = village.app.test_client().post(
        f"{village.page}/questions", data=ask_data(village, text="", challenge=""))
    # Then both are said at once, each beside its field, not the question after the sum
    assert response.status_code == 422
    page = page_of(response)
    assert 'id="q-challenge-error"' in page and 'id="q-text-error"' in page
    assert "4 到 500 个字" in page
