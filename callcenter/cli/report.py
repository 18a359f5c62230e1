"""`callcenter report queues|agents`: the console's figures for a range, as CSV or JSON."""

from __future__ import annotations

import csv
import json
import sys
from typing import Any

import click

from callcenter.cli.context import CliContext, errors, fail, pass_context
from callcenter.kpi.figures import AgentFigures, QueueFigures
from callcenter.kpi.intervals import Interval
from callcenter.kpi.repository import AgentGrouping
from callcenter.kpi.service import KpiService

QUEUE_COLUMNS = (
    "queue",
    "interval_start",
    "offered",
    "answered",
    "abandoned",
    "short_abandoned",
    "service_level_pct",
    "asa_s",
    "abandon_rate_pct",
    "aht_s",
)
AGENT_COLUMNS = (
    "agent",
    "interval_start",
    "handled",
    "aht_s",
    "occupancy_pct",
    "calls_per_hour",
    "fcr_pct",
    "csat_pct",
)


def queue_row(figures: QueueFigures) -> dict[str, Any]:
    return {
        "queue": figures.queue if figures.queue is not None else "(all)",
        "interval_start": figures.interval_start.isoformat() if figures.interval_start else None,
        "offered": figures.offered,
        "answered": figures.answered,
        "abandoned": figures.abandoned,
        "short_abandoned": figures.short_abandoned,
        "service_level_pct": figures.service_level_pct,
        "asa_s": figures.asa_s,
        "abandon_rate_pct": figures.abandon_rate_pct,
        "aht_s": figures.aht_s,
    }


def agent_row(figures: AgentFigures) -> dict[str, Any]:
    return {
        "agent": figures.login,
        "interval_start": figures.interval_start.isoformat() if figures.interval_start else None,
        "handled": figures.handled,
        "aht_s": figures.aht_s,
        "occupancy_pct": figures.occupancy_pct,
        "calls_per_hour": figures.calls_per_hour,
        "fcr_pct": figures.fcr_pct,
        "csat_pct": figures.csat_pct,
    }


_INTERVALS = {"15m": Interval.QUARTER_HOUR, "hour": Interval.HOUR, "day": Interval.DAY}


@click.command()
@click.argument("kind", type=click.Choice(["queues", "agents"]))
@click.option(
    "--from", "first", type=click.DateTime(["%Y-%m-%d"]), required=True, help="First day."
)
@click.option(
    "--to", "last", type=click.DateTime(["%Y-%m-%d"]), required=True, help="Day after the last."
)
@click.option(
    "--interval",
    type=click.Choice(list(_INTERVALS)),
    help="A row per interval; without it, a row for the whole range.",
)
@click.option("--queue", "queue_name", help="Only this queue (queues).")
@click.option("--agent", "agent_login", help="Only this agent, by login (agents).")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@pass_context
def report(
    context: CliContext,
    kind: str,
    first: Any,
    last: Any,
    interval: str | None,
    queue_name: str | None,
    agent_login: str | None,
    fmt: str,
) -> None:
    """Queue or agent figures (KPIS.md) for the days [--from, --to) in the report time zone.

    Queue rows: queue, interval_start, offered, answered, abandoned, short_abandoned,
    service_level_pct, asa_s, abandon_rate_pct, aht_s. Agent rows: agent, interval_start,
    handled, aht_s, occupancy_pct, calls_per_hour, fcr_pct, csat_pct. A figure with nothing
    to divide by is empty (null in JSON).
    """
    start, end = first.date(), last.date()
    if end <= start:
        fail("--to is exclusive and must be after --from")
    if context.as_json:
        fmt = "json"
    database = context.database
    actor = context.actor
    service = KpiService(database, actor, context.settings.report_timezone)
    buckets = service.plan(start, end, _INTERVALS[interval] if interval else Interval.RANGE)
    columns: tuple[str, ...]
    with errors():
        if kind == "queues":
            queue_ids = None
            if queue_name is not None:
                with database.uow(actor) as uow:
                    queue = uow.queues.find(queue_name)
                if queue is None:
                    fail(f"no queue called {queue_name!r}")
                queue_ids = [queue.id]
            rows = [queue_row(f) for f in service.queues(buckets, queue_ids=queue_ids)]
            columns = QUEUE_COLUMNS
        else:
            agent_ids = None
            if agent_login is not None:
                with database.uow(actor) as uow:
                    user = uow.users.find(agent_login)
                if user is None:
                    fail(f"no user {agent_login!r}")
                agent_ids = [user.id]
            figures = service.agents(buckets, AgentGrouping.AGENT, agent_ids=agent_ids)
            rows = [agent_row(f) for f in figures]
            columns = AGENT_COLUMNS
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
