"""Who is asking, and may they: every endpoint declares one access rule, and a request to an
endpoint without one is refused, so a new endpoint is closed until someone decides who may use it.

Programs send `Authorization: Bearer <token>`; the browser pages use a session kept on the server
(api/sessions.py; the cookie only names it) and a CSRF token on every form. No credentials
→ 401; credentials without the right role in that organization → 403, worded the same whether or
not the organization exists.

CSRF has one check, Flask-WTF's CSRFProtect, run here: every unsafe request a signed-in session
vouches for needs the form field `csrf_token` or the header `X-CSRF-Token`, and so does the
sign-in form (`@form_token_always`) — else 403 "csrf". A Bearer token is no cookie a forger's page
could borrow, and a visitor who has not signed in has nothing to borrow, so neither is checked.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, request, session
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf

from api import sessions as web_sessions
from api.errors import error_response
from api.services import services
from ledger.identity import EVERY_ORG, ORG_ROLES, User, UserNotFound
from ledger.kernel.aggregate import begin_request, end_request

F = TypeVar("F", bound=Callable[..., Any])
_REQUEST_ID_HEADER = re.compile(r"[A-Za-z0-9._:-]{1,100}")
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
csrf = CSRFProtect()


@dataclass(frozen=True)
class Principal:
    """The signed-in user as far as access is concerned; login None is the public."""

    login: str | None = None
    display_name: str = ""
    roles: dict[str, frozenset[str]] = field(default_factory=dict)
    via: str = ""  # "token" or "session"

    @classmethod
    def of(cls, user: User, via: str) -> Principal:
        return cls(user.login, user.display_name,
                   {org: frozenset(roles) for org, roles in user.roles.items()}, via)

    @property
    def signed_in(self) -> bool:
        return self.login is not None

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles.get(EVERY_ORG, ())

    def roles_in(self, org: str) -> frozenset[str]:
        return self.roles.get(org, frozenset()) | self.roles.get(EVERY_ORG, frozenset())

    def visible_orgs(self) -> set[str] | None:
        """The organizations whose books this principal may read; None means all of them."""
        if self.is_admin or "auditor" in self.roles.get(EVERY_ORG, ()):
            return None
        return {org for org, roles in self.roles.items() if roles & set(ORG_ROLES)}


@dataclass(frozen=True)
class Rule:
    name: str
    allows: Callable[[Principal, str | None], bool]
    public: bool = False

    def __or__(self, other: Rule) -> Rule:
        return Rule(f"{self.name} or {other.name}",
                    lambda who, org: self.allows(who, org) or other.allows(who, org))


def in_org(*roles: str) -> Rule:
    return Rule("/".join(roles), lambda who, org: org is not None
                and bool(who.roles_in(org) & set(roles)))


PUBLIC = Rule("public", lambda who, org: True, public=True)
SIGNED_IN = Rule("signed in", lambda who, org: who.signed_in)
ADMIN = Rule("admin", lambda who, org: who.is_admin)
READ_BOOKS = in_org("accountant", "committee", "supervisor", "finance_lead", "auditor")
KEEP_BOOKS = in_org("accountant")

# Endpoints that are not views of ours (Flask's and flask-smorest's own).
_BUILT_IN = {"static": PUBLIC, "api-docs.openapi_json": PUBLIC}


def rule(access: Rule) -> Callable[[F], F]:
    """Declare who may call this view method."""
    def mark(method: F) -> F:
        method.access_rule = access  # type: ignore[attr-defined]
        return method
    return mark


def form_token_always(view: F) -> F:
    """This form needs its token even from a visitor who has not signed in: the sign-in form,
    lest a forger's page sign a victim in as the forger."""
    view.form_token_always = True  # type: ignore[attr-defined]
    return view


def rule_for(app: Flask, endpoint: str, method: str) -> Rule | None:
    if endpoint in _BUILT_IN:
        return _BUILT_IN[endpoint]
    view = app.view_functions.get(endpoint)
    if method == "HEAD":
        method = "GET"
    target = getattr(getattr(view, "view_class", None), method.lower(), view)
    return getattr(target, "access_rule", None)


def _authenticate() -> Principal | None:
    """The principal of this request; None when it presented credentials that are not valid."""
    ledger = services().ledger
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        bearer = scheme.lower() == "bearer"
        user = ledger.identity.authenticate_token(token.strip()) if bearer else None
        return Principal.of(user, "token") if user else None
    login = session.get("login")
    if login:
        try:
            user = ledger.identity.user(login)
        except UserNotFound:
            return None
        # A changed password or a lost last role ends the session here, on every worker.
        if web_sessions.keeps_session(user):
            return Principal.of(user, "session")
    return Principal()


def csrf_token() -> str:
    """This session's form token (signed by Flask-WTF from the session's secret)."""
    return str(generate_csrf())


def _check_form_token(principal: Principal) -> None:
    """Raises CSRFError when a request that a cookie vouches for lacks its form token."""
    if principal.via == "token":
        return  # an Authorization header is nothing a forger's page can make a browser send
    view = current_app.view_functions.get(request.endpoint or "")
    if principal.via == "session" or getattr(view, "form_token_always", False):
        # With the exemptions: a view marked `csrf.exempt` is the one way to opt out, and
        # tests/api/test_csrf.py lists every unsafe route that does.
        csrf.protect(apply_exemptions=True)


def form_out_of_date(_error: CSRFError | None = None) -> Response:
    return error_response(403, "csrf", "the form is out of date; reload the page")


def _begin_request() -> Response | None:
    sent = request.headers.get("X-Request-Id", "")
    g.request_id = sent if _REQUEST_ID_HEADER.fullmatch(sent) else uuid.uuid4().hex
    g.request_id_token = begin_request(g.request_id)
    if request.endpoint is None or request.method == "OPTIONS":
        return None  # no such route (404) or the method list; nothing is read or written
    access = rule_for(current_app, request.endpoint, request.method)
    if access is None:
        current_app.logger.error("no access rule for %s %s", request.method, request.endpoint)
        return error_response(403, "forbidden", "this endpoint has no access rule")
    principal = _authenticate()
    if principal is None:
        return error_response(401, "unauthorized", "the credentials are not valid",
                              headers={"WWW-Authenticate": "Bearer"})
    g.principal = principal
    if access.public:
        _check_form_token(principal)
        return None
    if not principal.signed_in:
        return error_response(401, "unauthorized", "sign in, or send an API token",
                              headers={"WWW-Authenticate": "Bearer"})
    if not access.allows(principal, (request.view_args or {}).get("org")):
        return error_response(403, "forbidden", "you may not do this here")
    _check_form_token(principal)
    return None


def _end_request(response: Response) -> Response:
    response.headers["X-Request-Id"] = g.get("request_id", "")
    return response


def _reset_request(_error: BaseException | None) -> None:
    token = g.pop("request_id_token", None)
    if token is not None:
        end_request(token)


def principal() -> Principal:
    return g.get("principal") or Principal()


def actor() -> str:
    """Who the events of this request are recorded as."""
    login = principal().login
    if login is None:
        raise RuntimeError("a write reached a route without a signed-in principal")
    return login


def _configure_csrf(app: Flask) -> None:
    app.config.update(
        WTF_CSRF_CHECK_DEFAULT=False,  # checked in _begin_request, once the principal is known
        WTF_CSRF_METHODS=set(UNSAFE),
        WTF_CSRF_FIELD_NAME=web_sessions.TOKEN_KEY,  # also the secret's key in the session
        WTF_CSRF_HEADERS=["X-CSRF-Token"],
        # A token lives as long as its secret: the session's 8 hours, as the session row says.
        WTF_CSRF_TIME_LIMIT=None,
        # No Referer check over TLS: the token is bound to a session kept on the server and the
        # cookie is SameSite=Lax; browsers and proxies that drop the Referer would be refused.
        WTF_CSRF_SSL_STRICT=False,
    )
    csrf.init_app(app)
    app.register_error_handler(CSRFError, form_out_of_date)


def init_auth(app: Flask) -> None:
    _configure_csrf(app)
    app.before_request(_begin_request)
    app.after_request(_end_request)
    app.teardown_request(_reset_request)
    # Templates call csrf_token(), which Flask-WTF's init_app provides.
    app.jinja_env.globals["principal"] = principal
