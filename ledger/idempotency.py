"""A request sent twice with the same Idempotency-Key is carried out once.

The key is recorded in the same atomic write as the command's own events, naming the aggregate
and version the command produced, so a retry returns exactly the first result and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from ledger.aggregate import LedgerAggregate, stable_id
from ledger.errors import IdempotencyKeyReused


@dataclass(frozen=True)
class RequestKey:
    key: str
    digest: str  # of the request's method, path and canonical body


class IdempotencyKey(LedgerAggregate):
    class Used(LedgerAggregate.Created):
        key: str
        digest: str
        result_id: UUID
        result_version: int

    def __init__(self, key: str, digest: str, result_id: UUID, result_version: int) -> None:
        self.key = key
        self.digest = digest
        self.result_id = result_id
        self.result_version = result_version

    @staticmethod
    def id_for(key: str) -> UUID:
        return stable_id("idempotency-key", key)

    @classmethod
    def use(cls, request: RequestKey, *, result_id: UUID, result_version: int,
            actor: str) -> IdempotencyKey:
        return cls._create(
            cls.Used,
            id=cls.id_for(request.key),
            key=request.key,
            digest=request.digest,
            result_id=result_id,
            result_version=result_version,
            actor=actor,
        )

    def check_same_request(self, request: RequestKey) -> None:
        if request.digest != self.digest:
            raise IdempotencyKeyReused(
                "this Idempotency-Key was already used for a different request",
                field="Idempotency-Key",
            )
