"""The figures: a 30-day range by agent and by day, and by queue and by day, as the console asks."""

from __future__ import annotations

from collections.abc import Callable, Sized
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from callcenter.bench.registry import BenchContext, scenario
from callcenter.bench.timing import clock, summary
from callcenter.db.tables import Call
from callcenter.kpi.intervals import Interval
from callcenter.kpi.repository import AgentGrouping
from callcenter.kpi.service import KpiService

RANGE_DAYS = 30
# The report time zone of the measurement: one with DST, so the offset changes are in play.
TIMEZONE = "America/New_York"
RUNS = 3


@scenario("kpi", "30 days of figures by agent and by day, and by queue and by day", on_request=True)
def kpi(context: BenchContext) -> dict[str, Any]:
    """KpiService.agents and .queues over the last 30 days that have calls (target: 300 ms at
    5,000,000 calls, by agent and by day). Each is timed RUNS times; the main figures are the
    agents', the queues' are under by_kind."""
    database = context.database
    with database.engine.connect() as connection:
        calls, last = connection.execute(select(func.count(), func.max(Call.started_at))).one()
    service = KpiService(database, context.actor, TIMEZONE)
    if last is None:
        return {"n": 0, **summary([]), "calls": 0}
    last_day = (last.replace(tzinfo=UTC) if last.tzinfo is None else last).astimezone(service.zone)
    end = last_day.date() + timedelta(days=1)
    buckets = service.plan(end - timedelta(days=RANGE_DAYS), end, Interval.DAY)
    now = datetime.now(UTC)
    agents_ns, agent_rows = _timed(lambda: service.agents(buckets, AgentGrouping.AGENT, now=now))
    queues_ns, queue_rows = _timed(lambda: service.queues(buckets))
    return {
        "n": RUNS,
        **summary(agents_ns),
        "calls": calls,
        "days": RANGE_DAYS,
        "rows": agent_rows,
        "by_kind": {
            "queues by day": {"n": RUNS, **summary(queues_ns), "rows": queue_rows},
        },
    }


def _timed(run: Callable[[], Sized]) -> tuple[list[int], int]:
    times: list[int] = []
    rows = 0
    for _ in range(RUNS):
        start = clock()
        rows = len(run())
        times.append(clock() - start)
    return times, rows
