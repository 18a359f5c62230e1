"""The figures' sums from calls and agent states themselves: one row per fact, keyed as asked.

Roll-ups are rebuilt from these (keyed by UTC quarter hour), and a report reads the few parts
that depend on its `now` (open spans, FCR windows closing now) from them directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    Select,
    and_,
    case,
    cast,
    column,
    exists,
    func,
    literal_column,
    or_,
    select,
    values,
)
from sqlalchemy.orm import QueryableAttribute, aliased

from callcenter.db.tables import AgentStateChange, Call, Queue, User, UTCDateTime
from callcenter.kpi.figures import FCR_WINDOW_DAYS, QUEUE_EXIT_CODES
from callcenter.kpi.intervals import DAY_S, MAX_BUCKET_S, Bucket
from callcenter.kpi.sql import earliest, latest, minus_seconds, ms_between, plus_seconds

# A call is answered within a day of starting: the bound that lets the started_at index
# narrow a range picked by queued_at or answered_at.
LONGEST_WAIT = timedelta(days=1)
STAFFED_STATES = ("available", "on_call", "after_call_work", "break")
OCCUPIED_STATES = ("on_call", "after_call_work")

Key = Callable[[ColumnElement[Any] | QueryableAttribute[Any]], ColumnElement[int]]


def whole(value: int) -> ColumnElement[int]:
    # Inline, not a parameter: PostgreSQL must see GROUP BY and SELECT expressions as equal.
    return literal_column(str(int(value)), BigInteger())


def flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def handle_ms(completed: ColumnElement[bool]) -> ColumnElement[int]:
    """Talk + hold + after-call work: from answer to hang-up, plus wrap-up."""
    handle = ms_between(Call.ended_at, Call.answered_at) + Call.acw_s * 1000
    return case((completed, handle), else_=0)


def summed(
    rows: Select[Any], names: Sequence[str], grouped: bool, counted: str | None = None
) -> Select[Any]:
    """`rows` (columns k, g and `names`) added up per key (and group); `counted` is count(*)."""
    sub = rows.subquery()
    group = [sub.c.k, sub.c.g] if grouped else [sub.c.k]
    sums = (
        func.count().label(name)
        if name == counted
        # Cast: PostgreSQL adds bigints up as numeric, and ints are what every caller wants.
        else cast(func.coalesce(func.sum(sub.c[name]), 0), BigInteger).label(name)
        for name in names
    )
    return select(*group, *sums).group_by(*group)


def queue_facts(
    key: Key, start: datetime, end: datetime, queue_ids: Sequence[int] | None = None
) -> Select[Any]:
    """A row per call that entered a queue in [start, end): k, g (queue), and what it counts for.

    `offered` is the row itself (count them).
    """
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
            key(c.queued_at).label("k"),
            c.queue_id.label("g"),
            whole(1).label("offered"),
            flag(answered).label("answered"),
            flag(abandoned).label("abandoned"),
            flag(and_(abandoned, abandon_wait < q.short_abandon_threshold_s * 1000)).label(
                "short_abandoned"
            ),
            flag(exited).label("other_exits"),
            flag(and_(answered, answer_wait <= q.service_level_threshold_s * 1000)).label(
                "answered_in_threshold"
            ),
            case((answered, answer_wait), else_=0).label("answered_wait_ms"),
            flag(completed).label("completed"),
            handle_ms(completed).label("handle_ms"),
        )
        .join(q, q.id == c.queue_id)
        .where(
            c.direction == "inbound",
            c.queued_at >= start,
            c.queued_at < end,
            # Narrows the range through the started_at index; the line above decides.
            c.started_at >= start - LONGEST_WAIT,
            c.started_at < end,
            # An orphan (the queue exit never recorded) is incomplete: in no figure.
            or_(answered, c.ended_at.is_not(None)),
        )
    )
    if queue_ids is not None:
        rows = rows.where(c.queue_id.in_(queue_ids))
    return rows


def handled_at() -> ColumnElement[Any]:
    """When a call counts for its agent: answered (inbound) or dialled (outbound)."""
    return case((Call.direction == "inbound", Call.answered_at), else_=Call.started_at)


def agent_call_facts(
    key: Key,
    group: ColumnElement[Any],
    start: datetime,
    end: datetime,
    fcr_until: datetime | None = None,
    following: Any | None = None,
) -> Select[Any]:
    """A row per call handled in [start, end): k, g, and what it counts for.

    Handled: inbound calls answered by the agent and outbound calls that connected. FCR
    counts answered inbound calls of known customers answered by `fcr_until` (every one
    when None) and, of those, the ones after which the customer did not call again within
    the window, as far as the calls recorded tell. `following` (see next_inbound) answers
    that for most calls by a join instead of a probe per call.
    """
    c = Call
    later = aliased(Call)
    at = handled_at()
    completed = c.ended_at.is_not(None)
    window_ms = FCR_WINDOW_DAYS * DAY_S * 1000
    fcr_call = and_(c.direction == "inbound", c.customer_id.is_not(None))
    if fcr_until is not None:
        fcr_call = and_(fcr_call, c.answered_at <= fcr_until)
    called_again = exists().where(
        later.customer_id == c.customer_id,
        later.direction == "inbound",
        later.started_at > c.answered_at,
        # Bounds the index range probed (a second loose); the line after it decides.
        later.started_at <= plus_seconds(c.answered_at, whole(window_ms // 1000 + 1)),
        ms_between(later.started_at, c.answered_at) <= window_ms,
        later.id != c.id,
    )
    resolved = case((called_again, 0), else_=1)
    if following is not None:
        after = following.c.next_start
        resolved = case(
            (after.is_(None), 1),
            # The customer's next call came after this one was answered: it is the one.
            (
                after > c.answered_at,
                case((ms_between(after, c.answered_at) <= window_ms, 0), else_=1),
            ),
            # It came while this one waited (rare): look further.
            else_=resolved,
        )
    rows = select(
        key(at).label("k"),
        group.label("g"),
        whole(1).label("handled"),
        flag(completed).label("completed"),
        handle_ms(completed).label("handle_ms"),
        flag(fcr_call).label("fcr_calls"),
        case((fcr_call, resolved), else_=0).label("fcr_resolved"),
    )
    if following is not None:
        rows = rows.outerjoin(following, following.c.id == c.id)
    return rows.where(
        c.agent_id.is_not(None),
        c.answered_at.is_not(None),
        # Each side through its own index (answered_at, started_at).
        or_(
            and_(c.direction == "inbound", c.answered_at >= start, c.answered_at < end),
            and_(c.direction != "inbound", c.started_at >= start, c.started_at < end),
        ),
    )


def next_inbound(start: datetime, end: datetime) -> Any:
    """Each inbound call of a known customer started from a day before `start` to a window
    after `end`, with when the customer's next inbound call started (NULL: not within that).

    Calls handled in [start, end) find theirs by id; one sort replaces a probe per call.
    """
    c = Call
    window = timedelta(days=FCR_WINDOW_DAYS, seconds=1)
    return (
        select(
            c.id.label("id"),
            func.lead(c.started_at)
            .over(partition_by=c.customer_id, order_by=(c.started_at, c.id))
            .label("next_start"),
        )
        .where(
            c.direction == "inbound",
            c.customer_id.is_not(None),
            c.started_at >= start - LONGEST_WAIT,
            c.started_at <= end + window,
        )
        .cte("next_inbound")
        .prefix_with("MATERIALIZED")
    )


def span_facts(
    buckets: Sequence[Bucket],
    group: ColumnElement[Any],
    now: datetime,
    bounded: bool,
    *conditions: ColumnElement[bool],
) -> Select[Any]:
    """A row per agent-state span (picked by `conditions`) and bucket it overlaps: k, g,
    and its milliseconds on call or in after-call work, available, and logged in.

    An open span counts up to `now`. `bounded`: no bucket is longer than 25 hours, so only
    the few that may hold a span's start are joined to it.
    """
    s = AgentStateChange
    table = (
        values(
            column("k", Integer),
            column("b_start", UTCDateTime()),
            column("b_end", UTCDateTime()),
            name="buckets",
        )
        .data([(b.key, b.start, b.end) for b in buckets])
        .cte("buckets")
    )
    span_end = earliest(func.coalesce(s.ended_at, now), table.c.b_end)
    overlap = ms_between(span_end, latest(s.started_at, table.c.b_start))
    joined = and_(
        table.c.b_start < func.coalesce(s.ended_at, now),
        table.c.b_end > s.started_at,
    )
    if bounded:
        joined = and_(joined, table.c.b_start > minus_seconds(s.started_at, MAX_BUCKET_S))
    return (
        select(
            table.c.k.label("k"),
            group.label("g"),
            case((s.state.in_(OCCUPIED_STATES), overlap), else_=0).label("occupied_ms"),
            case((s.state == "available", overlap), else_=0).label("available_ms"),
            overlap.label("staffed_ms"),
        )
        .select_from(s)
        .join(table, joined)
        .where(s.state.in_(STAFFED_STATES), *conditions)
    )


def agent_filters(
    rows: Select[Any],
    agent_id: Any,
    by_team: bool,
    agent_ids: Sequence[int] | None,
    team_ids: Sequence[int] | None,
) -> Select[Any]:
    """Only the agents (teams) asked for; joined to users when teams matter."""
    if by_team or team_ids is not None:
        rows = rows.join(User, User.id == agent_id)
    if agent_ids is not None:
        rows = rows.where(agent_id.in_(agent_ids))
    if team_ids is not None:
        rows = rows.where(User.team_id.in_(team_ids))
    return rows
