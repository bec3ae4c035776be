"""Rate limits (限流) with Flask-Limiter, counted in the web state (api/limit_storage.py), so that
a limit holds across every worker and every host: five failed sign-ins are five in all.

Rule: a route declares its limit with `@limited(RateLimit(...))` beside its access rule; only
its POSTs are limited, and only the answers its `counts` picks are counted (a failed sign-in, a
question asked). Once the limit is reached the route's own refusal answers, 429 with Retry-After
and words that say when to try again.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, Response, current_app, make_response, request
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter, RateLimitExceeded, RequestLimit
from flask_limiter.util import get_remote_address

from api.errors import error_response
from api.limit_storage import WebStateLimitStorage, limits_uri
from api.web_state import WebState
from infra.storage import Storage

F = TypeVar("F", bound=Callable[..., Any])
EXTENSION = "sunlight.limiter"


@dataclass(frozen=True)
class RateLimit:
    """At most `amount` counted requests per `window` seconds for each `key`."""

    amount: int
    window: float
    key: Callable[[], str]  # who is counted (stored only as a digest: it may be anything typed)
    counts: Callable[[Response], bool]  # whether this answer counts against the limit
    refuse: Callable[[int], ResponseReturnValue]  # the answer when reached, given seconds to wait

    @property
    def per(self) -> str:
        return f"{self.amount} per {math.ceil(self.window)} second"


def limited(limit: RateLimit) -> Callable[[F], F]:
    """Declare the rate limit of this view function (applied by `init_rate_limits`)."""
    def mark(view: F) -> F:
        view.rate_limit = limit  # type: ignore[attr-defined]
        return view
    return mark


def minutes(seconds: int) -> int:
    """Whole minutes to wait, rounded up: "in 0 minutes" would be a lie."""
    return max(1, math.ceil(seconds / 60))


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _refusal(declared: RateLimit, reached: RequestLimit) -> Response:
    # When the oldest counted request leaves the window, a place is free again.
    wait = max(1, math.ceil(reached.window.reset_time - time.time()))
    response = make_response(declared.refuse(wait))
    response.headers["Retry-After"] = str(wait)
    return response


def _refused(error: RateLimitExceeded) -> Response:
    if error.response is not None:
        return error.response
    return error_response(429, "too_many_requests", "too many requests; try again later")


def init_rate_limits(app: Flask, state: WebState, books: Storage) -> Limiter:
    """One limiter per app, over this app's web state; wraps every view that declared a limit,
    so call it after the blueprints are registered."""
    limiter = Limiter(get_remote_address, app=app, strategy="moving-window",
                      storage_uri=limits_uri(books),
                      storage_options={"web_state": state},  # type: ignore[dict-item]
                      key_prefix="sunlight")
    assert isinstance(limiter.storage, WebStateLimitStorage)
    limited_endpoints: set[str] = set()
    for endpoint, view in list(app.view_functions.items()):
        declared: RateLimit | None = getattr(view, "rate_limit", None)
        if declared is None:
            continue
        limited_endpoints.add(endpoint)
        app.view_functions[endpoint] = limiter.limit(
            declared.per, methods=["POST"],
            key_func=lambda declared=declared: _digest(declared.key()),
            deduct_when=declared.counts,
            on_breach=lambda reached, declared=declared: _refusal(declared, reached),
        )(view)
    # There are no default limits: a route that declared none is exempt before the limiter
    # works out, on every request, that no limit applies to it.
    limiter.request_filter(lambda: request.endpoint not in limited_endpoints)
    app.register_error_handler(RateLimitExceeded, _refused)
    app.extensions[EXTENSION] = limiter
    return limiter


def forget_counted() -> None:
    """Forget what this request's limits have counted for its key (a sign-in that succeeds
    forgets the failures before it)."""
    limiter: Limiter = current_app.extensions[EXTENSION]
    for applied in limiter.current_limits:
        limiter.limiter.clear(applied.limit, *applied.request_args)
