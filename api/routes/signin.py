"""Signing in from a browser: a form, a session kept on the server (api/web_sessions.py), sign-out.
Failed attempts are limited per
address and login name, so passwords cannot be guessed at speed."""

from __future__ import annotations

import threading
import time
from collections import deque

from flask import Blueprint, redirect, render_template, request
from werkzeug.wrappers import Response

from api import web_sessions
from api.auth import PUBLIC, csrf_ok, csrf_token, rule
from api.errors import error_response
from api.i18n import _
from api.services import services

pages = Blueprint("signin", __name__, template_folder="../templates")

WINDOW = 15 * 60.0
MAX_FAILURES = 5


class Attempts:
    """Failed sign-ins per key in a sliding window. Kept per process: with several workers the
    limit is per worker, which still turns thousands of guesses into a handful."""

    def __init__(self, window: float = WINDOW, limit: int = MAX_FAILURES) -> None:
        self.window, self.limit = window, limit
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and now - failures[0] > self.window:
            failures.popleft()
        return failures

    def wait_for(self, key: str) -> float:
        """Seconds until another attempt is allowed; 0 when it is allowed now."""
        now = time.monotonic()
        with self._lock:
            failures = self._recent(key, now)
            return self.window - (now - failures[0]) if len(failures) >= self.limit else 0.0

    def failed(self, key: str) -> None:
        with self._lock:
            self._recent(key, time.monotonic()).append(time.monotonic())

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


attempts = Attempts()


def _safe_next(target: str | None) -> str:
    # Only paths of this site: an open redirect would hand a signed-in user to anyone.
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


@pages.route("/login", methods=["GET", "POST"])
@rule(PUBLIC)
def login() -> Response | str | tuple[str, int]:
    if request.method == "GET":
        return render_template("login.html", next=_safe_next(request.args.get("next")),
                               csrf=csrf_token(), error=None)
    login_name = request.form.get("login", "").strip().lower()
    key = f"{request.remote_addr}|{login_name}"
    if not csrf_ok():
        return error_response(403, "csrf", "the form is out of date; reload the page")
    wait = attempts.wait_for(key)
    if wait:
        return error_response(429, "too_many_requests",
                              f"too many failed sign-ins; try again in {int(wait / 60) + 1} "
                              "minutes", headers={"Retry-After": str(int(wait) + 1)})
    user = services().ledger.authenticate_password(login_name, request.form.get("password", ""))
    if user is None:
        attempts.failed(key)
        return render_template("login.html", next=_safe_next(request.form.get("next")),
                               csrf=csrf_token(), error=_("Wrong login or password")), 401
    attempts.succeeded(key)
    web_sessions.sign_in(user)  # a new session id, so one planted before sign-in is worthless
    return redirect(_safe_next(request.form.get("next")), code=303)


@pages.route("/logout", methods=["POST"])
@rule(PUBLIC)
def logout() -> Response:
    if csrf_ok():
        web_sessions.sign_out()  # its row goes, so a copy of the cookie opens nothing anywhere
    return redirect("/", code=303)
