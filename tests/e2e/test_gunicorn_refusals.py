"""End to end: what gunicorn refuses before Flask sees it — a request line over its 4094 bytes,
a header over its 8190 — is answered in the API's one JSON error shape, not gunicorn's HTML.

SQLite only: gunicorn refuses these before anything reads the books.
"""

from __future__ import annotations

import json
import socket

import pytest
import requests

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("storage", ["sqlite"], indirect=True)]


def raw(port: int, request: bytes) -> tuple[str, dict[str, str], bytes]:
    """Send bytes as they are (requests would not send a line this long unchanged)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in
               (line.partition(":") for line in lines)}
    return status, headers, body


def test_a_request_line_too_long_for_gunicorn_is_a_json_414(server):
    path = "/api/v1/orgs?" + "q=" + "x" * 5000
    status, headers, body = raw(server.port, f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())

    assert status.startswith("HTTP/1.1 414"), status
    assert headers["content-type"] == "application/json"
    error = json.loads(body)["error"]
    assert error["status"] == 414 and error["code"] == "uri_too_long"
    assert set(error) == {"status", "code", "message", "errors", "request_id"}


def test_a_header_too_large_for_gunicorn_is_a_json_error(server):
    status, headers, body = raw(server.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
                                             b"X-Big: " + b"y" * 9000 + b"\r\n\r\n")

    assert status.startswith("HTTP/1.1 4"), status
    assert headers["content-type"] == "application/json"
    assert json.loads(body)["error"]["status"] == int(status.split()[1])


def test_a_long_address_gunicorn_takes_is_answered_by_the_api(server):
    response = requests.get(f"{server.url}/api/v1/orgs", params={"page": "9" * 3000},
                            headers={"Authorization": f"Bearer {server.token}"}, timeout=10)

    assert response.status_code == 422
    assert response.json()["error"]["errors"][0]["field"] == "page"
