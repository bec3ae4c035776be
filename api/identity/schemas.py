"""Users, API tokens and role grants on the wire. Passwords go in and never come out; a token's
secret comes out once, in the answer that creates it."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.fields import Text
from ledger.identity import MIN_PASSWORD, ORG_ROLES, ROLES


class UserIn(Schema):
    login = Text(required=True, metadata={"example": "wang.kuaiji"})
    display_name = Text(required=True, validate=validate.Length(min=1, max=50))
    password = Text(required=True, load_only=True,
                    validate=validate.Length(min=MIN_PASSWORD, max=200))


class RoleHeld(Schema):
    org = fields.String(metadata={"description": "An organization's code, or * for all."})
    role = fields.String()


class UserOut(Schema):
    login = fields.String()
    display_name = fields.String()
    roles = fields.List(fields.Nested(RoleHeld))


class PasswordIn(Schema):
    current_password = Text(required=True, load_only=True)
    new_password = Text(required=True, load_only=True,
                        validate=validate.Length(min=MIN_PASSWORD, max=200))


class TokenIn(Schema):
    label = Text(required=True, validate=validate.Length(min=1, max=100),
                 metadata={"description": "What the token is for, e.g. 'Excel import'."})
    expires_in_days = fields.Integer(strict=True, load_default=None,
                                     validate=validate.Range(min=1, max=3660))


class TokenOut(Schema):
    id = fields.String()
    label = fields.String()
    created_at = fields.String()
    expires_at = fields.String(allow_none=True)
    revoked_at = fields.String(allow_none=True)


class NewTokenOut(TokenOut):
    token = fields.String(metadata={"description": "The secret: shown this once only."})


class RevokeTokenIn(Schema):
    reason = Text(multiline=True, load_default="", validate=validate.Length(max=200))


class GrantIn(Schema):
    login = Text(required=True)
    role = Text(required=True, validate=validate.OneOf(ROLES),
                metadata={"description": f"{', '.join(ORG_ROLES)}; admin only for *"})
    reason = Text(multiline=True, required=True, validate=validate.Length(min=1, max=200))


class GrantHistory(Schema):
    login = fields.String()
    org = fields.String()
    role = fields.String()
    granted_at = fields.String()
    granted_by = fields.String()
    grant_reason = fields.String()
    revoked_at = fields.String(allow_none=True)
    revoked_by = fields.String(allow_none=True)
    revoke_reason = fields.String(allow_none=True)


class GrantHistoryOut(Schema):
    org = fields.String()
    grants = fields.List(fields.Nested(GrantHistory))
    position = fields.Integer()


class UserListOut(Schema):
    items = fields.List(fields.Nested(UserOut))
