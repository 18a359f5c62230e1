"""`callcenter gui`: start the desktop, optionally on a demo database it fills first."""

from __future__ import annotations

import os
import sys

import click

from callcenter.cli.context import CliContext, pass_context
from callcenter.config import paths


@click.command(context_settings={"ignore_unknown_options": True})
@click.option("--demo", is_flag=True, help="Use a demo database (created and filled if needed).")
@click.argument("gui_args", nargs=-1, type=click.UNPROCESSED)
@pass_context
def gui(context: CliContext, demo: bool, gui_args: tuple[str, ...]) -> None:
    """Start the desktop application."""
    if demo:
        from callcenter.services.demo_data import ensure_demo_database

        url = f"sqlite:///{paths.user_data_dir() / 'demo.db'}"
        ensure_demo_database(url)
    else:
        url = context.settings.database_url
    # The core never imports the GUI: the desktop runs as its own module.
    os.execv(sys.executable, [sys.executable, "-m", "ui", "--db", url, *gui_args])
