"""The centre administrator's desk page (/desk/admin, 机构与用户): the organizations registered
and the users with the roles they hold, and the forms that register an organization, create a
user, give a user who lost their password a new one, and grant or revoke a role.

Rule: each form is read through the JSON route's own schema (OrganizationIn, UserIn, GrantIn)
and goes to the one ledger command that route calls, so the desk adds no rule of its own; every
refusal is said in Chinese beside its field, with what was typed kept and nothing written. A new
user's password is made up here as the CLI makes it and shown once, in the answer to the POST
itself (not stored to survive a redirect, and never cached): it exists nowhere else; so is a
new password given to a user who lost theirs (as `sunlight users password`).
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import replace
from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from marshmallow import fields

from api.auth import ADMIN, actor, rule
from api.books.schemas import OrganizationIn
from api.common import reading
from api.desk import as_page, show_done
from api.disclosure.desk_forms import Problem, form_key
from api.disclosure.desk_views import caught_up
from api.errors import status_of
from api.fields import Text
from api.forms import FormRefused, load_form
from api.i18n import gettext as _
from api.identity import admin_words as words
from api.identity.schemas import GrantIn, UserIn
from api.services import services
from ledger.books import ORG_KINDS
from ledger.identity import EVERY_ORG, ORG_ROLES, ROLES
from ledger.kernel.chart import CHART_IDS
from ledger.kernel.errors import LedgerError
from projections.books.queries import Page

pages = Blueprint("desk_admin", __name__, url_prefix="/desk")
pages.after_request(as_page)

ORG_FIELDS = ("code", "name_zh", "name_en", "kind", "chart", "books_start")
USER_FIELDS = ("login", "display_name", "admin")
GRANT_FIELDS = ("login", "role", "org", "reason")
# A township centre keeps tens of villages; one page of a thousand lists every one.
ALL = Page(1, 1000)


class NewUserForm(UserIn):
    """The JSON route's user, and whether the desk also makes them an administrator, as
    `sunlight users create --admin` does (a grant of admin for every organization)."""

    admin = fields.Boolean(load_default=False)


class RoleForm(GrantIn):
    """The JSON route's grant; the organization, which the route takes from its address, is a
    field here (an organization's code, or * for every one)."""

    org = Text(required=True)


@pages.get("/admin")
@rule(ADMIN)
def admin() -> ResponseReturnValue:
    return _page()


@pages.post("/admin/orgs")
@rule(ADMIN)
def register_org() -> ResponseReturnValue:
    typed = _typed(ORG_FIELDS)
    try:
        form = load_form(OrganizationIn(), request.form)
    except FormRefused as refusal:
        return _page(org=typed, problem=words.refused("org", refusal), status=422)
    try:
        outcome = services().ledger.books.register_organization(**form, actor=actor(),
                                                                request=form_key())
    except LedgerError as error:
        return _page(org=typed, problem=words.problem("org", error, typed),
                     status=status_of(error))
    return show_done(outcome, "registered", "desk_admin.admin", code=form["code"],
                     _anchor=f"org-{form['code']}")


@pages.post("/admin/users")
@rule(ADMIN)
def create_user() -> ResponseReturnValue:
    typed = _typed(USER_FIELDS)
    password = secrets.token_urlsafe(12)  # as `sunlight users create` makes one up
    try:
        form = load_form(NewUserForm(), request.form, extra={"password": password})
    except FormRefused as refusal:
        return _page(user=typed, problem=words.refused("user", refusal), status=422)
    make_admin = form.pop("admin")
    key = form_key()
    identity = services().ledger.identity
    try:
        outcome = identity.create_user(**form, actor=actor(), request=key)
        if make_admin:
            # The second command of the form gets a key of its own, derived from the form's.
            outcome = identity.grant_role(
                form["login"], org=EVERY_ORG, role="admin", reason="created as admin",
                actor=actor(), request=replace(key, key=f"{key.key}:admin") if key else None)
    except LedgerError as error:
        return _page(user=typed, problem=words.problem("user", error, typed),
                     status=status_of(error))
    services().wait_for(outcome.position)  # the list below shows the new user
    created = {"login": form["login"], "name": form["display_name"], "admin": make_admin,
               # A replayed form (a double tap) created nobody: its password was never kept.
               "password": None if outcome.replayed else password}
    # The grant form offers the new user, whose roles come next.
    response = _page(created=created, role={"login": form["login"]}, status=201)
    return response[0], 201, {"Cache-Control": "no-store"}


@pages.post("/admin/users/<login>/password")
@rule(ADMIN)
def reset_password(login: str) -> ResponseReturnValue:
    """A new password for a user who lost theirs, made up and shown once; the sessions they
    are signed in with end (api/web_sessions.py), their API tokens stay."""
    password = secrets.token_urlsafe(12)
    key = form_key()  # the page's one key, made this user's: each user's form is its own
    try:
        outcome = services().ledger.identity.change_password(
            login, password=password, actor=actor(),
            request=replace(key, key=f"{key.key}:{login}") if key else None)
    except LedgerError as error:
        return _page(problem=words.problem("reset", error, {"login": login}),
                     status=status_of(error))
    user = outcome.value
    reset = {"login": login, "name": getattr(user, "display_name", login),
             "password": None if outcome.replayed else password}
    response = _page(reset=reset)
    return response[0], 200, {"Cache-Control": "no-store"}


@pages.post("/admin/roles")
@rule(ADMIN)
def grant() -> ResponseReturnValue:
    return _role("grant")


@pages.post("/admin/roles/revoke")
@rule(ADMIN)
def revoke() -> ResponseReturnValue:
    return _role("revoke")


def _role(kind: str) -> ResponseReturnValue:
    """A grant or a revocation; a revocation's form is the one beside the role it revokes."""
    typed = _typed(GRANT_FIELDS)
    name = kind if kind == "grant" else revoke_form(typed["login"], typed["org"], typed["role"])
    try:
        form = load_form(RoleForm(), request.form)
    except FormRefused as refusal:
        return _page(role=typed, problem=words.refused(kind, refusal, name), status=422)
    command = getattr(services().ledger.identity, f"{kind}_role")
    try:
        outcome = command(form["login"], org=form["org"], role=form["role"],
                          reason=form["reason"], actor=actor(), request=form_key())
    except LedgerError as error:
        return _page(role=typed, problem=words.problem(kind, error, typed, name),
                     status=status_of(error))
    return show_done(outcome, {"grant": "granted", "revoke": "revoked"}[kind], "desk_admin.admin",
                     login=form["login"], role=form["role"], org=form["org"],
                     _anchor=f"user-{form['login']}")


def revoke_form(login: str, org: str, role: str) -> str:
    """The name (and anchor) of the form that revokes one role held."""
    return f"revoke-{login}-{'all' if org == EVERY_ORG else org}-{role}"


def _typed(names: tuple[str, ...]) -> dict[str, str]:
    return {name: request.form.get(name, "").strip()[:200] for name in names}


def _page(*, org: dict[str, str] | None = None, user: dict[str, str] | None = None,
          role: dict[str, str] | None = None, problem: Problem | None = None,
          created: dict[str, Any] | None = None, reset: dict[str, Any] | None = None,
          status: int = 200) -> tuple[str, int]:
    """The page, with the form refused (if any) showing what was typed."""
    waited = caught_up()
    with reading() as reader:
        orgs = [dict(row) for row in reader.organizations(ALL)[0]]
    names = {row["code"]: row["name_zh"] for row in orgs}
    users = services().identity.users()
    if created and created["login"] not in {u["login"] for u in users}:
        # The read model has not caught up with the user just created (its wait timed out):
        # the page still lists them, as the ledger holds them, without roles yet.
        users = sorted([*users, {"login": created["login"], "display_name": created["name"],
                                 "roles": [{"org": EVERY_ORG, "role": "admin"}]
                                 if created["admin"] else []}], key=lambda u: u["login"])
    for person in users:
        person["admin"] = {"org": EVERY_ORG, "role": "admin"} in person["roles"]
        person["held"] = [r | {"form": revoke_form(person["login"], r["org"], r["role"]),
                               "name": names.get(r["org"], r["org"])}
                          for r in person["roles"]]
    page = render_template(
        "identity/admin.html", orgs=orgs, users=users, names=names, problem=problem,
        org_form=org or {}, user_form=user or {}, role_form=role or {}, created=created,
        reset=reset,
        notice=_notice(names), caught_up=waited, key=uuid.uuid4().hex, every_org=EVERY_ORG,
        kinds=ORG_KINDS, charts=CHART_IDS, roles=ROLES, org_roles=ORG_ROLES,
        kind_labels=words.KIND_LABELS, chart_labels=words.CHART_LABELS,
        role_labels=words.ROLE_LABELS, field_labels=words.LABELS)
    return page, status


def _notice(names: dict[str, str]) -> str | None:
    """What the last form did, after its redirect."""
    args = request.args
    done, login = args.get("done", ""), args.get("login", "")[:40]
    org = args.get("org", "")[:40]
    where = (_("all organizations") if org == EVERY_ORG else names.get(org, org))
    role = str(words.ROLE_LABELS.get(args.get("role", ""), ""))
    if done == "registered":
        code = args.get("code", "")[:40]
        return _("%(name)s is registered under the code %(code)s; its books are open.",
                 name=names.get(code, code), code=code)
    if done == "granted" and role:
        return _("%(login)s now holds %(role)s in %(where)s.", login=login, role=role,
                 where=where)
    if done == "revoked" and role:
        return _("%(login)s no longer holds %(role)s in %(where)s.", login=login, role=role,
                 where=where)
    return None
