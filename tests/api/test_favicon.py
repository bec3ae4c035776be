"""The site's icon: every browser asks for /favicon.ico on its first visit to any page, which was a
404 on each (found in the acceptance walk); it is answered with a small icon, cached a week, and
the pages name it and its SVG form."""

from __future__ import annotations

from flask import Flask


def test_the_favicon_is_served_and_cached(app: Flask):
    response = app.test_client().get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    assert (response.cache_control.max_age or 0) >= 86400  # a day at least
    assert response.cache_control.public


def test_the_pages_name_the_icon(app: Flask):
    client = app.test_client()
    for path in ("/", "/login", "/nowhere/"):  # the service's base page, sign-in, a public page
        page = client.get(path).get_data(as_text=True)
        assert 'rel="icon" href="/favicon.ico"' in page, path
        assert 'href="/static/icon.svg"' in page, path
    svg = client.get("/static/icon.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
