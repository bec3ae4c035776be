"""A browser that meets an error on a public address (a villager's mistyped or old link, a
sheet asked for in a size there is none of) gets a page in the reader's language, never the
API's JSON; programs (Accept: JSON or */*), the API and the desk keep what they have."""

from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.wrappers import Response

from api.refusals import said_of

# Addresses that answer programs, or have their own error pages (the desk's: api/desk.py).
NOT_PUBLIC = ("/api/", "/desk", "/login", "/logout", "/healthz", "/.well-known")


def init_public_errors(app: Flask) -> None:
    app.after_request(as_public_page)


def as_public_page(response: Response) -> Response:
    if (response.status_code < 400 or not response.is_json
            or request.path.startswith(NOT_PUBLIC)
            or request.accept_mimetypes.best_match(["application/json", "text/html"])
            != "text/html"):
        return response
    if response.status_code == 404:
        page = render_template("public/not_found.html")
    else:
        error = (response.get_json(silent=True) or {}).get("error", {})
        message = said_of(error.get("code", ""), error["message"], response.status_code,
                          error.get("context")) if error.get("message") else ""
        page = render_template("public/error.html", message=message)
    return Response(page, status=response.status_code, mimetype="text/html")
