"""The figures: a 30-day range by agent and by day, and by queue and by day, as the console asks;
and what keeping the roll-ups current costs when a call is written."""

from __future__ import annotations

from collections.abc import Callable, Sized
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from sqlalchemy import func, insert, select

from callcenter.bench.registry import BenchContext, scenario
from callcenter.bench.timing import clock, summary
from callcenter.db.tables import Call
from callcenter.kpi import rollups
from callcenter.kpi.intervals import Interval
from callcenter.kpi.repository import AgentGrouping
from callcenter.kpi.service import KpiService
from callcenter.repositories.stamps import creation_stamp

RANGE_DAYS = 30
# The report time zone of the measurement: one with DST, so the offset changes are in play.
TIMEZONE = "America/New_York"
RUNS = 10


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
    refresh_ns = [_refresh_after_a_call(context, last) for _ in range(RUNS)]
    return {
        "n": RUNS,
        **summary(agents_ns),
        "calls": calls,
        "days": RANGE_DAYS,
        "rows": agent_rows,
        "by_kind": {
            "queues by day": {"n": RUNS, **summary(queues_ns), "rows": queue_rows},
            "refresh after a call": {"n": RUNS, **summary(refresh_ns)},
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


def _refresh_after_a_call(context: BenchContext, last: datetime) -> int:
    """Write an answered call of a known customer, time the roll-up refresh it needs, undo both.

    Rolled back, so a real database the bench measures is left as it was.
    """
    at = (last.replace(tzinfo=UTC) if last.tzinfo is None else last) - timedelta(hours=1)
    with context.database.engine.connect() as connection, connection.begin() as transaction:
        picked = connection.execute(
            select(Call.customer_id, Call.agent_id, Call.queue_id)
            .where(Call.started_at >= at, Call.customer_id.is_not(None), Call.agent_id.is_not(None))
            .where(Call.queue_id.is_not(None))
            .limit(1)
        ).first()
        if picked is None:
            return 0
        connection.execute(
            insert(Call).values(
                call_uid=f"bench-kpi-{uuid4().hex}",
                direction="inbound",
                customer_id=picked.customer_id,
                agent_id=picked.agent_id,
                queue_id=picked.queue_id,
                started_at=at,
                queued_at=at + timedelta(seconds=5),
                answered_at=at + timedelta(seconds=25),
                ended_at=at + timedelta(seconds=205),
                source="manual",
                **creation_stamp(context.actor),
            )
        )
        start = clock()
        rollups.refresh(connection)
        elapsed = clock() - start
        transaction.rollback()
    return elapsed
