"""The desk's forms read through the JSON routes' schemas (api/forms.py), as small ledgers:
given a form as a browser sends it, then the body the schema loads, or the field it refuses."""

from __future__ import annotations

from datetime import date

import pytest
from marshmallow import Schema, fields
from werkzeug.datastructures import MultiDict

from api.disclosure.schemas import DraftIn
from api.fields import DayIn, Flag, Text
from api.forms import FormRefused, form_body, load_form
from api.register.member_schemas import MoveIn
from ledger.disclosure import PERIOD_FORMS


class Tags(Schema):
    tags = fields.List(Text())
    note = Text(load_default="")
    urgent = Flag(load_default=False)


def test_blank_is_missing_a_ticked_box_is_a_flag_and_repeats_are_a_list() -> None:
    form = MultiDict([("tags", "路"), ("tags", " "), ("tags", " 桥 "), ("note", "   "),
                      ("urgent", "1"), ("csrf_token", "x"), ("key", "y")])
    assert form_body(Tags(), form) == {"tags": ["路", "桥"], "urgent": True}
    assert form_body(Tags(), MultiDict()) == {"urgent": False}


def test_a_form_loads_as_the_json_body_would() -> None:
    form = MultiDict({"household": " 003 ", "on": "2026-11-10", "reason": "合户"})
    assert load_form(MoveIn(), form) == {"household": "003", "on": date(2026, 11, 10),
                                         "reason": "合户", "head": False}


@pytest.mark.parametrize(("typed", "field"), [
    ({"household": "003", "on": "2026-11-1", "reason": "合户"}, "on"),
    ({"household": "003", "on": "2026-11-10", "reason": ""}, "reason"),
    # Both wrong: the first in the schema's order is named.
    ({"household": "", "on": "2026-13-01", "reason": "合户"}, "household"),
])
def test_a_refusal_names_the_first_field_refused(typed: dict[str, str], field: str) -> None:
    with pytest.raises(FormRefused) as refused:
        load_form(MoveIn(), MultiDict(typed))
    assert refused.value.field == field and refused.value.message


def test_a_blank_required_field_is_refused_as_the_ledger_words_it() -> None:
    with pytest.raises(FormRefused) as refused:
        load_form(MoveIn(), MultiDict({"household": "003", "on": "2026-11-10", "reason": " "}))
    assert (refused.value.field, refused.value.message) == ("reason", "required")


def test_a_number_typed_is_a_number() -> None:
    class Counted(Schema):
        count = fields.Integer(strict=True, load_default=0)

    assert load_form(Counted(), MultiDict({"count": " 2 "})) == {"count": 2}
    with pytest.raises(FormRefused) as refused:
        load_form(Counted(), MultiDict({"count": "2.5"}))
    assert refused.value.field == "count"


def test_a_refused_row_of_a_list_is_named_by_its_line() -> None:
    rows = [{"item": "水泥", "amount": "300.00"}, {"amount": "12.50"}]
    with pytest.raises(FormRefused) as refused:
        load_form(DraftIn(), MultiDict({"kind": "special", "title": "专项公开"}),
                  extra={"items": rows})
    assert (refused.value.field, refused.value.context["line"]) == ("items", 2)


def test_a_day_is_a_day() -> None:
    class Dated(Schema):
        on = DayIn(required=True)

    assert load_form(Dated(), MultiDict({"on": " 2026-11-10 "})) == {"on": date(2026, 11, 10)}


def test_the_draft_schema_reads_a_period_as_the_ledger_does() -> None:
    asked = {"kind": "income_expenditure", "title": "收支明细"}
    assert DraftIn().load({**asked, "period": "2026-Q3"})["period"] == "2026-Q3"
    assert DraftIn().load({**asked, "kind": "special"})["period"] == ""
    with pytest.raises(FormRefused) as refused:
        load_form(DraftIn(), MultiDict({**asked, "period": "2026-13"}))
    assert refused.value.field == "period"
    assert refused.value.message == PERIOD_FORMS
