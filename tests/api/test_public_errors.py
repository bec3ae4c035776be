"""A villager's browser that meets a wrong public address gets a page in Chinese, not the API's
JSON in English; programs, the API and the desk keep their answers."""

from __future__ import annotations

from flask import Flask

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8", "Accept-Language": "zh-CN"}


def test_a_wrong_public_address_is_a_page_in_chinese(app: Flask, org: str) -> None:
    for path in ("/no/such/page", f"/{org}/distributions/2025-1/nothing-here"):
        response = app.test_client().get(path, headers=BROWSER)
        assert response.status_code == 404 and response.mimetype == "text/html", path
        page = response.get_data(as_text=True)
        assert "找不到" in page or "未找到" in page, page[:500]
        assert "The requested URL" not in page


def test_programs_and_the_api_keep_their_json(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/no/such/page").is_json  # Accept: */*
    assert client.get("/no/such/page", headers={"Accept": "application/json"}).is_json
    assert client.get("/api/v1/no-such", headers=BROWSER).is_json
