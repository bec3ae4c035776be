"""Users, your own API tokens, and who holds which role where."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint

from api.auth import ADMIN, SIGNED_IN, in_org, rule
from api.auth import actor as acting
from api.common import invalid, written
from api.common_schemas import WriteQuery
from api.idempotency import request_key
from api.identity.schemas import (
    GrantHistoryOut,
    GrantIn,
    NewTokenOut,
    PasswordIn,
    RevokeTokenIn,
    TokenIn,
    TokenOut,
    UserIn,
    UserListOut,
    UserOut,
)
from api.services import services
from ledger.identity import ApiToken, User
from ledger.kernel.errors import Conflict

blp = Blueprint("identity", __name__, url_prefix="/api/v1",
                description="Users, API tokens, and roles granted per organization.")


def user_out(user: User) -> dict[str, Any]:
    return {"login": user.login, "display_name": user.display_name,
            "roles": [{"org": org, "role": role} for org in sorted(user.roles)
                      for role in sorted(user.roles[org])]}


def token_out(token: ApiToken) -> dict[str, Any]:
    return {"id": str(token.id), "label": token.label, "created_at": token.created_on.isoformat(),
            "expires_at": token.expires_at.isoformat() if token.expires_at else None,
            "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None}


@blp.route("/users")
class Users(MethodView):
    @rule(ADMIN)
    @blp.response(200, UserListOut)
    def get(self) -> dict[str, Any]:
        """List the users and the roles they hold now (admin)"""
        return {"items": services().identity.users()}

    @rule(ADMIN)
    @blp.arguments(UserIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, UserOut)
    def post(self, data: dict[str, Any], wait: bool) -> Any:
        """Create a user (admin); roles are granted separately"""
        outcome = services().ledger.identity.create_user(**data, actor=acting(),
                                                         request=request_key())
        return written(outcome, user_out(outcome.value), 201, wait)


@blp.route("/users/me")
class Me(MethodView):
    @rule(SIGNED_IN)
    @blp.response(200, UserOut)
    def get(self) -> dict[str, Any]:
        """Who you are signed in as, and your roles"""
        return user_out(services().ledger.identity.user(acting()))


@blp.route("/users/me/password")
class Password(MethodView):
    @rule(SIGNED_IN)
    @blp.arguments(PasswordIn)
    @blp.response(200, UserOut)
    def post(self, data: dict[str, Any]) -> Any:
        """Change your password; sessions signed in with the old one end"""
        outcome = services().ledger.identity.change_password(
            acting(), password=data["new_password"], current_password=data["current_password"],
            actor=acting(), request=request_key())
        return written(outcome, user_out(outcome.value), 200)


@blp.route("/users/me/tokens")
class Tokens(MethodView):
    @rule(SIGNED_IN)
    @blp.response(200, TokenOut(many=True))
    def get(self) -> list[dict[str, Any]]:
        """Your API tokens (never their secrets)"""
        return services().identity.tokens(acting())

    @rule(SIGNED_IN)
    @blp.arguments(TokenIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, NewTokenOut)
    def post(self, data: dict[str, Any], wait: bool) -> Any:
        """Create an API token for yourself; its secret is in this answer and nowhere else"""
        ledger = services().ledger
        days = data["expires_in_days"]
        expires_at = ledger.identity.now() + timedelta(days=days) if days else None
        outcome, secret = ledger.identity.issue_token(acting(), label=data["label"],
                                                      expires_at=expires_at, actor=acting(),
                                                      request=request_key())
        if secret is None:
            raise Conflict("this request already created a token; its secret was shown once",
                           token=str(outcome.value.id))
        return written(outcome, token_out(outcome.value) | {"token": secret}, 201, wait)


@blp.route("/users/me/tokens/<token_id>/revoke")
class RevokeToken(MethodView):
    @rule(SIGNED_IN)
    @blp.arguments(RevokeTokenIn, required=False)  # every field optional: so is the body
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(200, TokenOut)
    def post(self, data: dict[str, Any], wait: bool, token_id: str) -> Any:
        """Revoke one of your API tokens; it stops working at once"""
        try:
            parsed = UUID(token_id)
        except ValueError:
            raise invalid("token_id", "not a token id") from None
        outcome = services().ledger.identity.revoke_token(acting(), parsed, reason=data["reason"],
                                                          actor=acting(), request=request_key())
        return written(outcome, token_out(outcome.value), 200, wait)


# The role history is for those who oversee: the centre's admin and the organization's auditors.
ROLE_HISTORY = ADMIN | in_org("auditor")


@blp.route("/orgs/<org>/roles")
class Roles(MethodView):
    @rule(ROLE_HISTORY)
    @blp.response(200, GrantHistoryOut)
    def get(self, org: str) -> dict[str, Any]:
        """Who held which role in this organization, and when (use * for centre-wide roles)"""
        grants, position = services().identity.role_history(org)
        return {"org": org, "grants": grants, "position": position}

    @rule(ADMIN)
    @blp.arguments(GrantIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, UserOut)
    def post(self, data: dict[str, Any], wait: bool, org: str) -> Any:
        """Grant a role in this organization (admin), with the reason"""
        outcome = services().ledger.identity.grant_role(data["login"], org=org, role=data["role"],
                                                        reason=data["reason"], actor=acting(),
                                                        request=request_key())
        return written(outcome, user_out(outcome.value), 201, wait)


@blp.route("/orgs/<org>/roles/revoke")
class RevokeRole(MethodView):
    @rule(ADMIN)
    @blp.arguments(GrantIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(200, UserOut)
    def post(self, data: dict[str, Any], wait: bool, org: str) -> Any:
        """Revoke a role in this organization (admin), with the reason"""
        outcome = services().ledger.identity.revoke_role(data["login"], org=org, role=data["role"],
                                                         reason=data["reason"], actor=acting(),
                                                         request=request_key())
        return written(outcome, user_out(outcome.value), 200, wait)


