"""Signing in from a browser: a form, a session kept on the server (api/sessions.py), sign-out.
The form's CSRF token is checked with every other in api/auth.py, even before signing in.
Failed sign-ins are limited per address and login name — five per 15 minutes across every worker
and host (api/rate_limits.py) — so passwords cannot be guessed at speed; a success forgets them.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request
from werkzeug.wrappers import Response

from api import sessions as web_sessions
from api.auth import PUBLIC, csrf_token, form_token_always, principal, rule
from api.errors import error_response
from api.i18n import _
from api.rate_limits import RateLimit, forget_counted, limited, minutes
from api.services import services

pages = Blueprint("signin", __name__)

WINDOW = 15 * 60.0
MAX_FAILURES = 5


def _login_typed() -> str:
    return request.form.get("login", "").strip().lower()


def _too_many_failures(wait: int) -> Response:
    return error_response(429, "too_many_requests", _(
        "Too many failed sign-ins; try again in %(minutes)s minutes.", minutes=minutes(wait)))


FAILED_SIGN_INS = RateLimit(
    MAX_FAILURES, WINDOW, key=lambda: f"{request.remote_addr}|{_login_typed()}",
    # 401 is a wrong login or password; a stale form (403) guesses nothing.
    counts=lambda response: response.status_code == 401,
    refuse=_too_many_failures)


HOME = "/desk/"  # where the day's work starts: the user's villages, not the public landing


def _safe_next(target: str | None) -> str:
    # Only paths of this site: an open redirect would hand a signed-in user to anyone.
    return target if target and target.startswith("/") and not target.startswith("//") \
        else HOME


@pages.route("/login", methods=["GET", "POST"])
@rule(PUBLIC)
@form_token_always
@limited(FAILED_SIGN_INS)
def login() -> Response | str | tuple[str, int]:
    if request.method == "GET":
        return render_template("identity/login.html", next=_safe_next(request.args.get("next")),
                               csrf=csrf_token(), error=None)
    user = services().ledger.identity.authenticate_password(_login_typed(),
                                                            request.form.get("password", ""))
    if user is None:
        return render_template("identity/login.html", next=_safe_next(request.form.get("next")),
                               csrf=csrf_token(), error=_("Wrong login or password")), 401
    forget_counted()
    web_sessions.sign_in(user)  # a new session id, so one planted before sign-in is worthless
    return redirect(_safe_next(request.form.get("next")), code=303)


@pages.route("/logout", methods=["POST"])
@rule(PUBLIC)
def logout() -> Response:
    # A signed-in session's token was checked (api/auth.py); a visitor has nothing to end.
    if principal().signed_in:
        web_sessions.sign_out()  # its row goes, so a copy of the cookie opens nothing anywhere
    return redirect("/", code=303)
