"""Every endpoint × every role × own village / other village / no login, generated from the app's
URL map: an endpoint added without an entry in EXPECTED (authorization_table.py) fails here, and
so does any endpoint whose check is removed (proved below by removing each check in turn)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api import create_app
from api.auth import PUBLIC, Rule, rule_for
from infra.storage import Storage
from tests.api.authorization_table import EXPECTED
from tests.api.conftest import FAST_HASHER, make_user, signed_in
from tests.conftest import Clock

OWN, OTHER = "va", "vb"

# (name, grants): every role of a village in OWN, plus the centre-wide ones.
PRINCIPALS: dict[str, tuple[tuple[str, str], ...]] = {
    "admin": (("*", "admin"),),
    "accountant": ((OWN, "accountant"),),
    "committee": ((OWN, "committee"),),
    "supervisor": ((OWN, "supervisor"),),
    "finance_lead": ((OWN, "finance_lead"),),
    "auditor": ((OWN, "auditor"),),
    "county-auditor": (("*", "auditor"),),
}
READERS = {"accountant", "committee", "supervisor", "finance_lead", "auditor", "county-auditor"}


def allowed(kind: str, who: str, own: bool) -> bool:
    in_village = own or who.startswith("county")
    return {
        "public": True,
        "signed_in": True,
        "admin": who == "admin",
        "read_books": who in READERS and in_village,
        "keep_books": who == "accountant" and own,
        "read_org": (who in READERS and in_village) or who == "admin",
        "roles": who == "admin" or (who in ("auditor", "county-auditor") and in_village),
        "review": who == "supervisor" and own,
        "answer": who in ("accountant", "committee") and own,
        "audit": (who in ("auditor", "county-auditor", "supervisor") and in_village),
        "decide": who in ("accountant", "committee") and own,
        "ask": who in ("accountant", "committee", "finance_lead") and own,
        "approve": who in ("finance_lead", "committee", "supervisor") and own,
        "acknowledge": who in ("accountant", "committee", "supervisor") and own,
    }[kind]


PLACEHOLDERS = {"filename": "none.css", "ref": "2025-01-0001", "code": "101", "period": "2025-01",
                "year": "2025", "token_id": str(uuid.UUID(int=7)), "number": "S2025-0001",
                "holder": "household:001", "leaf": "1", "login": "nobody"}


@dataclass(frozen=True)
class Row:
    endpoint: str
    method: str
    url: str
    who: str  # a principal's name, "public" or "bad-token"
    own: bool
    status: int
    code: str  # the error's code, "" for a success

    @property
    def refused_access(self) -> bool:
        """Refused by the access check (not by the endpoint's own rules, e.g. a CSRF token)."""
        return (self.status, self.code) in ((401, "unauthorized"), (403, "forbidden"))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, dict[str, str]]]:
    """Two villages and one user per principal; authorization does not depend on the database,
    so one SQLite store serves the whole module."""
    path = tmp_path_factory.mktemp("authz")
    app = create_app(Storage(f"sqlite:///{path / 'events.sqlite'}", Path(path)),
                     clock=Clock(), passwords=FAST_HASHER)
    ledger = app.extensions["sunlight"].ledger
    from datetime import date

    for code in (OWN, OTHER):
        ledger.books.register_organization(code=code, name_zh=code, kind="village_collective",
                                           books_start=date(2025, 1, 1), actor="test")
    tokens = {name: make_user(app, name, *grants) for name, grants in PRINCIPALS.items()}
    tokens["bad-token"] = f"slt_{uuid.uuid4().hex}_{'x' * 43}"
    yield app, tokens
    app.extensions["sunlight"].close()


def client_for(app: Flask, tokens: dict[str, str], who: str) -> FlaskClient:
    return app.test_client() if who == "public" else signed_in(app, tokens[who])


def routes(app: Flask) -> Iterator[tuple[str, str, str]]:
    """(endpoint, method, URL template) of every route of the application."""
    for url_rule in app.url_map.iter_rules():
        for method in sorted(url_rule.methods - {"HEAD", "OPTIONS"}):
            yield url_rule.endpoint, method, url_rule.rule


def fill(template: str, org: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>",
                  lambda m: org if m.group(1) == "org" else PLACEHOLDERS[m.group(1)], template)


def run_matrix(app: Flask, tokens: dict[str, str],
               only: tuple[str, str] | None = None) -> list[Row]:
    rows = []
    clients = {who: client_for(app, tokens, who) for who in ["public", *tokens]}
    for endpoint, method, template in routes(app):
        if only is not None and (endpoint, method) != only:
            continue
        targets = [(OWN, True), (OTHER, False)] if "<org>" in template else [(OWN, True)]
        for org, own in targets:
            url = fill(template, org)
            for who, client in clients.items():
                response = client.open(url, method=method, json={} if method != "GET" else None)
                body = response.get_json(silent=True) or {}
                code = body.get("error", {}).get("code", "") if isinstance(body, dict) else ""
                rows.append(Row(endpoint, method, url, who, own, response.status_code, code))
    return rows


def violations(rows: list[Row]) -> list[str]:
    found = []
    for row in rows:
        kind = EXPECTED[(row.endpoint, row.method)]
        if row.who == "bad-token":
            expected_ok, denied = False, 401
        elif row.who == "public":
            expected_ok, denied = kind == "public", 401
        else:
            expected_ok, denied = allowed(kind, row.who, row.own), 403
        if expected_ok and row.refused_access:
            found.append(f"{row.method} {row.url} as {row.who}: {row.status}, expected access")
        if not expected_ok and not (row.refused_access and row.status == denied):
            found.append(f"{row.method} {row.url} as {row.who}: {row.status}, expected {denied}")
    return found


def test_every_endpoint_has_an_expectation(world):
    app, _ = world
    missing = {(e, m) for e, m, _ in routes(app)} - set(EXPECTED)
    assert not missing, f"new endpoints need an entry in EXPECTED (and a rule): {missing}"
    stale = set(EXPECTED) - {(e, m) for e, m, _ in routes(app)}
    assert not stale, f"EXPECTED names endpoints that no longer exist: {stale}"


def test_every_endpoint_answers_every_principal_as_expected(world):
    app, tokens = world
    rows = run_matrix(app, tokens)
    assert len(rows) > 400
    assert not violations(rows), "\n".join(violations(rows))


def _view_method(app: Flask, endpoint: str, method: str) -> Callable[..., Any]:
    view = app.view_functions[endpoint]
    return getattr(getattr(view, "view_class", None), method.lower(), view)


@pytest.mark.parametrize("key", [k for k, kind in EXPECTED.items() if kind != "public"])
def test_removing_any_one_endpoints_check_is_caught(world, monkeypatch, key):
    app, tokens = world
    assert isinstance(rule_for(app, *key), Rule)
    target = _view_method(app, *key)
    monkeypatch.setattr(target, "access_rule", PUBLIC)  # the check removed: anyone may call
    assert violations(run_matrix(app, tokens, only=key)), f"{key} without its check passed"
    monkeypatch.delattr(target, "access_rule")  # no rule at all: deny by default
    assert rule_for(app, *key) is None
    assert violations(run_matrix(app, tokens, only=key)), f"{key} without a rule passed"
