"""The figures' sums for a report, read from the roll-ups plus the few parts that depend on now.

Roll-ups hold sums per UTC quarter hour and hour, and for agents per four UTC hours too
(callcenter/kpi/rollups.py). A report interval in the report time zone is a union of them:
the largest that fit inside it are read, its ragged edges (a half-hour zone's) from the
quarter hours, each row given its interval's key by the same arithmetic intervals.py uses.
What roll-ups cannot hold is read from the base rows: spans still open (they count up to
now), spans that start after now, and the FCR of calls whose seven-day window closes within
the quarter hour.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    Table,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import QueryableAttribute, Session

from callcenter.db.tables import AgentStateChange, Call, Queue, Team, User
from callcenter.db.tables_kpi import (
    AGENT_SUM_COLUMNS,
    QUEUE_SUM_COLUMNS,
    agent_blocks,
    agent_hours,
    agent_quarters,
    queue_hours,
    queue_quarters,
)
from callcenter.kpi import rollups, span_split
from callcenter.kpi.base import agent_call_facts, agent_filters, span_facts, summed, whole
from callcenter.kpi.figures import FCR_WINDOW_DAYS
from callcenter.kpi.intervals import DAY_S, BucketPlan, Interval
from callcenter.kpi.sql import epoch_s

HOUR_S = rollups.HOUR_S
QUARTER_S = span_split.QUARTER_S
# Buckets per statement when spans are joined to them (three parameters each).
_BUCKETS_PER_STATEMENT = 2_000

QUEUE_SUMS = QUEUE_SUM_COLUMNS
AGENT_SUMS = AGENT_SUM_COLUMNS
AGENT_STATE_SUMS = AGENT_SUM_COLUMNS[5:]
_FCR = ("fcr_calls", "fcr_resolved")

Sums = dict[tuple[int, int | None], dict[str, int]]
# Agent sums in AgentFigures' field order, after its labels.
AGENT_FIELDS = (
    "handled",
    "completed",
    "handle_ms",
    "occupied_ms",
    "available_ms",
    "staffed_ms",
    "fcr_calls",
    "fcr_resolved",
)
_AGENT_INDEX = {name: index for index, name in enumerate(AGENT_FIELDS)}
_NO_SUMS = (0,) * len(AGENT_FIELDS)
AgentSums = dict[tuple[int, int | None], Sequence[int]]
_QUEUE_LEVELS = ((HOUR_S, queue_hours), (QUARTER_S, queue_quarters))
_AGENT_LEVELS = (
    (rollups.BLOCK_S, agent_blocks),
    (HOUR_S, agent_hours),
    (QUARTER_S, agent_quarters),
)
Ranges = list[tuple[int, int]]


class AgentGrouping(StrEnum):
    AGENT = "agent"
    TEAM = "team"
    ALL = "all"


def epoch_key(epoch: ColumnElement[int], plan: BucketPlan) -> ColumnElement[int]:
    """The SQL twin of intervals.bucket_key for epoch seconds."""
    if plan.interval is Interval.RANGE:
        return whole(0)
    segments = plan.offset_segments
    offset: ColumnElement[int]
    if len(segments) == 1:
        offset = whole(segments[0][1])
    else:
        offset = case(
            *(
                (epoch < whole(start), whole(previous))
                for (_, previous), (start, _) in itertools.pairwise(segments)
            ),
            else_=whole(segments[-1][1]),
        )
    local = epoch + offset
    if plan.interval is Interval.DAY:
        return local // whole(DAY_S)
    size = whole(plan.interval.seconds)
    return (local // size) * size - offset


def bucket_key(
    timestamp: ColumnElement[Any] | QueryableAttribute[Any], plan: BucketPlan
) -> ColumnElement[int]:
    """The SQL twin of intervals.bucket_key for a timestamp column."""
    return epoch_key(epoch_s(timestamp), plan)


def pieces(plan: BucketPlan, sizes: Sequence[int], cut: int | None = None) -> list[Ranges]:
    """[start, end) epoch ranges covering the plan, one list per bucket size (largest first),
    each bucket inside one interval of the plan and on one side of `cut`."""
    found: list[Ranges] = [[] for _ in sizes]

    def add(level: int, lo: int, hi: int) -> None:
        ranges = found[level]
        if ranges and ranges[-1][1] == lo:
            ranges[-1] = (ranges[-1][0], hi)
        else:
            ranges.append((lo, hi))

    def cover(lo: int, hi: int, level: int) -> None:
        """Whole buckets of this size in the middle, smaller ones at the edges."""
        if lo >= hi:
            return
        size = sizes[level]
        if level == len(sizes) - 1:
            add(level, lo, hi)
            return
        first, last = -(-lo // size) * size, hi // size * size
        if first >= last:
            cover(lo, hi, level + 1)
            return
        cover(lo, first, level + 1)
        add(level, first, last)
        cover(last, hi, level + 1)

    for bucket in plan.buckets:
        start, end = int(bucket.start.timestamp()), int(bucket.end.timestamp())
        if cut is not None and start < cut < end:
            cover(start, cut, 0)
            cover(cut, end, 0)
        else:
            cover(start, end, 0)
    return found


class KpiRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # -- keeping roll-ups current --------------------------------------------------------

    def has_stale(self) -> bool:
        return rollups.has_stale(self._session.connection())

    def refresh(self) -> int:
        """Rebuild the stale roll-ups (the caller commits); how many marks were taken."""
        return rollups.refresh(self._session.connection())

    def rebuild(self, start: datetime, end: datetime) -> None:
        """Rebuild every roll-up from `start` to `end` from the base rows (the caller commits).

        For rows the triggers never saw: a restored backup, or calls deleted in bulk (a
        TRUNCATE fires no row triggers).
        """
        connection = self._session.connection()
        rollups.mark_range(connection, start, end)
        rollups.refresh(connection)

    def history_span(self) -> tuple[datetime, datetime] | None:
        """From the first call or agent state to the last start of either; None with neither."""
        calls = select(func.min(Call.started_at), func.max(Call.started_at))
        states = select(
            func.min(AgentStateChange.started_at), func.max(AgentStateChange.started_at)
        )
        found = [
            value
            for statement in (calls, states)
            for value in self._session.execute(statement).one()
            if value is not None
        ]
        if not found:
            return None
        aware = [v if v.tzinfo else v.replace(tzinfo=UTC) for v in found]
        return min(aware), max(aware)

    # -- queues --------------------------------------------------------------------------

    def queue_sums(
        self, plan: BucketPlan, by_queue: bool, queue_ids: Sequence[int] | None = None
    ) -> Sums:
        """{(bucket key, queue id or None): sums} for calls that entered a queue in the range."""
        rollups.tuned_for_kpi(self._session.connection())
        source = self._rollups(plan, _QUEUE_LEVELS, QUEUE_SUMS, {})
        rows = select(
            epoch_key(source.c.bucket, plan).label("k"),
            source.c.queue_id.label("g"),
            *(source.c[name] for name in QUEUE_SUMS),
        )
        if queue_ids is not None:
            rows = rows.where(source.c.queue_id.in_(queue_ids))
        return self._collect(summed(rows, QUEUE_SUMS, by_queue), QUEUE_SUMS, by_queue)

    # -- agents --------------------------------------------------------------------------

    def agent_sums(
        self,
        plan: BucketPlan,
        grouping: AgentGrouping,
        now: datetime,
        agent_ids: Sequence[int] | None = None,
        team_ids: Sequence[int] | None = None,
    ) -> AgentSums:
        """{(bucket key, agent/team id or None): [AGENT_FIELDS]}: calls handled, and time on
        call and in after-call work, available and logged in, as of `now`."""
        rollups.tuned_for_kpi(self._session.connection())
        grouped = grouping is not AgentGrouping.ALL
        cutoff = now - timedelta(days=FCR_WINDOW_DAYS)
        # Roll-up rows wholly before this quarter hour give their FCR (none straddles it);
        # the calls after it, up to the cutoff, are read from the calls.
        settled = int(cutoff.timestamp()) // QUARTER_S * QUARTER_S
        fcr = {
            name: lambda table, size, name=name: case(
                # Bound, not inline: `settled` moves with now; the statement stays cached.
                (table.c.bucket + whole(size) <= literal(settled, BigInteger()), table.c[name]),
                else_=0,
            )
            for name in _FCR
        }
        source = self._rollups(plan, _AGENT_LEVELS, AGENT_SUM_COLUMNS, fcr, cut=settled)
        rows = select(
            epoch_key(source.c.bucket, plan).label("k"),
            self._group(grouping, source.c.agent_id).label("g"),
            *(source.c[name] for name in AGENT_FIELDS),
        )
        rows = agent_filters(
            rows, source.c.agent_id, grouping is AgentGrouping.TEAM, agent_ids, team_ids
        )
        # Lists in AgentFigures' order: a month by agent is tens of thousands of rows.
        found = self._session.execute(summed(rows, AGENT_FIELDS, grouped)).all()
        result: AgentSums = (
            {(row[0], row[1]): row[2:] for row in found}
            if grouped
            else {(row[0], None): row[1:] for row in found}
        )
        live = self._closing_fcr(plan, grouping, cutoff, settled, agent_ids, team_ids)
        _add(result, live, 1)
        spans = AgentStateChange
        open_spans = self._spans(
            plan,
            grouping,
            now,
            agent_ids,
            team_ids,
            spans.ended_at.is_(None),
            spans.started_at < now,
        )
        _add(result, open_spans, 1)
        # Roll-ups hold every closed span; a report as of `now` leaves out those after it.
        future = self._spans(
            plan,
            grouping,
            now,
            agent_ids,
            team_ids,
            spans.ended_at.is_not(None),
            spans.started_at >= now,
        )
        _add(result, future, -1)
        return {key: sums for key, sums in result.items() if any(sums)}

    def _closing_fcr(
        self,
        plan: BucketPlan,
        grouping: AgentGrouping,
        cutoff: datetime,
        settled: int,
        agent_ids: Sequence[int] | None,
        team_ids: Sequence[int] | None,
    ) -> Sums:
        """FCR of the calls answered from the `settled` quarter hour to the cutoff."""
        start = max(plan.start, datetime.fromtimestamp(settled, UTC))
        end = min(plan.end, cutoff + timedelta(seconds=1))
        if start >= end:
            return {}
        grouped = grouping is not AgentGrouping.ALL
        rows = agent_call_facts(
            lambda column: bucket_key(column, plan),
            self._group(grouping, Call.agent_id),
            start,
            end,
            fcr_until=cutoff,
        )
        rows = agent_filters(
            rows, Call.agent_id, grouping is AgentGrouping.TEAM, agent_ids, team_ids
        )
        return self._collect(summed(rows, _FCR, grouped), _FCR, grouped)

    def _spans(
        self,
        plan: BucketPlan,
        grouping: AgentGrouping,
        now: datetime,
        agent_ids: Sequence[int] | None,
        team_ids: Sequence[int] | None,
        *conditions: ColumnElement[bool],
    ) -> Sums:
        """Sums of the spans picked by `conditions`, split at the plan's buckets."""
        s = AgentStateChange
        grouped = grouping is not AgentGrouping.ALL
        result: Sums = {}
        for first in range(0, len(plan.buckets), _BUCKETS_PER_STATEMENT):
            chunk = plan.buckets[first : first + _BUCKETS_PER_STATEMENT]
            rows = span_facts(
                chunk,
                self._group(grouping, s.agent_id),
                now,
                plan.interval is not Interval.RANGE,
                *conditions,
                s.started_at < chunk[-1].end,
                or_(s.ended_at.is_(None), s.ended_at > chunk[0].start),
            )
            rows = agent_filters(
                rows, s.agent_id, grouping is AgentGrouping.TEAM, agent_ids, team_ids
            )
            statement = summed(rows, AGENT_STATE_SUMS, grouped)
            result.update(self._collect(statement, AGENT_STATE_SUMS, grouped))
        return result

    # -- names ---------------------------------------------------------------------------

    def queue_names(self, queue_ids: Sequence[int] | None = None) -> dict[int, str]:
        statement = select(Queue.id, Queue.name).order_by(Queue.name)
        if queue_ids is not None:
            statement = statement.where(Queue.id.in_(queue_ids))
        return {row[0]: row[1] for row in self._session.execute(statement)}

    def agents(
        self, agent_ids: Sequence[int]
    ) -> dict[int, tuple[str, str, int | None, str | None]]:
        """{agent id: (display name, login, team id, team name)}."""
        statement = (
            select(User.id, User.display_name, User.login, User.team_id, Team.name)
            .outerjoin(Team, Team.id == User.team_id)
            .where(User.id.in_(agent_ids))
        )
        return {
            row[0]: (row[1], row[2], row[3], row[4]) for row in self._session.execute(statement)
        }

    def teams(self, team_ids: Sequence[int]) -> dict[int, str]:
        statement = select(Team.id, Team.name).where(Team.id.in_(team_ids))
        return {row[0]: row[1] for row in self._session.execute(statement)}

    # -- helpers -------------------------------------------------------------------------

    def _rollups(
        self,
        plan: BucketPlan,
        levels: Sequence[tuple[int, Table]],
        names: Sequence[str],
        adjusted: dict[str, Any],
        cut: int | None = None,
    ) -> Any:
        """The roll-up rows covering the plan, the largest buckets that fit (see `pieces`)."""
        parts: list[Select[Any]] = []
        ranges_by_level = pieces(plan, [size for size, _ in levels], cut)
        for (size, table), ranges in zip(levels, ranges_by_level, strict=True):
            if not ranges:
                continue
            columns = (
                adjusted[name](table, size).label(name) if name in adjusted else table.c[name]
                for name in names
            )
            parts.append(
                select(table.c.bucket, table.c.values()[1], *columns).where(
                    or_(*(and_(table.c.bucket >= lo, table.c.bucket < hi) for lo, hi in ranges))
                )
            )
        return (parts[0] if len(parts) == 1 else union_all(*parts)).subquery()

    def _group(self, grouping: AgentGrouping, agent_id: Any) -> ColumnElement[Any]:
        if grouping is AgentGrouping.TEAM:
            return User.team_id.expression
        if grouping is AgentGrouping.AGENT:
            return agent_id  # type: ignore[no-any-return]
        return whole(0)

    def _collect(self, statement: Select[Any], names: Sequence[str], grouped: bool) -> Sums:
        """Rows of `summed` (k, g if grouped, then `names`) as {(k, g or None): sums}."""
        first = 2 if grouped else 1
        return {
            (int(row[0]), row[1] if grouped else None): dict(
                zip(names, map(int, row[first:]), strict=True)
            )
            for row in self._session.execute(statement).all()
        }


def _add(into: AgentSums, more: Sums, sign: int) -> None:
    for key, sums in more.items():
        target = list(into.get(key, _NO_SUMS))
        for name, value in sums.items():
            target[_AGENT_INDEX[name]] += sign * value
        into[key] = target
