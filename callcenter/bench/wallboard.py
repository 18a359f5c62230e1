"""The wallboard: how long one live snapshot takes (what every change costs each console)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from callcenter.bench.registry import BenchContext, scenario
from callcenter.bench.timing import clock, summary
from callcenter.db.tables import AgentStateChange, Call
from callcenter.kpi.live import LiveService

TIMEZONE = "America/New_York"
RUNS = 100


@scenario(
    "wallboard", "one wallboard snapshot: waiting calls, today's figures, agents", on_request=True
)
def wallboard(context: BenchContext) -> dict[str, Any]:
    """LiveService.snapshot RUNS times after one warm-up (which also brings the KPI roll-ups
    up to date): queues with calls waiting and today's figures, agents by state with their
    calls."""
    database = context.database
    with database.engine.connect() as connection:
        calls = connection.execute(select(func.count()).select_from(Call)).scalar_one()
        spans = connection.execute(select(func.count()).select_from(AgentStateChange)).scalar_one()
    service = LiveService(database, context.actor, TIMEZONE)
    warm_up = service.snapshot()
    times: list[int] = []
    for _ in range(RUNS):
        start = clock()
        service.snapshot()
        times.append(clock() - start)
    return {
        "n": RUNS,
        **summary(times),
        "calls": calls,
        "agent_state_spans": spans,
        "queues": len(warm_up.queues),
        "agents_logged_in": len(warm_up.agents),
    }
