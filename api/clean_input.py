"""Before any route runs, every text a request carries is checked against ledger/text.py: its JSON
body (keys and values, at any depth), its query and its form fields. A request holding a NUL,
another control character or a lone surrogate (or, in a URL-encoded form, bytes that are not
UTF-8, which the form parser would quietly replace) is refused with 422 naming the field, so it
never reaches a command, a read model or a log line.

Here a text may span lines; whether a field is one line only is said by its schema (api/fields.py
`Text`) for the JSON API, and for a browser form by the template: only a <textarea> spans lines.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from flask import Flask, request
from werkzeug.exceptions import UnprocessableEntity

from ledger.kernel.text import text_problem, unclean_strings

# Bilingual, as ledger/kernel/text.py's reasons are: said beside the field on a form.
NOT_UTF8 = "含有不是 UTF-8 编码的字节，无法读出 (holds bytes that are not UTF-8)"
_TEXTAREA = re.compile(r"<textarea\b[^>]*\bname=\"([^\"]+)\"")


def multiline_form_fields(app: Flask) -> frozenset[str]:
    """The names of every <textarea> in the app's templates: the form fields that span lines."""
    env = app.jinja_env
    names: set[str] = set()
    for template in env.list_templates(extensions=["html"]):
        source, _, _ = env.loader.get_source(env, template)  # type: ignore[union-attr]
        names.update(_TEXTAREA.findall(source))
    return frozenset(names)


def refuse(field: str, reason: str, location: str) -> UnprocessableEntity:
    error = UnprocessableEntity()
    error.data = {"messages": {location: {field: [reason]}}}
    return error


def not_utf8(body: bytes) -> str | None:
    """The name of the first field of a URL-encoded form body whose name or value, decoded,
    is not UTF-8 (the form parser would silently turn those bytes into U+FFFD); None if all
    are. The whole body is tried first: the common case is one decode."""
    try:
        unquote_to_bytes(body.replace(b"+", b" ")).decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    for pair in body.split(b"&"):
        name, _, value = (unquote_to_bytes(part.replace(b"+", b" "))
                          for part in pair.partition(b"="))
        try:
            name.decode("utf-8")
            value.decode("utf-8")
        except UnicodeDecodeError:
            return name.decode("utf-8", "replace")
    return None


def check_request(multiline_fields: frozenset[str]) -> None:
    """UnprocessableEntity (422, naming the field) for the first unclean text of this request."""
    for name, values in request.args.lists():
        for value in (name, *values):
            if problem := text_problem(value, multiline=True):
                raise refuse(name, problem, "query")
    if request.is_json:
        body = request.get_json(silent=True)
        for where, problem in unclean_strings(body):
            raise refuse(where or "(body)", problem, "json")
    elif request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        if request.mimetype == "application/x-www-form-urlencoded" and (
                name := not_utf8(request.get_data(cache=True))) is not None:
            raise refuse(name, NOT_UTF8, "form")
        for name, values in request.form.lists():
            for value in values:
                problem = text_problem(name, multiline=False) or text_problem(
                    value, multiline=name in multiline_fields)
                if problem:
                    raise refuse(name, problem, "form")


def init_clean_input(app: Flask) -> None:
    multiline_fields = multiline_form_fields(app)

    @app.before_request
    def _clean_input() -> None:
        check_request(multiline_fields)
