"""Who keeps and reads the books: users, the roles they hold in each organization (and across
the centre), their API tokens, and signing in."""

from ledger.identity.commands import IdentityCommands
from ledger.identity.errors import (
    InvalidUser,
    RoleAlreadyHeld,
    RoleNotHeld,
    TokenAlreadyRevoked,
    TokenNotFound,
    UserExists,
    UserNotFound,
)
from ledger.identity.tokens import ApiToken, parse
from ledger.identity.users import EVERY_ORG, MIN_PASSWORD, ORG_ROLES, ROLES, User

__all__ = [
    "EVERY_ORG",
    "MIN_PASSWORD",
    "ORG_ROLES",
    "ROLES",
    "ApiToken",
    "IdentityCommands",
    "InvalidUser",
    "RoleAlreadyHeld",
    "RoleNotHeld",
    "TokenAlreadyRevoked",
    "TokenNotFound",
    "User",
    "UserExists",
    "UserNotFound",
    "parse",
]
