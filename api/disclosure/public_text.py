"""The public pages' large-type switch, without script or login: a link adds `?text=large` (or
`normal`), the answer sets a cookie that this phone keeps for a year, and every public page after
it is drawn in larger type. Rule: only the reader's own choice sets the cookie; an ordinary visit
sets none.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Response, request

COOKIE = "text"
SIZES = ("large", "normal")
MAX_AGE = 365 * 24 * 3600


def chosen() -> str | None:
    """The size asked for by this request's link, if any."""
    asked = request.args.get(COOKIE, "")
    return asked if asked in SIZES else None


def large_type() -> bool:
    return (chosen() or request.cookies.get(COOKIE, "")) == "large"


def text_switch_url() -> str:
    """This page with the other size asked for, other query parameters kept."""
    query = [(key, value) for key, value in request.args.items(multi=True) if key != COOKIE]
    query.append((COOKIE, "normal" if large_type() else "large"))
    return f"{request.script_root}{request.path}?{urlencode(query)}"


def remember(response: Response) -> Response:
    if (asked := chosen()) is not None:
        response.set_cookie(COOKIE, asked, max_age=MAX_AGE, httponly=True, samesite="Lax",
                            secure=request.is_secure)
    return response
