"""The OpenAPI document names every error an operation can answer, each in the one error shape,
so that a client (or a fuzzer) reading it knows a refusal for a documented one.

The routes document their successes and their own special answers; the refusals every
operation shares (who may call it, what may be missing, what may conflict) are added here, in
one place, from the operation's shape.
"""

from __future__ import annotations

from typing import Any

from apispec import BasePlugin

WRITES = frozenset({"post", "put", "patch", "delete"})


def shared_errors(path: str, method: str, operation: dict[str, Any]) -> dict[str, str]:
    """Status -> the name of flask-smorest's error response component, for one operation."""
    errors = {
        "401": "UNAUTHORIZED",  # no credentials, or credentials that are not valid
        "403": "FORBIDDEN",  # no role here that allows it (or a form's CSRF token is stale)
        # The database is busy, or the read models have not reached `after` in time.
        "503": "SERVICE_UNAVAILABLE",
    }
    if "{" in path or "requestBody" in operation:
        errors["404"] = "NOT_FOUND"  # what the address or the body names does not exist
    if operation.get("parameters") or "requestBody" in operation:
        errors["422"] = "UNPROCESSABLE_ENTITY"
    if "requestBody" in operation:
        errors["400"] = "BAD_REQUEST"  # the body is not JSON, or nested too deeply to read
        errors["413"] = "REQUEST_ENTITY_TOO_LARGE"
    if method in WRITES:
        errors["409"] = "CONFLICT"  # well-formed, but the books' state forbids it
    return errors


class ErrorResponses(BasePlugin):
    """Adds the shared errors to each operation, keeping any answer a route documents itself."""

    def operation_helper(self, path: str | None = None, operations: dict | None = None,
                         **kwargs: Any) -> None:
        for method, operation in (operations or {}).items():
            responses = operation.setdefault("responses", {})
            for status, component in shared_errors(path or "", method, operation).items():
                if status not in responses and int(status) not in responses:
                    responses[status] = component
