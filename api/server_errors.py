"""Gunicorn refuses some requests before Flask sees them — a request line over 4094 bytes (414),
headers too many or too large (431), a malformed request line (400) — and answers those in the
same JSON error shape as every other error of the API, instead of its own HTML page.

Installed in each worker by `deploy/gunicorn.conf.py` (post_fork): gunicorn writes every such
answer through `gunicorn.util.write_error`, which this replaces.
"""

from __future__ import annotations

import json
import socket

from gunicorn import util

from api.errors import HTTP_CODES


def json_error(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn.util.write_error's signature; the body is the API's one error shape."""
    body = json.dumps({"error": {
        "status": status_int, "code": HTTP_CODES.get(status_int, "error"),
        "message": mesg or reason, "errors": [], "request_id": ""}},
        ensure_ascii=False, sort_keys=True).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    util.write_nonblock(sock, head.encode("latin-1") + body)


def answer_in_json() -> None:
    util.write_error = json_error
