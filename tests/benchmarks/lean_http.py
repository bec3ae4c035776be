"""A load generator that costs the machine little: one kept-alive HTTP/1.1 connection per client
thread, each request's bytes made before the clock starts, each answer read by its
Content-Length and nothing more.

On a 2-core machine the benchmark's own clients share the cores with the server they measure;
`requests` spends about a millisecond of CPU on each voucher it posts (building the request,
urllib3, parsing the answer's headers), which is CPU the server under test does not get. Clients
of a real centre post from their own desktops. This is for the benchmarks only: it speaks just
enough HTTP to post JSON to `sunlight serve` (gunicorn), and says so when it meets anything else.
"""

from __future__ import annotations

import json
import socket
from typing import Any
from urllib.parse import urlsplit


class LeanError(Exception):
    """The connection broke, or the answer was not one this client can read."""


def request_bytes(base: str, path: str, body: Any, headers: dict[str, str]) -> bytes:
    """A complete POST of `body` as JSON, kept alive, ready to send as it is."""
    host = urlsplit(base).netloc
    payload = json.dumps(body, ensure_ascii=False).encode()
    head = [f"POST {path} HTTP/1.1", f"Host: {host}", "Content-Type: application/json",
            f"Content-Length: {len(payload)}", "Connection: keep-alive"]
    head += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + payload


class LeanConnection:
    """One kept-alive connection; `send` returns the answer's status and body."""

    def __init__(self, base: str, timeout: float) -> None:
        parts = urlsplit(base)
        self._address = (parts.hostname or "127.0.0.1", parts.port or 80)
        self._timeout = timeout
        self._socket: socket.socket | None = None
        self._buffer = b""
        self._answered = False

    def send(self, request: bytes) -> tuple[int, bytes]:
        reused = self._socket is not None
        try:
            return self._exchange(request)
        except (OSError, LeanError):
            self.close()
            if not reused or self._answered:
                raise
            # The server had closed the idle connection before reading a byte of this request
            # (gunicorn keeps one alive 5 s): nothing of it was done, so once more, anew.
            return self._exchange(request)

    def _exchange(self, request: bytes) -> tuple[int, bytes]:
        self._answered = False
        if self._socket is None:
            self._socket = socket.create_connection(self._address, timeout=self._timeout)
            self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._buffer = b""
        self._socket.sendall(request)
        head = self._read_until(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length, close = None, False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding":
                raise LeanError(f"a {value.strip()} answer: this client reads Content-Length only")
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        body = self._read_exactly(length or 0)
        if close:
            self.close()
        return status, body

    def _fill(self) -> None:
        assert self._socket is not None
        chunk = self._socket.recv(65536)
        if not chunk:
            raise LeanError("the server closed the connection")
        self._answered = True
        self._buffer += chunk

    def _read_until(self, marker: bytes) -> bytes:
        while (end := self._buffer.find(marker)) < 0:
            self._fill()
        head, self._buffer = self._buffer[:end], self._buffer[end + len(marker):]
        return head

    def _read_exactly(self, count: int) -> bytes:
        while len(self._buffer) < count:
            self._fill()
        body, self._buffer = self._buffer[:count], self._buffer[count:]
        return body

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        self._buffer = b""
