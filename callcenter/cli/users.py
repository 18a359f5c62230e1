"""`callcenter users`: add, list, disable and re-password the people who sign in."""

from __future__ import annotations

import sys

import click

from callcenter.cli.context import CliContext, errors, pass_context
from callcenter.cli.options import json_option
from callcenter.domain.users import Role, User
from callcenter.services.users import UserService


@click.group()
def users() -> None:
    """Users (agents, supervisors, admins)."""


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise click.UsageError("--password-stdin: standard input held no password")
        return line
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


def _as_dict(user: User) -> dict[str, object]:
    return {
        "login": user.login,
        "name": user.display_name,
        "role": user.role.value,
        "team": user.team,
        "extension": user.extension,
        "active": user.active,
    }


@users.command()
@click.argument("login")
@click.option("--name", required=True, help="Display name.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--team", help="Team name (created if new).")
@click.option("--extension", help="Phone extension or SIP user.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@json_option
@pass_context
def add(
    context: CliContext,
    login: str,
    name: str,
    role: str,
    team: str | None,
    extension: str | None,
    password_stdin: bool,
) -> None:
    """Create a user who signs in as LOGIN."""
    service = UserService(context.database)
    password = _read_password(password_stdin)
    with errors():
        user = service.add(context.actor, login, name, Role(role), password, team, extension)
    context.emit(_as_dict(user), lambda: click.echo(f"Added {user.login} ({user.role.value})."))


@users.command(name="list")
@json_option
@pass_context
def list_users(context: CliContext) -> None:
    """List every user."""
    with errors():
        found = UserService(context.database).list(context.actor)

    def text() -> None:
        for user in found:
            state = "" if user.active else "  (disabled)"
            click.echo(f"{user.login:<20} {user.role.value:<11} {user.display_name}{state}")

    context.emit([_as_dict(u) for u in found], text)


@users.command()
@click.argument("login")
@pass_context
def disable(context: CliContext, login: str) -> None:
    """Stop LOGIN from signing in (history keeps their name)."""
    with errors():
        UserService(context.database).set_active(context.actor, login, False)
    click.echo(f"Disabled {login}.")


@users.command()
@click.argument("login")
@pass_context
def enable(context: CliContext, login: str) -> None:
    """Let a disabled LOGIN sign in again."""
    with errors():
        UserService(context.database).set_active(context.actor, login, True)
    click.echo(f"Enabled {login}.")


@users.command()
@click.argument("login")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_context
def passwd(context: CliContext, login: str, password_stdin: bool) -> None:
    """Set LOGIN's password."""
    password = _read_password(password_stdin)
    with errors():
        UserService(context.database).set_password(context.actor, login, password)
    click.echo(f"Password changed for {login}.")
