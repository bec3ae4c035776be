"""No door lets an unclean text into the books: a NUL, another control character or a lone
surrogate in any text of the JSON API, a desk form, the public question form, a spreadsheet cell or
a command is refused with 422 naming the field, and nothing is written. Tab and line breaks are
kept where a field spans lines, and refused where it is one line."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from marshmallow import Schema, fields

from api.fields import Text
from ledger.kernel.text import UncleanText
from tests.api import test_public_pages
from tests.api.conftest import error_of, voucher
from tests.api.public_village import ask_data
from tests.api.test_member_import_api import csv_of, roll_sheet, upload

V = "/api/v1/orgs/v1"
village = test_public_pages.village  # a fixture: v1 with a published disclosure


def raw_json(client: Any, path: str, text: str) -> Any:
    """A body written by hand, so that it can hold what json.dumps would escape."""
    return client.post(path, data=text.encode("utf-8", "surrogatepass"),
                       content_type="application/json")


@pytest.mark.parametrize(("summary", "memo", "field"), [
    ("收款\u0000", "", "summary"),
    ("收款", "备注\u0007", "lines[0].memo"),
    ("收款\u200b\u0085", "", "summary"),  # a C1 control character hides in pasted text
    ("一行\n两行", "", "summary"),  # a summary is one line on the voucher
])
def test_a_voucher_with_an_unclean_text_is_refused_naming_the_field(
        client, org, log_head, summary, memo, field):
    body = voucher()
    body["summary"] = summary
    body["lines"][0]["memo"] = memo
    before = log_head()
    response = client.post(f"{V}/vouchers", json=body)
    error = error_of(response)
    assert response.status_code == 422, error
    assert [e["field"] for e in error["errors"]] == [field]
    assert log_head() == before


def test_a_lone_surrogate_is_a_422_not_a_500(client, org, log_head):
    before = log_head()
    body = json.dumps(voucher(), ensure_ascii=False).replace("收取一组发包款", "\\ud800")
    response = raw_json(client, f"{V}/vouchers", body)
    error = error_of(response)
    assert response.status_code == 422, error
    assert [e["field"] for e in error["errors"]] == ["summary"]
    assert "U+D800" in error["message"]
    assert log_head() == before


def test_a_key_of_the_body_is_a_text_too(client, org, log_head):
    before = log_head()
    response = raw_json(client, f"{V}/vouchers", '{"summary\\u0000": "x"}')
    assert response.status_code == 422
    assert log_head() == before


def test_a_multi_line_field_keeps_its_lines_and_tabs(client, org, project):
    posted = client.post(f"{V}/vouchers", json=voucher()).get_json()
    reason = "金额录错\n应为 500.00\t（见原始凭证）"
    response = client.post(f"{V}/vouchers/{posted['number']}/reversal",
                           json={"date": "2025-01-06", "reason": reason})
    assert response.status_code == 201, response.get_json()
    refused = client.post(f"{V}/vouchers/{posted['number']}/reversal",
                          json={"date": "2025-01-06", "reason": "金额\u0000录错"})
    assert [e["field"] for e in error_of(refused)["errors"]] == ["reason"]


def test_a_query_with_a_nul_is_refused(client, org):
    response = client.get(f"{V}/vouchers?q=%00")
    error = error_of(response)
    assert response.status_code == 422
    assert [e["field"] for e in error["errors"]] == ["q"]


def test_the_public_question_form_refuses_a_nul_and_writes_nothing(village):
    ledger = village.ledger
    before = ledger.log_head()
    client = village.app.test_client()
    response = client.post(f"{village.page}/questions",
                           data=ask_data(village, text="这笔钱\u0000去哪了"))
    assert response.status_code == 422
    assert ledger.log_head() == before
    # A question may span lines: the text box is a <textarea>.
    asked = client.post(f"{village.page}/questions",
                        data=ask_data(village, text="第一问\n第二问"))
    assert asked.status_code == 303
    assert ledger.log_head() > before


def test_a_one_line_form_field_refuses_a_line_break(village):
    client = village.app.test_client()
    response = client.post(f"{village.page}/questions",
                           data=ask_data(village, name="王\n五"))
    assert response.status_code == 422
    assert "one line only" in response.get_data(as_text=True)


def test_a_spreadsheet_cell_with_a_control_character_is_named_and_nothing_imported(
        client, org, log_head):
    headers, rows = roll_sheet()
    rows[1][4] = "张\u0000三"  # sheet row 3, the name
    before = log_head()
    response = upload(client, csv_of(headers, rows), filename="名册.csv")
    error = error_of(response)
    assert (response.status_code, error["code"]) == (422, "import_rejected")
    assert [(e["row"], e["column"]) for e in error["errors"]] == [(3, "name")]
    assert "U+0000" in error["errors"][0]["reason"]
    assert log_head() == before


def test_the_domain_refuses_an_unclean_text_from_any_door(app: Flask):
    """The command line and any future door reach the ledger without the HTTP edge."""
    ledger = app.extensions["sunlight"].ledger
    before = ledger.log_head()
    with pytest.raises(UncleanText) as refused:
        ledger.identity.create_user(login="lisi", display_name="李\u0000四",
                                    password="a long password",
                                    actor="cli:root")
    assert refused.value.field == "display_name"
    assert ledger.log_head() == before


def test_the_command_line_refuses_an_unclean_text(storage):
    from click.testing import CliRunner

    from api.cli import main

    env = {"SUNLIGHT_DATA_DIR": str(storage.data_dir)}
    if storage.is_postgres:
        env["SUNLIGHT_DATABASE_URL"] = storage.database_url
    made = CliRunner().invoke(main, ["users", "create", "lisi", "--name", "李\x00四"], env=env)
    assert made.exit_code == 2, made.output
    assert "--name" in made.output and "U+0000" in made.output


def _input_schemas(app: Flask) -> list[Schema]:
    found = []
    for blueprint_docs in (bp._docs for bp in app.iter_blueprints() if hasattr(bp, "_docs")):
        for endpoint in blueprint_docs.values():
            for method in endpoint.values():
                if not isinstance(method, dict):
                    continue
                for parameter in method.get("arguments", {}).get("parameters", []):
                    schema = parameter["schema"]
                    found.append(schema() if isinstance(schema, type) else schema)
    return found


def _strings(schema: Schema, path: str = "") -> list[tuple[str, fields.Field]]:
    found = []
    for name, field in schema.fields.items():
        where = f"{path}.{name}" if path else name
        inner = [field]
        if isinstance(field, fields.List):
            inner = [field.inner]
        if isinstance(field, fields.Dict):
            inner = [f for f in (field.key_field, field.value_field) if f is not None]
        for each in inner:
            if isinstance(each, fields.Nested):
                found.extend(_strings(each.schema, where))
            elif isinstance(each, fields.String):
                found.append((where, each))
    return found


def test_every_text_an_endpoint_takes_is_checked_as_clean(app: Flask):
    schemas = _input_schemas(app)
    assert len(schemas) > 40
    loose = sorted({f"{type(s).__name__}.{where}" for s in schemas
                    for where, field in _strings(s) if not isinstance(field, Text)})
    assert loose == []


def test_a_key_that_is_not_clean_is_refused_and_says_it_is_a_key(client, org):
    response = raw_json(client, f"{V}/vouchers", '{"summary": "收款", "x\\u0086y": 1}')
    error = error_of(response)
    assert response.status_code == 422
    assert error["errors"][0]["reason"].startswith("键：")
    assert "键：" in client.get("/api/v1/openapi.json").get_json()["info"]["description"]
