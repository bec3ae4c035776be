"""An auditor's check that every published disclosure is what the events say: the books are
projected afresh, from event one up to the position each disclosure was built at, into a scratch
database, the content is built again, and its bytes are compared with those published.

The check reads nothing of the live read models, so a read model that drifted cannot hide a change.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventsourcing.utils import get_topic

from infra.storage import Storage
from ledger.application import Ledger
from ledger.disclosure import Disclosure, digest_of
from projections.books.queries import BooksReader
from projections.books.view import BooksProjection
from projections.disclosure.content import FORMAT, FORMATS, build, canonical
from projections.log import BATCH, batches


@dataclass
class Finding:
    disclosure: str
    org: str
    title: str
    position: int
    digest: str
    ok: bool
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"disclosure": self.disclosure, "org": self.org, "title": self.title,
                "position": self.position, "digest": self.digest, "ok": self.ok,
                "problems": self.problems}


def first_difference(published: bytes, rebuilt: bytes) -> str:
    at = next((i for i, (a, b) in enumerate(zip(published, rebuilt, strict=False)) if a != b),
              min(len(published), len(rebuilt)))
    window = slice(max(at - 40, 0), at + 40)
    return (f"the bytes differ from offset {at} (published {len(published)} bytes, rebuilt "
            f"{len(rebuilt)}): published …{published[window].decode('utf-8', 'replace')}… "
            f"rebuilt …{rebuilt[window].decode('utf-8', 'replace')}…")


def published_disclosures(app: Ledger, org: str | None, ref: str | None) -> list[Disclosure]:
    topic = get_topic(Disclosure.Published)
    found: dict[Any, Disclosure] = {}
    start = 0
    keep = None if org is None else organization(app, org)  # others' are not even read
    while True:
        batch = app.recorder.select_notifications(start=start, limit=BATCH, topics=[topic],
                                                  inclusive_of_start=False)
        if not batch:
            break
        for notification in batch if keep is None else keep(batch):
            disclosure: Disclosure = app.repository.get(notification.originator_id)
            if (org is None or disclosure.org == org) and (ref is None
                                                           or str(disclosure.id) == ref):
                found[disclosure.id] = disclosure
        start = batch[-1].id
    return sorted(found.values(), key=lambda d: (d.position, str(d.id)))


def verify(app: Ledger, org: str | None = None, ref: str | None = None, *,
           progress: Callable[[int, int], None] | None = None) -> list[Finding]:
    disclosures = published_disclosures(app, org, ref)
    if not disclosures:
        return []
    findings = []
    with tempfile.TemporaryDirectory(prefix="sunlight-verify-") as folder:
        from projections.runner import open_view

        scratch = Storage(database_url=f"sqlite:///{Path(folder) / 'events.sqlite'}",
                          data_dir=Path(folder))
        view = open_view(scratch, BooksProjection, create_tables=True)
        try:
            position, head = 0, disclosures[-1].position
            keep = None if org is None else organization(app, org)
            for disclosure in disclosures:
                position = _project_until(app, view, position, disclosure.position, head,
                                          progress, keep)
                findings.append(_check(view, disclosure))
        finally:
            view.datastore.close()
    return findings


def organization(app: Ledger, org: str) -> Callable[[list[Any]], list[Any]]:
    """Keeps the stored events of one organization's aggregates (as their first events name
    it), so that verifying a village replays that village only."""
    from projections.audit.owners import Owners

    owners = Owners(app)

    def keep(notifications: list[Any]) -> list[Any]:
        rows = [(n.id, n.originator_id.hex, n.originator_version, n.topic, n.state)
                for n in notifications]
        known = owners.of_batch(rows, [row[1] for row in rows])
        return [n for n, row in zip(notifications, rows, strict=True) if known.get(row[1]) == org]

    return keep


def _project_until(app: Ledger, view: Any, position: int, target: int, head: int,
                   progress: Callable[[int, int], None] | None,
                   keep: Callable[[list[Any]], list[Any]] | None = None) -> int:
    for batch in batches(app, position, until=target, keep=keep):
        view.project(batch)
        if progress is not None:
            progress(batch[-1][1].notification_id, head)
    return max(position, target)


def _format_of(disclosure: Disclosure) -> str:
    """The format the disclosure was published in, so it is rebuilt by the rule of its day."""
    try:
        named = json.loads(disclosure.content).get("format")
    except (ValueError, AttributeError):
        named = None
    return named if named in FORMATS else FORMAT


def _check(view: Any, disclosure: Disclosure) -> Finding:
    finding = Finding(str(disclosure.id), disclosure.org, disclosure.title, disclosure.position,
                      disclosure.digest, ok=True)
    published = disclosure.content.encode("utf-8")
    if not digest_of(disclosure.content) == disclosure.digest == disclosure.published_digest:
        finding.problems.append("the published content does not match its recorded SHA-256")
    with view.sql() as sql:
        reader = BooksReader(sql, view)
        try:
            rebuilt = canonical(build(reader, disclosure.org, disclosure.kind,
                                      disclosure.period, disclosure.title, disclosure.inputs,
                                      format=_format_of(disclosure))).encode("utf-8")
        except Exception as error:  # a broken history must be reported, not crash the check
            finding.problems.append(f"the content cannot be rebuilt: {error}")
            rebuilt = None
    if rebuilt is not None and rebuilt != published:
        finding.problems.append(first_difference(published, rebuilt))
    finding.ok = not finding.problems
    return finding
