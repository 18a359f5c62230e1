"""`callcenter pop NUMBER`: show that number's customer on the running desktop, or start it."""

from __future__ import annotations

import subprocess
import sys

import click

from callcenter.cli.context import CliContext, fail, pass_context
from callcenter.cli.options import json_option
from callcenter.telephony import pop_link


@click.command("pop")
@click.argument("number")
@json_option
@pass_context
def pop(context: CliContext, number: str) -> None:
    """Pop NUMBER on this user's desktop: a tel: or callto: link, or a caller id.

    The running desktop comes forward with the customer on the card (or the new-customer
    form) and the number in the dial box; nothing is dialled by itself. When no desktop runs,
    it is started and pops the number once the agent has signed in. Softphones that run a
    command on an incoming call and the tel: link handler use this.
    """
    cleaned = pop_link.clean_number(number)
    if not cleaned:
        fail(f"no number in {number!r}")
    if pop_link.pop(cleaned):
        how = "running"
    else:
        command = [sys.executable, "-m", "ui", "--pop", cleaned]
        url = context.flags.get("database.url")
        if url:
            command += ["--db", str(url)]
        try:
            subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as exc:
            fail(f"cannot start the desktop: {exc}", 1)
        how = "started"
    context.emit(
        {"number": cleaned, "desktop": how},
        lambda: click.echo(
            f"{cleaned}: popped on the running desktop"
            if how == "running"
            else f"{cleaned}: started the desktop; it pops after sign-in"
        ),
    )
