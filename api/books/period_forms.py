"""The periods page's two forms (/desk/<org>/periods), read as api/forms.py reads every desk form:
the month to close with the accountant's word that she has looked at the failed checks, and the
year to close with the same word for December's. A month or year that is not one is refused
naming its field, before any check is run or anything is written."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.fields import Flag, MonthIn


class CloseMonthIn(Schema):
    """Close a month: which one (2026-10), and whether failed checks were looked at."""

    period = MonthIn(required=True)
    confirm = Flag(load_default=False)


class CloseYearIn(Schema):
    """The year-end close: which year (2026), in the years a day may be written in, and whether
    December's failed checks were looked at (the close closes December too)."""

    year = fields.Integer(required=True, strict=True,
                          validate=validate.Range(min=1900, max=2099))
    confirm = Flag(load_default=False)
