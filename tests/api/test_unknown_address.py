"""An address no route knows, opened in a browser (a mistyped village code, a link cut short on
a phone), answers the public 未找到 page in the reader's language; a program, and anything under
/api/, keeps the JSON error. On SQLite and on PostgreSQL."""

from __future__ import annotations

from flask import Flask

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8", "Accept-Language": "zh-CN"}


def test_a_browser_gets_the_not_found_page_in_chinese(app: Flask):
    # Given a browser, when it opens addresses no route answers,
    for path in ("/dongshan/nothing", "/desk/dongshan/nothing-here", "/a/b/c"):
        response = app.test_client().get(path, headers=HTML)
        # then it gets the public page that says so in Chinese, not Werkzeug's English.
        page = response.get_data(as_text=True)
        assert (response.status_code, response.mimetype) == (404, "text/html"), path
        assert "未找到" in page and "was not found on the server" not in page, path


def test_programs_and_the_api_keep_the_json_error(app: Flask):
    client = app.test_client()
    for path, headers in (("/api/v1/nothing", HTML), ("/dongshan/nothing", {})):
        response = client.get(path, headers=headers)
        assert response.status_code == 404 and response.is_json, path
        assert response.get_json()["error"]["code"] == "not_found"
