"""Every desk page of the demo village, for the Chinese test and the desk benchmark: the demo
loaded into a Flask app on SQLite, people signed in through the form, and each desk GET route of
the app's URL map filled from the demo's read models (a route that cannot be filled is an error,
so a new page is walked without anyone listing it)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

from api import create_app
from demo import DEMO_ORG, load_demo_village
from infra.storage import Storage
from projections.runner import catch_up_all

HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PARAMETER = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")
# A parameter is named by the collection before it: /desk/<org>/members/<number> is a member.
LISTS = {"members": "members", "spending": "spending-requests", "disclosures": "disclosures",
         "vouchers": "vouchers", "distributions": "distributions",
         "member-accounts": "members", "matters": "matters"}
KEYS = {"members": "number", "spending-requests": "number", "disclosures": "id",
        "vouchers": "number", "matters": "number"}
PER_KIND = 4  # the first and last few of each list: enough to meet each state, quick to walk


def demo_app(folder: Path, clock: Any) -> tuple[Flask, dict[str, tuple[str, str]]]:
    """The demo village in a fresh app; returns it with each demo user's (password, token)."""
    storage = Storage(database_url=f"sqlite:///{folder / 'events.sqlite'}", data_dir=folder)
    # Cheap hashes: signing people in is not what is measured or tested here.
    app = create_app(storage, clock=clock,
                     passwords=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    services = app.extensions["sunlight"]
    users = load_demo_village(services.ledger, storage).users
    catch_up_all(services.ledger, services.views)
    passwords = {login: (password, token) for login, _, _, password, token in users}
    unfinished_disclosures(app, signed_in(app, "kuaiji", passwords["kuaiji"][0]))
    return app, passwords


def unfinished_disclosures(app: Flask, accountant: FlaskClient) -> None:
    """A draft and one in review, drafted on the desk: the demo publishes all of its own, and
    these pages say things a published one does not."""
    services = app.extensions["sunlight"]
    for kind, submit in (("balance_sheet", False), ("income_statement", True)):
        hidden = _hidden(accountant.get(f"/desk/{DEMO_ORG}/disclosures/new"))
        drafted = accountant.post(f"/desk/{DEMO_ORG}/disclosures/new",
                                  data={**hidden, "kind": kind, "period": "2026-10"})
        assert drafted.status_code == 303, drafted.get_data(as_text=True)
        catch_up_all(services.ledger, services.views)
        page = drafted.headers["Location"].partition("?")[0]
        if submit:
            sent = accountant.post(f"{page}/submit", data=_hidden(accountant.get(page)))
            assert sent.status_code == 303, sent.get_data(as_text=True)
            catch_up_all(services.ledger, services.views)


def _hidden(response: Any) -> dict[str, str]:
    """The form's CSRF token and idempotency key, as a browser sends them back."""
    return dict(re.findall(r'name="(csrf_token|key)" value="([^"]*)"',
                           response.get_data(as_text=True)))


def signed_in(app: Flask, login: str, password: str) -> FlaskClient:
    """A browser signed in through the sign-in form, as a person would be."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT"] = HTML
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token, "the sign-in page has no CSRF token"
    response = client.post("/login", data={"login": login, "password": password,
                                           "next": "/desk/", "csrf_token": token.group(1)})
    assert response.status_code == 303, (login, response.status_code)
    return client


def desk_rules(app: Flask) -> list[str]:
    """Every GET route under /desk/ in the URL map, as written there (with <parameters>)."""
    return sorted({rule.rule for rule in app.url_map.iter_rules()
                   if rule.rule.startswith("/desk") and "GET" in (rule.methods or ())})


def samples(app: Flask, token: str) -> dict[str, list[str]]:
    """Keys of each kind of record, read through the JSON API (which reads the read models)."""
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    found: dict[str, list[str]] = {}
    for kind, key in KEYS.items():
        items = _every(client, f"/api/v1/orgs/{DEMO_ORG}/{kind}")
        assert items, f"the demo has no {kind}"
        # Records in an unusual state (a reversal, an ended member) show words others do not.
        unusual = [item for item in items if item.get("reverses") or item.get("reversed_by")
                   or item.get("active") is False
                   or item.get("status") not in (None, "published")]
        chosen = [*items[:PER_KIND], *unusual[:PER_KIND], *items[-PER_KIND:]]
        keys = [str(item[key]) for item in chosen]
        found[kind] = list(dict.fromkeys(keys))
    # Read from the read model: the desk's pages need no JSON route of their own to be walked.
    plans = app.extensions["sunlight"].distributions.distributions(DEMO_ORG)
    found["distributions"] = [plan["number"] for plan in plans]
    return found


def _every(client: FlaskClient, path: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    page, pages = 1, 1
    while page <= pages:
        response = client.get(f"{path}?page={page}")
        assert response.status_code == 200, (path, response.get_json())
        body = response.get_json()
        items += body["items"]
        pages = body.get("pagination", {}).get("pages", 1)
        page += 1
    return items


def filled(rule: str, keys: dict[str, list[str]]) -> list[str]:
    """The paths a rule stands for in the demo; AssertionError if a parameter is unknown."""
    paths = [rule.replace("<org>", DEMO_ORG)]
    if not PARAMETER.search(paths[0]):
        return paths
    parts = paths[0].strip("/").split("/")
    spots = [i for i, part in enumerate(parts) if PARAMETER.search(part)]
    assert len(spots) == 1 and spots[0] > 0, f"cannot fill {rule}"
    kind = LISTS.get(parts[spots[0] - 1])
    assert kind, f"cannot fill {rule}: no list of {parts[spots[0] - 1]} is known"
    at = spots[0]
    tail = "/" if rule.endswith("/") else ""
    return ["/" + "/".join([*parts[:at], PARAMETER.sub(key, parts[at]), *parts[at + 1:]]) + tail
            for key in keys[kind]]


class _Text(HTMLParser):
    """What a reader sees (text, and the words of title/alt/placeholder/aria-label), without
    scripts and styles."""

    SHOWN = ("title", "alt", "placeholder", "aria-label")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self.hidden += 1
        self.parts.extend(value for name, value in attrs if name in self.SHOWN and value)
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            self.parts.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(page: str) -> Iterator[str]:
    parser = _Text()
    parser.feed(page)
    parser.close()
    return (part.strip() for part in parser.parts if part.strip())
