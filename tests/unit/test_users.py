"""Users, role grants and API tokens as aggregates: given events, when a command, then events or
an error."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from ledger.application import Ledger
from ledger.identity import (
    ApiToken,
    InvalidUser,
    RoleAlreadyHeld,
    RoleNotHeld,
    TokenAlreadyRevoked,
    TokenNotFound,
    User,
    UserExists,
    parse,
)

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def user() -> User:
    return User.register(login="wang", display_name="王会计", password_hash="h", actor="admin")


@pytest.mark.parametrize("login", ["wa", "Wang", "wang!", "-wang", "wang-", "王会计", "a" * 41])
def test_a_login_is_3_to_40_plain_characters(login):
    with pytest.raises(InvalidUser) as err:
        User.register(login=login, display_name="x", password_hash="h", actor="a")
    assert err.value.field == "login"


def test_a_grant_is_recorded_with_its_reason_and_is_held_in_that_village_only():
    given = user()
    given.collect_events()
    given.grant("v1", "accountant", reason="村委会聘任", actor="admin")
    (event,) = given.collect_events()
    assert isinstance(event, User.RoleGranted)
    assert (event.org, event.role, event.reason, event.actor) == ("v1", "accountant",
                                                                  "村委会聘任", "admin")
    assert given.holds("v1", "accountant") and not given.holds("v2", "accountant")


def test_a_centre_wide_grant_holds_in_every_village():
    given = user()
    given.grant("*", "auditor", reason="县审计", actor="admin")
    assert given.holds("v9", "auditor") and given.roles_in("v9") == {"auditor"}


@pytest.mark.parametrize(("org", "role", "field"), [
    ("v1", "admin", "org"), ("*", "accountant", "org"), ("v1", "mayor", "role")])
def test_roles_go_where_they_belong(org, role, field):
    with pytest.raises(InvalidUser) as err:
        user().grant(org, role, reason="x", actor="admin")
    assert err.value.field == field


def test_a_grant_or_revocation_needs_a_reason():
    with pytest.raises(InvalidUser) as err:
        user().grant("v1", "committee", reason=" ", actor="admin")
    assert err.value.field == "reason"


def test_a_role_is_granted_once_and_revoked_once():
    given = user()
    given.grant("v1", "committee", reason="选举", actor="admin")
    with pytest.raises(RoleAlreadyHeld):
        given.grant("v1", "committee", reason="again", actor="admin")
    given.revoke("v1", "committee", reason="届满", actor="admin")
    assert given.roles == {}
    with pytest.raises(RoleNotHeld):
        given.revoke("v1", "committee", reason="again", actor="admin")


def test_a_grant_or_revocation_leaves_the_roles_a_reader_holds_as_they_were():
    # Given a user with two roles, and a reader holding the roles as it found them (the token
    # check reads the cached user without a copy while another request may bring it up to date)
    given = user()
    given.grant("v1", "accountant", reason="聘任", actor="admin")
    given.grant("v1", "committee", reason="选举", actor="admin")
    held = given.roles
    held_in_v1 = held["v1"]
    # When a role is revoked and another granted
    given.revoke("v1", "committee", reason="届满", actor="admin")
    given.grant("v2", "supervisor", reason="选举", actor="admin")
    # Then the user has the new roles, and what the reader holds never changed under it
    assert given.roles == {"v1": ["accountant"], "v2": ["supervisor"]}
    assert held == {"v1": ["accountant", "committee"]}
    assert held_in_v1 == ["accountant", "committee"]


def test_a_token_is_random_long_and_kept_only_as_a_digest():
    token, plaintext = ApiToken.issue(login="wang", label="excel", expires_at=None, now=NOW,
                                      actor="wang")
    token_id, secret = parse(plaintext)
    assert token_id == token.id and len(secret) == 43
    assert secret not in repr(vars(token)) and token.is_valid(secret, NOW)
    assert not token.is_valid(secret[:-1] + ("a" if secret[-1] != "a" else "b"), NOW)


def test_a_token_ends_at_its_expiry_or_its_revocation():
    token, plaintext = ApiToken.issue(login="wang", label="x", now=NOW, actor="wang",
                                      expires_at=NOW + timedelta(days=1))
    _, secret = parse(plaintext)
    assert token.is_valid(secret, NOW + timedelta(hours=23))
    assert not token.is_valid(secret, NOW + timedelta(days=1))
    token.revoke(reason="lost", actor="wang")
    assert not token.is_valid(secret, NOW)
    with pytest.raises(TokenAlreadyRevoked):
        token.revoke(reason="again", actor="wang")


@pytest.mark.parametrize(("label", "expires_at", "field"), [
    ("", None, "label"), ("x", NOW, "expires_at")])
def test_a_token_needs_a_label_and_a_future_expiry(label, expires_at, field):
    with pytest.raises(InvalidUser) as err:
        ApiToken.issue(login="wang", label=label, expires_at=expires_at, now=NOW, actor="w")
    assert err.value.field == field


@pytest.fixture
def app(clock) -> Ledger:
    return Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock,
                  passwords=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def test_a_login_is_taken_once_and_passwords_are_never_stored_plain(app):
    app.identity.create_user(login="wang", display_name="王", password="correct horse",
                             actor="admin")
    with pytest.raises(UserExists):
        app.identity.create_user(login="wang", display_name="另一个", password="correct horse",
                                 actor="admin")
    stored = app.recorder.select_notifications(start=1, limit=10)
    assert all(b"correct horse" not in n.state for n in stored)
    assert app.identity.user("wang").password_hash.startswith("$argon2id$")


def test_a_short_password_is_refused_before_anything_is_written(app):
    with pytest.raises(InvalidUser) as err:
        app.identity.create_user(login="wang", display_name="王", password="short", actor="admin")
    assert err.value.field == "password"
    assert app.log_head() == 0


def test_a_role_is_granted_only_in_a_village_that_exists(app):
    app.identity.create_user(login="wang", display_name="王", password="correct horse",
                             actor="admin")
    with pytest.raises(InvalidUser) as err:
        app.identity.grant_role("wang", org="nowhere", role="accountant", reason="x", actor="admin")
    assert err.value.field == "org"


def test_a_user_revokes_only_their_own_tokens(app):
    for login in ("wang", "lihua"):
        app.identity.create_user(login=login, display_name=login, password="correct horse",
                                 actor="admin")
    outcome, plaintext = app.identity.issue_token("wang", label="x", expires_at=None, actor="wang")
    with pytest.raises(TokenNotFound):
        app.identity.revoke_token("lihua", outcome.value.id, reason="", actor="lihua")
    assert app.identity.authenticate_token(plaintext).login == "wang"


def test_a_password_checks_out_only_for_its_user(app):
    app.identity.create_user(login="wang", display_name="王", password="correct horse",
                             actor="admin")
    assert app.identity.authenticate_password("wang", "correct horse").login == "wang"
    assert app.identity.authenticate_password("wang", "correct horsf") is None
    assert app.identity.authenticate_password("nobody", "correct horse") is None
    assert app.identity.authenticate_password("NOT A LOGIN", "correct horse") is None
