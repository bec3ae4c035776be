"""The disclosures read model: every disclosure with its stage, reviews and frozen content, and
the villagers' questions with their screening and answers.

Public readers see only published (or archived) disclosures and screened-visible questions; the
asker's phone never reaches this model, and the name only as masked (张**).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, ClassVar

from ledger.disclosure import Disclosure, Question, mask_name
from projections.db import Handlers, ReadModel, Sql, ViewProjection, on_both_databases

DDL = (
    """CREATE TABLE IF NOT EXISTS disclosures (
        id TEXT PRIMARY KEY, org TEXT NOT NULL, kind TEXT NOT NULL, period TEXT NOT NULL,
        title TEXT NOT NULL, status TEXT NOT NULL, content TEXT NOT NULL, digest TEXT NOT NULL,
        built_at_position BIGINT NOT NULL, drafted_at TEXT NOT NULL, drafted_by TEXT NOT NULL,
        panel TEXT NOT NULL, quorum INTEGER NOT NULL, submitted_at TEXT,
        signers TEXT NOT NULL, posting_from TEXT, posting_to TEXT, objection_until TEXT,
        published_at TEXT, published_by TEXT, supersedes TEXT NOT NULL,
        superseded_by TEXT NOT NULL, corrects TEXT NOT NULL, correction_reason TEXT NOT NULL,
        corrected_by TEXT NOT NULL, archived_at TEXT, position BIGINT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS disclosures_by_org ON disclosures (org, status, published_at)",
    """CREATE TABLE IF NOT EXISTS disclosure_reviews (
        disclosure_id TEXT NOT NULL, member TEXT NOT NULL, verdict TEXT NOT NULL,
        opinion TEXT NOT NULL, line_notes TEXT NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (disclosure_id, member))""",
    # What the accountant added to the books (notes, annotations, a notice's text and items, the
    # matter), so a redraft starts from it; a table of its own, so existing rows need no column.
    """CREATE TABLE IF NOT EXISTS disclosure_inputs (
        disclosure_id TEXT PRIMARY KEY, inputs TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS questions (
        id TEXT PRIMARY KEY, org TEXT NOT NULL, disclosure_id TEXT NOT NULL,
        line_no INTEGER NOT NULL, text TEXT NOT NULL, asker TEXT NOT NULL,
        has_phone SMALLINT NOT NULL, asked_at TEXT NOT NULL, asked_on TEXT NOT NULL,
        due TEXT NOT NULL, status TEXT NOT NULL, screen_reason TEXT NOT NULL,
        screened_by TEXT, screened_at TEXT, answer TEXT NOT NULL, answered_by TEXT,
        answered_at TEXT, position BIGINT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS questions_by_disclosure ON questions (disclosure_id, asked_at)",
    "CREATE INDEX IF NOT EXISTS questions_by_org ON questions (org, status, due)",
)
TABLES = ("disclosures", "disclosure_reviews", "disclosure_inputs", "questions")
HANDLERS = Handlers()
PUBLIC = ("published", "archived")


def _when(event: Any) -> str:
    return event.timestamp.isoformat()


def _set(sql: Sql, e: Any, position: int, table: str = "disclosures", **columns: Any) -> None:
    assignments = ", ".join(f"{name} = :{name}" for name in [*columns, "position"])
    sql.execute(f"UPDATE {table} SET {assignments} WHERE id = :id",
                {**columns, "position": position, "id": str(e.originator_id)})


@HANDLERS.on(Disclosure.Drafted)
def _drafted(sql: Sql, e: Disclosure.Drafted, position: int) -> None:
    sql.execute(
        "INSERT INTO disclosures VALUES (:id, :org, :kind, :period, :title, 'drafted', "
        ":content, :digest, :built, :at, :by, '[]', 0, NULL, '[]', NULL, NULL, NULL, NULL, "
        "NULL, :supersedes, '', :corrects, :correction_reason, '', NULL, :position)",
        {"id": str(e.originator_id), "org": e.org, "kind": e.kind, "period": e.period,
         "title": e.title, "content": e.content, "digest": e.digest, "built": e.position,
         "at": _when(e), "by": e.actor, "supersedes": e.supersedes, "corrects": e.corrects,
         "correction_reason": e.correction_reason, "position": position})
    sql.execute("INSERT INTO disclosure_inputs VALUES (:id, :inputs)",
                {"id": str(e.originator_id),
                 "inputs": json.dumps(e.inputs, ensure_ascii=False, sort_keys=True)})


@HANDLERS.on(Disclosure.Submitted)
def _submitted(sql: Sql, e: Disclosure.Submitted, position: int) -> None:
    _set(sql, e, position, status="in_review", panel=json.dumps(e.panel), quorum=e.quorum,
         submitted_at=_when(e))


def _review(sql: Sql, e: Any, verdict: str, opinion: str, notes: dict[str, str]) -> None:
    sql.execute("INSERT INTO disclosure_reviews VALUES (:id, :member, :verdict, :opinion, "
                ":notes, :at)",
                {"id": str(e.originator_id), "member": e.member, "verdict": verdict,
                 "opinion": opinion, "notes": json.dumps(notes, ensure_ascii=False,
                                                         sort_keys=True), "at": _when(e)})


@HANDLERS.on(Disclosure.Signed)
def _signed(sql: Sql, e: Disclosure.Signed, position: int) -> None:
    _review(sql, e, "signed", e.opinion, e.line_notes)
    row = sql.execute("SELECT quorum FROM disclosures WHERE id = :id",
                      {"id": str(e.originator_id)}).one()
    signed = sql.execute("SELECT COUNT(*) AS n FROM disclosure_reviews WHERE disclosure_id = :id "
                         "AND verdict = 'signed'", {"id": str(e.originator_id)}).scalar()
    if row is not None and signed >= row["quorum"]:
        _set(sql, e, position, status="reviewed")
    else:
        _set(sql, e, position)


@HANDLERS.on(Disclosure.Refused)
def _refused(sql: Sql, e: Disclosure.Refused, position: int) -> None:
    _review(sql, e, "refused", e.reason, {})
    _set(sql, e, position, status="returned")


@HANDLERS.on(Disclosure.Published)
def _published(sql: Sql, e: Disclosure.Published, position: int) -> None:
    _set(sql, e, position, status="published", signers=json.dumps(e.signers),
         posting_from=e.posting_from.isoformat(), posting_to=e.posting_to.isoformat(),
         objection_until=e.objection_until.isoformat(), published_at=_when(e),
         published_by=e.actor)


@HANDLERS.on(Disclosure.Superseded)
def _superseded(sql: Sql, e: Disclosure.Superseded, position: int) -> None:
    _set(sql, e, position, status="superseded", superseded_by=e.by)


@HANDLERS.on(Disclosure.Corrected)
def _corrected(sql: Sql, e: Disclosure.Corrected, position: int) -> None:
    _set(sql, e, position, corrected_by=e.by)


@HANDLERS.on(Disclosure.Archived)
def _archived(sql: Sql, e: Disclosure.Archived, position: int) -> None:
    _set(sql, e, position, status="archived", archived_at=_when(e))


@HANDLERS.on(Question.Asked)
def _asked(sql: Sql, e: Question.Asked, position: int) -> None:
    sql.execute(
        "INSERT INTO questions VALUES (:id, :org, :disclosure, :line, :text, :asker, :phone, "
        ":at, :asked_on, :due, 'pending', '', NULL, NULL, '', NULL, NULL, :position)",
        {"id": str(e.originator_id), "org": e.org, "disclosure": e.disclosure, "line": e.line,
         "text": e.text, "asker": mask_name(e.name), "phone": int(bool(e.phone_sealed)),
         "at": _when(e), "asked_on": e.asked_on.isoformat(), "due": e.due.isoformat(),
         "position": position})


@HANDLERS.on(Question.Screened)
def _screened(sql: Sql, e: Question.Screened, position: int) -> None:
    _set(sql, e, position, "questions", status="visible" if e.visible else "hidden",
                  screen_reason=e.reason, screened_by=e.actor, screened_at=_when(e))


@HANDLERS.on(Question.Answered)
def _answered(sql: Sql, e: Question.Answered, position: int) -> None:
    _set(sql, e, position, "questions", answer=e.text, answered_by=e.actor, answered_at=_when(e))


class DisclosuresView(ReadModel):
    name: ClassVar[str] = "disclosures"
    tables: ClassVar[tuple[str, ...]] = TABLES
    ddl: ClassVar[tuple[str, ...]] = DDL
    handlers: ClassVar[Handlers] = HANDLERS


class DisclosuresProjection(ViewProjection[DisclosuresView]):
    name = "disclosures"
    views = on_both_databases(DisclosuresView)


def _decode(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    row["panel"] = json.loads(row["panel"])
    row["signers"] = json.loads(row["signers"])
    return row


class DisclosureQueries:
    """Reads of the disclosures read model, each in its own snapshot."""

    def __init__(self, view: DisclosuresView) -> None:
        self.view = view

    def published(self, org: str) -> list[dict[str, Any]]:
        """Newest first; what the village's public page lists."""
        with self.view.sql() as sql:
            rows = sql.execute(
                "SELECT * FROM disclosures WHERE org = :org AND status IN ('published', "
                "'archived') ORDER BY posting_from DESC, published_at DESC", {"org": org}).all()
        return [_decode(row) for row in rows]  # type: ignore[misc]

    def published_periods(self, org: str) -> set[tuple[str, str]]:
        """(kind, period) of every disclosure on the noticeboard or archived: what is out."""
        with self.view.sql() as sql:
            rows = sql.execute("SELECT DISTINCT kind, period FROM disclosures WHERE org = :org "
                               "AND status IN ('published', 'archived')", {"org": org}).all()
        return {(row["kind"], row["period"]) for row in rows}

    def of_org(self, org: str, *, status: str | None = None) -> list[dict[str, Any]]:
        where, params = "org = :org", {"org": org}
        if status:
            where += " AND status = :status"
            params["status"] = status
        with self.view.sql() as sql:
            rows = sql.execute(f"SELECT * FROM disclosures WHERE {where} "
                               "ORDER BY drafted_at DESC", params).all()
        return [_decode(row) for row in rows]  # type: ignore[misc]

    def disclosure(self, org: str, ref: str) -> dict[str, Any] | None:
        with self.view.sql() as sql:
            row = _decode(sql.execute("SELECT * FROM disclosures WHERE org = :org AND id = :id",
                                      {"org": org, "id": ref}).one())
            if row is not None:
                row["reviews"] = sql.execute(
                    "SELECT member, verdict, opinion, line_notes, at FROM disclosure_reviews "
                    "WHERE disclosure_id = :id ORDER BY at, member", {"id": ref}).all()
                for review in row["reviews"]:
                    review["line_notes"] = json.loads(review["line_notes"])
                row["read_position"] = self.view.position_in(sql)
        return row

    def draft_of(self, org: str, ref: str) -> dict[str, Any] | None:
        """What a disclosure was drafted from: its kind, period, title and `inputs`, so a new
        draft that supersedes or corrects it starts from the text already agreed on."""
        with self.view.sql() as sql:
            row = sql.execute(
                "SELECT d.kind, d.period, d.title, i.inputs FROM disclosures d "
                "LEFT JOIN disclosure_inputs i ON i.disclosure_id = d.id "
                "WHERE d.org = :org AND d.id = :id", {"org": org, "id": ref}).one()
        if row is not None:
            row["inputs"] = json.loads(row["inputs"] or "{}")
        return row

    def public_disclosure(self, org: str, ref: str) -> dict[str, Any] | None:
        row = self.disclosure(org, ref)
        return row if row is not None and row["status"] in PUBLIC else None

    def pending_reviews(self, org: str, member: str) -> list[dict[str, Any]]:
        """Disclosures submitted to `member` that they have not yet signed or refused."""
        rows = self.of_org(org, status="in_review") + self.of_org(org, status="reviewed")
        with self.view.sql() as sql:
            done = {r["disclosure_id"] for r in sql.execute(
                "SELECT disclosure_id FROM disclosure_reviews WHERE member = :m",
                {"m": member}).all()}
        return [row for row in rows if member in row["panel"] and row["id"] not in done]

    def questions(self, org: str, *, disclosure: str | None = None,
                  public: bool = True) -> list[dict[str, Any]]:
        where, params = ["org = :org"], {"org": org}
        if disclosure:
            where.append("disclosure_id = :d")
            params["d"] = disclosure
        if public:
            where.append("status = 'visible'")
        with self.view.sql() as sql:
            return sql.execute(f"SELECT * FROM questions WHERE {' AND '.join(where)} "
                               "ORDER BY asked_at", params).all()

    def question(self, org: str, ref: str) -> dict[str, Any] | None:
        with self.view.sql() as sql:
            return sql.execute("SELECT * FROM questions WHERE org = :org AND id = :id",
                               {"org": org, "id": ref}).one()


def is_overdue(question: dict[str, Any], today: date) -> bool:
    return (question["status"] != "hidden" and not question["answer"]
            and today.isoformat() > question["due"])
