"""Drafting a disclosure is a read, then a write: its content is built from one snapshot of the
read models, and the ledger is asked to draft it with that content and that snapshot's position.
This is the one place that does both, for the JSON API, the desk and the demo alike.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from ledger.application import Ledger
from ledger.disclosure import Disclosure
from ledger.kernel.idempotency import RequestKey
from ledger.kernel.writing import Outcome
from projections.books.queries import BooksReader
from projections.disclosure.content import prepare


@dataclass(frozen=True)
class Draft:
    """What the accountant asks for: the kind, period and title, what they add to the books
    (`inputs`: notes, annotations, a special notice's text and items, the matter), and the
    draft it supersedes or the published disclosure it corrects, with why."""

    kind: str
    period: str
    title: str
    inputs: dict[str, Any] = field(default_factory=dict)
    supersedes: str = ""
    corrects: str = ""
    correction_reason: str = ""


def draft_from_books(app: Ledger, read: Callable[[], AbstractContextManager[BooksReader]],
                     org: str, draft: Draft, *, actor: str,
                     request: RequestKey | None = None) -> Outcome[Disclosure]:
    """Build the content from one snapshot (`read` opens it and closes it again before the
    write), then draft. The ledger checks what was asked; the content builder refuses what it
    cannot build (a period that is none, a matter not there)."""
    with read() as reader:
        prepared = prepare(reader, org, draft.kind, draft.period, draft.title, draft.inputs)
    return app.disclosure.draft_disclosure(
        org, kind=draft.kind, period=draft.period, title=draft.title, inputs=draft.inputs,
        content=prepared.content, position=prepared.position, actor=actor,
        supersedes=draft.supersedes, corrects=draft.corrects,
        correction_reason=draft.correction_reason, request=request)
