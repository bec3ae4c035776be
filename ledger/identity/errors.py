"""What identity refuses: users, their roles and their API tokens."""

from __future__ import annotations

from ledger.kernel.errors import Conflict, InvalidCommand, NotFound


class InvalidUser(InvalidCommand):
    """A user cannot be registered or changed so."""

    code = "invalid_user"


class UserExists(Conflict):
    """The login name is taken."""

    code = "user_exists"


class UserNotFound(NotFound):
    """No such user."""

    code = "user_not_found"


class RoleAlreadyHeld(Conflict):
    """The user already holds this role there."""

    code = "role_already_held"


class RoleNotHeld(Conflict):
    """The user does not hold this role there."""

    code = "role_not_held"


class TokenNotFound(NotFound):
    """No such token of this user."""

    code = "token_not_found"


class TokenAlreadyRevoked(Conflict):
    """A token is revoked once."""

    code = "token_already_revoked"
