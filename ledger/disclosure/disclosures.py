"""A disclosure (公开) is drafted by the accountant, signed by a quorum of the supervision committee
(村务监督委员会), then published for a posting period; from publication on its content is frozen.

A refusal sends a draft back; a new draft supersedes it, and a correction of a published
disclosure is a new disclosure that names what it corrects and why. Nothing is ever edited.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

from ledger.disclosure.errors import DisclosureStateError, InvalidDisclosure, NotOnPanel
from ledger.disclosure.periods import span_of
from ledger.kernel.aggregate import LedgerAggregate
from ledger.kernel.topics import stored_as

# Kinds built from the books, the free-text special notice (专项公开), a matter's resolution
# and the result of carrying it out (两公开), built from the matter's record, and a year's
# distribution: its plan with the year's statements before the members' meeting, then the list
# of what each holder got (inputs: distribution, stage).
KINDS = ("income_expenditure", "balance_sheet", "income_statement", "special", "resolution",
         "matter_result", "distribution")
FROM_BOOKS = ("income_expenditure", "balance_sheet", "income_statement")
MATTER_KINDS = ("resolution", "matter_result")
MAX_TITLE = 100
MAX_REASON = 500
MAX_PANEL = 15

DRAFTED, IN_REVIEW, RETURNED, REVIEWED = "drafted", "in_review", "returned", "reviewed"
PUBLISHED, ARCHIVED, SUPERSEDED = "published", "archived", "superseded"


def digest_of(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def majority(panel_size: int) -> int:
    return panel_size // 2 + 1


@stored_as("ledger.disclosures")
class Disclosure(LedgerAggregate):
    class Drafted(LedgerAggregate.Created):
        org: str
        kind: str
        period: str
        title: str
        inputs: dict[str, Any]  # what the accountant added to the books: notes, annotations
        content: str  # the canonical bytes (UTF-8 JSON text), see projections/disclosure_content
        digest: str
        position: int  # the last event of the log the content was built from
        supersedes: str
        corrects: str
        correction_reason: str

    class Submitted(LedgerAggregate.Event):
        panel: list[str]
        quorum: int

        def apply(self, d: Disclosure) -> None:
            d.status = IN_REVIEW
            d.panel = list(self.panel)
            d.quorum = self.quorum

    class Signed(LedgerAggregate.Event):
        member: str
        opinion: str
        line_notes: dict[str, str]

        def apply(self, d: Disclosure) -> None:
            d.signatures[self.member] = self.opinion
            if len(d.signatures) >= d.quorum:
                d.status = REVIEWED

    class Refused(LedgerAggregate.Event):
        member: str
        reason: str

        def apply(self, d: Disclosure) -> None:
            d.status = RETURNED
            d.refusals[self.member] = self.reason

    class Published(LedgerAggregate.Event):
        digest: str
        position: int
        signers: list[str]
        posting_from: date
        posting_to: date
        objection_until: date

        def apply(self, d: Disclosure) -> None:
            d.status = PUBLISHED
            d.published_digest = self.digest
            d.posting = (self.posting_from, self.posting_to)
            d.objection_until = self.objection_until

    class Superseded(LedgerAggregate.Event):
        by: str
        reason: str

        def apply(self, d: Disclosure) -> None:
            d.status = SUPERSEDED
            d.superseded_by = self.by

    class Corrected(LedgerAggregate.Event):
        by: str
        reason: str

        def apply(self, d: Disclosure) -> None:
            d.corrected_by = self.by

    class Archived(LedgerAggregate.Event):
        def apply(self, d: Disclosure) -> None:
            d.status = ARCHIVED

    def __init__(self, org: str, kind: str, period: str, title: str, inputs: dict[str, Any],
                 content: str, digest: str, position: int, supersedes: str, corrects: str,
                 correction_reason: str, actor: str) -> None:
        self.org = org
        self.kind = kind
        self.period = period
        self.title = title
        self.inputs = inputs
        self.content = content
        self.digest = digest
        self.position = position
        self.supersedes = supersedes
        self.corrects = corrects
        self.correction_reason = correction_reason
        self.drafted_by = actor
        self.status = DRAFTED
        self.panel: list[str] = []
        self.quorum = 0
        self.signatures: dict[str, str] = {}
        self.refusals: dict[str, str] = {}
        self.posting: tuple[date, date] | None = None
        self.objection_until: date | None = None
        self.superseded_by = ""
        self.published_digest = ""
        self.corrected_by = ""

    @classmethod
    def draft(cls, *, org: str, kind: str, period: str, title: str, inputs: dict[str, Any],
              content: str, position: int, actor: str, today: date, supersedes: str = "",
              corrects: str = "", correction_reason: str = "") -> Disclosure:
        if kind not in KINDS:
            raise InvalidDisclosure(f"one of {', '.join(KINDS)}", field="kind")
        if kind in FROM_BOOKS or period:
            _start, end = span_of(period)
            if end >= today:
                raise InvalidDisclosure(f"{period} has not ended yet", field="period")
        title = (title or "").strip()
        if not title or len(title) > MAX_TITLE:
            raise InvalidDisclosure(f"1–{MAX_TITLE} characters", field="title")
        if corrects and not (correction_reason or "").strip():
            raise InvalidDisclosure("say what the correction corrects and why",
                                    field="correction_reason")
        if len(correction_reason) > MAX_REASON:
            raise InvalidDisclosure(f"at most {MAX_REASON} characters", field="correction_reason")
        if position < 0:
            raise InvalidDisclosure("a position in the event log", field="position")
        return cls._create(
            cls.Drafted, id=uuid4(), org=org, kind=kind, period=period, title=title,
            inputs=inputs, content=content, digest=digest_of(content), position=position,
            supersedes=supersedes, corrects=corrects,
            correction_reason=correction_reason.strip(), actor=actor)

    # -- review -------------------------------------------------------------------------------

    def submit(self, *, panel: list[str], quorum_setting: int, actor: str) -> None:
        """Send to the committee; the panel and the quorum are fixed now, for this review."""
        self._require(DRAFTED, action="submit")
        members = sorted(set(panel) - {self.drafted_by})
        if not members:
            raise InvalidDisclosure(
                "the supervision committee has no member who may review this (grant the "
                "supervisor role; the accountant who drafted it may not review it)", field="panel")
        if len(members) > MAX_PANEL:
            raise InvalidDisclosure(f"at most {MAX_PANEL} reviewers", field="panel")
        quorum = quorum_setting or majority(len(members))
        if quorum > len(members):
            raise InvalidDisclosure(
                f"the quorum is {quorum} but the committee has {len(members)} members who "
                "may review", field="panel", quorum=quorum, members=len(members))
        self.trigger_event(self.Submitted, panel=members, quorum=quorum, actor=actor)

    def sign(self, *, member: str, opinion: str, line_notes: dict[str, str]) -> None:
        self._check_reviewer(member, action="sign")
        opinion = (opinion or "").strip()
        if len(opinion) > MAX_REASON:
            raise InvalidDisclosure(f"at most {MAX_REASON} characters", field="opinion")
        numbered = self.line_numbers()
        for key, note in line_notes.items():
            if not key.isdigit() or not 0 < len(note) <= 200:
                raise InvalidDisclosure("line number → a note of 1–200 characters",
                                        field="line_notes", line=key)
            # A note on a line the content does not have would be kept and shown nowhere.
            if str(int(key)) not in numbered:
                raise InvalidDisclosure(
                    f"line {key} is not a line of this disclosure (lines 1–{len(numbered)})"
                    if numbered else f"line {key}: this disclosure has no numbered lines",
                    field="line_notes", line=key)
        self.trigger_event(self.Signed, member=member, opinion=opinion,  # "07" is line 7
                           line_notes={str(int(k)): v for k, v in line_notes.items()},
                           actor=member)

    def line_numbers(self) -> set[str]:
        """The numbers of the content's lines (收支明细, a distribution's holders), as text."""
        try:
            lines = json.loads(self.content).get("lines", [])
        except (ValueError, AttributeError):
            return set()
        return {str(line["no"]) for line in lines if isinstance(line, dict) and "no" in line}

    def refuse(self, *, member: str, reason: str) -> None:
        self._check_reviewer(member, action="refuse")
        reason = (reason or "").strip()
        if not reason or len(reason) > MAX_REASON:
            raise InvalidDisclosure(f"a reason of 1–{MAX_REASON} characters", field="reason")
        self.trigger_event(self.Refused, member=member, reason=reason, actor=member)

    def _check_reviewer(self, member: str, *, action: str) -> None:
        self._require(IN_REVIEW, REVIEWED, action=action)
        if member not in self.panel:
            raise NotOnPanel(f"{member} is not on this disclosure's review panel",
                             member=member, panel=self.panel)
        if member in self.signatures or member in self.refusals:
            raise DisclosureStateError(f"{member} has already given a verdict",
                                       member=member, status=self.status)

    # -- publication --------------------------------------------------------------------------

    def publish(self, *, posting_from: date, posting_to: date, min_posting_days: int,
                objection_days: int, today: date, actor: str) -> None:
        """Freeze the content: its digest, its log position and its signers become events."""
        self._require(REVIEWED, action="publish")
        if posting_from < today:
            raise InvalidDisclosure("posting cannot start in the past", field="posting_from")
        days = (posting_to - posting_from).days + 1
        if days < min_posting_days:
            raise InvalidDisclosure(f"the posting stays up at least {min_posting_days} days",
                                    field="posting_to", days=days)
        if digest_of(self.content) != self.digest:
            raise DisclosureStateError("the draft's content does not match its digest")
        self.trigger_event(
            self.Published, digest=self.digest, position=self.position,
            signers=sorted(self.signatures), posting_from=posting_from, posting_to=posting_to,
            objection_until=posting_to + timedelta(days=objection_days), actor=actor)

    def archive(self, *, today: date, actor: str) -> None:
        self._require(PUBLISHED, action="archive")
        assert self.objection_until is not None
        if today <= self.objection_until:
            raise DisclosureStateError(
                f"villagers may object until {self.objection_until.isoformat()}",
                objection_until=self.objection_until.isoformat())
        self.trigger_event(self.Archived, actor=actor)

    def supersede(self, *, by: UUID, reason: str, actor: str) -> None:
        """A draft not yet published is replaced, never edited."""
        self._require(DRAFTED, IN_REVIEW, RETURNED, REVIEWED, action="supersede")
        self.trigger_event(self.Superseded, by=str(by), reason=reason, actor=actor)

    def mark_corrected(self, *, by: UUID, reason: str, actor: str) -> None:
        """A published disclosure stays as published; it only learns what corrects it."""
        self._require(PUBLISHED, ARCHIVED, action="correct")
        if self.corrected_by:
            raise DisclosureStateError(f"already corrected by {self.corrected_by}",
                                       corrected_by=self.corrected_by)
        self.trigger_event(self.Corrected, by=str(by), reason=reason, actor=actor)

    @property
    def is_published(self) -> bool:
        return self.status in (PUBLISHED, ARCHIVED)

    def _require(self, *statuses: str, action: str) -> None:
        if self.status not in statuses:
            raise DisclosureStateError(
                f"a {self.status.replace('_', ' ')} disclosure cannot be asked to {action}",
                status=self.status, action=action)
