"""`callcenter import queue-log`: call history and agent breaks from Asterisk's queue_log."""

from __future__ import annotations

from pathlib import Path

import click

from callcenter.cli.context import CliContext, errors, fail, pass_context
from callcenter.cli.options import json_option, region_option
from callcenter.services.queue_log_import import (
    QueueLogSummary,
    import_queue_log_file,
    summary_json,
)


@click.command("queue-log")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@region_option(help="Region for caller ids without a country code (e.g. US).")
@json_option
@pass_context
def queue_log(context: CliContext, file: Path, region: str | None) -> None:
    """Import the calls and agent pauses in Asterisk's queue_log FILE.

    Each caller's visit to a queue becomes a call record (source pbx, keyed by the PBX's
    unique id, so importing the same file again adds nothing), with its queue, join, answer
    and end times and the agent, matched by the interface in their extension (PJSIP/201 or
    201). Logins to queues and pauses become the agents' state spans. Joins with no exit are
    reported as incomplete and left out; lines that are not queue_log records are listed.
    """
    settings = context.settings
    database = context.database
    with errors():
        try:
            summary = import_queue_log_file(
                database,
                context.actor,
                file,
                region=region or settings.default_region,
                outside_prefix=settings.outside_line_prefix,
            )
        except OSError as exc:
            fail(f"cannot read {file}: {exc}")
    context.emit(summary_json(summary), lambda: _print(file, summary))


def _print(file: Path, summary: QueueLogSummary) -> None:
    click.echo(
        f"{file.name}: {summary.calls} calls imported, {summary.unchanged} already there, "
        f"{len(summary.incomplete)} incomplete, {summary.states} agent state spans, "
        f"{len(summary.skipped)} skipped lines"
    )
    for agent in summary.agents:
        who = agent.login or "no user with this interface"
        click.echo(f"agent {agent.name}: {who} ({agent.calls} calls, {agent.states} states)")
    if summary.new_queues:
        click.echo("queues added: " + ", ".join(summary.new_queues))
    for item in summary.incomplete:
        click.echo(f"line {item.line}: call {item.call_id} in {item.queue}: {item.reason}")
    for line in summary.skipped:
        click.echo(f"line {line.line}: skipped: {line.reason}")
