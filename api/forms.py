"""A desk form is read through the same marshmallow schema as the JSON route doing the same
thing. Rule: a form is the JSON body a browser can send — a blank field is a missing one, a
ticked box a flag, a repeated field a list — and a refusal names the field it concerns, so the
page shows it beside that field (422), as it shows the ledger's refusals.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, ValidationError, fields
from werkzeug.datastructures import MultiDict

from api.errors import flatten
from ledger.kernel.errors import InvalidCommand

# What a ticked checkbox sends; an unticked one sends nothing.
TICKED = ("1", "on", "true", "yes")
REQUIRED = "required"


class FormRefused(InvalidCommand):
    """A form the schema refused: the first field refused, in the schema's order, and why."""

    code = "invalid_request"


def form_body(schema: Schema, form: MultiDict[str, str]) -> dict[str, Any]:
    """The fields `schema` declares, as JSON would carry them; blank ones left out, so a
    field's default applies and a required one is missing. Fields the schema does not declare
    (the form's key, its CSRF token) are the page's own and are not passed on."""
    body: dict[str, Any] = {}
    for name, field in schema.load_fields.items():
        key = field.data_key or name
        if isinstance(field, fields.List):
            values = [value.strip() for value in form.getlist(key) if value.strip()]
            if values:
                body[key] = values
        elif isinstance(field, fields.Boolean):
            body[key] = form.get(key, "").strip().lower() in TICKED
        elif isinstance(field, fields.Integer) and form.get(key, "").strip().isdigit():
            # A number input sends text; JSON would send the number (strict schemas want it).
            body[key] = int(form[key].strip())
        elif form.get(key, "").strip():
            # Typed text loses the blanks around it, as the desk always trimmed it.
            body[key] = form[key].strip()
    return body


def load_form(schema: Schema, form: MultiDict[str, str],
              extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The form loaded by `schema` (with `extra`, what the page builds itself, such as a list
    of rows); FormRefused names the first field refused, in the schema's order."""
    body = {**form_body(schema, form), **(extra or {})}
    try:
        return schema.load(body)
    except ValidationError as error:
        raise refusal(schema, error) from None


def refusal(schema: Schema, error: ValidationError) -> FormRefused:
    order = list(schema.load_fields)
    problems = sorted(flatten(error.messages), key=lambda p: _place(order, p["field"] or ""))
    first = problems[0] if problems else {"field": None, "reason": str(error)}
    path = first["field"] or ""
    name, _, rest = path.partition("[")
    name = name.partition(".")[0]
    # A row of a list is named as the ledger names one, by its line counted from 1.
    line = int(rest.partition("]")[0]) + 1 if rest[:1].isdigit() else None
    reason = first["reason"]
    field = schema.load_fields.get(name)
    if field is not None and reason == field.error_messages.get("required"):
        reason = REQUIRED  # a blank field, in the words the ledger uses for one
    return FormRefused(reason, field=name or None, line=line)


def _place(order: list[str], path: str) -> int:
    name = path.partition("[")[0].partition(".")[0]
    return order.index(name) if name in order else len(order)
