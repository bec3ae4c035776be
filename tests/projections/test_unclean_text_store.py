"""A store kept before every door refused control characters still projects, on SQLite and on
PostgreSQL: its voucher summary holding NUL, its memo holding BEL and its villager's question
holding NUL reach every read model (PostgreSQL draws the NUL as ␀, since it cannot keep one in
text), and the disclosure published from them still verifies byte for byte."""

from __future__ import annotations

from flask.testing import FlaskClient

from api import create_app
from infra.storage import Storage
from projections.disclosure.verify import verify
from projections.runner import catch_up_all, close_views, open_ledger, open_views
from tests.api.conftest import FAST_HASHER, make_user, signed_in
from tests.fixtures.stores import FIXTURES, load_store

STORE = FIXTURES / "unclean_text" / "events.sqlite"


def test_a_store_with_control_characters_in_its_texts_projects_and_verifies(storage: Storage):
    head = load_store(STORE, storage)
    assert head == 17
    app, views = open_ledger(storage), open_views(storage)
    try:
        assert catch_up_all(app, views) == head
        assert {name: view.position() for name, view in views.items()} == dict.fromkeys(
            views, head)
        findings = verify(app, "v1")
        assert [(f.ok, f.problems) for f in findings] == [(True, [])]
    finally:
        app.close()
        close_views(views)

    nul = "\u2400" if storage.is_postgres else "\x00"
    web = create_app(storage, passwords=FAST_HASHER)
    try:
        client: FlaskClient = signed_in(web, make_user(web, "wang", ("v1", "accountant")))
        catch_up_all(web.extensions["sunlight"].ledger, web.extensions["sunlight"].views)
        vouchers = client.get("/api/v1/orgs/v1/vouchers").get_json()["items"]
        assert sorted(v["summary"] for v in vouchers) == [f"收取一组发包款{nul}", "第一行\n第二行"]
        lines = client.get("/api/v1/orgs/v1/vouchers/2025-01-0001").get_json()["lines"]
        assert lines[0]["memo"] == "合同\x07"
        questions = client.get("/api/v1/orgs/v1/questions").get_json()["items"]
        assert [q["text"] for q in questions] == [f"这笔钱{nul}去哪了？"]
        ref = findings[0].disclosure
        assert web.test_client().get(f"/v1/disclosures/{ref}").status_code == 200
    finally:
        web.extensions["sunlight"].close()
