"""Queue and agent figures for a range, per interval, in the report time zone."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from callcenter.bootstrap import Database
from callcenter.domain.users import Actor
from callcenter.gc_pause import no_cycle_collection
from callcenter.kpi.figures import AgentFigures, QueueFigures
from callcenter.kpi.intervals import BucketPlan, Interval, day_range, local_midnight, plan
from callcenter.kpi.repository import (
    AGENT_FIELDS,
    QUEUE_SUMS,
    AgentGrouping,
    AgentSums,
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
        self._refresh()
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
        self._refresh()
        # A month by agent and by day is tens of thousands of rows, none in a cycle.
        with no_cycle_collection():
            with self._database.uow(self._actor) as uow:
                repository = KpiRepository(uow.session)
                sums = repository.agent_sums(buckets, grouping, now, agent_ids, team_ids)
                groups = _agent_groups(repository, grouping, sums, agent_ids, team_ids)
            return _agent_rows(buckets, sums, groups, grouping is AgentGrouping.AGENT)

    def rebuild(
        self,
        first: date | None = None,
        last_exclusive: date | None = None,
        now: datetime | None = None,
    ) -> tuple[datetime, datetime] | None:
        """Rebuild the roll-ups of the days [first, last_exclusive) in the report time zone;
        without them, from the first call or agent state to now. The span rebuilt comes back,
        or None when there is nothing to rebuild."""
        now = now or datetime.now(UTC)
        with self._database.uow(self._actor) as uow:
            repository = KpiRepository(uow.session)
            span = repository.history_span()
            start = local_midnight(first, self.zone) if first else span and span[0]
            end = (
                local_midnight(last_exclusive, self.zone)
                if last_exclusive
                else max(now, span[1])
                if span
                else now
            )
            if start is None or end <= start:
                return None
            repository.rebuild(start, end)
            uow.commit()
        return start, end

    def _refresh(self) -> None:
        """Bring the roll-ups up to date with every write so far (a no-op when they are)."""
        with self._database.uow(self._actor) as uow:
            if not KpiRepository(uow.session).has_stale():
                return
        with self._database.uow(self._actor) as uow:
            KpiRepository(uow.session).refresh()
            uow.commit()


def _starts(buckets: BucketPlan) -> Callable[[int], datetime]:
    by_key = buckets.by_key()
    return lambda key: by_key[key].start


# (group id, (agent, login, team id, team)): AgentFigures' label fields in order.
Groups = list[tuple[int | None, tuple[Any, ...]]]


def _agent_groups(
    repository: KpiRepository,
    grouping: AgentGrouping,
    sums: AgentSums,
    agent_ids: Sequence[int] | None,
    team_ids: Sequence[int] | None,
) -> Groups:
    """The agents (teams) to show, ordered by name: those with sums and those asked for."""
    seen = {key[1] for key in sums if key[1] is not None}
    if grouping is AgentGrouping.AGENT:
        agents = repository.agents(sorted(seen | set(agent_ids or ())))
        return sorted(agents.items(), key=lambda item: (item[1][0], item[0]))
    if grouping is AgentGrouping.TEAM:
        teams = repository.teams(sorted(seen | set(team_ids or ())))
        return [
            (team_id, (None, None, team_id, name))
            for team_id, name in sorted(teams.items(), key=lambda item: (item[1], item[0]))
        ]
    return [(None, (None, None, None, None))]


def _agent_rows(
    buckets: BucketPlan, sums: AgentSums, groups: Groups, by_agent: bool
) -> list[AgentFigures]:
    """A row per bucket and group, built positionally in AgentFigures' field order: per-row
    dict merging would cost more than the query."""
    zero = (0,) * len(AGENT_FIELDS)
    by_bucket: dict[int, dict[int | None, Sequence[int]]] = {}
    for (key, group_id), found in sums.items():
        by_bucket.setdefault(key, {})[group_id] = found
    labelled = [(group_id, group_id if by_agent else None, labels) for group_id, labels in groups]
    figures = AgentFigures
    rows: list[AgentFigures] = []
    append = rows.append
    for bucket in buckets.buckets:
        start, found_in = bucket.start, by_bucket.get(bucket.key, {})
        for group_id, agent_id, labels in labelled:
            append(figures(start, agent_id, *labels, *found_in.get(group_id, zero)))
    return rows
