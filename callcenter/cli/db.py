"""`callcenter db`: create or migrate the schema, say which revision a database is at, and
rebuild the KPI roll-ups."""

from __future__ import annotations

from typing import Any

import click

from callcenter.cli.context import CliContext, errors, fail, pass_context
from callcenter.cli.options import json_option
from callcenter.config.credentials import keyring_account
from callcenter.config.secrets import SecretStore
from callcenter.db import migrate
from callcenter.kpi.service import KpiService


@click.group()
def db() -> None:
    """Database schema."""


@db.command()
@json_option
@pass_context
def upgrade(context: CliContext) -> None:
    """Create the schema, or migrate it to the newest revision."""
    database = context.open(check_schema=False)
    with errors():
        before = migrate.current_revision(database.engine)
        migrate.upgrade(database.engine)
        after = migrate.current_revision(database.engine)
    context.emit(
        {"from": before, "to": after},
        lambda: click.echo(
            f"Schema is at revision {after} (was {before or 'empty'})."
            if before != after
            else f"Schema already at the newest revision ({after})."
        ),
    )


@db.command()
@json_option
@pass_context
def current(context: CliContext) -> None:
    """Show the database's schema revision and the one this version expects."""
    database = context.open(check_schema=False)
    status = migrate.schema_status(database.engine)
    context.emit(
        {
            "database": database.url.render_as_string(hide_password=True),
            "revision": status.database_revision,
            "expected": status.expected_revision,
            "state": status.state.value,
        },
        lambda: click.echo(
            f"{status.database_revision or 'empty'} ({status.state.value}; "
            f"this version expects {status.expected_revision})"
        ),
    )


@db.command("rebuild-rollups")
@click.option("--from", "first", type=click.DateTime(["%Y-%m-%d"]), help="First day.")
@click.option("--to", "last", type=click.DateTime(["%Y-%m-%d"]), help="Day after the last.")
@json_option
@pass_context
def rebuild_rollups(context: CliContext, first: Any, last: Any) -> None:
    """Rebuild the KPI roll-ups from the calls and agent states (days in the report time zone;
    without --from/--to, the whole history up to now).

    Writes through the app keep the roll-ups current on their own. Run this after changing
    rows behind its back: restoring a backup, or deleting calls in bulk (TRUNCATE).
    """
    if first is not None and last is not None and last <= first:
        fail("--to is exclusive and must be after --from")
    service = KpiService(context.database, context.actor, context.settings.report_timezone)
    with errors():
        span = service.rebuild(first.date() if first else None, last.date() if last else None)
    context.emit(
        {"from": span[0].isoformat(), "to": span[1].isoformat()} if span else None,
        lambda: click.echo(
            f"Rebuilt the KPI roll-ups from {span[0]:%Y-%m-%d %H:%M} to {span[1]:%Y-%m-%d %H:%M}"
            " UTC."
            if span
            else "Nothing to rebuild: no calls or agent states in that range."
        ),
    )


@db.command()
@pass_context
def password(context: CliContext) -> None:
    """Store the password for the configured PostgreSQL user in the OS keyring."""
    url = context.settings.database_url
    account = keyring_account(url)
    secret = click.prompt(f"Password for {account}", hide_input=True)
    store = SecretStore()
    if store.set(account, secret):
        click.echo(f"Saved in the OS keyring as {account}.")
    else:
        raise click.ClickException(store.last_problem or "the keyring refused the password")
