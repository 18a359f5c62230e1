"""`callcenter lookup`: the screen-pop lookup, for scripts and softphones."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict

import click

from callcenter.cli.context import CliContext, errors, pass_context
from callcenter.cli.options import json_option, region_option
from callcenter.domain.customers import LookupResult
from callcenter.services.lookup import LookupService


def result_json(result: LookupResult) -> dict[str, object]:
    return {
        "input": result.input,
        "normalized": result.normalized,
        "withheld": result.withheld,
        "matches": [asdict(m) for m in result.matches],
    }


@click.command()
@click.argument("numbers", nargs=-1)
@click.option("--stdin", "from_stdin", is_flag=True, help="Also read numbers, one a line.")
@region_option(help="Region for numbers without a country code.")
@json_option
@pass_context
def lookup(
    context: CliContext, numbers: tuple[str, ...], from_stdin: bool, region: str | None
) -> None:
    """Find the customers on each NUMBER, in any format."""
    inputs = list(numbers)
    if from_stdin:
        inputs += [line.rstrip("\r\n") for line in sys.stdin]
    if not inputs:
        raise click.UsageError("give at least one NUMBER, or --stdin")
    settings = context.settings
    service = LookupService(
        context.database, region or settings.default_region, settings.outside_line_prefix
    )
    with errors():
        results = service.lookup_many(inputs, context.actor)
    for result in results:
        if context.as_json:
            click.echo(json.dumps(result_json(result), default=str, ensure_ascii=False))
        elif result.withheld:
            click.echo(f"{result.input}: withheld number")
        elif not result.matches:
            click.echo(f"{result.input} ({result.normalized or 'no digits'}): no customer")
        else:
            for match in result.matches:
                company = f", {match.company}" if match.company else ""
                click.echo(
                    f"{result.input} ({result.normalized}): #{match.id} {match.name}{company}"
                )
