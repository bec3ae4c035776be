"""A stored event names its class by topic ("ledger.vouchers:Voucher.Posted"), and the store keeps
it for thirty years: so an aggregate and its events keep the topic they were first stored under,
wherever their code lives now. New events are written under it, old ones resolve by it, and a
query by topic finds both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from eventsourcing.domain import Aggregate
from eventsourcing.utils import register_topic

A = TypeVar("A", bound=type)


def stored_as(module: str) -> Callable[[A], A]:
    """Class decorator: this aggregate and every event class nested in it keep the topics of
    `module`, the module they were first stored from (the library reads `TOPIC`)."""

    def keep(aggregate: A) -> A:
        for cls in (aggregate, *_events(aggregate)):
            topic = f"{module}:{cls.__qualname__}"
            cls.TOPIC = topic  # type: ignore[attr-defined]
            register_topic(topic, cls)
        return aggregate

    return keep


def _events(aggregate: type) -> list[type]:
    return [value for value in vars(aggregate).values()
            if isinstance(value, type) and issubclass(value, Aggregate.Event)]
