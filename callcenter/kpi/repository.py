"""The figures' sums, computed in the database with one aggregate query per kind of fact.

Calls are bucketed by arithmetic on their epoch seconds (see intervals.py), so a range is one
pass over its calls with no join; agent-state spans, which cross bucket boundaries, are split
by joining them to a small VALUES list of the buckets and summing each span's overlap.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    Select,
    and_,
    case,
    column,
    exists,
    func,
    literal_column,
    or_,
    select,
    values,
)
from sqlalchemy.orm import QueryableAttribute, Session, aliased

from callcenter.db.tables import AgentStateChange, Call, Queue, Team, User, UTCDateTime
from callcenter.kpi.figures import FCR_WINDOW_DAYS, QUEUE_EXIT_CODES
from callcenter.kpi.intervals import DAY_S, MAX_BUCKET_S, BucketPlan, Interval
from callcenter.kpi.sql import earliest, epoch_s, latest, minus_seconds, ms_between

# A call is answered within a day of starting: the bound that lets the started_at index
# narrow a range picked by queued_at or answered_at.
_LONGEST_WAIT = timedelta(days=1)
# Buckets per statement when spans are joined to them (three parameters each).
_BUCKETS_PER_STATEMENT = 2_000

QUEUE_SUMS = (
    "offered",
    "answered",
    "abandoned",
    "short_abandoned",
    "other_exits",
    "answered_in_threshold",
    "answered_wait_ms",
    "completed",
    "handle_ms",
)
AGENT_CALL_SUMS = ("handled", "completed", "handle_ms", "fcr_calls", "fcr_resolved")
AGENT_STATE_SUMS = ("occupied_ms", "available_ms", "staffed_ms")

Sums = dict[tuple[int, int | None], dict[str, int]]


class AgentGrouping(StrEnum):
    AGENT = "agent"
    TEAM = "team"
    ALL = "all"


def _int(value: int) -> ColumnElement[int]:
    # Inline, not a parameter: PostgreSQL must see GROUP BY and SELECT expressions as equal.
    return literal_column(str(int(value)), BigInteger())


def bucket_key(
    timestamp: ColumnElement[Any] | QueryableAttribute[Any], plan: BucketPlan
) -> ColumnElement[int]:
    """The SQL twin of intervals.bucket_key for a timestamp column."""
    if plan.interval is Interval.RANGE:
        return _int(0)
    epoch = epoch_s(timestamp)
    segments = plan.offset_segments
    offset: ColumnElement[int]
    if len(segments) == 1:
        offset = _int(segments[0][1])
    else:
        offset = case(
            *(
                (epoch < _int(start), _int(previous))
                for (_, previous), (start, _) in itertools.pairwise(segments)
            ),
            else_=_int(segments[-1][1]),
        )
    local = epoch + offset
    if plan.interval is Interval.DAY:
        return local // _int(DAY_S)
    size = _int(plan.interval.seconds)
    return (local // size) * size - offset


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def _handle_ms(completed: ColumnElement[bool]) -> ColumnElement[int]:
    """Talk + hold + after-call work: from answer to hang-up, plus wrap-up."""
    handle = ms_between(Call.ended_at, Call.answered_at) + Call.acw_s * 1000
    return case((completed, handle), else_=0)


def _sum(expression: ColumnElement[Any], name: str) -> ColumnElement[int]:
    return func.coalesce(func.sum(expression), 0).label(name)


class KpiRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # -- queues --------------------------------------------------------------------------

    def queue_sums(
        self, plan: BucketPlan, by_queue: bool, queue_ids: Sequence[int] | None = None
    ) -> Sums:
        """{(bucket key, queue id or None): sums} for calls that entered a queue in the range."""
        c, q = Call, Queue
        answered = c.answered_at.is_not(None)
        ended_unanswered = and_(c.answered_at.is_(None), c.ended_at.is_not(None))
        exited = and_(ended_unanswered, c.disposition_code.in_(QUEUE_EXIT_CODES))
        abandoned = and_(
            ended_unanswered,
            or_(c.disposition_code.is_(None), c.disposition_code.not_in(QUEUE_EXIT_CODES)),
        )
        answer_wait = ms_between(c.answered_at, c.queued_at)
        abandon_wait = ms_between(c.ended_at, c.queued_at)
        completed = and_(answered, c.ended_at.is_not(None))
        rows = (
            select(
                bucket_key(c.queued_at, plan).label("k"),
                c.queue_id.label("g"),
                _flag(answered).label("answered"),
                _flag(abandoned).label("abandoned"),
                _flag(and_(abandoned, abandon_wait < q.short_abandon_threshold_s * 1000)).label(
                    "short_abandoned"
                ),
                _flag(exited).label("other_exits"),
                _flag(and_(answered, answer_wait <= q.service_level_threshold_s * 1000)).label(
                    "answered_in_threshold"
                ),
                case((answered, answer_wait), else_=0).label("answered_wait_ms"),
                _flag(completed).label("completed"),
                _handle_ms(completed).label("handle_ms"),
            )
            .join(q, q.id == c.queue_id)
            .where(
                c.direction == "inbound",
                c.queued_at >= plan.start,
                c.queued_at < plan.end,
                # Narrows the range through the started_at index; the line above decides.
                c.started_at >= plan.start - _LONGEST_WAIT,
                c.started_at < plan.end,
                # An orphan (the queue exit never recorded) is incomplete: in no figure.
                or_(answered, c.ended_at.is_not(None)),
            )
        )
        if queue_ids is not None:
            rows = rows.where(c.queue_id.in_(queue_ids))
        sub = rows.subquery()
        group = [sub.c.k, sub.c.g] if by_queue else [sub.c.k]
        statement = select(
            *group,
            func.count().label("offered"),
            *(_sum(sub.c[name], name) for name in QUEUE_SUMS if name != "offered"),
        ).group_by(*group)
        return self._collect(statement, QUEUE_SUMS, by_queue)

    # -- agents --------------------------------------------------------------------------

    def agent_call_sums(
        self,
        plan: BucketPlan,
        grouping: AgentGrouping,
        now: datetime,
        agent_ids: Sequence[int] | None = None,
        team_ids: Sequence[int] | None = None,
    ) -> Sums:
        """{(bucket key, agent/team id or None): sums} of calls handled in the range.

        Handled: inbound calls answered by the agent and outbound calls that connected, by the
        time they were answered (inbound) or dialled (outbound).
        """
        c = Call
        later = aliased(Call)
        at = case((c.direction == "inbound", c.answered_at), else_=c.started_at)
        completed = c.ended_at.is_not(None)
        window_ms = FCR_WINDOW_DAYS * DAY_S * 1000
        fcr_call = and_(
            c.direction == "inbound",
            c.customer_id.is_not(None),
            c.answered_at <= now - timedelta(days=FCR_WINDOW_DAYS),
        )
        called_again = exists().where(
            later.customer_id == c.customer_id,
            later.direction == "inbound",
            later.started_at > c.answered_at,
            ms_between(later.started_at, c.answered_at) <= window_ms,
            later.id != c.id,
        )
        group_column = self._agent_group(grouping, c.agent_id)
        rows = select(
            bucket_key(at, plan).label("k"),
            group_column.label("g"),
            _flag(completed).label("completed"),
            _handle_ms(completed).label("handle_ms"),
            _flag(fcr_call).label("fcr_calls"),
            case((fcr_call, case((called_again, 0), else_=1)), else_=0).label("fcr_resolved"),
        ).where(
            c.agent_id.is_not(None),
            c.answered_at.is_not(None),
            at >= plan.start,
            at < plan.end,
            c.started_at >= plan.start - _LONGEST_WAIT,
            c.started_at < plan.end,
        )
        rows = self._agent_filters(rows, grouping, c.agent_id, agent_ids, team_ids)
        sub = rows.subquery()
        group = [sub.c.k] if grouping is AgentGrouping.ALL else [sub.c.k, sub.c.g]
        statement = select(
            *group,
            func.count().label("handled"),
            *(_sum(sub.c[name], name) for name in AGENT_CALL_SUMS if name != "handled"),
        ).group_by(*group)
        return self._collect(statement, AGENT_CALL_SUMS, grouping is not AgentGrouping.ALL)

    def agent_state_sums(
        self,
        plan: BucketPlan,
        grouping: AgentGrouping,
        now: datetime,
        agent_ids: Sequence[int] | None = None,
        team_ids: Sequence[int] | None = None,
    ) -> Sums:
        """{(bucket key, agent/team id or None): time on call and in after-call work, available,
        and logged in}, from the agents' state spans split at bucket boundaries."""
        result: Sums = {}
        for first in range(0, len(plan.buckets), _BUCKETS_PER_STATEMENT):
            chunk = plan.buckets[first : first + _BUCKETS_PER_STATEMENT]
            result.update(
                self._state_sums(
                    plan, chunk[0].start, chunk[-1].end, chunk, grouping, now, agent_ids, team_ids
                )
            )
        return result

    def _state_sums(
        self,
        plan: BucketPlan,
        start: datetime,
        end: datetime,
        chunk: Sequence[Any],
        grouping: AgentGrouping,
        now: datetime,
        agent_ids: Sequence[int] | None,
        team_ids: Sequence[int] | None,
    ) -> Sums:
        s = AgentStateChange
        buckets = (
            values(
                column("k", Integer),
                column("b_start", UTCDateTime()),
                column("b_end", UTCDateTime()),
                name="buckets",
            )
            .data([(b.key, b.start, b.end) for b in chunk])
            .cte("buckets")
        )
        span_end = earliest(func.coalesce(s.ended_at, now), buckets.c.b_end)
        overlap = ms_between(span_end, latest(s.started_at, buckets.c.b_start))
        joined = and_(
            buckets.c.b_start < func.coalesce(s.ended_at, now),
            buckets.c.b_end > s.started_at,
        )
        if plan.interval is not Interval.RANGE:
            # No bucket is longer than 25 hours: only the few that may hold the span's start.
            joined = and_(joined, buckets.c.b_start > minus_seconds(s.started_at, MAX_BUCKET_S))
        group_column = self._agent_group(grouping, s.agent_id)
        rows = (
            select(
                buckets.c.k.label("k"),
                group_column.label("g"),
                case((s.state.in_(("on_call", "after_call_work")), overlap), else_=0).label(
                    "occupied_ms"
                ),
                case((s.state == "available", overlap), else_=0).label("available_ms"),
                overlap.label("staffed_ms"),
            )
            .select_from(s)
            .join(buckets, joined)
            .where(
                s.state.in_(("available", "on_call", "after_call_work", "break")),
                s.started_at < end,
                s.started_at < now,
                or_(s.ended_at.is_(None), s.ended_at > start),
            )
        )
        rows = self._agent_filters(rows, grouping, s.agent_id, agent_ids, team_ids)
        sub = rows.subquery()
        group = [sub.c.k] if grouping is AgentGrouping.ALL else [sub.c.k, sub.c.g]
        sums = (_sum(sub.c[name], name) for name in AGENT_STATE_SUMS)
        statement = select(*group, *sums).group_by(*group)
        return self._collect(statement, AGENT_STATE_SUMS, grouping is not AgentGrouping.ALL)

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

    def _agent_group(self, grouping: AgentGrouping, agent_id: Any) -> ColumnElement[Any]:
        if grouping is AgentGrouping.TEAM:
            return User.team_id.expression
        if grouping is AgentGrouping.AGENT:
            return agent_id.expression  # type: ignore[no-any-return]
        return _int(0)

    def _agent_filters(
        self,
        rows: Select[Any],
        grouping: AgentGrouping,
        agent_id: Any,
        agent_ids: Sequence[int] | None,
        team_ids: Sequence[int] | None,
    ) -> Select[Any]:
        if grouping is AgentGrouping.TEAM or team_ids is not None:
            rows = rows.join(User, User.id == agent_id)
        if agent_ids is not None:
            rows = rows.where(agent_id.in_(agent_ids))
        if team_ids is not None:
            rows = rows.where(User.team_id.in_(team_ids))
        return rows

    def _collect(self, statement: Select[Any], names: Sequence[str], grouped: bool) -> Sums:
        result: Sums = {}
        for row in self._session.execute(statement).mappings():
            key = (int(row["k"]), row["g"] if grouped else None)
            result[key] = {name: int(row[name]) for name in names}
        return result
