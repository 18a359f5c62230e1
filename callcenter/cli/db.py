"""`callcenter db`: create or migrate the schema, and say which revision a database is at."""

from __future__ import annotations

import click

from callcenter.cli.context import CliContext, errors, pass_context
from callcenter.cli.options import json_option
from callcenter.config.credentials import keyring_account
from callcenter.config.secrets import SecretStore
from callcenter.db import migrate


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
