"""Disclosures (公开) for the people who make them: the accountant drafts, submits and publishes;
the supervision committee signs or refuses; questions are screened and answered; auditors verify.

The public reads published disclosures on the village's pages (api/routes/public.py).
"""

from __future__ import annotations

import json
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from api.auth import ADMIN, KEEP_BOOKS, READ_BOOKS, actor, in_org, rule
from api.common import after_earlier_writes, org_reading, reading, require_org, written
from api.common_schemas import EmptyIn, WriteQuery
from api.disclosure.schemas import (
    AnswerIn,
    DisclosureList,
    DisclosureListQuery,
    DisclosureOut,
    DraftIn,
    PublishIn,
    QuestionList,
    QuestionOut,
    QuestionQuery,
    RefuseIn,
    ScreenIn,
    SignIn,
    VerifyOut,
)
from api.disclosure.settings_schemas import SettingsIn, SettingsOut
from api.idempotency import request_key
from api.services import services
from ledger.disclosure import MATTER_KINDS, Disclosure, DisclosureNotFound, Question, mask_name
from ledger.kernel.errors import LedgerError
from projections.disclosure.content import STATEMENTS
from projections.disclosure.distribution import year_of
from projections.disclosure.drafting import Draft, draft_from_books
from projections.disclosure.verify import verify
from projections.disclosure.view import is_overdue

blp = Blueprint("disclosures", __name__, url_prefix="/api/v1/orgs/<org>",
                description="公开: drafted, signed by the supervision committee, published, "
                            "never changed; villagers' questions and their answers.")

REVIEW = in_org("supervisor")
ANSWER = in_org("accountant", "committee")
AUDIT = in_org("auditor", "supervisor")


def disclosure_from_aggregate(d: Disclosure) -> dict[str, Any]:
    return {"id": str(d.id), "org": d.org, "kind": d.kind, "period": d.period, "title": d.title,
            "status": d.status, "digest": d.digest, "built_at_position": d.position,
            "drafted_by": d.drafted_by, "panel": d.panel, "quorum": d.quorum,
            "signers": sorted(d.signatures), "supersedes": d.supersedes,
            "superseded_by": d.superseded_by, "corrects": d.corrects,
            "corrected_by": d.corrected_by, "correction_reason": d.correction_reason,
            "posting_from": d.posting[0].isoformat() if d.posting else None,
            "posting_to": d.posting[1].isoformat() if d.posting else None,
            "objection_until": d.objection_until.isoformat() if d.objection_until else None,
            "content": json.loads(d.content)}


def with_content(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "content": json.loads(row["content"])}


@blp.route("/disclosures")
class Disclosures(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(DisclosureListQuery, location="query")
    @blp.response(200, DisclosureList)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """Every disclosure of the organization, drafts included, newest first"""
        return {"items": services().disclosures.of_org(org, status=query["status"])}

    @rule(KEEP_BOOKS)
    @blp.arguments(DraftIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, DisclosureOut)
    def post(self, data: dict[str, Any], wait: bool, org: str) -> Any:
        """Draft a disclosure from the books as they stand now (and the lines' annotations)"""
        inputs = {key: data[key] for key in ("notes", "annotations", "body", "items",
                                             "attachments")}
        if data["kind"] in MATTER_KINDS:
            inputs["matter"] = data["matter"]
        if data["kind"] in STATEMENTS:
            inputs["notes_to_statements"] = data["notes_to_statements"]
        period = data["period"]
        if data["kind"] == "distribution":
            inputs |= {"distribution": data["distribution"], "stage": data["stage"]}
            period = period or year_of(data["distribution"])
        draft = Draft(kind=data["kind"], period=period, title=data["title"],
                      inputs=inputs, supersedes=str(data["supersedes"] or ""),
                      corrects=str(data["corrects"] or ""),
                      correction_reason=data["correction_reason"])
        after_earlier_writes()
        try:
            outcome = draft_from_books(services().ledger, lambda: org_reading(org), org, draft,
                                       actor=actor(), request=request_key())
        except LedgerError as error:
            # The content builder names a field by its place in `inputs`; this body has it at
            # the top (`distribution`, `stage`, `matter`), as the refusal must say.
            error.field = error.field and error.field.removeprefix("inputs.")
            raise
        return written(outcome, disclosure_from_aggregate(outcome.value), 201, wait)


@blp.route("/disclosures/<ref>")
class OneDisclosure(MethodView):
    @rule(READ_BOOKS)
    @blp.response(200, DisclosureOut)
    def get(self, org: str, ref: str) -> dict[str, Any]:
        """One disclosure, with its content, reviews and stage"""
        row = services().disclosures.disclosure(org, ref)
        if row is None:
            raise DisclosureNotFound(f"no disclosure {ref}", disclosure=ref)
        return with_content(row)


def _command(name: str, org: str, ref: str, wait: bool, **kwargs: Any) -> Any:
    outcome = getattr(services().ledger.disclosure, name)(org, ref, request=request_key(),
                                                          **kwargs)
    return written(outcome, disclosure_from_aggregate(outcome.value), 200, wait)


@blp.route("/disclosures/<ref>/submit")
class Submit(MethodView):
    @rule(KEEP_BOOKS)
    @blp.arguments(EmptyIn, required=False)  # every field optional: so is the body
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(200, DisclosureOut)
    def post(self, _body: dict[str, Any], wait: bool, org: str, ref: str) -> Any:
        """Send a draft to the supervision committee (everyone holding the supervisor role)"""
        panel = services().identity.holders(org, "supervisor")
        return _command("submit_disclosure", org, ref, wait, panel=panel, actor=actor())


@blp.route("/disclosures/<ref>/signatures")
class Sign(MethodView):
    @rule(REVIEW)
    @blp.arguments(SignIn, required=False)  # every field optional: so is the body
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(200, DisclosureOut)
    def post(self, data: dict[str, Any], wait: bool, org: str, ref: str) -> Any:
        """Sign as a member of the supervision committee: checked, true and complete"""
        return _command("sign_disclosure", org, ref, wait, member=actor(),
                        opinion=data["opinion"], line_notes=data["line_notes"])


@blp.route("/disclosures/<ref>/refusals")
class Refuse(MethodView):
    @rule(REVIEW)
    @blp.arguments(RefuseIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(200, DisclosureOut)
    def post(self, data: dict[str, Any], wait: bool, org: str, ref: str) -> Any:
        """Refuse with a reason; the draft goes back to the accountant"""
        return _command("refuse_disclosure", org, ref, wait, member=actor(),
                        reason=data["reason"])


@blp.route("/disclosures/<ref>/publish")
class Publish(MethodView):
    @rule(KEEP_BOOKS)
    @blp.arguments(PublishIn, required=False)  # every field optional: so is the body
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(200, DisclosureOut)
    def post(self, data: dict[str, Any], wait: bool, org: str, ref: str) -> Any:
        """Publish a signed disclosure for its posting period; from now on it never changes"""
        return _command("publish_disclosure", org, ref, wait, actor=actor(),
                        posting_from=data["posting_from"], posting_to=data["posting_to"])


@blp.route("/disclosures/<ref>/archive")
class Archive(MethodView):
    @rule(KEEP_BOOKS)
    @blp.arguments(EmptyIn, required=False)  # every field optional: so is the body
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(200, DisclosureOut)
    def post(self, _body: dict[str, Any], wait: bool, org: str, ref: str) -> Any:
        """Archive a disclosure whose objection window has ended"""
        return _command("archive_disclosure", org, ref, wait, actor=actor())


@blp.route("/disclosures/verification")
class VerifyAll(MethodView):
    @rule(AUDIT)
    @blp.response(200, VerifyOut)
    def get(self, org: str) -> dict[str, Any]:
        """Rebuild every published disclosure from the events and compare the bytes"""
        with reading() as reader:
            require_org(reader, org)
        findings = [f.as_dict() for f in verify(services().ledger, org)]
        return {"ok": all(f["ok"] for f in findings), "checked": len(findings),
                "findings": findings}


@blp.route("/disclosures/<ref>/verification")
class VerifyOne(MethodView):
    @rule(AUDIT)
    @blp.response(200, VerifyOut)
    def get(self, org: str, ref: str) -> dict[str, Any]:
        """Rebuild one published disclosure from the events and compare the bytes"""
        findings = [f.as_dict() for f in verify(services().ledger, org, ref)]
        if not findings:
            raise DisclosureNotFound(f"no published disclosure {ref}", disclosure=ref)
        return {"ok": all(f["ok"] for f in findings), "checked": len(findings),
                "findings": findings}


def question_out(row: dict[str, Any]) -> dict[str, Any]:
    today = services().ledger.clock()
    return {**row, "has_phone": bool(row["has_phone"]), "overdue": is_overdue(row, today)}


@blp.route("/questions")
class Questions(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(QuestionQuery, location="query")
    @blp.response(200, QuestionList)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """Every question, screened or not, hidden ones with their reason"""
        rows = services().disclosures.questions(
            org, disclosure=str(query["disclosure"]) if query["disclosure"] else None,
            public=False)
        return {"items": [question_out(row) for row in rows]}


def question_from_aggregate(q: Question) -> dict[str, Any]:
    return {"id": str(q.id), "disclosure_id": q.disclosure, "line_no": q.line, "text": q.text,
            "asker": mask_name(q.name), "has_phone": bool(q.phone_sealed),
            "due": q.due.isoformat(), "overdue": q.is_overdue(services().ledger.clock()),
            "status": q.status, "screen_reason": q.screen_reason, "answer": q.answer}


def _question(wait: bool, outcome: Any) -> Any:
    return written(outcome, question_from_aggregate(outcome.value), 200, wait)


@blp.route("/questions/<ref>/screening")
class Screen(MethodView):
    @rule(REVIEW)
    @blp.arguments(ScreenIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(200, QuestionOut)
    def post(self, data: dict[str, Any], wait: bool, org: str, ref: str) -> Any:
        """Show a question publicly, or hide it with a reason (it is kept either way)"""
        outcome = services().ledger.disclosure.screen_question(
            org, ref, visible=data["visible"], reason=data["reason"], actor=actor(),
            request=request_key())
        return _question(wait, outcome)


@blp.route("/questions/<ref>/answer")
class Answer(MethodView):
    @rule(ANSWER)
    @blp.arguments(AnswerIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(200, QuestionOut)
    def post(self, data: dict[str, Any], wait: bool, org: str, ref: str) -> Any:
        """Answer a screened question publicly, on behalf of the organization"""
        outcome = services().ledger.disclosure.answer_question(org, ref, text=data["text"],
                                                               actor=actor(),
                                                               request=request_key())
        return _question(wait, outcome)


@blp.route("/settings")
class Settings(MethodView):
    @rule(READ_BOOKS | ADMIN)
    @blp.response(200, SettingsOut)
    def get(self, org: str) -> dict[str, Any]:
        """The organization's local rules: disclosure, the approval ladder, 四议两公开"""
        # Read from the organization itself, as the PUT answers: a client that just registered
        # the organization reads its rules at once, without waiting for the read models.
        return {"org": org, **services().ledger.books.organization(org).settings}

    @rule(ADMIN)
    @blp.arguments(SettingsIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(200, SettingsOut)
    def put(self, data: dict[str, Any], wait: bool, org: str) -> Any:
        """Change some of the local rules, with the reason (kept as an event)"""
        reason = data.pop("reason")
        outcome = services().ledger.books.change_settings(org, data, reason=reason, actor=actor(),
                                                          request=request_key())
        return written(outcome, {"org": org, **outcome.value.settings}, 200, wait)
