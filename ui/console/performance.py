"""The figures the charts and tables need for a selection, fetched in one background call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from callcenter.kpi.distribution import DistributionService, Histogram
from callcenter.kpi.figures import AgentFigures, QueueFigures
from callcenter.kpi.intervals import Interval
from callcenter.kpi.repository import AgentGrouping
from callcenter.kpi.service import KpiService
from ui.console.curves import AGENT_KEYS, QUEUE_KEYS, Curve, Times, curve_of
from ui.console.filters import Selection


@dataclass(frozen=True, slots=True)
class Performance:
    selection: Selection
    zone: tzinfo  # the report time zone: the charts tell times in it
    # Per interval: all the selected queues together; and per agent (or the team as one).
    queue_curve: Curve
    agent_curves: dict[str, Curve]
    # The whole range: a row per queue and per agent (the tables, the bar chart).
    queue_table: tuple[QueueFigures, ...]
    agent_table: tuple[AgentFigures, ...]
    team_average: AgentFigures | None
    # Handle times of the first chosen agent (None when none is) and of the team.
    agent_histogram: Histogram | None
    team_histogram: Histogram
    histogram_agent: str | None


def load_performance(
    kpi: KpiService,
    distribution: DistributionService,
    selection: Selection,
    names: dict[int, str],
    now: datetime | None = None,
) -> Performance:
    now = now or datetime.now(UTC)
    s = selection
    queues = [s.queue_id] if s.queue_id is not None else None
    teams = [s.team_id] if s.team_id is not None else None
    buckets = kpi.plan(s.first, s.last_exclusive, s.interval)
    whole = kpi.plan(s.first, s.last_exclusive, Interval.RANGE)
    queue_series = kpi.queues(buckets, by_queue=False, queue_ids=queues)
    group = AgentGrouping.TEAM if teams else AgentGrouping.ALL
    if s.agent_ids:
        by_agent: dict[int | None, list[AgentFigures]] = {}
        for row in kpi.agents(buckets, AgentGrouping.AGENT, list(s.agent_ids), teams, now=now):
            by_agent.setdefault(row.agent_id, []).append(row)
        agent_series = {
            names.get(agent_id, str(agent_id)): tuple(by_agent.get(agent_id, ()))
            for agent_id in s.agent_ids
        }
    else:
        label = "team" if teams else "all"
        agent_series = {label: tuple(kpi.agents(buckets, group, team_ids=teams, now=now))}
    average = kpi.agents(whole, group, team_ids=teams, now=now)
    first_agent = s.agent_ids[0] if s.agent_ids else None
    times = Times()
    return Performance(
        selection=s,
        zone=kpi.zone,
        queue_curve=curve_of(queue_series, QUEUE_KEYS, times),
        agent_curves={
            name: curve_of(rows, AGENT_KEYS, times) for name, rows in agent_series.items()
        },
        queue_table=tuple(kpi.queues(whole, by_queue=True, queue_ids=queues)),
        agent_table=tuple(kpi.agents(whole, AgentGrouping.AGENT, team_ids=teams, now=now)),
        team_average=average[0] if average else None,
        agent_histogram=(
            distribution.handle_times(whole.start, whole.end, agent_ids=[first_agent])
            if first_agent is not None
            else None
        ),
        team_histogram=distribution.handle_times(whole.start, whole.end, team_ids=teams),
        histogram_agent=names.get(first_agent) if first_agent is not None else None,
    )
