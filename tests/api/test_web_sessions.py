"""Sessions kept on the server: ending one ends it on every worker and host — signing out, a new
password, losing one's last role — so a copy of the cookie taken before is worthless after.

A second app on the same database stands for a second gunicorn worker or another host: its own
pools, caches and rate limiter, sharing nothing with the first but the database."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api import create_app
from infra.storage import Storage
from tests.api.conftest import FAST_HASHER, make_user

COOKIE = "sunlight_session"
PASSWORD = "a long password"
HTML = "text/html,application/xhtml+xml"


@pytest.fixture
def other_worker(storage: Storage, clock: Any, app: Flask) -> Iterator[Flask]:
    second = create_app(storage, clock=clock, passwords=FAST_HASHER)
    yield second
    second.extensions["sunlight"].close()


def signed_in(app: Flask, login: str = "lihua", password: str = PASSWORD) -> FlaskClient:
    browser = app.test_client()
    page = browser.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = browser.post("/login", data={"login": login, "password": password,
                                            "csrf_token": token})
    assert response.status_code == 303, response.get_data(as_text=True)
    return browser


def copy_of_cookie(browser: FlaskClient, app: Flask) -> FlaskClient:
    """Another browser (or a thief) holding the same cookie."""
    copy = app.test_client()
    copy.set_cookie(COOKIE, browser.get_cookie(COOKIE).value)
    return copy


def csrf_of(browser: FlaskClient) -> str:
    """The form token the home page's sign-out form gives this browser."""
    page = browser.get("/").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_out(browser: FlaskClient) -> None:
    assert browser.post("/logout", data={"csrf_token": csrf_of(browser)}).status_code == 303


def who(browser: FlaskClient) -> int:
    return browser.get("/api/v1/users/me").status_code


def sessions_of(app: Flask, login: str) -> int:
    with app.extensions["sunlight"].web.reading() as sql:
        return int(sql.execute("SELECT COUNT(*) AS n FROM web_sessions WHERE login = :login",
                               {"login": login}).scalar())


def test_a_cookie_copied_before_signing_out_opens_nothing_afterwards(app):
    make_user(app, "lihua", ("*", "auditor"))
    browser = signed_in(app)
    copy = copy_of_cookie(browser, app)
    assert who(copy) == 200  # while signed in, the copy is as good as the original
    sign_out(browser)
    assert who(copy) == 401
    desk = copy.get("/desk/", headers={"Accept": HTML})
    assert desk.status_code == 303 and desk.headers["Location"].startswith("/login")
    assert sessions_of(app, "lihua") == 0


def test_a_session_made_on_one_worker_and_ended_on_another_is_ended_on_both(app, other_worker):
    make_user(app, "lihua", ("*", "auditor"))
    on_first = signed_in(app)
    on_second = copy_of_cookie(on_first, other_worker)  # the next request lands on worker two
    assert who(on_second) == 200
    sign_out(on_second)
    assert who(on_first) == 401
    assert who(copy_of_cookie(on_first, other_worker)) == 401


def test_a_new_password_ends_every_session_of_the_old_one_everywhere(app, other_worker):
    make_user(app, "lihua", ("*", "auditor"))
    desktop, phone = signed_in(app), signed_in(other_worker)
    assert sessions_of(app, "lihua") == 2
    changed = desktop.post("/api/v1/users/me/password", headers={"X-CSRF-Token": csrf_of(desktop)},
                           json={"current_password": PASSWORD, "new_password": "a brand new one"})
    assert changed.status_code == 200
    assert who(desktop) == 401
    # The phone's session ended with it, before the phone asked anything.
    assert sessions_of(app, "lihua") == 0
    assert who(phone) == 401
    assert who(signed_in(other_worker, password="a brand new one")) == 200


def test_losing_the_last_role_signs_the_user_out_at_the_next_request(app, other_worker):
    make_user(app, "lihua", ("*", "auditor"), ("*", "admin"))
    admin = other_worker.extensions["sunlight"].ledger
    browser, phone = signed_in(app), signed_in(app)
    admin.identity.revoke_role("lihua", org="*", role="admin", reason="换届", actor="test")
    assert who(browser) == 200  # one role left: still signed in
    admin.identity.revoke_role("lihua", org="*", role="auditor", reason="调离", actor="test")
    desk = browser.get("/desk/", headers={"Accept": HTML})
    assert desk.status_code == 303 and desk.headers["Location"].startswith("/login")
    assert sessions_of(app, "lihua") == 0  # the phone's session too
    assert who(phone) == 401


def test_a_user_granted_no_role_yet_stays_signed_in_to_ask_for_one(app):
    make_user(app, "newbie")
    browser = signed_in(app, "newbie")
    page = browser.get("/desk/", headers={"Accept": HTML})
    assert page.status_code == 200 and "您还没有任何组织的角色" in page.get_data(as_text=True)
    assert who(browser) == 200


def test_an_expired_session_opens_nothing_and_the_next_sign_in_clears_it_away(app):
    make_user(app, "lihua", ("*", "auditor"))
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(0)  # expires as it is made
    browser = signed_in(app)
    assert who(browser) == 401
    assert sessions_of(app, "lihua") == 1  # not deleted yet: nothing purges on every read
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=8)
    browser = signed_in(app)
    assert who(browser) == 200
    assert sessions_of(app, "lihua") == 1  # the expired row went when the new one was made


def test_the_cookie_names_a_session_and_the_table_holds_no_cookie(app):
    make_user(app, "lihua", ("*", "auditor"))
    browser = signed_in(app)
    cookie = browser.get_cookie(COOKIE).value
    session_id = cookie.rsplit(".", 1)[0]
    assert len(session_id) >= 43 and "lihua" not in cookie  # 256 random bits, nothing else
    with app.extensions["sunlight"].web.reading() as sql:
        stored = sql.execute("SELECT id_digest FROM web_sessions").all()
    assert len(stored) == 1 and session_id not in stored[0]["id_digest"]
    forged = app.test_client()
    forged.set_cookie(COOKIE, session_id + ".not-the-signature")
    assert who(forged) == 401


def test_a_visitor_gets_a_cookie_only_with_a_form_and_no_row_until_signing_in(app):
    make_user(app, "lihua", ("*", "auditor"))
    visitor = app.test_client()
    assert visitor.get("/").status_code == 200 and visitor.get_cookie(COOKIE) is None
    page = visitor.get("/login").get_data(as_text=True)
    planted = visitor.get_cookie(COOKIE).value
    with app.extensions["sunlight"].web.reading() as sql:
        assert sql.execute("SELECT COUNT(*) AS n FROM web_sessions").scalar() == 0
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert visitor.post("/login", data={"login": "lihua", "password": PASSWORD,
                                        "csrf_token": token}).status_code == 303
    assert visitor.get_cookie(COOKIE).value != planted  # signing in never keeps the old id
    assert who(visitor) == 200
