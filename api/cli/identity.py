"""`sunlight users`, `sunlight tokens`, `sunlight keys`: the operator's side of identity, and the
only way to make the first admin."""

from __future__ import annotations

import secrets
import sys
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import click

from api.cli.support import TEXT, operator, run_command, storage
from ledger.application import Ledger
from ledger.identity import EVERY_ORG, ROLES


@click.group()
def users() -> None:
    """Users and the roles they hold (the first admin is made here)."""


@users.command("create")
@click.argument("login", type=TEXT)
@click.option("--name", "display_name", type=TEXT, required=True,
              help="The name people know them by.")
@click.option("--admin", is_flag=True, help="Make them an admin of the whole centre.")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from standard input instead of making one up.")
def users_create(login: str, display_name: str, admin: bool, password_stdin: bool) -> None:
    """Create a user; without --password-stdin a password is made up and shown once."""
    store = storage()
    made_up = not password_stdin
    password = secrets.token_urlsafe(12) if made_up else sys.stdin.readline().rstrip("\n")

    def run(app: Ledger) -> None:
        app.identity.create_user(login=login, display_name=display_name, password=password,
                                 actor=operator())
        if admin:
            app.identity.grant_role(login, org=EVERY_ORG, role="admin", reason="created as admin",
                                    actor=operator())

    run_command(store, run)
    click.echo(f"Created {login}" + (" (admin)" if admin else ""))
    if made_up:
        click.echo(f"Password, shown this once: {password}")


@users.command("password")
@click.argument("login", type=TEXT)
@click.option("--password-stdin", is_flag=True,
              help="Read the new password from standard input instead of making one up.")
def users_password(login: str, password_stdin: bool) -> None:
    """Give a user who lost their password a new one (made up and shown once, unless
    --password-stdin); their signed-in sessions end, their API tokens stay."""
    store = storage()
    made_up = not password_stdin
    password = secrets.token_urlsafe(12) if made_up else sys.stdin.readline().rstrip("\n")
    run_command(store, lambda app: app.identity.change_password(login, password=password,
                                                                actor=operator()))
    click.echo(f"New password set for {login}")
    if made_up:
        click.echo(f"Password, shown this once: {password}")


def _grant_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option("--reason", type=TEXT, required=True,
                           help="Why; it is kept with the grant.")(
        command)
    command = click.option("--all-orgs", is_flag=True,
                           help="Every organization (admin, or a county auditor).")(command)
    command = click.option("--org", type=TEXT, help="The organization's code.")(command)
    command = click.argument("role", type=click.Choice(ROLES))(command)
    return click.argument("login", type=TEXT)(command)


def _org_of(org: str | None, all_orgs: bool) -> str:
    if bool(org) == all_orgs:
        raise click.UsageError("give either --org CODE or --all-orgs")
    return EVERY_ORG if all_orgs else str(org)


@users.command("grant")
@_grant_options
def users_grant(login: str, role: str, org: str | None, all_orgs: bool, reason: str) -> None:
    """Grant a role to a user in an organization."""
    where = _org_of(org, all_orgs)
    run_command(storage(), lambda app: app.identity.grant_role(login, org=where, role=role,
                                                               reason=reason,
                                                    actor=operator()))
    click.echo(f"{login} now holds {role} in {where}")


@users.command("revoke")
@_grant_options
def users_revoke(login: str, role: str, org: str | None, all_orgs: bool, reason: str) -> None:
    """Revoke a role from a user in an organization."""
    where = _org_of(org, all_orgs)
    run_command(storage(), lambda app: app.identity.revoke_role(login, org=where, role=role,
                                                                reason=reason,
                                                     actor=operator()))
    click.echo(f"{login} no longer holds {role} in {where}")


@click.group()
def tokens() -> None:
    """API tokens for programs."""


@tokens.command("create")
@click.argument("login", type=TEXT)
@click.option("--label", type=TEXT, required=True, help="What the token is for.")
@click.option("--expires-in-days", type=click.IntRange(1, 3660), default=None)
def tokens_create(login: str, label: str, expires_in_days: int | None) -> None:
    """Create an API token for a user; it is shown once and never again."""

    def run(app: Ledger) -> str | None:
        expires = app.identity.now() + timedelta(days=expires_in_days) if expires_in_days else None
        return app.identity.issue_token(login, label=label, expires_at=expires, actor=operator())[1]

    token = run_command(storage(), run)
    click.echo(f"Token for {login}, shown this once:\n{token}")


@tokens.command("revoke")
@click.argument("login")
@click.argument("token_id")
@click.option("--reason", type=TEXT, default="revoked from the command line")
def tokens_revoke(login: str, token_id: str, reason: str) -> None:
    """Revoke one of a user's API tokens (its id is in GET /api/v1/users/me/tokens)."""
    try:
        parsed = uuid.UUID(token_id)
    except ValueError:
        raise click.BadParameter("not a token id", param_hint="TOKEN_ID") from None
    run_command(storage(), lambda app: app.identity.revoke_token(login, parsed, reason=reason,
                                                      actor=operator()))
    click.echo(f"Revoked {token_id}")


@click.group(invoke_without_command=True)
@click.pass_context
def keys(ctx: click.Context) -> None:
    """Keys the product needs from its environment; alone, the centre's signing key."""
    if ctx.invoked_subcommand is None:
        from api.cli.audit import show_centre_key

        show_centre_key()


@keys.command("personal-data")
def keys_personal_data() -> None:
    """Print a new key for SUNLIGHT_PERSONAL_DATA_KEY (keep it safe: without it the ID and
    phone numbers in the books cannot be read)."""
    from ledger.kernel.personal import new_key

    click.echo(new_key())
