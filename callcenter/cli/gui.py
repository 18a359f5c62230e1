"""`callcenter gui`: start the desktop, optionally on a demo database it fills first."""

from __future__ import annotations

import os
import sys

import click

from callcenter.bootstrap import open_database
from callcenter.cli.context import CliContext, pass_context
from callcenter.config import paths
from callcenter.domain.users import Actor, Role
from callcenter.services.users import UserService


@click.command(context_settings={"ignore_unknown_options": True})
@click.option("--demo", is_flag=True, help="Use a demo database (created and filled if needed).")
@click.argument("gui_args", nargs=-1, type=click.UNPROCESSED)
@pass_context
def gui(context: CliContext, demo: bool, gui_args: tuple[str, ...]) -> None:
    """Start the desktop application."""
    extra: list[str] = []
    if demo:
        from callcenter.services.demo_data import ensure_demo_database

        url = f"sqlite:///{paths.user_data_dir() / 'demo.db'}"
        ensure_demo_database(url)
        extra = ["--demo", *(["--login", login] if (login := _first_agent(url)) else [])]
    else:
        url = context.settings.database_url
    # The core never imports the GUI: the desktop runs as its own module.
    os.execv(sys.executable, [sys.executable, "-m", "ui", "--db", url, *extra, *gui_args])


def _first_agent(url: str) -> str | None:
    """The demo agent the sign-in dialog offers, so the demo starts with one key press."""
    database = open_database(url)
    try:
        users = UserService(database).list(Actor("demo"))
    finally:
        database.dispose()
    agents = [u.login for u in users if u.role is Role.AGENT and u.active]
    return agents[0] if agents else None
