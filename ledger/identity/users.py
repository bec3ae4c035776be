"""A user (用户) signs in by login name and password, or with API tokens made for programs; what
a user may do is granted by role, per organization, and every grant and revocation is kept with
who decided it and why, so an auditor can tell who held which role when.

Roles: accountant (keeps the books), committee (village leaders: propose, decide, approve
spending), supervisor (supervision committee: review and sign disclosures, approve spending),
finance_lead (财务负责人: approves small spending alone), auditor (reads everything, writes
nothing), and the centre-wide admin.
"""

from __future__ import annotations

import re
from uuid import UUID

from ledger.identity.errors import InvalidUser, RoleAlreadyHeld, RoleNotHeld
from ledger.kernel.aggregate import LedgerAggregate, stable_id
from ledger.kernel.topics import stored_as

ORG_ROLES = ("accountant", "committee", "supervisor", "finance_lead", "auditor")
ROLES = (*ORG_ROLES, "admin")
EVERY_ORG = "*"  # a grant that holds in every organization: the admin, or a county auditor
LOGIN = re.compile(r"[a-z0-9][a-z0-9._-]{1,38}[a-z0-9]")
MIN_PASSWORD = 10
MAX_NAME = 50


def check_password(password: str) -> None:
    """Long enough to resist guessing; no other rule, so that a passphrase is welcome."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise InvalidUser(f"at least {MIN_PASSWORD} characters", field="password")
    if len(password) > 200:
        raise InvalidUser("at most 200 characters", field="password")


@stored_as("ledger.users")
class User(LedgerAggregate):
    class Registered(LedgerAggregate.Created):
        login: str
        display_name: str
        password_hash: str

    class PasswordChanged(LedgerAggregate.Event):
        password_hash: str

        def apply(self, user: User) -> None:
            user.password_hash = self.password_hash

    class RoleGranted(LedgerAggregate.Event):
        org: str
        role: str
        reason: str

        def apply(self, user: User) -> None:
            # A new mapping, never the old one changed: a request reading the cached user
            # without a copy (the token check) iterates a mapping no other thread changes.
            user.roles = {**user.roles, self.org: [*user.roles.get(self.org, ()), self.role]}

    class RoleRevoked(LedgerAggregate.Event):
        org: str
        role: str
        reason: str

        def apply(self, user: User) -> None:
            # As RoleGranted: a new mapping, so a reader without a copy sees old or new, whole.
            held = list(user.roles[self.org])
            held.remove(self.role)
            roles = {org: roles for org, roles in user.roles.items() if org != self.org}
            user.roles = roles | {self.org: held} if held else roles

    def __init__(self, login: str, display_name: str, password_hash: str) -> None:
        self.login = login
        self.display_name = display_name
        self.password_hash = password_hash
        self.roles: dict[str, list[str]] = {}  # organization code (or "*") -> roles held

    @staticmethod
    def id_for(login: str) -> UUID:
        return stable_id("user", login)

    @classmethod
    def register(cls, *, login: str, display_name: str, password_hash: str,
                 actor: str) -> User:
        if not LOGIN.fullmatch(login or ""):
            raise InvalidUser("3–40 lowercase letters, digits, dots, hyphens or underscores, "
                              "starting and ending with a letter or digit", field="login")
        name = (display_name or "").strip()
        if not name or len(name) > MAX_NAME:
            raise InvalidUser(f"1–{MAX_NAME} characters", field="display_name")
        return cls._create(cls.Registered, id=cls.id_for(login), login=login,
                           display_name=name, password_hash=password_hash, actor=actor)

    def change_password(self, password_hash: str, *, actor: str) -> None:
        self.trigger_event(self.PasswordChanged, password_hash=password_hash, actor=actor)

    def holds(self, org: str, role: str) -> bool:
        return role in self.roles.get(org, ()) or role in self.roles.get(EVERY_ORG, ())

    def roles_in(self, org: str) -> set[str]:
        return set(self.roles.get(org, ())) | set(self.roles.get(EVERY_ORG, ()))

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles.get(EVERY_ORG, ())

    def grant(self, org: str, role: str, *, reason: str, actor: str) -> None:
        _check_grant(org, role, reason)
        if role in self.roles.get(org, ()):
            raise RoleAlreadyHeld(f"{self.login} already holds {role} in {org}",
                                  login=self.login, org=org, role=role)
        self.trigger_event(self.RoleGranted, org=org, role=role, reason=reason.strip(),
                           actor=actor)

    def revoke(self, org: str, role: str, *, reason: str, actor: str) -> None:
        _check_grant(org, role, reason)
        if role not in self.roles.get(org, ()):
            raise RoleNotHeld(f"{self.login} does not hold {role} in {org}",
                              login=self.login, org=org, role=role)
        self.trigger_event(self.RoleRevoked, org=org, role=role, reason=reason.strip(),
                           actor=actor)


def _check_grant(org: str, role: str, reason: str) -> None:
    if role not in ROLES:
        raise InvalidUser(f"one of {', '.join(ROLES)}", field="role")
    if role == "admin" and org != EVERY_ORG:
        raise InvalidUser("admin is a centre-wide role, granted for every organization (*)",
                          field="org")
    if org == EVERY_ORG and role not in ("admin", "auditor"):
        raise InvalidUser(f"{role} is granted per organization", field="org")
    if not reason or not reason.strip() or len(reason) > 200:
        raise InvalidUser("a grant or revocation needs a reason (at most 200 characters)",
                          field="reason")
