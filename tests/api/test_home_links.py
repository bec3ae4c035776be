"""The home page links only what its reader may open: a link that answers 401 or 403 to the
person shown it is a dead end (the API's status is the operators', so the admin's alone)."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.api.conftest import make_user
from tests.api.test_web_sessions import signed_in

LINK = re.compile(r'href="(/[^"#]*)"')


def followed(browser: FlaskClient) -> dict[str, int]:
    page = browser.get("/").get_data(as_text=True)
    return {href: browser.get(href).status_code for href in set(LINK.findall(page))
            if not href.startswith("/static/")}


def test_a_visitor_is_shown_no_link_that_refuses_them(app: Flask):
    answers = followed(app.test_client())
    assert answers and not {h: s for h, s in answers.items() if s in (401, 403)}, answers


def test_an_auditor_is_shown_no_link_that_refuses_them(app: Flask):
    make_user(app, "lihua", ("*", "auditor"))
    answers = followed(signed_in(app))
    assert "/api/v1/status" not in answers
    assert not {h: s for h, s in answers.items() if s in (401, 403)}, answers


def test_the_admin_is_shown_the_status(app: Flask):
    make_user(app, "chief", ("*", "admin"))
    answers = followed(signed_in(app, "chief"))
    assert answers.get("/api/v1/status") == 200
