"""Villagers' questions: asked on a line, shown after screening, hidden only with a reason and
never deleted, answered once, overdue after their due date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ledger.disclosure import InvalidQuestion, Question, QuestionStateError, mask_name

TODAY = date(2026, 11, 22)


def asked(**overrides: object) -> Question:
    args = {"org": "v1", "disclosure": "d1", "line": 2, "lines": 5, "text": "这笔钱给了谁？",
            "name": "王大爷", "phone_sealed": "", "today": TODAY,
            "due": TODAY + timedelta(days=5), "actor": "villager"} | overrides
    question = Question.ask(**args)  # type: ignore[arg-type]
    question.collect_events()
    return question


@pytest.mark.parametrize(("field", "overrides"), [
    ("text", {"text": "啊"}),
    ("text", {"text": "字" * 501}),
    ("line", {"line": 6}),
    ("line", {"line": -1}),
    ("name", {"name": "名" * 21}),
])
def test_a_question_is_refused_with_the_field_at_fault(field: str, overrides: dict) -> None:
    with pytest.raises(InvalidQuestion) as error:
        asked(**overrides)
    assert error.value.field == field


def test_a_question_waits_for_screening_then_shows() -> None:
    question = asked()
    assert question.status == "pending"
    question.screen(visible=True, reason="", actor="zhang")
    assert question.status == "visible"


def test_hiding_needs_a_reason_and_keeps_the_question() -> None:
    question = asked()
    with pytest.raises(InvalidQuestion):
        question.screen(visible=False, reason="", actor="zhang")
    question.screen(visible=False, reason="辱骂他人", actor="zhang")
    assert question.status == "hidden" and question.text == "这笔钱给了谁？"
    question.screen(visible=True, reason="复核后公开", actor="liu")
    assert question.status == "visible"


def test_only_a_shown_question_is_answered_and_only_once() -> None:
    question = asked()
    with pytest.raises(QuestionStateError):
        question.give_answer(text="答复", actor="kuaiji")
    question.screen(visible=True, reason="", actor="zhang")
    question.give_answer(text="付给了施工队，见第2行凭证。", actor="kuaiji")
    with pytest.raises(QuestionStateError):
        question.give_answer(text="再答", actor="kuaiji")
    with pytest.raises(QuestionStateError):
        question.screen(visible=False, reason="事后隐藏", actor="zhang")


def test_an_unanswered_question_is_overdue_after_its_due_date() -> None:
    question = asked()
    assert not question.is_overdue(TODAY + timedelta(days=5))
    assert question.is_overdue(TODAY + timedelta(days=6))
    question.screen(visible=True, reason="", actor="zhang")
    question.give_answer(text="已答复", actor="kuaiji")
    assert not question.is_overdue(TODAY + timedelta(days=30))


def test_names_are_masked_for_the_public() -> None:
    assert [mask_name(n) for n in ("王大爷", "李四", "欧阳春花", "", " 张 ")] == [
        "王**", "李*", "欧**", "", "张"]
