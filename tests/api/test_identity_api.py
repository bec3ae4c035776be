"""Users, tokens and roles over HTTP; what each village's people may see of the others."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.api.conftest import ORG, error_of, make_user, signed_in, voucher


@pytest.fixture
def villages(app, client, org):
    """v1 (the org fixture's, wang is its accountant) and v2, each with an accountant; an
    auditor of both; the books of v1 hold one voucher."""
    assert client.post("/api/v1/orgs", json=ORG | {"code": "v2"}).status_code == 201
    assert client.post("/api/v1/orgs/v1/vouchers", json=voucher()).status_code == 201
    return {
        "a": signed_in(app, make_user(app, "lihua", ("v1", "accountant"))),
        "b": signed_in(app, make_user(app, "zhao", ("v2", "accountant"))),
        "auditor": signed_in(app, make_user(app, "sun", ("v1", "auditor"), ("v2", "auditor"))),
    }


def test_an_accountant_of_one_village_can_neither_read_nor_write_another(villages, project):
    project()
    a = villages["a"]
    assert a.get("/api/v1/orgs/v1/vouchers").status_code == 200
    assert a.post("/api/v1/orgs/v1/vouchers", json=voucher()).status_code == 201
    for response in (a.get("/api/v1/orgs/v2/vouchers"),
                     a.get("/api/v1/orgs/v2/reports/trial-balance?period=2025-01"),
                     a.get("/api/v1/orgs/v2"),
                     a.post("/api/v1/orgs/v2/vouchers", json=voucher()),
                     a.post("/api/v1/orgs/v2/periods/2025-01/close", json={})):
        assert response.status_code == 403
    listed = a.get("/api/v1/orgs").get_json()
    assert [o["code"] for o in listed["items"]] == ["v1"]
    assert listed["pagination"]["total"] == 1  # not even a count of the others


def test_another_village_answers_exactly_as_one_that_does_not_exist(villages):
    a = villages["a"]
    bodies = []
    for village in ("v2", "no-such-village"):
        response = a.get(f"/api/v1/orgs/{village}/vouchers/2025-01-0001")
        error = error_of(response)
        error.pop("request_id")
        bodies.append((response.status_code, error))
    assert bodies[0] == bodies[1]


def test_an_auditor_reads_both_villages_and_writes_neither(villages, project, log_head):
    project()
    auditor = villages["auditor"]
    for village in ("v1", "v2"):
        assert auditor.get(f"/api/v1/orgs/{village}/vouchers").status_code == 200
        assert auditor.get(f"/api/v1/orgs/{village}/roles").status_code == 200
    before = log_head()
    for village in ("v1", "v2"):
        assert auditor.post(f"/api/v1/orgs/{village}/vouchers",
                            json=voucher()).status_code == 403
        assert auditor.post(f"/api/v1/orgs/{village}/vouchers/2025-01-0001/reversal", json={
            "date": "2025-01-06", "reason": "x"}).status_code == 403
    assert log_head() == before


def test_the_public_reads_no_books_and_no_people(app, villages, project):
    project()
    public = app.test_client()
    for url in ("/api/v1/orgs", "/api/v1/orgs/v1", "/api/v1/orgs/v1/vouchers",
                "/api/v1/orgs/v1/reports/balance-sheet?date=2025-12-31", "/api/v1/users",
                "/api/v1/orgs/v1/roles", "/api/v1/status"):
        response = public.get(url)
        assert response.status_code == 401, url
        assert response.headers["WWW-Authenticate"] == "Bearer"
    # What is public: the landing page (names of the villages), the API's documentation.
    page = public.get("/").get_data(as_text=True)
    assert "一村股份经济合作社" in page and "5000.00" not in page
    assert public.get("/api/v1/docs").status_code == 200
    assert public.get("/healthz").get_json() == {"status": "ok"}


def test_an_unknown_or_malformed_token_is_401_with_the_one_error_shape(app):
    for header in ("Bearer slt_00000000000000000000000000000000_" + "a" * 43, "Bearer nonsense",
                   "Basic d2FuZzpwYXNz", "Bearer"):
        response = app.test_client().get("/api/v1/users/me", headers={"Authorization": header})
        assert response.status_code == 401
        assert error_of(response)["code"] == "unauthorized"


def test_a_token_is_shown_once_listed_without_its_secret_and_revoked_at_once(app, client,
                                                                           project):
    created = client.post("/api/v1/users/me/tokens", json={"label": "Excel 导入"})
    assert created.status_code == 201
    token = created.get_json()["token"]
    assert token.startswith("slt_")
    mine = signed_in(app, token)
    assert mine.get("/api/v1/users/me").get_json()["login"] == "wang"
    project()  # tokens are listed from the identity read model
    listed = client.get("/api/v1/users/me/tokens").get_json()
    assert token not in str(listed) and {"Excel 导入", "tests"} == {t["label"] for t in listed}
    token_id = created.get_json()["id"]
    assert client.post(f"/api/v1/users/me/tokens/{token_id}/revoke",
                       json={"reason": "丢了"}).status_code == 200
    assert mine.get("/api/v1/users/me").status_code == 401


def test_a_token_with_an_idempotency_key_is_not_shown_twice(client):
    headers = {"Idempotency-Key": "token-1"}
    first = client.post("/api/v1/users/me/tokens", json={"label": "x"}, headers=headers)
    again = client.post("/api/v1/users/me/tokens", json={"label": "x"}, headers=headers)
    assert first.status_code == 201 and again.status_code == 409
    assert "slt_" not in again.get_data(as_text=True)


def test_an_expired_token_no_longer_works(app, client):
    ledger = app.extensions["sunlight"].ledger
    created = client.post("/api/v1/users/me/tokens", json={"label": "短期",
                                                           "expires_in_days": 1}).get_json()
    mine = signed_in(app, created["token"])
    assert mine.get("/api/v1/users/me").status_code == 200
    ledger.identity.now = lambda: datetime.now(UTC) + timedelta(days=1, seconds=1)
    assert mine.get("/api/v1/users/me").status_code == 401


def test_you_cannot_revoke_someone_elses_token(app, client):
    other = signed_in(app, make_user(app, "lihua"))
    token_id = other.post("/api/v1/users/me/tokens", json={"label": "lihua's"}).get_json()["id"]
    response = client.post(f"/api/v1/users/me/tokens/{token_id}/revoke", json={})
    assert response.status_code == 404


def test_who_held_which_role_when(app, client, org, project):
    make_user(app, "lihua")
    grant = client.post("/api/v1/orgs/v1/roles", json={
        "login": "lihua", "role": "supervisor", "reason": "村民代表会议选举"})
    assert grant.status_code == 201
    assert {"org": "v1", "role": "supervisor"} in grant.get_json()["roles"]
    again = client.post("/api/v1/orgs/v1/roles", json={
        "login": "lihua", "role": "supervisor", "reason": "again"})
    assert (again.status_code, error_of(again)["code"]) == (409, "role_already_held")
    revoked = client.post("/api/v1/orgs/v1/roles/revoke", json={
        "login": "lihua", "role": "supervisor", "reason": "任期届满"})
    assert revoked.status_code == 200 and revoked.get_json()["roles"] == []
    project()
    history = client.get("/api/v1/orgs/v1/roles").get_json()["grants"]
    li = [g for g in history if g["login"] == "lihua"]
    assert len(li) == 1
    assert (li[0]["grant_reason"], li[0]["granted_by"]) == ("村民代表会议选举", "wang")
    assert (li[0]["revoke_reason"], li[0]["revoked_by"]) == ("任期届满", "wang")
    assert li[0]["granted_at"] <= li[0]["revoked_at"]


@pytest.mark.parametrize(("body", "field"), [
    ({"login": "lihua", "role": "admin", "reason": "x"}, "org"),
    ({"login": "lihua", "role": "mayor", "reason": "x"}, "role"),
    ({"login": "lihua", "role": "auditor"}, "reason"),
])
def test_a_bad_grant_names_its_field(app, client, org, body, field):
    make_user(app, "lihua")
    response = client.post("/api/v1/orgs/v1/roles", json=body)
    assert response.status_code == 422
    assert field in [e["field"] for e in error_of(response)["errors"]]


def test_the_admin_creates_users_whose_password_never_comes_back(app, client, log_head):
    created = client.post("/api/v1/users", json={
        "login": "chen", "display_name": "陈出纳", "password": "a sound passphrase"})
    assert created.status_code == 201
    assert "password" not in created.get_data(as_text=True)
    short = client.post("/api/v1/users", json={
        "login": "zhou", "display_name": "周", "password": "short"})
    assert short.status_code == 422 and error_of(short)["errors"][0]["field"] == "password"
    taken = client.post("/api/v1/users", json={
        "login": "chen", "display_name": "另一个陈", "password": "a sound passphrase"})
    assert (taken.status_code, error_of(taken)["code"]) == (409, "user_exists")


def test_changing_your_password_needs_the_current_one(app):
    me = signed_in(app, make_user(app, "lihua"))
    wrong = me.post("/api/v1/users/me/password", json={
        "current_password": "not it at all", "new_password": "a new long passphrase"})
    assert (wrong.status_code, error_of(wrong)["errors"][0]["field"]) == (422,
                                                                        "current_password")
    right = me.post("/api/v1/users/me/password", json={
        "current_password": "a long password", "new_password": "a new long passphrase"})
    assert right.status_code == 200
    ledger = app.extensions["sunlight"].ledger
    assert ledger.identity.authenticate_password("lihua", "a new long passphrase") is not None


def test_every_event_written_through_the_api_names_its_user_and_request(app, villages):
    ledger = app.extensions["sunlight"].ledger
    start = ledger.log_head()
    a, auditor = villages["a"], villages["auditor"]
    a.post("/api/v1/orgs/v1/accounts", json={"parent": "101", "code": "10101",
                                             "name_zh": "备用金"})
    posted = a.post("/api/v1/orgs/v1/vouchers", json=voucher("2025-01-09"),
                    headers={"X-Request-Id": "from-the-excel-macro-42"})
    assert posted.headers["X-Request-Id"] == "from-the-excel-macro-42"
    a.post(f"/api/v1/orgs/v1/vouchers/{posted.get_json()['number']}/reversal",
           json={"date": "2025-01-10", "reason": "重复"})
    a.post("/api/v1/orgs/v1/periods/2025-01/close", json={})
    auditor.post("/api/v1/users/me/tokens", json={"label": "audit script"})
    events = [ledger.mapper.to_domain_event(n) for n in
              ledger.recorder.select_notifications(start=start + 1, limit=1000)]
    assert len(events) >= 7
    assert {e.actor for e in events} == {"lihua", "sun"}
    assert all(len(e.request_id) >= 16 for e in events)
    posted_events = [e for e in events if e.request_id == "from-the-excel-macro-42"]
    assert {type(e).__qualname__ for e in posted_events} == {"Books.VoucherEntered",
                                                             "Voucher.Posted"}


def test_reads_of_a_village_need_no_more_than_its_role(app, villages, project):
    project()
    committee = signed_in(app, make_user(app, "qian", ("v1", "committee")))
    assert committee.get("/api/v1/orgs/v1/reports/trial-balance?period=2025-01").status_code \
        == 200
    assert committee.post("/api/v1/orgs/v1/vouchers", json=voucher()).status_code == 403


def test_books_start_date_is_still_checked_for_users_who_may_write(villages):
    refused = villages["a"].post("/api/v1/orgs/v1/vouchers", json=voucher(
        (date(2024, 12, 31)).isoformat()))
    assert refused.status_code == 422
