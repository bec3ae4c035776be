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
