"""The identity read model: users, their API tokens (never their secrets), and the history of
every role grant and revocation, so that an auditor can list who held which role when.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ledger.identity import ApiToken, User
from projections.db import Handlers, ReadModel, Sql, ViewProjection, on_both_databases

DDL = (
    """CREATE TABLE IF NOT EXISTS identity_users (
        login TEXT PRIMARY KEY, user_id TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL,
        registered_at TEXT NOT NULL, registered_by TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS identity_roles (
        login TEXT NOT NULL, org TEXT NOT NULL, role TEXT NOT NULL,
        granted_position BIGINT NOT NULL, granted_at TEXT NOT NULL, granted_by TEXT NOT NULL,
        grant_reason TEXT NOT NULL, revoked_at TEXT, revoked_by TEXT, revoke_reason TEXT,
        PRIMARY KEY (login, org, role, granted_position))""",
    "CREATE INDEX IF NOT EXISTS identity_roles_by_org ON identity_roles (org, granted_at)",
    """CREATE TABLE IF NOT EXISTS identity_tokens (
        id TEXT PRIMARY KEY, login TEXT NOT NULL, label TEXT NOT NULL, created_at TEXT NOT NULL,
        expires_at TEXT, revoked_at TEXT)""",
    "CREATE INDEX IF NOT EXISTS identity_tokens_by_login ON identity_tokens (login)",
)
TABLES = ("identity_users", "identity_roles", "identity_tokens")
HANDLERS = Handlers()


def _login_of(sql: Sql, user_id: Any) -> str:
    login = sql.execute("SELECT login FROM identity_users WHERE user_id = :id",
                        {"id": str(user_id)}).scalar()
    if login is None:
        raise LookupError(f"user {user_id} was never registered")
    return login


@HANDLERS.on(User.Registered)
def _registered(sql: Sql, e: User.Registered, position: int) -> None:
    sql.execute("INSERT INTO identity_users VALUES (:login, :id, :name, :at, :by)",
                {"login": e.login, "id": str(e.originator_id), "name": e.display_name,
                 "at": e.timestamp.isoformat(), "by": e.actor})


@HANDLERS.on(User.RoleGranted)
def _granted(sql: Sql, e: User.RoleGranted, position: int) -> None:
    sql.execute(
        "INSERT INTO identity_roles VALUES (:login, :org, :role, :position, :at, :by, "
        ":reason, NULL, NULL, NULL)",
        {"login": _login_of(sql, e.originator_id), "org": e.org, "role": e.role,
         "position": position, "at": e.timestamp.isoformat(), "by": e.actor,
         "reason": e.reason})


@HANDLERS.on(User.RoleRevoked)
def _revoked(sql: Sql, e: User.RoleRevoked, position: int) -> None:
    sql.execute(
        "UPDATE identity_roles SET revoked_at = :at, revoked_by = :by, revoke_reason = :reason "
        "WHERE login = :login AND org = :org AND role = :role AND revoked_at IS NULL",
        {"login": _login_of(sql, e.originator_id), "org": e.org, "role": e.role,
         "at": e.timestamp.isoformat(), "by": e.actor, "reason": e.reason})


@HANDLERS.on(ApiToken.Issued)
def _token_issued(sql: Sql, e: ApiToken.Issued, position: int) -> None:
    sql.execute("INSERT INTO identity_tokens VALUES (:id, :login, :label, :at, :expires, NULL)",
                {"id": str(e.originator_id), "login": e.login, "label": e.label,
                 "at": e.timestamp.isoformat(),
                 "expires": e.expires_at.isoformat() if e.expires_at else None})


@HANDLERS.on(ApiToken.Revoked)
def _token_revoked(sql: Sql, e: ApiToken.Revoked, position: int) -> None:
    sql.execute("UPDATE identity_tokens SET revoked_at = :at WHERE id = :id",
                {"at": e.timestamp.isoformat(), "id": str(e.originator_id)})


class IdentityView(ReadModel):
    name: ClassVar[str] = "identity"
    tables: ClassVar[tuple[str, ...]] = TABLES
    ddl: ClassVar[tuple[str, ...]] = DDL
    handlers: ClassVar[Handlers] = HANDLERS



class IdentityProjection(ViewProjection[IdentityView]):
    name = "identity"
    views = on_both_databases(IdentityView)


class IdentityQueries:
    """Reads of the identity read model, each in its own snapshot."""

    def __init__(self, view: IdentityView) -> None:
        self.view = view

    def users(self) -> list[dict[str, Any]]:
        with self.view.sql() as sql:
            users = sql.execute("SELECT login, display_name, registered_at, registered_by "
                                "FROM identity_users ORDER BY login").all()
            current = sql.execute("SELECT login, org, role FROM identity_roles "
                                  "WHERE revoked_at IS NULL ORDER BY org, role").all()
        for user in users:
            user["roles"] = [{"org": r["org"], "role": r["role"]} for r in current
                             if r["login"] == user["login"]]
        return users

    def role_history(self, org: str) -> tuple[list[dict[str, Any]], int]:
        """Every grant in this organization (and centre-wide), with its revocation if any, and
        the position of the log these rows reflect."""
        with self.view.sql() as sql:
            return sql.execute(
                "SELECT login, org, role, granted_at, granted_by, grant_reason, revoked_at, "
                "revoked_by, revoke_reason FROM identity_roles WHERE org = :org OR org = '*' "
                "ORDER BY granted_position", {"org": org}).all(), self.view.position_in(sql)

    def tokens(self, login: str) -> list[dict[str, Any]]:
        with self.view.sql() as sql:
            return sql.execute("SELECT id, label, created_at, expires_at, revoked_at "
                               "FROM identity_tokens WHERE login = :login ORDER BY created_at",
                               {"login": login}).all()

    def holders(self, org: str, role: str) -> list[str]:
        """Who holds `role` in this organization now (centre-wide grants not included)."""
        with self.view.sql() as sql:
            return [row["login"] for row in sql.execute(
                "SELECT DISTINCT login FROM identity_roles WHERE org = :org AND role = :role "
                "AND revoked_at IS NULL ORDER BY login", {"org": org, "role": role}).all()]
