"""One CSRF check for the whole app (Flask-WTF's CSRFProtect, run in api/auth.py), proved from the
app's URL map: every unsafe route that a signed-in browser's cookie could be made to call refuses
it without the form token, and a program with an API token needs none. A route exempted by
mistake, or added without the check, fails here.

Tokens are signed from a secret kept in the session on the server, so signing in or out voids
every token handed out before."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from api import create_app
from api.auth import UNSAFE, csrf
from infra.storage import Storage
from tests.api.conftest import FAST_HASHER, make_user, signed_in
from tests.conftest import Clock

ORG = "va"
PASSWORD = "a long password"
# Between them these may call every route of the village ORG (tests/api/test_authorization.py
# proves who may call what); each one's browser is refused for the token alone, or for its role.
PRINCIPALS: dict[str, tuple[tuple[str, str], ...]] = {
    "admin": (("*", "admin"),),
    "accountant": ((ORG, "accountant"),),
    "committee": ((ORG, "committee"),),
    "supervisor": ((ORG, "supervisor"),),
    "finance_lead": ((ORG, "finance_lead"),),
    "auditor": ((ORG, "auditor"),),
}
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, dict[str, str]]]:
    """One village and one user per principal; the check reads no book, so one SQLite store
    serves the module."""
    path = tmp_path_factory.mktemp("csrf")
    app = create_app(Storage(f"sqlite:///{path / 'events.sqlite'}", Path(path)),
                     clock=Clock(), passwords=FAST_HASHER)
    app.extensions["sunlight"].ledger.books.register_organization(
        code=ORG, name_zh="一村", kind="village_collective", books_start=date(2025, 1, 1),
        actor="test")
    tokens = {name: make_user(app, name, *grants) for name, grants in PRINCIPALS.items()}
    yield app, tokens
    app.extensions["sunlight"].close()


def browser_of(app: Flask, login: str) -> FlaskClient:
    """A browser signed in through the sign-in form, holding only its session cookie."""
    browser = app.test_client()
    token = TOKEN.search(browser.get("/login").get_data(as_text=True)).group(1)
    response = browser.post("/login", data={"login": login, "password": PASSWORD,
                                            "csrf_token": token})
    assert response.status_code == 303
    return browser


def page_token(browser: FlaskClient) -> str:
    """The token the home page's sign-out form carries for this browser."""
    return TOKEN.search(browser.get("/").get_data(as_text=True)).group(1)


def unsafe_routes(app: Flask) -> Iterator[tuple[str, str, str]]:
    """(endpoint, method, URL) of every unsafe route, its variables filled with stand-ins: the
    check comes before any view looks them up."""
    for url_rule in app.url_map.iter_rules():
        for method in sorted(url_rule.methods & UNSAFE):
            url = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: ORG if m.group(2) == "org" else (
                "2025" if m.group(1) == "int" else "x1"), url_rule.rule)
            yield url_rule.endpoint, method, url


def error_code(response: TestResponse) -> str:
    body = response.get_json(silent=True)
    return body.get("error", {}).get("code", "") if isinstance(body, dict) else ""


def not_refused_for_the_token(app: Flask, browsers: dict[str, FlaskClient]) -> list[str]:
    """Each unsafe route, called by every signed-in browser without a token: some browser must
    be refused for the token, and none may reach the view (only the token or a role refuses)."""
    found = []
    for endpoint, method, url in unsafe_routes(app):
        answers = {who: browser.open(url, method=method, json={})
                   for who, browser in browsers.items()}
        codes = {who: (r.status_code, error_code(r)) for who, r in answers.items()}
        if (403, "csrf") not in codes.values():
            found.append(f"{method} {url} ({endpoint}): {codes}")
        found += [f"{method} {url} as {who}: {code}" for who, code in codes.items()
                  if code not in ((403, "csrf"), (403, "forbidden"))]
    return found


@pytest.fixture(scope="module")
def browsers(world: tuple[Flask, dict[str, str]]) -> dict[str, FlaskClient]:
    app, _ = world
    return {who: browser_of(app, who) for who in PRINCIPALS}


def test_every_unsafe_route_refuses_a_signed_in_browser_without_its_token(world, browsers):
    app, _ = world
    assert len(list(unsafe_routes(app))) > 60
    problems = not_refused_for_the_token(app, browsers)
    assert not problems, "\n".join(problems)


def test_a_route_exempted_by_mistake_is_caught(world, browsers, monkeypatch):
    app, _ = world
    monkeypatch.setattr(csrf, "_exempt_views", set())  # restored after the test
    # The sign-in form: its view, reached without a token, signs nobody in and nobody out.
    csrf.exempt(app.view_functions["signin.login"])
    problems = not_refused_for_the_token(app, browsers)
    assert problems and all(" /login " in problem for problem in problems), problems


def test_a_program_with_an_api_token_needs_no_form_token(world):
    app, tokens = world
    programs = {who: signed_in(app, token) for who, token in tokens.items()}
    for endpoint, method, url in unsafe_routes(app):
        for who, program in programs.items():
            code = error_code(program.open(url, method=method, json={}))
            assert code != "csrf", f"{method} {url} ({endpoint}) as {who}"
    created = programs["admin"].post("/api/v1/users", json={
        "login": f"u{uuid.uuid4().hex[:8]}", "display_name": "新人",
        "password": "a sound passphrase"})
    assert created.status_code == 201


def test_a_token_from_before_signing_in_is_worthless_after(world):
    app, _ = world
    browser = app.test_client()
    visitors = TOKEN.search(browser.get("/login").get_data(as_text=True)).group(1)
    assert browser.post("/login", data={"login": "auditor", "password": PASSWORD,
                                        "csrf_token": visitors}).status_code == 303
    stale = browser.post("/logout", data={"csrf_token": visitors})
    assert (stale.status_code, error_code(stale)) == (403, "csrf")
    assert browser.get("/api/v1/users/me").status_code == 200  # still signed in
    assert browser.post("/logout", data={"csrf_token": page_token(browser)}).status_code == 303
    assert browser.get("/api/v1/users/me").status_code == 401


def test_a_signed_out_sessions_token_is_worthless_to_the_next(world):
    app, _ = world
    browser = browser_of(app, "auditor")
    first = page_token(browser)
    assert browser.post("/logout", data={"csrf_token": first}).status_code == 303
    browser = browser_of(app, "auditor")
    stale = browser.post("/logout", headers={"X-CSRF-Token": first})
    assert (stale.status_code, error_code(stale)) == (403, "csrf")
    assert browser.post("/logout", headers={"X-CSRF-Token": page_token(browser)}).status_code \
        == 303


def test_a_desk_page_refused_for_its_token_is_a_page_in_chinese(browsers):
    refused = browsers["accountant"].post(f"/desk/{ORG}/disclosures/new", data={},
                                          headers={"Accept": "text/html"})
    assert refused.status_code == 403 and refused.mimetype == "text/html"
    assert "表单已过期" in refused.get_data(as_text=True)
