"""Money crosses the HTTP edge as a decimal string with at most two decimals ("1234.50"), never
as a JSON number, so no float ever touches an amount; days are written YYYY-MM-DD and months
YYYY-MM, each in exactly one form, and the OpenAPI document states that form as a pattern; a
moment is a day (its end) or a day and time, in China's time unless it names its offset.
(A JSON body's integers and flags are JSON's own: marshmallow's `strict=True`, and Flag.)
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from marshmallow import ValidationError, fields, validate

from ledger.books import Period
from ledger.kernel.clock import CHINA
from ledger.kernel.money import AmountError, format_fen, parse_fen
from ledger.kernel.text import text_problem

# parse_fen's own rule (at most 13 integer digits, at most two decimals), minus the blanks it
# forgives around a spreadsheet's cell: the JSON API takes one written form only.
AMOUNT_IN = r"^-?[0-9]{1,13}(\.[0-9]{1,2})?$"
# What format_fen writes; a total may have more than 13 integer digits.
AMOUNT_OUT = r"^-?[0-9]+\.[0-9]{2}$"
# What the server writes: any year (a year end before the earliest day, a deadline after it).
DAY = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
# What it reads: the years a village's books, members and meetings can be dated in; the bound
# keeps date arithmetic (a month after, five days before) inside what Python's dates can hold.
DAY_IN = r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
MONTH_IN = r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$"


class Pattern(validate.Regexp):
    """A regular expression the whole text must match. The OpenAPI document shows it to clients
    whose engines are ECMA-262's, so it is written in what both read alike: ^…$, never \\Z."""

    def __call__(self, value: Any) -> Any:
        if not isinstance(value, str) or self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


def _with_pattern(field: fields.Field, pattern: str) -> None:
    # apispec copies "pattern" from a field's metadata into the OpenAPI document.
    field.metadata = {"pattern": pattern, **field.metadata}


class Amount(fields.Field):
    """Integer fen inside, decimal yuan text outside."""

    PATTERN = AMOUNT_OUT
    default_error_messages = {"type": 'must be a decimal string such as "1234.50"'}  # noqa: RUF012

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        _with_pattern(self, self.PATTERN)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else format_fen(int(value))

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if not isinstance(value, str):
            raise self.make_error("type")
        try:
            fen = parse_fen(value)
        except AmountError as error:
            raise ValidationError(str(error)) from None
        if not re.fullmatch(AMOUNT_IN, value):
            raise self.make_error("type")  # " 1.00", "1.00\n": read, but not as written here
        return fen


class AmountIn(Amount):
    """An amount a client sends: the spec's pattern is the one the server enforces."""

    PATTERN = AMOUNT_IN


class Flag(fields.Boolean):
    """true or false in a JSON body; not "yes", 1 or "on", which marshmallow also reads."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class Day(fields.Date):
    """A day written YYYY-MM-DD: not 20261103, not 2026-W45-2, which Python's ISO parser also
    reads. Serialized from a date or from the ISO text a read model keeps."""

    PATTERN = DAY
    default_error_messages = {"invalid": "must be a day written YYYY-MM-DD, e.g. 2026-11-03"}  # noqa: RUF012

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        _with_pattern(self, self.PATTERN)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if isinstance(value, str) and value:
            value = date.fromisoformat(value[:10])
        return super()._serialize(value or None, attr, obj, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:
        if not isinstance(value, str) or not re.fullmatch(self.PATTERN, value):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class DayIn(Day):
    """A day a client sends."""

    PATTERN = DAY_IN
    default_error_messages = {  # noqa: RUF012
        "invalid": "must be a day written YYYY-MM-DD, e.g. 2026-11-03, in the years 1900–2099"}


class Month(fields.Field):
    """A month written YYYY-MM."""

    PATTERN = MONTH

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        _with_pattern(self, self.PATTERN)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else str(value)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Period:
        try:
            period = Period.parse(value if isinstance(value, str) else "")
        except ValueError as error:
            raise ValidationError(str(error)) from None
        if not re.fullmatch(self.PATTERN, value):
            raise ValidationError("must be a month in the years 1900–2099")
        return period


class MonthIn(Month):
    """A month a client sends, in the years a day may be sent in."""

    PATTERN = MONTH_IN


# Clean text (ledger/text.py) as the OpenAPI document states it; a lone surrogate has no UTF-8
# form, so no client can send one in a UTF-8 body, and the pattern need not name it.
ONE_LINE = r"^[^\u0000-\u001f\u007f-\u009f]*$"
LINES = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$"


class Text(fields.String):
    """A text of the API: one line unless declared `multiline`, and clean (ledger/text.py)."""

    def __init__(self, *args: Any, multiline: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.multiline = multiline
        if not any(isinstance(v, validate.Regexp) for v in self.validators):
            _with_pattern(self, LINES if multiline else ONE_LINE)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        problem = text_problem(text, multiline=self.multiline)
        if problem is not None:
            raise ValidationError(problem)
        return text


class MomentIn(fields.Field):
    """A moment a client sends: a day, meaning the end of that day in China, or a day and time
    (a desk's datetime-local field sends YYYY-MM-DDTHH:MM), in China's time unless an offset
    such as +00:00 follows."""

    PATTERN = (r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
               r"(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?"
               r"(Z|[+-][0-9]{2}:[0-9]{2})?)?$")
    default_error_messages = {  # noqa: RUF012
        "invalid": "must be a day YYYY-MM-DD (its end, China's time) or a day and time "
                   "YYYY-MM-DDTHH:MM (China's time unless an offset such as +00:00 follows)"}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        _with_pattern(self, self.PATTERN)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        if not isinstance(value, str) or not re.fullmatch(self.PATTERN, value):
            raise self.make_error("invalid")
        try:
            if "T" not in value:
                return datetime.combine(date.fromisoformat(value), time.max, CHINA)
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise self.make_error("invalid") from None  # 2026-02-30
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=CHINA)
