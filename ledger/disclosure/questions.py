"""A villager's question (质询) about a line of a published disclosure: shown publicly once the
supervision committee has screened it, answered publicly by the organization before its due date.

Screening never deletes: a hidden question is kept with the reason it was hidden.
"""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from ledger.disclosure.errors import InvalidQuestion, QuestionStateError
from ledger.kernel.aggregate import LedgerAggregate
from ledger.kernel.topics import stored_as

MIN_TEXT, MAX_TEXT = 4, 500
MAX_NAME = 20
MAX_ANSWER = 2000
PENDING, VISIBLE, HIDDEN = "pending", "visible", "hidden"


def mask_name(name: str) -> str:
    """张三丰 -> 张**: enough for neighbours to know a real person asked, no more."""
    name = name.strip()
    return name[:1] + "*" * min(len(name) - 1, 2) if name else ""


@stored_as("ledger.questions")
class Question(LedgerAggregate):
    class Asked(LedgerAggregate.Created):
        org: str
        disclosure: str
        line: int  # the disclosure's 序号, or 0 for the disclosure as a whole
        text: str
        name: str
        phone_sealed: str  # AES-GCM sealed (ledger/personal.py); never shown publicly
        asked_on: date
        due: date

    class Screened(LedgerAggregate.Event):
        visible: bool
        reason: str

        def apply(self, q: Question) -> None:
            q.status = VISIBLE if self.visible else HIDDEN
            q.screen_reason = self.reason

    class Answered(LedgerAggregate.Event):
        text: str

        def apply(self, q: Question) -> None:
            q.answer = self.text

    def __init__(self, org: str, disclosure: str, line: int, text: str, name: str,
                 phone_sealed: str, asked_on: date, due: date, actor: str) -> None:
        self.org = org
        self.disclosure = disclosure
        self.line = line
        self.text = text
        self.name = name
        self.phone_sealed = phone_sealed
        self.asked_on = asked_on
        self.due = due
        self.status = PENDING
        self.screen_reason = ""
        self.answer = ""

    @classmethod
    def ask(cls, *, org: str, disclosure: str, line: int, lines: int, text: str, name: str,
            phone_sealed: str, today: date, due: date, actor: str) -> Question:
        text = (text or "").strip()
        if not MIN_TEXT <= len(text) <= MAX_TEXT:
            raise InvalidQuestion(f"{MIN_TEXT}–{MAX_TEXT} characters", field="text")
        if not 0 <= line <= lines:
            raise InvalidQuestion(f"a line number from 1 to {lines}, or 0 for the whole "
                                  "disclosure", field="line")
        name = (name or "").strip()
        if len(name) > MAX_NAME:
            raise InvalidQuestion(f"at most {MAX_NAME} characters", field="name")
        return cls._create(cls.Asked, id=uuid4(), org=org, disclosure=disclosure, line=line,
                           text=text, name=name, phone_sealed=phone_sealed, asked_on=today,
                           due=due, actor=actor)

    def screen(self, *, visible: bool, reason: str, actor: str) -> None:
        """Show it, or hide it with a reason; a later screening may reverse an earlier one."""
        reason = (reason or "").strip()
        if not visible and not reason:
            raise InvalidQuestion("say why the question is hidden", field="reason")
        if len(reason) > MAX_TEXT:
            raise InvalidQuestion(f"at most {MAX_TEXT} characters", field="reason")
        if self.answer and not visible:
            raise QuestionStateError("an answered question stays visible with its answer",
                                     status=self.status)
        if (self.status == VISIBLE) == visible and self.status != PENDING:
            raise QuestionStateError(f"the question is already {self.status}",
                                     status=self.status)
        self.trigger_event(self.Screened, visible=visible, reason=reason, actor=actor)

    def give_answer(self, *, text: str, actor: str) -> None:
        if self.status != VISIBLE:
            raise QuestionStateError("only a question shown after screening is answered "
                                     "publicly", status=self.status)
        if self.answer:
            raise QuestionStateError("the question has been answered", status=self.status)
        text = (text or "").strip()
        if not 1 <= len(text) <= MAX_ANSWER:
            raise InvalidQuestion(f"1–{MAX_ANSWER} characters", field="text")
        self.trigger_event(self.Answered, text=text, actor=actor)

    def is_overdue(self, today: date) -> bool:
        return self.status != HIDDEN and not self.answer and today > self.due
