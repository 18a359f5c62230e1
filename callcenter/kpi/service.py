"""Queue and agent figures for a range, per interval, in the report time zone."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from callcenter.bootstrap import Database
from callcenter.domain.users import Actor
from callcenter.kpi.figures import AgentFigures, QueueFigures
from callcenter.kpi.intervals import BucketPlan, Interval, day_range, plan
from callcenter.kpi.repository import (
    AGENT_CALL_SUMS,
    AGENT_STATE_SUMS,
    QUEUE_SUMS,
    AgentGrouping,
    KpiRepository,
)


class KpiService:
    """Figures per KPIS.md; every method is one read-only unit of work."""

    def __init__(self, database: Database, actor: Actor, timezone: str) -> None:
        self._database = database
        self._actor = actor
        self.zone = ZoneInfo(timezone)

    def plan(self, first: date, last_exclusive: date, interval: Interval) -> BucketPlan:
        """The buckets of the days [first, last_exclusive) in the report time zone."""
        start, end = day_range(first, last_exclusive, self.zone)
        return plan(start, end, interval, self.zone)

    def queues(
        self,
        buckets: BucketPlan,
        by_queue: bool = True,
        queue_ids: Sequence[int] | None = None,
    ) -> list[QueueFigures]:
        """A row per bucket and queue (every queue asked for, calls or not), or per bucket for
        all queues together when not `by_queue`; ordered by bucket, then queue name."""
        with self._database.uow(self._actor) as uow:
            repository = KpiRepository(uow.session)
            sums = repository.queue_sums(buckets, by_queue, queue_ids)
            names = repository.queue_names(queue_ids)
        interval_start = _starts(buckets)
        rows: list[QueueFigures] = []
        for bucket in buckets.buckets:
            groups: list[tuple[int | None, str | None]] = (
                list(names.items()) if by_queue else [(None, None)]
            )
            for queue_id, name in groups:
                found = sums.get((bucket.key, queue_id), dict.fromkeys(QUEUE_SUMS, 0))
                rows.append(QueueFigures(interval_start(bucket.key), queue_id, name, **found))
        return rows

    def agents(
        self,
        buckets: BucketPlan,
        grouping: AgentGrouping = AgentGrouping.AGENT,
        agent_ids: Sequence[int] | None = None,
        team_ids: Sequence[int] | None = None,
        now: datetime | None = None,
    ) -> list[AgentFigures]:
        """A row per bucket and agent (or team, or everyone). Agents (teams) with neither calls
        nor logged-in time in the range are left out unless asked for by id; ordered by bucket,
        then name."""
        now = now or datetime.now(UTC)
        with self._database.uow(self._actor) as uow:
            repository = KpiRepository(uow.session)
            calls = repository.agent_call_sums(buckets, grouping, now, agent_ids, team_ids)
            states = repository.agent_state_sums(buckets, grouping, now, agent_ids, team_ids)
            seen = {key[1] for key in (*calls, *states) if key[1] is not None}
            groups: list[tuple[int | None, dict[str, object]]]
            if grouping is AgentGrouping.AGENT:
                wanted = sorted(seen | set(agent_ids or ()))
                agents = repository.agents(wanted)
                groups = [
                    (
                        agent_id,
                        {"agent": name, "login": login, "team_id": team_id, "team": team},
                    )
                    for agent_id, (name, login, team_id, team) in sorted(
                        agents.items(), key=lambda item: (item[1][0], item[0])
                    )
                ]
            elif grouping is AgentGrouping.TEAM:
                teams = repository.teams(sorted(seen | set(team_ids or ())))
                groups = [
                    (team_id, {"agent": None, "team_id": team_id, "team": name})
                    for team_id, name in sorted(teams.items(), key=lambda item: (item[1], item[0]))
                ]
            else:
                groups = [(None, {"agent": None})]
        interval_start = _starts(buckets)
        rows: list[AgentFigures] = []
        zero = dict.fromkeys((*AGENT_CALL_SUMS, *AGENT_STATE_SUMS), 0)
        for bucket in buckets.buckets:
            for group_id, labels in groups:
                found: dict[str, Any] = {
                    **labels,
                    **zero,
                    **calls.get((bucket.key, group_id), {}),
                    **states.get((bucket.key, group_id), {}),
                }
                agent_id = group_id if grouping is AgentGrouping.AGENT else None
                rows.append(
                    AgentFigures(
                        interval_start(bucket.key),
                        agent_id,
                        **found,
                    )
                )
        return rows


def _starts(buckets: BucketPlan) -> Callable[[int], datetime]:
    by_key = buckets.by_key()
    return lambda key: by_key[key].start
