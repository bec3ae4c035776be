"""An Idempotency-Key makes a POST safe to retry: the key names the request within its scope (the
signed-in user, the organization in the address, the operation), and the digest of its method,
path and canonical JSON body tells a true retry from a different request.

The digest is kept in an event for ever, and a body may carry an ID-card number, whose few
unknown digits a plain hash would give away; so it is keyed with the server's secret.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re

from flask import current_app, request
from werkzeug.exceptions import UnprocessableEntity

from api.auth import principal
from ledger.kernel.idempotency import RequestKey

HEADER = "Idempotency-Key"
_KEY = re.compile(r"[\x21-\x7e]{1,255}")


def request_key() -> RequestKey | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not _KEY.fullmatch(key):
        error = UnprocessableEntity()
        error.data = {"messages": {"headers": {HEADER: [
            "1 to 255 printable ASCII characters, e.g. a UUID"]}}}
        raise error
    body = request.get_json(silent=True)
    if isinstance(body, dict):
        # The digest is kept for ever: an unsalted hash of a password must not be in it.
        body = {k: v for k, v in body.items() if "password" not in k}
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return RequestKey(key=key, digest=kept_digest(
        f"{request.method} {request.path}\n{canonical}".encode()), scope=scope())


def scope() -> str:
    """Whose key this is: two users, two villages or two operations never share a key."""
    org = (request.view_args or {}).get("org", "")
    return f"{principal().login or ''}|{org}|{request.method} {request.endpoint}"


def kept_digest(data: bytes) -> str:
    """A digest that tells requests apart without letting anyone guess what they carried."""
    secret = current_app.secret_key
    key = secret.encode() if isinstance(secret, str) else bytes(secret or b"")
    return hmac.new(key, data, hashlib.sha256).hexdigest()
