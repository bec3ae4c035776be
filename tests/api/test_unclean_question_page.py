"""A villager whose question holds a character the books refuse (a NUL, another control
character, a line break in the one-line name) gets the disclosure page back in Chinese, with the
reason beside the field and the refused text not drawn back into the page, not the API's JSON;
nothing is stored. Any other request refused the same way keeps the JSON shape."""

from __future__ import annotations

from tests.api import test_public_pages
from tests.api.public_village import ask_data, page_of

village = test_public_pages.village  # a fixture: v1 with a published disclosure


def test_a_question_with_a_nul_gets_the_page_back_with_the_reason_beside_it(village):
    # Given a published disclosure and the log's head
    before = village.ledger.log_head()
    client = village.app.test_client()
    # When a villager sends a question holding a NUL
    response = client.post(f"{village.page}/questions",
                           data=ask_data(village, text="这笔钱\u0000去哪了"))
    # Then the page comes back in Chinese, the reason beside the question, nothing stored
    assert response.status_code == 422
    page = page_of(response)
    assert 'id="q-text-error"' in page and "控制字符" in page
    assert "\u0000" not in page and "这笔钱" not in page
    assert village.ledger.log_head() == before


def test_a_line_break_in_the_name_is_said_beside_the_name(village):
    client = village.app.test_client()
    response = client.post(f"{village.page}/questions",
                           data=ask_data(village, name="王\n五", text="合同在哪里可以看？"))
    assert response.status_code == 422
    page = page_of(response)
    assert 'id="q-name-error"' in page
    assert "合同在哪里可以看？" in page  # what was clean stays typed


def test_the_json_api_keeps_its_json_refusal(village):
    client = village.app.test_client()
    response = client.get("/api/v1/healthz?x=%00")
    assert response.status_code == 422 and response.is_json
