"""`callcenter demo-data`: fill a database with a reproducible, realistic demo call center."""

from __future__ import annotations

import click

from callcenter.cli.context import CliContext, errors, pass_context
from callcenter.cli.options import json_option, region_option
from callcenter.cli.progress import CliProgress
from callcenter.services.demo_data import (
    DEFAULT_CALLS,
    DEFAULT_CUSTOMERS,
    DEFAULT_DAYS,
    DemoOptions,
    DemoSummary,
    generate,
)


@click.command(name="demo-data")
@click.option(
    "--customers",
    type=click.IntRange(min=0),
    default=DEFAULT_CUSTOMERS,
    show_default=True,
    help="Customers to create.",
)
@click.option(
    "--calls",
    type=click.IntRange(min=0),
    default=DEFAULT_CALLS,
    show_default=True,
    help="Calls over the history.",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
@click.option(
    "--days",
    type=click.IntRange(min=1, max=3660),
    default=DEFAULT_DAYS,
    show_default=True,
    help="Days of call history, ending now.",
)
@region_option(help="Region of the numbers (default: settings).")
@click.option(
    "--add",
    is_flag=True,
    help="If demo data exists, add another set with new ids instead of refusing.",
)
@json_option
@pass_context
def demo_data(
    context: CliContext,
    customers: int,
    calls: int,
    seed: int,
    days: int,
    region: str | None,
    add: bool,
) -> None:
    """Fill the database with demo customers, agents, queues and call history.

    The same --seed gives the same customers, numbers and calls (their times end now).
    Run again on a database that has demo data, it refuses unless --add is given.
    """
    settings = context.settings
    options = DemoOptions(
        customers=customers,
        calls=calls,
        seed=seed,
        region=region or settings.default_region,
        timezone=settings.report_timezone,
        days=days,
        add=add,
    )
    with errors():
        summary = generate(context.database, context.actor, options, CliProgress())
    context.emit(summary.as_dict(), lambda: print_summary(summary))


def print_summary(summary: DemoSummary) -> None:
    seconds = sum(summary.seconds.values())
    first = f"{summary.first_call:%Y-%m-%d}" if summary.first_call else "-"
    last = f"{summary.last_call:%Y-%m-%d %H:%M} UTC" if summary.last_call else "-"
    lines = [
        f"Demo data written in {seconds:.1f} s (run {summary.run}, seed {summary.seed}, "
        f"region {summary.region}, {summary.locale} names).",
        f"  customers     {summary.customers:>11,}  with {summary.phones:,} numbers; "
        f"{summary.shared_numbers:,} switchboard numbers shared by "
        f"{summary.customers_on_shared_numbers:,} customers",
        f"  staff         {summary.agents:>11,}  agents, {summary.supervisors} supervisors, "
        f"{summary.teams} teams; {summary.queues} queues",
        f"  calls         {summary.calls:>11,}  {summary.inbound:,} inbound "
        f"({summary.abandoned:,} abandoned, {summary.unknown_callers:,} unknown or withheld "
        f"callers), {summary.outbound:,} outbound",
        f"  agent states  {summary.agent_states:>11,}  spans",
        f"  history       {first} .. {last}",
    ]
    if summary.password:
        lines.append(
            f"Sign in as {summary.logins[1]} (agent) or {summary.logins[0]} (supervisor) "
            f'with the password "{summary.password}".'
        )
    elif summary.logins:
        lines.append(
            "On PostgreSQL the demo users are not database login roles: they cannot sign in."
        )
    for line in lines:
        click.echo(line)
