"""The desk (/desk/): the signed-in home of everyone who keeps or reads a village's books, and
what every desk page shares: a refused or failed request answered as a page for a browser (the
sign-in page, or an error page in Chinese), and the redirect after a write that lets the next
page wait until the read models include it. The pages of each part attach here or beside it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Blueprint, redirect, render_template, request, url_for
from markupsafe import escape
from werkzeug.wrappers import Response

from api.auth import SIGNED_IN, principal, rule
from api.common import reading
from api.disclosure.desk_views import desk_of
from api.public_address import PUBLIC_URL, is_demo, public_url_problem
from api.refusals import said_of
from api.services import services
from api.township import village_summary
from ledger.identity import EVERY_ORG
from ledger.kernel.writing import Outcome

pages = Blueprint("desk", __name__, url_prefix="/desk")


@pages.after_request
def as_page(response: Response) -> Response:
    """The access check and the app's error handlers answer in JSON; a browser gets the sign-in
    page (401 on a GET) or an error page instead. Programs (Accept: JSON or */*) keep the JSON."""
    if response.status_code < 400 or not response.is_json or not _wants_html():
        return response
    if response.status_code == 401 and request.method == "GET":
        return redirect(f"/login?next={quote(request.full_path.rstrip('?'))}", code=303)
    error = (response.get_json(silent=True) or {}).get("error", {})
    code = error.get("code", "")
    message = said_of(code, error["message"], response.status_code,
                      error.get("context")) if error.get("message") else ""
    page = render_template("desk/error.html", status=response.status_code, code=code,
                           message=message)
    return Response(page, status=response.status_code, mimetype="text/html")


def _wants_html() -> bool:
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


@pages.get("/")
@rule(SIGNED_IN)
def index() -> str:
    """Home for everyone signed in. With roles in several villages it is the township centre's
    list (api/township.py), each village a tap from its own desk (?org=…); with one village, or
    one chosen, that village's desk: what waits there for the user."""
    who = principal()
    orgs = sorted(org for org, roles in who.roles.items() if org != EVERY_ORG and roles)
    chosen = request.args.get("org", "")
    today = services().ledger.clock()
    with reading() as reader:
        rows = {org: row for org in orgs if (row := reader.organization(org)) is not None}
        # An organization asked for where the user holds no role: named, as its public page is.
        asked = reader.organization(chosen) if chosen and chosen not in rows else None
    villages = [(org, row["name_zh"]) for org, row in rows.items()]
    township = len(rows) > 1 and chosen not in rows
    summaries = [{"org": org, "name": row["name_zh"],
                  "accountant": "accountant" in who.roles_in(org)}
                 | village_summary(row, who.roles_in(org), who.login or "", today)
                 for org, row in rows.items()] if township else []
    desks = [] if township else [
        desk_of(org, row["name_zh"]) | {"kind": row["kind"]}
        | village_summary(row, who.roles_in(org), who.login or "", today)
        for org, row in rows.items() if chosen not in rows or org == chosen]
    # The admin is told when printed sheets would carry no QR code (api/public_address.py).
    unprintable = who.is_admin and not is_demo() and bool(public_url_problem())
    return render_template("desk/index.html", desks=desks, summaries=summaries,
                           villages=villages, chosen=chosen if chosen in rows else "",
                           not_yours=asked["name_zh"] if asked else "",
                           public_url_missing=unprintable, public_url_variable=PUBLIC_URL)


@pages.get("/<org>")
@pages.get("/<org>/")
@rule(SIGNED_IN)
def village_desk(org: str) -> Response:
    """The address one types for a village's desk, /desk/<org>: its home is /desk/?org=<org>."""
    home = url_for("desk.index", org=org)
    response = redirect(home, code=302)
    # Werkzeug's body is English; the rare browser that shows it shows Chinese instead.
    response.set_data(f'<!doctype html><meta charset="utf-8"><a href="{escape(home)}">'
                      "前往本村的工作台</a>")
    return response


def show_done(outcome: Outcome[Any], done: str, endpoint: str, **values: Any) -> Response:
    """303 to the page that shows the result; `after` lets that page wait for the read models
    to include the write, so the user sees what they just did."""
    return redirect(url_for(endpoint, done=done, after=outcome.position, **values), code=303)
