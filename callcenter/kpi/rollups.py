"""Keeping the KPI roll-ups current: stale buckets rebuilt from calls and agent states, in SQL.

Triggers (migration 0005) mark what every write touches in kpi_dirty; `refresh` takes those
marks, rebuilds the quarter hours they name from the base rows, then the hours (and four
hours) above them. Bulk loaders write with the triggers out of the way (`untracked`), mark
the range they loaded once (`mark_range`) and refresh at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    delete,
    func,
    insert,
    literal_column,
    select,
    text,
    union_all,
)

from callcenter.db.tables import AgentStateChange, Call
from callcenter.db.tables_kpi import (
    AGENT_SUM_COLUMNS,
    LONG_SPAN_HOURS,
    QUEUE_SUM_COLUMNS,
    agent_blocks,
    agent_hours,
    agent_quarters,
    dirty,
    queue_hours,
    queue_quarters,
)
from callcenter.kpi.base import (
    LONGEST_WAIT,
    agent_call_facts,
    next_inbound,
    queue_facts,
    summed,
    whole,
)
from callcenter.kpi.figures import FCR_WINDOW_DAYS
from callcenter.kpi.span_split import QUARTER_S, long_span, span_facts
from callcenter.kpi.sql import epoch_s

HOUR_S = 3600
BLOCK_S = 4 * HOUR_S
# Stale quarter hours this close together are rebuilt in one statement.
_MERGE_GAP_S = HOUR_S
_LONGEST_RUN_S = 7 * 86_400
_SORTED_FCR_FROM_S = 86_400
_CUSTOMERS_PER_STATEMENT = 500
_TRIGGER_PREFIX = "kpi_"
# Set for a transaction, the PostgreSQL triggers mark nothing (see `untracked`).
_UNTRACKED_SETTING = "callcenter.kpi_untracked"
_REFRESH_LOCK = 7_240_005
# Past any call: the end of "every bucket" (year 6325).
_EVER = 2**37


def quarter(column: Any) -> ColumnElement[int]:
    """The UTC quarter hour a timestamp falls in, as its first epoch second."""
    return (epoch_s(column) // whole(QUARTER_S)) * whole(QUARTER_S)


def _at(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _quarter_of(moment: datetime) -> int:
    return int(moment.timestamp()) // QUARTER_S * QUARTER_S


# -- marking ---------------------------------------------------------------------------------


def mark_range(
    connection: Connection, start: datetime, end: datetime, earlier_fcr: bool = True
) -> None:
    """Mark every bucket from `start` to `end` stale, and the FCR of the calls a week before.

    Without `earlier_fcr`, just the range: for a loader refreshing week by week as each
    settles (services/demo_rollups.py), whose earlier weeks are final already.
    """
    lo, hi = _quarter_of(start), _quarter_of(end)
    window = FCR_WINDOW_DAYS * 86_400 + QUARTER_S if earlier_fcr else 0
    connection.execute(
        insert(dirty),
        [
            {"kind": "q", "lo": lo, "hi": hi, "ref": None},
            {"kind": "a", "lo": lo - window, "hi": hi, "ref": None},
        ],
    )


def mark_everything(connection: Connection) -> None:
    """Mark every bucket that holds a call or an agent-state span stale (a full rebuild)."""
    c, s = Call, AgentStateChange

    def one(aggregate: Any, *conditions: Any) -> Any:
        # One min() or max() per statement: SQLite reads it off an index only then.
        return connection.execute(select(aggregate).where(*conditions)).scalar()

    first_call, last_call = one(func.min(c.started_at)), one(func.max(c.started_at))
    first_span, last_start = one(func.min(s.started_at)), one(func.max(s.started_at))
    # Short spans end within a few hours of their start; long ones are few, and indexed.
    last_long = one(func.max(s.ended_at), text(long_span(connection)))
    last_span = last_start and last_start + timedelta(hours=LONG_SPAN_HOURS)
    starts = [moment for moment in (first_call, first_span) if moment is not None]
    ends = [moment for moment in (last_call, last_span, last_long) if moment is not None]
    if starts:
        mark_range(connection, min(starts), max(ends) + LONGEST_WAIT)


@contextmanager
def untracked(connection: Connection) -> Iterator[None]:
    """Within the connection's transaction, writes leave no marks: the loader marks its range.

    SQLite's triggers are dropped and created again inside the transaction, so no other
    connection ever sees them missing; PostgreSQL's read a setting local to the transaction.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT set_config(:name, 'on', true)"), {"name": _UNTRACKED_SETTING}
        )
        yield
        connection.execute(
            text("SELECT set_config(:name, 'off', true)"), {"name": _UNTRACKED_SETTING}
        )
        return
    triggers = connection.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE :prefix"),
        {"prefix": f"{_TRIGGER_PREFIX}%"},
    ).all()
    for name, _ in triggers:
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    yield
    for _, sql in triggers:
        connection.exec_driver_sql(sql)


# -- refreshing ------------------------------------------------------------------------------


def tuned_for_kpi(connection: Connection) -> None:
    """PostgreSQL, for this transaction: no JIT compiling, no parallel workers, room to sum.

    These statements' cost estimates (spans times a series) pass the JIT threshold, and
    compiling them took near a second where running them takes milliseconds; reading a
    month of roll-ups, gathering workers' partial sums cost more than it saved (measured).
    A month by agent and by day is tens of thousands of groups: in the default 4 MB of
    work_mem its hash aggregate spilled to disk.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET LOCAL jit = off"))
        connection.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
        connection.execute(text("SET LOCAL work_mem = '64MB'"))


def has_stale(connection: Connection) -> bool:
    return connection.execute(select(dirty.c.id).limit(1)).first() is not None


def refresh(connection: Connection) -> int:
    """Rebuild what the marks name; the number of marks taken. Call inside a transaction."""
    if connection.dialect.name == "postgresql":
        # One refresher at a time; a second one then finds what is left.
        connection.execute(select(func.pg_advisory_xact_lock(_REFRESH_LOCK)))
        tuned_for_kpi(connection)
    marks = connection.execute(
        delete(dirty).returning(dirty.c.kind, dirty.c.lo, dirty.c.hi, dirty.c.ref)
    ).all()
    queue_buckets: set[int] = set()
    agent_buckets: set[int] = set()
    whole_queues: set[int] = set()
    customers: list[tuple[int, int]] = []
    for kind, lo, hi, ref in marks:
        if kind == "q":
            queue_buckets.update(range(lo, hi + 1, QUARTER_S))
        elif kind == "a":
            agent_buckets.update(range(lo, hi + 1, QUARTER_S))
        elif kind == "Q":
            whole_queues.add(ref)
        elif kind == "f":
            customers.append((lo, ref))
    agent_buckets.update(_earlier_calls(connection, customers))
    for lo, hi in _runs(queue_buckets):
        _rebuild_queues(connection, lo, hi)
    if whole_queues:
        _rebuild_queues(connection, 0, _EVER, sorted(whole_queues))
    for lo, hi in _runs(agent_buckets):
        _rebuild_agents(connection, lo, hi)
    return len(marks)


def _runs(buckets: Iterable[int]) -> Iterator[tuple[int, int]]:
    """[first, end) runs of quarter hours, gaps of up to an hour bridged, a week at most each
    (a statement's sorts stay small)."""
    ordered = sorted(buckets)
    if not ordered:
        return
    first = last = ordered[0]
    for bucket in ordered[1:]:
        if bucket - last > _MERGE_GAP_S or bucket - first >= _LONGEST_RUN_S:
            yield first, last + QUARTER_S
            first = bucket
        last = bucket
    yield first, last + QUARTER_S


def _earlier_calls(connection: Connection, marks: Sequence[tuple[int, int]]) -> set[int]:
    """The quarter hours of the calls whose FCR a customer's new inbound call may change:
    theirs, answered in the window before it."""
    c = Call
    found: set[int] = set()
    ordered = sorted(set(marks))
    window = timedelta(days=FCR_WINDOW_DAYS)
    for first in range(0, len(ordered), _CUSTOMERS_PER_STATEMENT):
        chunk = ordered[first : first + _CUSTOMERS_PER_STATEMENT]
        start = _at(chunk[0][0]) - window - LONGEST_WAIT
        end = _at(chunk[-1][0] + QUARTER_S)
        statement = (
            select(quarter(c.answered_at))
            .distinct()
            .where(
                c.customer_id.in_({customer for _, customer in chunk}),
                c.direction == "inbound",
                c.answered_at.is_not(None),
                c.started_at >= start,
                c.started_at < end,
            )
        )
        found.update(connection.execute(statement).scalars())
    return found


def _rebuild_queues(
    connection: Connection, lo: int, hi: int, queue_ids: Sequence[int] | None = None
) -> None:
    quarters = delete(queue_quarters).where(
        queue_quarters.c.bucket >= lo, queue_quarters.c.bucket < hi
    )
    if queue_ids is not None:
        quarters = quarters.where(queue_quarters.c.queue_id.in_(queue_ids))
    connection.execute(quarters)
    facts = queue_facts(quarter, _at(lo), _at(hi), queue_ids)
    connection.execute(
        insert(queue_quarters).from_select(
            ["bucket", "queue_id", *QUEUE_SUM_COLUMNS],
            summed(facts, QUEUE_SUM_COLUMNS, grouped=True),
        )
    )
    _roll_up(connection, queue_quarters, queue_hours, HOUR_S, "queue_id", lo, hi, queue_ids)


def _rebuild_agents(connection: Connection, lo: int, hi: int) -> None:
    connection.execute(
        delete(agent_quarters).where(agent_quarters.c.bucket >= lo, agent_quarters.c.bucket < hi)
    )
    start, end = _at(lo), _at(hi)
    # A sort of the week's calls pays off over many hours; a few quarter hours probe instead.
    following = next_inbound(start, end) if hi - lo >= _SORTED_FCR_FROM_S else None
    calls = agent_call_facts(
        quarter, Call.agent_id.expression, start, end, following=following
    ).add_columns(*(whole(0).label(name) for name in ("occupied_ms", "available_ms", "staffed_ms")))
    facts = union_all(calls, *span_facts(connection, lo, hi)).subquery()
    rows = select(
        facts.c.k,
        facts.c.g,
        *(func.sum(facts.c[name]).label(name) for name in AGENT_SUM_COLUMNS),
    ).group_by(facts.c.k, facts.c.g)
    connection.execute(
        insert(agent_quarters).from_select(["bucket", "agent_id", *AGENT_SUM_COLUMNS], rows)
    )
    _roll_up(connection, agent_quarters, agent_hours, HOUR_S, "agent_id", lo, hi)
    _roll_up(connection, agent_hours, agent_blocks, BLOCK_S, "agent_id", lo, hi)


def _roll_up(
    connection: Connection,
    finer: Table,
    coarser: Table,
    size: int,
    key: str,
    lo: int,
    hi: int,
    keys: Sequence[int] | None = None,
) -> None:
    """The `size`-second buckets holding [lo, hi) added up again from the finer ones."""
    lo, hi = lo // size * size, -(-hi // size) * size
    stale = delete(coarser).where(coarser.c.bucket >= lo, coarser.c.bucket < hi)
    source = select(
        (finer.c.bucket // whole(size) * whole(size)).label("coarse"),
        finer.c[key],
        *(func.sum(finer.c[name]).label(name) for name in finer.c.keys()[2:]),
    ).where(finer.c.bucket >= lo, finer.c.bucket < hi)
    if keys is not None:
        stale = stale.where(coarser.c[key].in_(keys))
        source = source.where(finer.c[key].in_(keys))
    connection.execute(stale)
    connection.execute(
        insert(coarser).from_select(
            list(coarser.c.keys()), source.group_by(literal_column("coarse"), finer.c[key])
        )
    )
