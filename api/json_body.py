"""A JSON request body nested deeper than the parser can follow is a 400 in the one error shape,
refused before any route reads it, instead of a RecursionError that answers 500.

Python's json module recurses once per level and gives up near the interpreter's recursion
limit (about a thousand levels); no document of this API comes near that.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import BadRequest


class NestedTooDeep(BadRequest):
    description = "the JSON body is nested too deeply to be read"


class LedgerJSONProvider(DefaultJSONProvider):
    """Flask's JSON, except that a body nested too deeply is a client's error, not a crash."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            # Not a ValueError, so that `get_json(silent=True)` cannot turn it into "no body".
            raise NestedTooDeep() from None


def refuse_deep_json() -> None:
    """Before every request: read a JSON body once, through the provider above.

    The routes' own parser (webargs) calls the json module directly; once this has read the body
    without error, no depth problem is left for it to meet. Malformed JSON is left for the routes
    to report in their own words."""
    if request.is_json:
        request.get_json(silent=True)
