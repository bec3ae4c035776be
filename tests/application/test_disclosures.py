"""Disclosures on real storage: the demo's published disclosures verify, a change made to a stored
event underneath is reported, a full projection rebuild gives the same bytes, and the workflow's
cross-aggregate steps (supersede, correct) and role checks hold."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from demo import COOP_ORG, DEMO_ORG, load_demo_village
from infra.storage import Storage
from ledger.application import Ledger
from ledger.disclosure import InvalidDisclosure, InvalidQuestion, NotOnPanel
from ledger.kernel.personal import PersonalDataCipher, new_key
from projections.books.queries import BooksReader
from projections.disclosure.content import build, prepare
from projections.disclosure.verify import verify
from projections.runner import catch_up_all, close_views, open_ledger, open_views, rebuild


@pytest.fixture
def demo(storage: Storage, ledger: Ledger) -> Ledger:
    load_demo_village(ledger, storage)
    return ledger


@pytest.fixture
def views(storage: Storage, ledger: Ledger) -> Iterator[dict[str, Any]]:
    opened = open_views(storage)
    yield opened
    close_views(opened)


def execute(storage: Storage, statement: str, params: tuple[Any, ...]) -> int:
    """Change the event store behind the application's back, as an attacker with database
    access would."""
    if storage.is_postgres:
        import psycopg

        from tests.conftest import PG_URL
        schema = storage.env(create_tables=False)["POSTGRES_SCHEMA"]
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'SET search_path TO "{schema}"')
            statement = statement.replace("stored_events", "ledger_events")
            return conn.execute(statement.replace("?", "%s"), params).rowcount
    import sqlite3

    with sqlite3.connect(storage.sqlite_path) as conn:
        return conn.execute(statement, params).rowcount


def stored_state(storage: Storage, topic: str, *needles: bytes) -> tuple[Any, int, bytes]:
    if storage.is_postgres:
        import psycopg

        from tests.conftest import PG_URL
        schema = storage.env(create_tables=False)["POSTGRES_SCHEMA"]
        with psycopg.connect(PG_URL) as conn:
            conn.execute(f'SET search_path TO "{schema}"')
            # The library names the PostgreSQL table after the application.
            rows = conn.execute("SELECT originator_id, originator_version, state FROM "
                                "ledger_events WHERE topic = %s", (topic,)).fetchall()
    else:
        import sqlite3

        with sqlite3.connect(storage.sqlite_path) as conn:
            rows = conn.execute("SELECT originator_id, originator_version, state FROM "
                                "stored_events WHERE topic = ?", (topic,)).fetchall()
    return next((i, v, bytes(s)) for i, v, s in rows if all(n in bytes(s) for n in needles))


def test_the_demo_disclosures_verify(demo: Ledger) -> None:
    findings = verify(demo, DEMO_ORG)
    assert len(findings) == 9  # seven of October's, and the 2025 distribution's plan and result
    assert all(f.ok for f in findings), [f.problems for f in findings]


def test_an_event_altered_in_the_store_is_reported(storage: Storage, demo: Ledger) -> None:
    # The September rent, 9500.00 yuan, becomes 9600.00 in the stored voucher event.
    originator, version, state = stored_state(storage, "ledger.vouchers:Voucher.Posted",
                                              "收取宏达建材厂9月厂房租金".encode(),
                                              b'"number":"2026-09-')
    assert b'"credit":950000' in state
    changed = execute(storage, "UPDATE stored_events SET state = ? WHERE originator_id = ? AND "
                      "originator_version = ?",
                      (state.replace(b'"credit":950000', b'"credit":960000'), originator,
                       version))
    assert changed == 1
    fresh = open_ledger(storage)
    try:
        findings = {f.title: f for f in verify(fresh, DEMO_ORG)}
    finally:
        fresh.close()
    september = findings["2026年9月财务收支明细"]
    assert not september.ok
    assert "9500.00" in september.problems[0] and "9600.00" in september.problems[0]
    assert findings["2026年8月财务收支明细"].ok  # August's books did not change


def test_altered_published_content_is_reported(storage: Storage, demo: Ledger) -> None:
    originator, version, state = stored_state(storage, "ledger.disclosures:Disclosure.Drafted",
                                              "东路硬化工程款支付专项公开".encode())
    forged = state.replace("县路桥工程公司".encode(), "某某个人账户".encode())
    assert forged != state
    execute(storage, "UPDATE stored_events SET state = ? WHERE originator_id = ? AND "
            "originator_version = ?", (forged, originator, version))
    fresh = open_ledger(storage)
    try:
        [finding] = [f for f in verify(fresh, DEMO_ORG) if f.title.startswith("东路硬化工程款")]
    finally:
        fresh.close()
    assert not finding.ok
    assert "SHA-256" in finding.problems[0]


def test_a_full_projection_rebuild_gives_byte_identical_disclosures(
        demo: Ledger, views: dict[str, Any]) -> None:
    catch_up_all(demo, views)
    queries = views["disclosures"]

    def published() -> dict[str, tuple[str, str]]:
        with queries.sql() as sql:
            rows = sql.execute("SELECT id, content, digest FROM disclosures WHERE status = "
                               "'published' ORDER BY id").all()
        return {row["id"]: (row["content"], row["digest"]) for row in rows}

    before = published()
    assert len(before) == 9 + 2  # the village's, and the fruit cooperative's plan and result
    for view in views.values():
        rebuild(demo, view)
    assert published() == before
    # And the books, rebuilt from event one, build the same bytes again.
    assert all(f.ok for f in verify(demo, DEMO_ORG))
    assert all(f.ok for f in verify(demo, COOP_ORG))


def _draft(app: Ledger, views: dict[str, Any], **kwargs: Any) -> str:
    catch_up_all(app, views)
    books = views["books"]
    with books.sql() as sql:
        prepared = prepare(BooksReader(sql, books), DEMO_ORG, "income_expenditure", "2026-09",
                           "9月收支", {})
    return str(app.disclosure.draft_disclosure(DEMO_ORG, kind="income_expenditure",
                                               period="2026-09",
                                               title="9月收支", inputs={}, content=prepared.content,
                                               position=prepared.position, actor="kuaiji",
                                               **kwargs).value.id)


def test_a_new_draft_supersedes_the_returned_one_in_the_same_write(
        demo: Ledger, views: dict[str, Any]) -> None:
    first = _draft(demo, views)
    demo.disclosure.submit_disclosure(DEMO_ORG, first, panel=["jiandu", "jiandu2"], actor="kuaiji")
    demo.disclosure.refuse_disclosure(DEMO_ORG, first, member="jiandu", reason="缺少经办人")
    second = _draft(demo, views, supersedes=first)
    assert demo.disclosure.disclosure(DEMO_ORG, first).superseded_by == second
    assert demo.disclosure.disclosure(DEMO_ORG, second).supersedes == first


def test_only_current_supervisors_review(demo: Ledger, views: dict[str, Any]) -> None:
    ref = _draft(demo, views)
    with pytest.raises(InvalidDisclosure):
        demo.disclosure.submit_disclosure(DEMO_ORG, ref, panel=["jiandu", "cunwei"], actor="kuaiji")
    demo.disclosure.submit_disclosure(DEMO_ORG, ref, panel=["jiandu", "jiandu2", "jiandu3"],
                                      actor="kuaiji")
    demo.identity.revoke_role("jiandu3", org=DEMO_ORG, role="supervisor", reason="换届",
                              actor="admin")
    with pytest.raises(NotOnPanel):
        demo.disclosure.sign_disclosure(DEMO_ORG, ref, member="jiandu3")


def test_a_phone_number_is_sealed_before_it_becomes_an_event(
        storage: Storage, demo: Ledger) -> None:
    published = next(d for d in verify(demo, DEMO_ORG) if d.title.startswith("东路"))
    demo.disclosure.cipher = None  # a server started without a personal-data key
    with pytest.raises(InvalidQuestion) as refused:
        demo.disclosure.ask_question(DEMO_ORG, published.disclosure, line=1,
                                     text="工程款付给谁了？",
                                     phone="13812345678")
    assert refused.value.field == "phone"  # no key: no phone kept at all
    demo.disclosure.cipher = PersonalDataCipher.from_environ(
        {"SUNLIGHT_PERSONAL_DATA_KEY": new_key()})
    question = demo.disclosure.ask_question(DEMO_ORG, published.disclosure, line=1,
                                            text="工程款付给谁了？", phone="13812345678").value
    _, _, state = stored_state(storage, "ledger.questions:Question.Asked",
                               "工程款付给谁了".encode())
    assert b"13812345678" not in state
    assert demo.disclosure.cipher.unseal(json.loads(state)["phone_sealed"]) == "13812345678"
    assert question.line == 1


def test_an_income_statement_is_built_by_the_rule_of_its_format(
        ledger: Ledger, storage: Storage, views: dict[str, Any]) -> None:
    # Given the demo's books, where 2026 began with 444,187.92 undistributed and March began
    # with 582,761.07 on the balance sheet,
    load_demo_village(ledger, storage)
    catch_up_all(ledger, views)
    books = views["books"]
    with books.sql() as sql:
        reader = BooksReader(sql, books)
        # when March's statement is built now, and as a format-1 disclosure is rebuilt,
        now = build(reader, DEMO_ORG, "income_statement", "2026-03", "3月收益", {})
        seventh = build(reader, DEMO_ORG, "income_statement", "2026-03", "3月收益", {},
                        format="sunlight-disclosure/7")
        old = build(reader, DEMO_ORG, "income_statement", "2026-03", "3月收益", {},
                    format="sunlight-disclosure/1")

    def brought_in(content: dict[str, Any], column: str = "amount") -> str:
        return next(line[column] for line in content["lines"]
                    if line["key"] == "undistributed_start")
    # then a new one leaves a month's distribution rows to the year (whose column has the
    # year's start), format 7 added the year's start to the month, and format 1 still gives
    # the bytes it published: the month's own start.
    assert (now["format"], brought_in(now), brought_in(now, "year_to_date")) == (
        "sunlight-disclosure/9", "", "444187.92")
    assert (seventh["format"], brought_in(seventh)) == ("sunlight-disclosure/7", "444187.92")
    assert (old["format"], brought_in(old)) == ("sunlight-disclosure/1", "582761.07")
