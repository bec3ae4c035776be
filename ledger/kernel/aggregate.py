"""Every fact in the books is an event that records who did it, in which request, and when.

The base aggregate adds the actor and the request id to every event; the library adds the
timestamp. Dates travel as ISO text so that a stored event stays readable for thirty years.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import fields
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Transcoding

from ledger.kernel.text import check_all_clean

# Stable root for the deterministic ids of organizations, books and vouchers: changing it would
# orphan every stored aggregate, so it is part of the storage contract.
NAMESPACE = uuid5(NAMESPACE_URL, "https://sunlight-ledger.org/ids")


def stable_id(*parts: str) -> UUID:
    return uuid5(NAMESPACE, "/".join(parts))


# The request a command serves is not a business input of any rule, yet every event must name
# it; the application sets it around each command instead of threading it through every method.
_REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="")


def begin_request(request_id: str) -> Token[str]:
    """Stamp `request_id` on every event triggered until `end_request`."""
    return _REQUEST_ID.set(request_id)


def end_request(token: Token[str]) -> None:
    _REQUEST_ID.reset(token)


@contextmanager
def serving(request_id: str) -> Iterator[None]:
    token = begin_request(request_id)
    try:
        yield
    finally:
        end_request(token)


class LedgerAggregate(Aggregate):
    class Event(Aggregate.Event):
        actor: str
        request_id: str

    class Created(Event, Aggregate.Created):
        pass

    # The last guard of every door (API, forms, sheets, command line): no event is made that holds
    # a text a read model could not store or a printed sheet could not show (ledger/text.py).
    def trigger_event(self, event_class: Any, **kwargs: Any) -> None:
        kwargs.setdefault("request_id", _REQUEST_ID.get())
        check_all_clean(kwargs)
        super().trigger_event(event_class, **kwargs)

    @classmethod
    def _create(cls, event_class: Any, *, id: Any = None, **kwargs: Any) -> Any:
        kwargs.setdefault("request_id", _REQUEST_ID.get())
        check_all_clean(kwargs)
        return super()._create(event_class, id=id, **kwargs)


class DateAsISO(Transcoding):
    type = date
    name = "date"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


def dataclass_transcoding(cls: type, name: str) -> Transcoding:
    """A snapshot keeps an aggregate's records (a member, a household, a share class) as their
    fields; `name` is stored with each one, so it is part of the storage contract."""

    class _AsFields(Transcoding):
        type = cls

        def encode(self, obj: Any) -> dict[str, Any]:
            return {f.name: getattr(obj, f.name) for f in fields(obj)}

        def decode(self, data: dict[str, Any]) -> Any:
            return cls(**data)

    _AsFields.name = name
    return _AsFields()
