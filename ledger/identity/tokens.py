"""An API token lets a program act as the user who made it. The secret is shown once and only
its SHA-256 is kept (it is random and long, so a slow hash adds nothing); a token can expire and
can be revoked, and either ends it at once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime
from uuid import UUID, uuid4

from ledger.identity.errors import InvalidUser, TokenAlreadyRevoked
from ledger.kernel.aggregate import LedgerAggregate
from ledger.kernel.topics import stored_as

PREFIX = "slt"
TOKEN = re.compile(rf"{PREFIX}_([0-9a-f]{{32}})_([A-Za-z0-9_-]{{43}})")
MAX_LABEL = 100


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse(token: str) -> tuple[UUID, str] | None:
    """The token's id and secret, or None if it is not a token at all."""
    match = TOKEN.fullmatch(token or "")
    return (UUID(match.group(1)), match.group(2)) if match else None


@stored_as("ledger.tokens")
class ApiToken(LedgerAggregate):
    class Issued(LedgerAggregate.Created):
        login: str
        label: str
        secret_hash: str
        expires_at: datetime | None

    class Revoked(LedgerAggregate.Event):
        reason: str

        def apply(self, token: ApiToken) -> None:
            token.revoked_at = self.timestamp

    def __init__(self, login: str, label: str, secret_hash: str,
                 expires_at: datetime | None) -> None:
        self.login = login
        self.label = label
        self.secret_hash = secret_hash
        self.expires_at = expires_at
        self.revoked_at: datetime | None = None

    @classmethod
    def issue(cls, *, login: str, label: str, expires_at: datetime | None, now: datetime,
              actor: str) -> tuple[ApiToken, str]:
        """The new token and its plaintext, which exists only in this return value."""
        label = (label or "").strip()
        if not label or len(label) > MAX_LABEL:
            raise InvalidUser(f"1–{MAX_LABEL} characters, to tell your tokens apart",
                              field="label")
        if expires_at is not None and expires_at <= now:
            raise InvalidUser("the expiry must be in the future", field="expires_at")
        token_id, secret = uuid4(), secrets.token_urlsafe(32)
        token = cls._create(cls.Issued, id=token_id, login=login, label=label,
                            secret_hash=_digest(secret), expires_at=expires_at, actor=actor)
        return token, f"{PREFIX}_{token_id.hex}_{secret}"

    def is_valid(self, secret: str, now: datetime) -> bool:
        if self.revoked_at is not None:
            return False
        if self.expires_at is not None and now >= self.expires_at:
            return False
        return hmac.compare_digest(self.secret_hash, _digest(secret))

    def revoke(self, *, reason: str, actor: str) -> None:
        if self.revoked_at is not None:
            raise TokenAlreadyRevoked("this token is already revoked", token=str(self.id))
        self.trigger_event(self.Revoked, reason=(reason or "").strip()[:200], actor=actor)
