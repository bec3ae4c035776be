"""Domain errors carry the rule that was broken, the command field it concerns, and context.

Three families: the command is invalid (InvalidCommand), it conflicts with the state of the books
(Conflict), or it names something that does not exist (NotFound). The HTTP edge maps families.
"""

from __future__ import annotations

from typing import Any


class LedgerError(Exception):
    code = "ledger_error"

    def __init__(self, message: str, *, field: str | None = None, **context: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.context = context


def checked_text(value: str | None, field: str, error: type[LedgerError], *,
                 required: bool = True, limit: int) -> str:
    """A free-text field trimmed: present when required, within its length, else `error`."""
    text = (value or "").strip()
    if required and not text:
        raise error("required", field=field)
    if len(text) > limit:
        raise error(f"at most {limit} characters", field=field)
    return text


class InvalidCommand(LedgerError):
    """The command breaks a rule of the books whatever their state; retrying cannot help."""

    code = "invalid"


class Conflict(LedgerError):
    """The command is well-formed but the books' current state forbids it."""

    code = "conflict"


class NotFound(LedgerError):
    code = "not_found"


class IdempotencyKeyReused(InvalidCommand):
    """The Idempotency-Key was already used for a different request."""

    code = "idempotency_key_reused"


class ConcurrentUpdate(Conflict):
    """Others kept changing the same books; nothing was written. Try again."""

    code = "concurrent_update"
