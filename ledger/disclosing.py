"""The application's commands for disclosures (公开) and villagers' questions (质询).

Reviewers are checked against the role grants at the moment of submission and of signing, so a
supervisor whose role was revoked can no longer sign; a question's phone number is sealed before
it becomes an event, because events are never deleted.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from ledger.aggregate import LedgerAggregate
from ledger.disclosures import MATTER_KINDS, Disclosure
from ledger.errors import (
    DisclosureNotFound,
    DisclosureStateError,
    InvalidDisclosure,
    InvalidQuestion,
    NotOnPanel,
    QuestionNotFound,
)
from ledger.idempotency import RequestKey
from ledger.matters import Matter
from ledger.organizations import Organization
from ledger.personal import PHONE, PersonalDataCipher
from ledger.questions import Question
from ledger.users import User

REVIEWER_ROLE = "supervisor"
VILLAGER = "villager"  # the actor of a question asked on a public page, without signing in


class _Application(Protocol):
    """What these commands need of the ledger application they are mixed into."""

    clock: Callable[[], date]
    cipher: PersonalDataCipher | None
    repository: Any

    def _write(self, lock_key: str, request: RequestKey | None, actor: str,
               decide: Callable[[], tuple[Any, list[LedgerAggregate]]]) -> Any: ...

    def organization(self, code: str) -> Organization: ...

    def user(self, login: str) -> User: ...

    def disclosure(self, org: str, ref: str) -> Disclosure: ...

    def question(self, org: str, ref: str) -> Question: ...

    def matter(self, org: str, number: str) -> Matter: ...


class DisclosureCommands:
    def change_settings(self: _Application, org: str, changes: dict[str, int | str], *,
                        reason: str, actor: str, request: RequestKey | None = None) -> Any:
        def decide() -> tuple[Organization, list[LedgerAggregate]]:
            organization = self.organization(org)
            organization.change_settings(changes, reason=reason, actor=actor)
            return organization, [organization]

        return self._write(org, request, actor, decide)

    def draft_disclosure(
        self: _Application, org: str, *, kind: str, period: str, title: str,
        inputs: dict[str, Any], content: str, position: int, actor: str,
        supersedes: str = "", corrects: str = "", correction_reason: str = "",
        request: RequestKey | None = None,
    ) -> Any:
        """`content` is what projections/disclosure_content built from the read models at
        `position`; `auditors can rebuild it from the events up to there."""
        def decide() -> tuple[Disclosure, list[LedgerAggregate]]:
            self.organization(org)
            if kind in MATTER_KINDS:
                _check_matter_disclosable(self.matter(org, str(inputs.get("matter", ""))), kind)
            if supersedes and corrects:
                raise InvalidDisclosure("a draft supersedes a draft or corrects a published "
                                        "disclosure, not both", field="corrects")
            disclosure = Disclosure.draft(
                org=org, kind=kind, period=period, title=title, inputs=inputs, content=content,
                position=position, actor=actor, today=self.clock(), supersedes=supersedes,
                corrects=corrects, correction_reason=correction_reason)
            changed: list[LedgerAggregate] = [disclosure]
            if supersedes:
                old = self.disclosure(org, supersedes)
                old.supersede(by=disclosure.id, reason="", actor=actor)
                changed.append(old)
            if corrects:
                old = self.disclosure(org, corrects)
                old.mark_corrected(by=disclosure.id, reason=correction_reason, actor=actor)
                changed.append(old)
            return disclosure, changed

        return self._write(f"{org}/disclosure/{supersedes or corrects}", request, actor, decide)

    def submit_disclosure(self: _Application, org: str, ref: str, *, panel: list[str],
                          actor: str, request: RequestKey | None = None) -> Any:
        def decide() -> tuple[Disclosure, list[LedgerAggregate]]:
            disclosure = self.disclosure(org, ref)
            for login in panel:
                if not self.user(login).holds(org, REVIEWER_ROLE):
                    raise InvalidDisclosure(f"{login} is not on the supervision committee",
                                            field="panel", login=login)
            disclosure.submit(panel=list(panel),
                              quorum_setting=self.organization(org).setting("review_quorum"),
                              actor=actor)
            return disclosure, [disclosure]

        return self._write(f"{org}/disclosure/{ref}", request, actor, decide)

    def sign_disclosure(self: _Application, org: str, ref: str, *, member: str,
                        opinion: str = "", line_notes: dict[str, str] | None = None,
                        request: RequestKey | None = None) -> Any:
        def decide() -> tuple[Disclosure, list[LedgerAggregate]]:
            disclosure = self.disclosure(org, ref)
            _still_reviewer(self, org, member)
            disclosure.sign(member=member, opinion=opinion, line_notes=line_notes or {})
            return disclosure, [disclosure]

        return self._write(f"{org}/disclosure/{ref}", request, member, decide)

    def refuse_disclosure(self: _Application, org: str, ref: str, *, member: str, reason: str,
                          request: RequestKey | None = None) -> Any:
        def decide() -> tuple[Disclosure, list[LedgerAggregate]]:
            disclosure = self.disclosure(org, ref)
            _still_reviewer(self, org, member)
            disclosure.refuse(member=member, reason=reason)
            return disclosure, [disclosure]

        return self._write(f"{org}/disclosure/{ref}", request, member, decide)

    def publish_disclosure(self: _Application, org: str, ref: str, *, actor: str,
                           posting_from: date | None = None, posting_to: date | None = None,
                           request: RequestKey | None = None) -> Any:
        def decide() -> tuple[Disclosure, list[LedgerAggregate]]:
            disclosure = self.disclosure(org, ref)
            settings = self.organization(org)
            start = posting_from or self.clock()
            end = posting_to or start + timedelta(days=settings.setting("posting_days") - 1)
            disclosure.publish(
                posting_from=start, posting_to=end,
                min_posting_days=settings.setting("posting_days"),
                objection_days=settings.setting("objection_days"), today=self.clock(),
                actor=actor)
            if disclosure.kind not in MATTER_KINDS:
                return disclosure, [disclosure]
            # Disclosing a resolution, or its result, is a step of the matter's own procedure.
            matter = self.matter(org, str(disclosure.inputs.get("matter", "")))
            if disclosure.kind == "resolution":
                matter.disclose_resolution(str(disclosure.id), actor)
            else:
                matter.disclose_result(str(disclosure.id), actor)
            return disclosure, [disclosure, matter]

        return self._write(f"{org}/disclosure/{ref}", request, actor, decide)

    def archive_disclosure(self: _Application, org: str, ref: str, *, actor: str,
                           request: RequestKey | None = None) -> Any:
        def decide() -> tuple[Disclosure, list[LedgerAggregate]]:
            disclosure = self.disclosure(org, ref)
            disclosure.archive(today=self.clock(), actor=actor)
            return disclosure, [disclosure]

        return self._write(f"{org}/disclosure/{ref}", request, actor, decide)

    def ask_question(self: _Application, org: str, ref: str, *, line: int, text: str,
                     name: str = "", phone: str = "", actor: str = VILLAGER,
                     request: RequestKey | None = None) -> Any:
        def decide() -> tuple[Question, list[LedgerAggregate]]:
            disclosure = self.disclosure(org, ref)
            if not disclosure.is_published:
                raise DisclosureStateError("questions are asked of published disclosures",
                                           status=disclosure.status)
            sealed = ""
            if phone.strip():
                if not PHONE.fullmatch(phone.strip()):
                    raise InvalidQuestion("a phone number of digits", field="phone")
                if self.cipher is None:
                    raise InvalidQuestion("this server keeps no phone numbers (no personal-"
                                          "data key is set)", field="phone")
                sealed = self.cipher.seal(phone.strip())
            today = self.clock()
            due = today + timedelta(days=self.organization(org).setting("answer_days"))
            lines = len(json.loads(disclosure.content).get("lines", []))
            question = Question.ask(org=org, disclosure=str(disclosure.id), line=line,
                                    lines=lines, text=text, name=name, phone_sealed=sealed,
                                    today=today, due=due, actor=actor)
            return question, [question]

        return self._write(f"{org}/questions", request, actor, decide)

    def screen_question(self: _Application, org: str, ref: str, *, visible: bool, reason: str,
                        actor: str, request: RequestKey | None = None) -> Any:
        def decide() -> tuple[Question, list[LedgerAggregate]]:
            question = self.question(org, ref)
            question.screen(visible=visible, reason=reason, actor=actor)
            return question, [question]

        return self._write(f"{org}/question/{ref}", request, actor, decide)

    def answer_question(self: _Application, org: str, ref: str, *, text: str, actor: str,
                        request: RequestKey | None = None) -> Any:
        def decide() -> tuple[Question, list[LedgerAggregate]]:
            question = self.question(org, ref)
            question.give_answer(text=text, actor=actor)
            return question, [question]

        return self._write(f"{org}/question/{ref}", request, actor, decide)

    # -- the reads that need aggregates ---------------------------------------------------------

    def disclosure(self: _Application, org: str, ref: str) -> Disclosure:
        found = _get(self, ref, Disclosure)
        if found is None or found.org != org:
            raise DisclosureNotFound(f"no disclosure {ref}", disclosure=ref)
        return found

    def question(self: _Application, org: str, ref: str) -> Question:
        found = _get(self, ref, Question)
        if found is None or found.org != org:
            raise QuestionNotFound(f"no question {ref}", question=ref)
        return found


def _get(app: _Application, ref: str, cls: type[Any]) -> Any:
    try:
        found = app.repository.get(UUID(ref))
    except (ValueError, AggregateNotFoundError):
        return None
    return found if isinstance(found, cls) else None


def _still_reviewer(app: _Application, org: str, member: str) -> None:
    if not app.user(member).holds(org, REVIEWER_ROLE):
        raise NotOnPanel(f"{member} no longer holds the supervisor role here", member=member)


def _check_matter_disclosable(matter: Matter, kind: str) -> None:
    due = "decided" if kind == "resolution" else "carried_out"
    if matter.status != due:
        raise DisclosureStateError(
            f"matter {matter.number} is {matter.status}; a {kind} is disclosed when it is {due}",
            field="inputs.matter", status=matter.status)
