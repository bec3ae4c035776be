"""A request sent twice with the same Idempotency-Key is carried out once.

The key is recorded in the same atomic write as the command's own events, naming the aggregate
and version the command produced, so a retry returns exactly the first result and writes nothing.
A key belongs to its scope (who sent it, in which organization, for which operation): the same
key sent by someone else, elsewhere or for another operation is another key, so nobody learns
from a refusal that a key was used outside their own requests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from ledger.kernel.aggregate import LedgerAggregate, stable_id
from ledger.kernel.errors import IdempotencyKeyReused
from ledger.kernel.topics import stored_as


@dataclass(frozen=True)
class RequestKey:
    key: str
    digest: str  # of the request's method, path and canonical body
    scope: str = ""  # e.g. "wang|v1|POST vouchers.Vouchers"; "" only for keys kept before scopes

    @property
    def id(self) -> UUID:
        return IdempotencyKey.id_for(self.key, self.scope)


@stored_as("ledger.idempotency")
class IdempotencyKey(LedgerAggregate):
    class Used(LedgerAggregate.Created):
        class_version = 2
        key: str
        digest: str
        result_id: UUID
        result_version: int
        scope: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["scope"] = ""  # kept before keys were scoped

    def __init__(self, key: str, digest: str, result_id: UUID, result_version: int,
                 scope: str) -> None:
        self.key = key
        self.digest = digest
        self.result_id = result_id
        self.result_version = result_version
        self.scope = scope

    @staticmethod
    def id_for(key: str, scope: str = "") -> UUID:
        if not scope:
            return stable_id("idempotency-key", key)
        # As JSON, so that no scope and key can be confused with another pair.
        return stable_id("idempotency-key-in-scope", json.dumps([scope, key]))

    @classmethod
    def use(cls, request: RequestKey, *, result_id: UUID, result_version: int,
            actor: str) -> IdempotencyKey:
        return cls._create(
            cls.Used,
            id=request.id,
            key=request.key,
            digest=request.digest,
            result_id=result_id,
            result_version=result_version,
            scope=request.scope,
            actor=actor,
        )

    def check_same_request(self, request: RequestKey) -> None:
        if request.digest != self.digest:
            raise IdempotencyKeyReused(
                "this Idempotency-Key was already used for a different request",
                field="Idempotency-Key",
            )
