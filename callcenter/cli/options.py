"""Options several commands share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from callcenter.cli.context import CliContext
from callcenter.config.settings import parse_region

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


def _region(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return parse_region(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def region_option(help: str) -> Callable[[F], F]:
    """`--region CC`, checked against the regions phonenumbers knows."""
    return click.option("--region", callback=_region, help=help)
