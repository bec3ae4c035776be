"""Money crosses the HTTP edge as a decimal string with at most two decimals ("1234.50"), never
as a JSON number, so no float ever touches an amount; months are written YYYY-MM.
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields

from ledger.money import AmountError, format_fen, parse_fen
from ledger.periods import Period
from ledger.text import text_problem


class Amount(fields.Field):
    """Integer fen inside, decimal yuan text outside."""

    default_error_messages = {"type": 'must be a decimal string such as "1234.50"'}  # noqa: RUF012

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else format_fen(int(value))

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if not isinstance(value, str):
            raise self.make_error("type")
        try:
            return parse_fen(value)
        except AmountError as error:
            raise ValidationError(str(error)) from None


class Month(fields.Field):
    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else str(value)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Period:
        try:
            return Period.parse(value if isinstance(value, str) else "")
        except ValueError as error:
            raise ValidationError(str(error)) from None


class Text(fields.String):
    """A text of the API: one line unless declared `multiline`, and clean (ledger/text.py)."""

    def __init__(self, *args: Any, multiline: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.multiline = multiline

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        problem = text_problem(text, multiline=self.multiline)
        if problem is not None:
            raise ValidationError(problem)
        return text
