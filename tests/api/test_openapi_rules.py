"""The OpenAPI document states what the server enforces — the one written form of amounts and
days, the bound on page numbers, which bodies may be left out — and every refusal an operation
can answer, each in the one error shape; its patterns mean the same to Python and to ECMA-262."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from api.common_schemas import MAX_PAGE
from api.fields import AMOUNT_IN, AMOUNT_OUT, DAY_IN, MONTH_IN

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def spec(client) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        path = node["$ref"].removeprefix("#/").split("/")
        node = spec
        for part in path:
            node = node[part]
    return node


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def properties_sent(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property of every request body (nested ones too) and every parameter's schema."""
    seen: set[int] = set()

    def walk(name: str, schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
        schema = resolve(spec, schema)
        if id(schema) in seen:
            return
        seen.add(id(schema))
        yield name, schema
        for key, child in schema.get("properties", {}).items():
            yield from walk(f"{name}.{key}", child)
        if isinstance(schema.get("items"), dict):
            yield from walk(f"{name}[]", schema["items"])
        if isinstance(schema.get("additionalProperties"), dict):
            yield from walk(f"{name}{{}}", schema["additionalProperties"])

    for path, method, operation in operations(spec):
        for parameter in operation.get("parameters", []) + spec["paths"][path].get(
                "parameters", []):
            yield from walk(f"{method} {path} {parameter['name']}", parameter["schema"])
        for content in operation.get("requestBody", {}).get("content", {}).values():
            yield from walk(f"{method} {path} body", content["schema"])


def test_amounts_are_documented_in_the_form_they_are_read_and_written(spec):
    schemas = spec["components"]["schemas"]

    for name, field in (("LineIn", "debit"), ("ReceiptIn", "amount"), ("MatterIn", "budget_total"),
                        ("SettingsIn", "cash_limit"), ("MovementIn", "price")):
        assert schemas[name]["properties"][field]["pattern"] == AMOUNT_IN, (name, field)
    assert schemas["VoucherOut"]["properties"]["debit_total"]["pattern"] == AMOUNT_OUT


def test_every_day_a_client_sends_is_a_date_of_one_pattern(spec):
    days = [(name, schema) for name, schema in properties_sent(spec)
            if schema.get("format") == "date"]

    assert len(days) > 40
    for name, schema in days:
        assert schema.get("pattern") == DAY_IN, name


def test_every_month_a_client_sends_has_its_pattern(spec):
    statement = "get /api/v1/orgs/{org}/reports/income-statement"
    months = [(name, schema) for name, schema in properties_sent(spec)
              if name.split()[-1] == "period"
              or (name.startswith(statement) and name.split()[-1] in ("from", "to"))]

    assert len(months) >= 5
    for name, schema in months:
        assert schema.get("pattern") == MONTH_IN, name


def test_every_page_number_is_bounded(spec):
    pages = [schema for name, schema in properties_sent(spec) if name.endswith(" page")]

    assert len(pages) > 10
    assert all(schema["maximum"] == MAX_PAGE for schema in pages)


def test_every_pattern_means_the_same_to_python_and_to_ecma_262(spec):
    patterns = [(name, schema["pattern"]) for name, schema in properties_sent(spec)
                if "pattern" in schema]

    assert len(patterns) > 50
    for name, pattern in patterns:
        assert pattern.startswith("^") and pattern.endswith("$"), (name, pattern)
        assert "\\Z" not in pattern and "\\A" not in pattern, (name, pattern)


def test_every_operation_documents_its_refusals_in_the_error_shape(spec):
    for path, method, operation in operations(spec):
        expected = {"401", "403", "503"}
        if "{" in path or "requestBody" in operation:
            expected.add("404")
        if "requestBody" in operation:
            expected |= {"400", "413", "422"}
        if method != "get":
            expected.add("409")
        responses = operation["responses"]
        assert expected <= set(responses), (method, path, expected - set(responses))
        for status in expected - {"422"}:
            schema = resolve(spec, responses[status])["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, status)


def test_the_document_says_how_to_sign_in(spec):
    assert spec["security"] == [{"bearer": []}]
    assert spec["components"]["securitySchemes"]["bearer"] == {
        **spec["components"]["securitySchemes"]["bearer"], "type": "http", "scheme": "bearer"}


def test_a_body_whose_every_field_is_optional_is_itself_optional(spec):
    for path, method, operation in operations(spec):
        body = operation.get("requestBody")
        if body is None or "application/json" not in body["content"]:
            continue
        schema = resolve(spec, body["content"]["application/json"]["schema"])
        assert body.get("required", False) is bool(schema.get("required")), (method, path)


def test_a_token_is_revoked_without_a_body_as_the_document_allows(client):
    created = client.post("/api/v1/users/me/tokens", json={"label": "spare"}).get_json()

    response = client.post(f"/api/v1/users/me/tokens/{created['id']}/revoke")

    assert response.status_code == 200
    assert response.get_json()["revoked_at"]


def test_the_month_to_close_is_documented_by_its_pattern(spec):
    item = spec["paths"]["/api/v1/orgs/{org}/periods/{period}/close"]
    parameters = item.get("parameters", []) + item["post"].get("parameters", [])
    period = next(p for p in parameters if p["name"] == "period")

    assert period["in"] == "path" and period["schema"]["pattern"] == MONTH_IN
