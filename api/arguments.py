"""Every request's arguments are read by one instance of their schema, made once per process:
webargs otherwise makes a new instance of the schema class a route names on every request, and
with it a deep copy of every field (and of each nested schema), a tenth of what posting a
voucher cost. A marshmallow schema keeps no state between loads, so one instance serves every
request and thread.
"""

from __future__ import annotations

import threading
from typing import Any

import marshmallow as ma
from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser


class ReusingParser(FlaskParser):
    """webargs' Flask parser, keeping the one instance of each schema class it is given."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._schemas: dict[type[ma.Schema], ma.Schema] = {}
        self._guard = threading.Lock()

    def _get_schema(self, argmap: Any, req: Any) -> ma.Schema:
        if not (isinstance(argmap, type) and issubclass(argmap, ma.Schema)):
            return super()._get_schema(argmap, req)
        schema = self._schemas.get(argmap)
        if schema is None:
            with self._guard:
                schema = self._schemas.setdefault(argmap, argmap())
        return schema


# Every blueprint of the API reads its arguments through it (flask-smorest looks the parser up
# on the blueprint at each request); a blueprint with its own parser subclasses this one.
Blueprint.ARGUMENTS_PARSER = ReusingParser()
