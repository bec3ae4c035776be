"""What every route does around its one call: read in a snapshot, answer a write with its
position, wait for the read models when asked."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import g
from werkzeug.exceptions import UnprocessableEntity

from api.errors import ReadModelBehind, refuse_beyond_head
from api.services import services
from ledger.books import OrganizationNotFound
from ledger.kernel.writing import Outcome
from projections.books.queries import BooksReader, Page

POSITION_HEADER = "Sunlight-Position"


@contextmanager
def reading(after: int | None = None) -> Iterator[BooksReader]:
    # The header Sunlight-Position names it as well on the reads a replica may serve, whose
    # routing (api/replica_reads.py) has already seen the read models reach it.
    after = after or g.get("read_after")
    if after and after != g.get("read_reached"):
        refuse_beyond_head(after, services().ledger.log_head())
        if not services().wait_for(after):
            raise ReadModelBehind(f"the read models have not yet reached position {after}")
    with services().queries.read() as reader:
        g.read_position = reader.position()
        yield reader


def require_org(reader: BooksReader, org: str) -> dict[str, Any]:
    row = reader.organization(org)
    if row is None:
        raise OrganizationNotFound(f"no organization {org}", code=org)
    return row


def after_earlier_writes() -> None:
    """A write built from the read models (a disclosure drafted from the books) waits, as a
    signed-in read does (api/fresh_reads.py), for every write acknowledged before it: a script
    that posts a voucher or drafts a plan and then drafts the disclosure finds them in it."""
    service = services()
    service.wait_fresh(service.ledger.log_head())


@contextmanager
def org_reading(org: str) -> Iterator[BooksReader]:
    """A snapshot of the books read model, once the organization is known to be in it."""
    with reading() as reader:
        require_org(reader, org)
        yield reader


def written(outcome: Outcome[Any], body: dict[str, Any], status: int,
            wait: bool = False) -> tuple[dict[str, Any], int, dict[str, str]]:
    headers = {POSITION_HEADER: str(outcome.position)}
    if outcome.replayed:
        headers["Idempotent-Replayed"] = "true"
    if wait:
        headers["Sunlight-Projected"] = str(services().wait_for(outcome.position)).lower()
    return body, status, headers


def pagination(total: int, page: Page) -> dict[str, int]:
    return {"page": page.number, "per_page": page.size, "total": total,
            "pages": page.count(total)}


def paged(items: list[Any], total: int, page: Page) -> dict[str, Any]:
    return {"items": items, "position": g.get("read_position", 0),
            "pagination": pagination(total, page)}


def page_from(query: dict[str, Any]) -> Page:
    return Page(query["page"], query["per_page"])


def invalid(field: str, reason: str) -> UnprocessableEntity:
    """A 422 for a part of the address, in the same shape as a body field's."""
    error = UnprocessableEntity()
    error.data = {"messages": {"path": {field: [reason]}}}
    return error
