"""The OpenAPI document is generated from the schemas and covers every endpoint of the API."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_every_api_route_is_documented(app, spec):
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint.startswith(("api-docs",
                                                                             "pages.")):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in documented, f"{method} {path} is not documented"


def test_every_write_documents_its_body_and_every_error_shares_one_schema(spec):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in ("get", "post"):
                continue
            if method == "post":
                assert "requestBody" in operation, path
            assert "default" in operation["responses"], (method, path)
    assert "Error" in spec["components"]["schemas"]


def test_amounts_are_documented_as_strings(spec):
    line = spec["components"]["schemas"]["LineIn"]
    assert line["properties"]["debit"]["type"] == "string"


def test_the_docs_page_lists_the_endpoints_without_external_scripts(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/orgs/{org}/vouchers" in page
    assert "<script" not in page and "http://" not in page and "https://" not in page


def test_the_import_takes_a_multipart_form_and_the_exports_answer_files(spec):
    base = "/api/v1/orgs/{org}"
    body = spec["paths"][f"{base}/members/import"]["post"]["requestBody"]["content"]
    form = spec["components"]["schemas"][
        body["multipart/form-data"]["schema"]["$ref"].split("/")[-1]]
    assert form["properties"]["file"] == {**form["properties"]["file"], "type": "string",
                                          "format": "binary"}
    assert "file" in form["required"]
    rejected = spec["paths"][f"{base}/members/import"]["post"]["responses"]["422"]
    assert rejected["content"]["application/json"]["schema"]["$ref"].endswith(
        "ImportRejectedOut")
    for path in ("members/template", "members/export", "shares/export"):
        content = spec["paths"][f"{base}/{path}"]["get"]["responses"]["200"]["content"]
        assert set(content) == {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv"}


def test_members_and_money_on_the_register_routes_are_documented(spec):
    schemas = spec["components"]["schemas"]
    member = schemas["MemberOut"]["properties"]
    assert "masked" in member["id_number"]["description"]
    assert member["id_number_masked"]["type"] == "boolean"
    assert schemas["ContributionIn"]["properties"]["amount"]["type"] == "string"
    assert schemas["MovementIn"]["properties"]["price"]["type"] == "string"
    post = spec["paths"]["/api/v1/orgs/{org}/members"]["post"]
    assert post["requestBody"]["content"]["application/json"]["example"]["basis"] == "birth"


def test_the_docs_page_shows_a_form_body(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/orgs/{org}/members/import" in page and "multipart/form-data" in page
