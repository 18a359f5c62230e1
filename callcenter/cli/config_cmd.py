"""`callcenter config show`: the effective settings and where each came from."""

from __future__ import annotations

import click

from callcenter.cli.context import CliContext, pass_context
from callcenter.cli.options import json_option
from callcenter.config import paths
from callcenter.config.settings import OPTIONS, mask


@click.group()
def config() -> None:
    """Configuration."""


@config.command()
@json_option
@pass_context
def show(context: CliContext) -> None:
    """Print every setting, its value (secrets masked) and its source."""
    settings = context.settings
    rows = [
        {
            "key": option.key,
            "value": mask(option.key, settings.value(option.key)),
            "source": settings.sources[option.key],
            "env": option.env,
        }
        for option in OPTIONS
    ]
    files = {"system": str(paths.system_config_path()), "user": str(paths.user_config_path())}

    def text() -> None:
        width = max(len(row["key"]) for row in rows)
        for row in rows:
            click.echo(f"{row['key']:<{width}}  {row['value']}  ({row['source']})")
        click.echo(f"\nsystem file: {files['system']}\nuser file:   {files['user']}")

    context.emit({"settings": rows, "files": files}, text)
