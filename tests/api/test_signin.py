"""Signing in from a browser: a session cookie that scripts cannot read, a CSRF token on every
form, sign-in attempts limited, sign-out."""

from __future__ import annotations

import re

from api.identity import signin
from tests.api.conftest import make_user


def form_token(client, path="/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(client, login="lihua", password="a long password", csrf=None):
    return client.post("/login", data={"login": login, "password": password,
                                       "csrf_token": csrf or form_token(client)})


def test_a_user_signs_in_and_the_session_cookie_is_guarded(app):
    make_user(app, "lihua", ("*", "auditor"))
    browser = app.test_client()
    response = sign_in(browser)
    assert response.status_code == 303
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert browser.get("/api/v1/users/me").get_json()["login"] == "lihua"


def test_over_tls_the_cookie_is_secure(app):
    make_user(app, "lihua")
    browser = app.test_client()
    page = browser.get("/login", base_url="https://localhost").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = browser.post("/login", base_url="https://localhost",
                            data={"login": "lihua", "password": "a long password",
                                  "csrf_token": token})
    assert response.status_code == 303
    assert "Secure" in response.headers["Set-Cookie"]


def test_a_form_without_its_csrf_token_is_refused(app):
    make_user(app, "lihua", ("*", "admin"))
    browser = app.test_client()
    assert sign_in(browser, csrf="forged").status_code == 403
    assert sign_in(browser).status_code == 303
    # Signed in by cookie, a write must carry the session's CSRF token.
    body = {"login": "newbie", "display_name": "新人", "password": "a sound passphrase"}
    assert browser.post("/api/v1/users", json=body).status_code == 403
    token = form_token(browser, "/")  # as a page's script would read it
    assert browser.post("/api/v1/users", json=body,
                        headers={"X-CSRF-Token": token}).status_code == 201


def test_failed_sign_ins_are_limited(app):
    make_user(app, "lihua")
    browser = app.test_client()
    for _ in range(signin.MAX_FAILURES):
        assert sign_in(browser, password="guess guess guess").status_code == 401
    limited = sign_in(browser)  # even the right password, for a while
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert app.test_client().get("/api/v1/users/me").status_code == 401


def test_a_wrong_login_and_a_wrong_password_look_alike(app):
    make_user(app, "lihua")
    browser = app.test_client()
    unknown = sign_in(browser, login="nobody").get_data(as_text=True)
    wrong = sign_in(browser, password="not the password").get_data(as_text=True)
    strip = re.compile(r'value="[^"]*"')
    assert strip.sub("", unknown) == strip.sub("", wrong)


def test_signing_out_ends_the_session(app):
    make_user(app, "lihua")
    browser = app.test_client()
    sign_in(browser)
    token = form_token(browser, "/")
    assert browser.post("/logout", data={"csrf_token": token}).status_code == 303
    assert browser.get("/api/v1/users/me").status_code == 401


def test_a_new_password_ends_the_sessions_of_the_old_one(app):
    make_user(app, "lihua")
    browser = app.test_client()
    sign_in(browser)
    app.extensions["sunlight"].ledger.identity.change_password("lihua", password="a brand new one",
                                                               actor="admin")
    assert browser.get("/api/v1/users/me").status_code == 401


def test_sign_in_sends_you_back_only_within_this_site(app):
    make_user(app, "lihua")
    browser = app.test_client()
    token = form_token(browser, "/login?next=//evil.example/")
    response = browser.post("/login", data={"login": "lihua", "password": "a long password",
                                            "csrf_token": token, "next": "//evil.example/"})
    assert response.headers["Location"] == "/desk/"  # their desk, not the stranger's site
