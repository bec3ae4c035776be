"""Every fact in the books is an event that records who did it and when.

The base aggregate adds the actor to every event; the library adds the timestamp. Dates travel
as ISO text so that a stored event stays readable for the thirty years the archive is kept.
"""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Transcoding

# Stable root for the deterministic ids of organizations, books and vouchers: changing it would
# orphan every stored aggregate, so it is part of the storage contract.
NAMESPACE = uuid5(NAMESPACE_URL, "https://sunlight-ledger.org/ids")


def stable_id(*parts: str) -> UUID:
    return uuid5(NAMESPACE, "/".join(parts))


class LedgerAggregate(Aggregate):
    class Event(Aggregate.Event):
        actor: str

    class Created(Event, Aggregate.Created):
        pass


class DateAsISO(Transcoding):
    type = date
    name = "date"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)
