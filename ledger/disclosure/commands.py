"""The commands of disclosures (公开) and villagers' questions (质询).

Reviewers are checked against the role grants at the moment of submission and of signing, so a
supervisor whose role was revoked can no longer sign; a question's phone number is sealed before
it becomes an event, because events are never deleted.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, TypeVar
from uuid import UUID

from ledger.books import BooksCommands
from ledger.disclosure.disclosures import MATTER_KINDS, Disclosure
from ledger.disclosure.errors import (
    DisclosureNotFound,
    DisclosureStateError,
    InvalidDisclosure,
    InvalidQuestion,
    NotOnPanel,
    QuestionNotFound,
)
from ledger.disclosure.questions import Question
from ledger.distribution import DistributionCommands
from ledger.identity import IdentityCommands
from ledger.kernel.aggregate import LedgerAggregate
from ledger.kernel.idempotency import RequestKey
from ledger.kernel.personal import PHONE, PersonalDataCipher
from ledger.kernel.writing import Decision, Outcome, Store
from ledger.spending import Matter, SpendingCommands

A = TypeVar("A", bound=LedgerAggregate)
REVIEWER_ROLE = "supervisor"
VILLAGER = "villager"
DISTRIBUTION = "distribution"  # the actor of a question asked on a public page, without signing in



class DisclosureCommands:
    def __init__(self, store: Store, *, books: BooksCommands, identity: IdentityCommands,
                 spending: SpendingCommands, distribution: DistributionCommands,
                 cipher: PersonalDataCipher | None, clock: Callable[[], date]) -> None:
        self.store = store
        self.books = books
        self.identity = identity
        self.spending = spending
        self.distribution = distribution
        self.cipher = cipher
        self.clock = clock

    def draft_disclosure(
        self, org: str, *, kind: str, period: str, title: str,
        inputs: dict[str, Any], content: str, position: int, actor: str,
        supersedes: str = "", corrects: str = "", correction_reason: str = "",
        request: RequestKey | None = None,
    ) -> Outcome[Disclosure]:
        """`content` is what projections/disclosure_content built from the read models at
        `position`; `auditors can rebuild it from the events up to there."""
        def decide() -> Decision[Disclosure]:
            self.books.organization(org)
            if kind in MATTER_KINDS:
                _check_matter_disclosable(self.spending.matter(org, str(inputs.get("matter", ""))),
                                          kind)
            if kind == DISTRIBUTION:
                self.distribution.distribution(org, str(inputs.get("distribution", ""))) \
                    .check_disclosable(str(inputs.get("stage", "")))
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

        return self.store.write(f"{org}/disclosure/{supersedes or corrects}", request, actor,
                                decide)

    def submit_disclosure(self, org: str, ref: str, *, panel: list[str],
                          actor: str, request: RequestKey | None = None) -> Outcome[Disclosure]:
        def decide() -> Decision[Disclosure]:
            disclosure = self.disclosure(org, ref)
            for login in panel:
                if not self.identity.user(login).holds(org, REVIEWER_ROLE):
                    raise InvalidDisclosure(f"{login} is not on the supervision committee",
                                            field="panel", login=login)
            disclosure.submit(panel=list(panel),
                              quorum_setting=self.books.organization(org).setting("review_quorum"),
                              actor=actor)
            return disclosure, [disclosure]

        return self.store.write(f"{org}/disclosure/{ref}", request, actor, decide)

    def sign_disclosure(self, org: str, ref: str, *, member: str,
                        opinion: str = "", line_notes: dict[str, str] | None = None,
                        request: RequestKey | None = None) -> Outcome[Disclosure]:
        def decide() -> Decision[Disclosure]:
            disclosure = self.disclosure(org, ref)
            _still_reviewer(self.identity, org, member)
            disclosure.sign(member=member, opinion=opinion, line_notes=line_notes or {})
            return disclosure, [disclosure]

        return self.store.write(f"{org}/disclosure/{ref}", request, member, decide)

    def refuse_disclosure(self, org: str, ref: str, *, member: str, reason: str,
                          request: RequestKey | None = None) -> Outcome[Disclosure]:
        def decide() -> Decision[Disclosure]:
            disclosure = self.disclosure(org, ref)
            _still_reviewer(self.identity, org, member)
            disclosure.refuse(member=member, reason=reason)
            return disclosure, [disclosure]

        return self.store.write(f"{org}/disclosure/{ref}", request, member, decide)

    def default_posting_to(self, org: str, kind: str, inputs: dict[str, Any],
                           start: date) -> date:
        """The last day of a posting from `start` unless given: the posting days set; a
        distribution plan's at least until the members' meeting may decide it (15 days for a
        cooperative, 2017 Law Art. 40; 10 for a village), so the plan is up until then."""
        days = self.books.organization(org).setting("posting_days")
        if kind == DISTRIBUTION and inputs.get("stage") == "plan":
            days = max(days, self.distribution.notice_days(org))
        return start + timedelta(days=days - 1)

    def publish_disclosure(self, org: str, ref: str, *, actor: str,
                           posting_from: date | None = None, posting_to: date | None = None,
                           request: RequestKey | None = None) -> Outcome[Disclosure]:
        def decide() -> Decision[Disclosure]:
            disclosure = self.disclosure(org, ref)
            settings = self.books.organization(org)
            start = posting_from or self.clock()
            end = posting_to or self.default_posting_to(org, disclosure.kind,
                                                        disclosure.inputs, start)
            disclosure.publish(
                posting_from=start, posting_to=end,
                min_posting_days=settings.setting("posting_days"),
                objection_days=settings.setting("objection_days"), today=self.clock(),
                actor=actor)
            if disclosure.kind == DISTRIBUTION:
                # Its plan's publication starts the ten days before the members' meeting.
                distribution = self.distribution.distribution(
                    org, str(disclosure.inputs.get("distribution", "")))
                distribution.mark_disclosed(stage=str(disclosure.inputs.get("stage", "")),
                                            disclosure=str(disclosure.id), on=start,
                                            actor=actor)
                return disclosure, [disclosure, distribution]
            if disclosure.kind not in MATTER_KINDS:
                return disclosure, [disclosure]
            # Disclosing a resolution, or its result, is a step of the matter's own procedure.
            matter = self.spending.matter(org, str(disclosure.inputs.get("matter", "")))
            if disclosure.kind == "resolution":
                matter.disclose_resolution(str(disclosure.id), actor)
            else:
                matter.disclose_result(str(disclosure.id), actor)
            return disclosure, [disclosure, matter]

        return self.store.write(f"{org}/disclosure/{ref}", request, actor, decide)

    def archive_disclosure(self, org: str, ref: str, *, actor: str,
                           request: RequestKey | None = None) -> Outcome[Disclosure]:
        def decide() -> Decision[Disclosure]:
            disclosure = self.disclosure(org, ref)
            disclosure.archive(today=self.clock(), actor=actor)
            return disclosure, [disclosure]

        return self.store.write(f"{org}/disclosure/{ref}", request, actor, decide)

    def ask_question(self, org: str, ref: str, *, line: int, text: str,
                     name: str = "", phone: str = "", actor: str = VILLAGER,
                     request: RequestKey | None = None) -> Outcome[Question]:
        def decide() -> Decision[Question]:
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
            due = today + timedelta(days=self.books.organization(org).setting("answer_days"))
            lines = len(json.loads(disclosure.content).get("lines", []))
            question = Question.ask(org=org, disclosure=str(disclosure.id), line=line,
                                    lines=lines, text=text, name=name, phone_sealed=sealed,
                                    today=today, due=due, actor=actor)
            return question, [question]

        return self.store.write(f"{org}/questions", request, actor, decide)

    def screen_question(self, org: str, ref: str, *, visible: bool, reason: str,
                        actor: str, request: RequestKey | None = None) -> Outcome[Question]:
        def decide() -> Decision[Question]:
            question = self.question(org, ref)
            question.screen(visible=visible, reason=reason, actor=actor)
            return question, [question]

        return self.store.write(f"{org}/question/{ref}", request, actor, decide)

    def answer_question(self, org: str, ref: str, *, text: str, actor: str,
                        request: RequestKey | None = None) -> Outcome[Question]:
        def decide() -> Decision[Question]:
            question = self.question(org, ref)
            question.give_answer(text=text, actor=actor)
            return question, [question]

        return self.store.write(f"{org}/question/{ref}", request, actor, decide)

    # -- the reads that need aggregates ---------------------------------------------------------

    def disclosure(self, org: str, ref: str) -> Disclosure:
        found = self._find(Disclosure, ref)
        if found is None or found.org != org:
            raise DisclosureNotFound(f"no disclosure {ref}", disclosure=ref)
        return found

    def question(self, org: str, ref: str) -> Question:
        found = self._find(Question, ref)
        if found is None or found.org != org:
            raise QuestionNotFound(f"no question {ref}", question=ref)
        return found

    def _find(self, cls: type[A], ref: str) -> A | None:
        try:
            return self.store.find(cls, UUID(ref))
        except ValueError:
            return None


def _still_reviewer(identity: IdentityCommands, org: str, member: str) -> None:
    if not identity.user(member).holds(org, REVIEWER_ROLE):
        raise NotOnPanel(f"{member} no longer holds the supervisor role here", member=member)


def _check_matter_disclosable(matter: Matter, kind: str) -> None:
    due = "decided" if kind == "resolution" else "carried_out"
    if matter.status != due:
        raise DisclosureStateError(
            f"matter {matter.number} is {matter.status}; a {kind} is disclosed when it is {due}",
            field="inputs.matter", status=matter.status)
