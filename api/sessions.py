"""Browser sessions (会话) kept on the server, in the web state (api/web_state.py).

Rule: the cookie carries only a random session id (256 bits, signed with the server's secret);
the row it names holds who signed in, their password's fingerprint, the secret behind the form
token (CSRF; Flask-WTF signs tokens from it, api/auth.py checks them) and when it expires (8 hours
after signing in). Ending a session deletes its row, so a copy of the cookie is worthless on every
worker and host: signing out ends it, a changed password ends every session signed in with the old
one, and a user who lost their last role is signed out everywhere.

A visitor who has not signed in gets a cookie only when a page carries a form token (the sign-in
page), and no row: their secret is derived from their id, so a crowd of visitors writes nothing.
Signing in brings a new id and a new secret, so no token handed out before is good after.

Why not Flask-Session: its SQL backends need SQLAlchemy, which nothing else here uses; this is a
small SessionInterface over our own table instead.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import Any

from flask import Flask, Request, Response, current_app, g, session
from flask import request as current_request
from flask.sessions import SessionInterface, SessionMixin
from itsdangerous import BadSignature, Signer
from werkzeug.datastructures import CallbackDict

from api.web_state import WebState
from ledger.identity import User

SALT = "sunlight-session-id"
TOUCH_EVERY = 60.0  # seconds: how stale "last seen" may get, so that reading is not a write
# Where Flask-WTF keeps the form token's secret in the session (its WTF_CSRF_FIELD_NAME, also the
# form field's name), and where it keeps this request's signed token in `g`.
TOKEN_KEY = "csrf_token"


def fingerprint(user: User) -> str:
    """Changes whenever the password does."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:32]


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class WebSession(CallbackDict[str, Any], SessionMixin):
    """One request's view of its session: login, fingerprint, the form token's secret (TOKEN_KEY)
    and had_role when signed in; only the derived secret when not."""

    def __init__(self, data: dict[str, Any], session_id: str, *, stored: bool,
                 has_cookie: bool, last_seen: float = 0.0) -> None:
        def on_update(this: WebSession) -> None:
            this.modified = True
        super().__init__(data, on_update)
        self.session_id, self.stored, self.has_cookie = session_id, stored, has_cookie
        self.last_seen = last_seen
        self.modified = False
        self.ended = False  # cleared: the stored row (if any) goes, and any new one gets a new id

    def clear(self) -> None:
        self.ended = True
        super().clear()


class WebSessionInterface(SessionInterface):
    def __init__(self, state: WebState) -> None:
        self.state = state

    # -- the cookie ---------------------------------------------------------------------------

    def _signer(self, app: Flask) -> Signer:
        keys = [*(app.config.get("SECRET_KEY_FALLBACKS") or ()), app.secret_key]
        return Signer(keys, salt=SALT)  # type: ignore[arg-type]

    def get_cookie_secure(self, app: Flask) -> bool:
        # Secure whenever the request came over TLS (directly, or via a trusted proxy).
        return current_request.is_secure or bool(app.config["SESSION_COOKIE_SECURE"])

    def _anonymous_secret(self, app: Flask, session_id: str) -> str:
        key = str(app.secret_key).encode()
        return hmac.new(key, b"csrf:" + session_id.encode(), hashlib.sha256).hexdigest()

    def _set_cookie(self, app: Flask, response: Response, session_id: str) -> None:
        response.set_cookie(
            self.get_cookie_name(app), self._signer(app).sign(session_id).decode(),
            httponly=self.get_cookie_httponly(app), domain=self.get_cookie_domain(app),
            path=self.get_cookie_path(app), secure=self.get_cookie_secure(app),
            samesite=self.get_cookie_samesite(app))
        response.vary.add("Cookie")

    # -- Flask's two calls --------------------------------------------------------------------

    def open_session(self, app: Flask, request: Request) -> WebSession:
        session_id = None
        if sent := request.cookies.get(self.get_cookie_name(app)):
            try:
                session_id = self._signer(app).unsign(sent).decode()
            except BadSignature:
                session_id = None  # forged or signed with an old key: never reaches the database
        if session_id:
            with self.state.reading() as sql:
                row = sql.execute(
                    "SELECT login, fingerprint, csrf, had_role, last_seen FROM web_sessions "
                    "WHERE id_digest = :id AND expires_at > :now",
                    {"id": _digest(session_id), "now": time.time()}).one()
            if row:
                last_seen = float(row.pop("last_seen"))
                row["had_role"] = bool(row["had_role"])
                row[TOKEN_KEY] = row.pop("csrf")
                return WebSession(row, session_id, stored=True, has_cookie=True,
                                  last_seen=last_seen)
        has_cookie = session_id is not None
        session_id = session_id or secrets.token_urlsafe(32)
        return WebSession({TOKEN_KEY: self._anonymous_secret(app, session_id)}, session_id,
                          stored=False, has_cookie=has_cookie)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if not isinstance(session, WebSession):
            return
        now = time.time()
        if session.get("login") and (session.ended or not session.stored):
            self._begin(app, session, response, now)
        elif session.ended:
            if session.stored:
                end(self.state, "id_digest = :id", id=_digest(session.session_id))
            response.delete_cookie(
                self.get_cookie_name(app), domain=self.get_cookie_domain(app),
                path=self.get_cookie_path(app), secure=self.get_cookie_secure(app),
                samesite=self.get_cookie_samesite(app), httponly=self.get_cookie_httponly(app))
            response.vary.add("Cookie")
        elif session.stored:
            if now - session.last_seen >= TOUCH_EVERY:
                with self.state.transaction() as sql:
                    sql.execute("UPDATE web_sessions SET last_seen = :now WHERE id_digest = :id",
                                {"now": now, "id": _digest(session.session_id)})
        elif TOKEN_KEY in g and not session.has_cookie:
            # A form token went out on this answer (Flask-WTF keeps it in `g`): without the
            # cookie naming the session it was derived from, it could never be checked.
            self._set_cookie(app, response, session.session_id)

    def _begin(self, app: Flask, session: WebSession, response: Response, now: float) -> None:
        """A new sign-in: a new id, never the one the browser had (which anyone may have planted
        there), and a new row."""
        session_id = secrets.token_urlsafe(32)
        lifetime = app.permanent_session_lifetime.total_seconds()
        with self.state.transaction() as sql:
            sql.execute("DELETE FROM web_sessions WHERE expires_at <= :now", {"now": now})
            if session.stored:
                sql.execute("DELETE FROM web_sessions WHERE id_digest = :id",
                            {"id": _digest(session.session_id)})
            sql.execute(
                "INSERT INTO web_sessions (id_digest, login, fingerprint, csrf, had_role, "
                "created_at, last_seen, expires_at) VALUES (:id, :login, :fingerprint, :csrf, "
                ":had_role, :now, :now, :expires)",
                {"id": _digest(session_id), "login": session["login"],
                 "fingerprint": session["fingerprint"], "csrf": session[TOKEN_KEY],
                 "had_role": int(bool(session.get("had_role"))), "now": now,
                 "expires": now + lifetime})
        self._set_cookie(app, response, session_id)


def end(state: WebState, where: str, **params: Any) -> None:
    with state.transaction() as sql:
        sql.execute(f"DELETE FROM web_sessions WHERE {where}", params)


def _interface() -> WebSessionInterface:
    interface = current_app.session_interface
    assert isinstance(interface, WebSessionInterface)
    return interface


def _current() -> WebSession:
    current = session._get_current_object()  # type: ignore[attr-defined]
    assert isinstance(current, WebSession)
    return current


def sign_in(user: User) -> None:
    """This browser is now signed in as `user` (the row is written as the answer goes out)."""
    current = _current()
    current.clear()
    # Its own random secret, kept in its row; a token signed earlier in this request (from the
    # visitor's secret) must not be put on the next page.
    current.update(login=user.login, fingerprint=fingerprint(user), had_role=bool(user.roles),
                   **{TOKEN_KEY: secrets.token_urlsafe(32)})
    g.pop(TOKEN_KEY, None)


def sign_out() -> None:
    _current().clear()


def keeps_session(user: User) -> bool:
    """Whether this request's session may go on as `user`. When it may not, it ends here, and
    with it every other session of the user that ends for the same reason."""
    current, state = _current(), _interface().state
    now_fingerprint = fingerprint(user)
    if not hmac.compare_digest(str(current.get("fingerprint", "")), now_fingerprint):
        # A changed password: every session signed in with an older one ends.
        end(state, "login = :login AND fingerprint <> :fingerprint", login=user.login,
            fingerprint=now_fingerprint)
        current.clear()
        return False
    if user.roles:
        if not current.get("had_role"):
            # Remembered, so that losing this role later ends the session.
            with state.transaction() as sql:
                sql.execute("UPDATE web_sessions SET had_role = 1 WHERE id_digest = :id",
                            {"id": _digest(current.session_id)})
            current["had_role"] = True
        return True
    if current.get("had_role"):
        # The last role is gone: no session of theirs goes on. One never granted a role keeps
        # theirs, to see the desk's "ask for a role" page.
        end(state, "login = :login", login=user.login)
        current.clear()
        return False
    return True
