"""Options several commands share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from callcenter.cli.context import CliContext

F = TypeVar("F", bound=Callable[..., Any])


def json_option(function: F) -> F:
    """`--json` after the command too; it means the same as the global flag."""

    def _set(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
        if value:
            ctx.find_object(CliContext).as_json = True  # type: ignore[union-attr]
        return value

    return click.option(
        "--json",
        "json_flag",
        is_flag=True,
        expose_value=False,
        callback=_set,
        help="Print data as JSON.",
    )(function)
