"""The desk driven as a browser drives it (test_desk_pages.py and the other desk tests): sign in
through the form, post each form with the CSRF token its page carries, follow the 303s; the
village v1 with October's vouchers and its committees; October's disclosure drafted and published.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.api.conftest import make_user

ORG = "v1"
# What a browser asks for; without it the pages' errors stay JSON, as for programs.
HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
OCTOBER = [
    {"date": "2026-10-05", "summary": "收取一组发包款",
     "lines": [{"account": "102", "debit": "5000.00"}, {"account": "50101", "credit": "5000.00"}]},
    {"date": "2026-10-09", "summary": "支付干部报酬",
     "lines": [{"account": "51301", "debit": "1200.00"}, {"account": "102", "credit": "1200.00"}]},
]


class Browser:
    """One person's browser: a session cookie, and the CSRF token of the last page it read."""

    def __init__(self, app: Flask, project: Callable[[], int]) -> None:
        self.client: FlaskClient = app.test_client()
        self.client.environ_base["HTTP_ACCEPT"] = HTML
        self.project = project
        self.csrf = ""
        self.last: Any = None

    def get(self, path: str, status: int = 200) -> str:
        self.project()  # the projection process would have caught up by now
        response = self.client.get(path)
        assert response.status_code == status, (path, response.status_code)
        return self._read(response)

    def post(self, path: str, data: dict[str, str] | None = None, *, status: int = 303,
             csrf: bool = True) -> str:
        """Posts a form; on a 303 returns where it leads, otherwise the page it answered with."""
        form = {**(data or {}), **({"csrf_token": self.csrf} if csrf else {})}
        response = self.client.post(path, data=form)
        assert response.status_code == status, (path, response.status_code,
                                                response.get_data(as_text=True)[:3000])
        if status == 303:
            return response.headers["Location"]
        return self._read(response)

    def follow(self, path: str, data: dict[str, str] | None = None) -> str:
        return self.get(self.post(path, data))

    def sign_in(self, login: str, next_path: str = "/desk/") -> str:
        self.get(f"/login?next={next_path}")
        return self.post("/login", {"login": login, "password": "a long password",
                                    "next": next_path})

    def _read(self, response: Any) -> str:
        page = response.get_data(as_text=True)
        if found := re.search(r'name="csrf_token" value="([^"]+)"', page):
            self.csrf = found.group(1)
        self.last = page
        return page


def field(page: str, name: str) -> str:
    """The value a form field shows (input value or textarea text), unescaped."""
    found = (re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', page)
             or re.search(rf'<textarea[^>]*name="{re.escape(name)}"[^>]*>([^<]*)</textarea>',
                          page))
    assert found, f"no field {name}"
    return html.unescape(found.group(1))


def form_of(page: str) -> dict[str, str]:
    """The draft form's fields as the page filled them in (the selected kind included)."""
    names = re.findall(r'<(?:input|textarea)[^>]*name="([^"]+)"', page)
    values = {name: field(page, name) for name in names if name != "csrf_token"}
    values["kind"] = re.search(r'<option value="(\w+)" selected>', page).group(1)
    return values


def ref_of(location: str) -> str:
    return re.search(r"/disclosures/([0-9a-f-]{36})", location).group(1)


def waiting(page: str, what: str) -> str:
    """The desk's list of what waits for the user: "review", "screen" or "answer"."""
    found = re.search(rf'<ul class="items" id="{what}-{ORG}">(.*?)</ul>', page, re.S)
    return found.group(1) if found else ""


def stage(page: str) -> str:
    return re.search(r'class="stage stage-(\w+)"', page).group(1)


def set_up_village(app: Flask, client: FlaskClient, project: Callable[[], int]) -> Flask:
    """v1 with October's vouchers; wang keeps its books; zhao, qian and sun sit on its
    supervision committee (so two of the three must sign); chen is on its village committee."""
    for voucher in OCTOBER:
        assert client.post(f"/api/v1/orgs/{ORG}/vouchers", json=voucher).status_code == 201
    for login in ("zhao", "qian", "sun"):
        make_user(app, login, (ORG, "supervisor"))
    make_user(app, "chen", (ORG, "committee"))
    project()
    return app


def browser(app: Flask, project: Callable[[], int], login: str) -> Browser:
    person = Browser(app, project)
    assert person.sign_in(login) == "/desk/"
    return person


def draft_october(wang: Browser) -> str:
    form = form_of(wang.get(f"/desk/{ORG}/disclosures/new"))
    return wang.post(f"/desk/{ORG}/disclosures/new", {**form, "notes": "请村民监督"})


def publish_october(app: Flask, project: Callable[[], int]) -> str:
    """A published 收支明细 of October, made through the ledger: the pages are tested above."""
    wang = browser(app, project, "wang")
    ref = ref_of(draft_october(wang))
    ledger = app.extensions["sunlight"].ledger
    ledger.disclosure.submit_disclosure(ORG, ref, panel=["qian", "sun", "zhao"], actor="wang")
    for member in ("zhao", "qian"):
        ledger.disclosure.sign_disclosure(ORG, ref, member=member)
    ledger.disclosure.publish_disclosure(ORG, ref, actor="wang")
    return ref
