"""The commands of identity: users, the roles they hold in each organization, their API tokens,
and signing in. A password is kept only as its argon2 hash; a token only as its own hash, its
plaintext shown once; a login that does not exist takes as long to refuse as a wrong password.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from ledger.identity.errors import InvalidUser, TokenNotFound, UserExists, UserNotFound
from ledger.identity.tokens import ApiToken, parse
from ledger.identity.users import EVERY_ORG, User, check_password
from ledger.kernel.idempotency import RequestKey
from ledger.kernel.writing import Decision, Outcome, Store


class IdentityCommands:
    def __init__(self, store: Store, *, now: Callable[[], datetime],
                 passwords: PasswordHasher, org_exists: Callable[[str], bool]) -> None:
        self.store = store
        self.now = now
        self.passwords = passwords
        self.org_exists = org_exists  # the books' registry, handed in by the application
        self._no_such_user_hash = ""

    # -- what commands load ---------------------------------------------------------------------

    def user(self, login: str) -> User:
        return self.store.load(User, User.id_for(login), lambda: (
            UserNotFound(f"no user {login}", login=login)))

    def token(self, login: str, token_id: UUID) -> ApiToken:
        found = self.store.find(ApiToken, token_id)
        if found is None or found.login != login:
            raise TokenNotFound("no such token of yours", token=str(token_id))
        return found

    # -- commands -------------------------------------------------------------------------------

    def create_user(self, *, login: str, display_name: str, password: str, actor: str,
                    request: RequestKey | None = None) -> Outcome[User]:
        check_password(password)
        password_hash = self.passwords.hash(password)

        def decide() -> Decision[User]:
            user = User.register(login=login, display_name=display_name,
                                 password_hash=password_hash, actor=actor)
            if self.store.exists(user.id):
                raise UserExists(f"the login {login} is taken", field="login", login=login)
            return user, [user]

        return self.store.write(f"user:{login}", request, actor, decide)

    def change_password(self, login: str, *, password: str, actor: str,
                        current_password: str | None = None,
                        request: RequestKey | None = None) -> Outcome[User]:
        """Set a new password; a user changing their own proves the current one first."""
        if current_password is not None and self.authenticate_password(
                login, current_password) is None:
            raise InvalidUser("this is not the current password", field="current_password")
        check_password(password)
        password_hash = self.passwords.hash(password)

        def decide() -> Decision[User]:
            user = self.user(login)
            user.change_password(password_hash, actor=actor)
            return user, [user]

        return self.store.write(f"user:{login}", request, actor, decide)

    def grant_role(self, login: str, *, org: str, role: str, reason: str, actor: str,
                   request: RequestKey | None = None) -> Outcome[User]:
        def decide() -> Decision[User]:
            if org != EVERY_ORG and not self.org_exists(org):
                raise InvalidUser(f"no organization {org}", field="org")
            user = self.user(login)
            user.grant(org, role, reason=reason, actor=actor)
            return user, [user]

        return self.store.write(f"user:{login}", request, actor, decide)

    def revoke_role(self, login: str, *, org: str, role: str, reason: str, actor: str,
                    request: RequestKey | None = None) -> Outcome[User]:
        def decide() -> Decision[User]:
            user = self.user(login)
            user.revoke(org, role, reason=reason, actor=actor)
            return user, [user]

        return self.store.write(f"user:{login}", request, actor, decide)

    def issue_token(self, login: str, *, label: str, expires_at: datetime | None, actor: str,
                    request: RequestKey | None = None) -> tuple[Outcome[ApiToken], str | None]:
        """The token, and its plaintext, which nobody can see again; None when replayed."""
        plaintext: list[str] = []

        def decide() -> Decision[ApiToken]:
            self.user(login)
            token, secret = ApiToken.issue(login=login, label=label, expires_at=expires_at,
                                           now=self.now(), actor=actor)
            plaintext[:] = [secret]
            return token, [token]

        outcome = self.store.write(f"user:{login}", request, actor, decide)
        return outcome, None if outcome.replayed else plaintext[0]

    def revoke_token(self, login: str, token_id: UUID, *, reason: str, actor: str,
                     request: RequestKey | None = None) -> Outcome[ApiToken]:
        def decide() -> Decision[ApiToken]:
            token = self.token(login, token_id)
            token.revoke(reason=reason, actor=actor)
            return token, [token]

        return self.store.write(f"user:{login}", request, actor, decide)

    # -- signing in -----------------------------------------------------------------------------

    def authenticate_token(self, token: str) -> User | None:
        """The user a bearer token stands for, or None: unknown, expired or revoked."""
        parsed = parse(token)
        if parsed is None:
            return None
        token_id, secret = parsed
        # Read, never changed: the token and its user are brought up to date (a revocation or
        # a lost role written a moment ago by any process counts) but not copied; in one query
        # once the token is cached, since the login a token acts for never changes.
        known = self.store.last_read(ApiToken, token_id)
        if known is not None:
            stored, user = self.store.find_many(
                [(ApiToken, token_id), (User, User.id_for(known.login))], copy=False)
        else:
            stored = self.store.find(ApiToken, token_id, copy=False)
            user = None if stored is None else self.store.find(
                User, User.id_for(stored.login), copy=False)
        if stored is None or not stored.is_valid(secret, self.now()):
            return None
        return user  # type: ignore[no-any-return]

    def authenticate_password(self, login: str, password: str) -> User | None:
        try:
            user: User | None = self.user(login)
        except (UserNotFound, InvalidUser):
            user = None
        if not self._no_such_user_hash:
            # Checked against when a login does not exist, so a miss takes as long as a hit.
            self._no_such_user_hash = self.passwords.hash("no such user")
        try:
            self.passwords.verify(user.password_hash if user else self._no_such_user_hash,
                                  password)
        except VerificationError:
            return None
        return user
