"""The one table that turns errors into HTTP answers, and the one JSON shape every error has:

    {"error": {"status": 422, "code": "...", "message": "...",
               "errors": [{"field": "lines[1].debit", "reason": "..."}], "context": {...}}}
"""

from __future__ import annotations

import logging
from typing import Any

from eventsourcing.persistence import OperationalError
from flask import Flask, Response, g, jsonify
from werkzeug.exceptions import HTTPException

from ledger.kernel.errors import Conflict, InvalidCommand, LedgerError, NotFound

log = logging.getLogger("sunlight.api")

# Domain error family -> HTTP status. The most specific class listed wins.
STATUS_OF: dict[type[LedgerError], int] = {
    InvalidCommand: 422,
    Conflict: 409,
    NotFound: 404,
}

HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 414: "uri_too_long",
    415: "unsupported_media_type", 417: "expectation_failed", 422: "invalid_request",
    429: "too_many_requests", 431: "headers_too_large", 500: "internal_error",
    501: "not_implemented", 503: "unavailable",
}


class ReadModelBehind(Exception):
    """The read models have not yet reached the position a reader asked for."""


class BeyondLogHead(InvalidCommand):
    """A reader asked to wait for a position no write has reached: waiting could not help."""

    code = "beyond_log_head"


def refuse_beyond_head(after: int, head: int) -> None:
    """Refused at once: waiting out the timeout would hold a worker thread for nothing."""
    if after > head:
        raise BeyondLogHead(f"position {after} is beyond the head of the event log, {head}",
                            field="after", log_head=head)


def error_response(status: int, code: str, message: str,
                   errors: list[dict[str, Any]] | None = None,
                   context: dict[str, Any] | None = None,
                   headers: dict[str, str] | None = None) -> Response:
    body: dict[str, Any] = {"status": status, "code": code, "message": message,
                            "errors": errors or [], "request_id": g.get("request_id", "")}
    if context:
        body["context"] = context
    response = jsonify({"error": body})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def flatten(messages: Any, prefix: str = "") -> list[dict[str, Any]]:
    """marshmallow's nested messages as a list of (field path, reason)."""
    if isinstance(messages, str):
        return [{"field": prefix or None, "reason": messages}]
    if isinstance(messages, list):
        # Two rules of one field may refuse a value in the same words: say it once.
        found = [item for message in messages for item in flatten(message, prefix)]
        return [item for at, item in enumerate(found) if item not in found[:at]]
    found = []
    for key, value in messages.items():
        if key == "_schema":
            path = prefix
        elif isinstance(key, int):
            path = f"{prefix}[{key}]"
        else:
            path = f"{prefix}.{key}" if prefix else str(key)
        found.extend(flatten(value, path))
    return found


def status_of(error: LedgerError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_OF:
            return STATUS_OF[cls]
    return 500


def ledger_error(error: LedgerError) -> Response:
    errors = [{"field": error.field, "reason": error.message}] if error.field else []
    return error_response(status_of(error), error.code, error.message, errors,
                          {k: v for k, v in error.context.items() if v is not None})


def http_error(error: HTTPException) -> Response:
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    if messages:
        # webargs keys messages by where they were read from: json, query, headers...
        errors = [item for location in messages.values() for item in flatten(location)]
        detail = "; ".join(f"{e['field']}: {e['reason']}" if e["field"] else e["reason"]
                           for e in errors)
        return error_response(status, HTTP_CODES.get(status, "error"), detail, errors,
                              headers=data.get("headers"))
    # Werkzeug's own headers carry meaning: 405 names the methods allowed (Allow).
    kept = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
    return error_response(status, HTTP_CODES.get(status, "error"),
                          error.description or error.name, headers=kept)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(LedgerError, ledger_error)
    app.register_error_handler(HTTPException, http_error)

    @app.errorhandler(ReadModelBehind)
    def _behind(error: ReadModelBehind) -> Response:
        return error_response(503, "read_model_behind", str(error), headers={"Retry-After": "1"})

    @app.errorhandler(OperationalError)
    def _storage_busy(error: OperationalError) -> Response:
        log.warning("storage unavailable: %s", error)
        return error_response(503, "storage_unavailable",
                              "the database is busy or unreachable; try again",
                              headers={"Retry-After": "1"})

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        log.exception("unexpected error")
        return error_response(500, "internal_error", "an unexpected error; it has been logged")
