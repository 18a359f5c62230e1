"""Agent-state spans split at UTC quarter hours, in SQL: what agent roll-ups are built from."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Integer,
    MetaData,
    Table,
    and_,
    case,
    func,
    literal,
    literal_column,
    select,
    text,
)

from callcenter.db.tables import AgentStateChange
from callcenter.db.tables_kpi import (
    AGENT_SUM_COLUMNS,
    LONG_SPAN_HOURS,
    LONG_SPAN_POSTGRESQL,
    LONG_SPAN_SQLITE,
)
from callcenter.kpi.base import OCCUPIED_STATES, STAFFED_STATES, whole
from callcenter.kpi.sql import epoch_ms, larger, smaller

QUARTER_S = 900
_NUMBERS = "kpi_numbers"


def _at(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def span_facts(connection: Connection, lo: int, hi: int) -> list[Any]:
    """Closed spans split at quarter hours within [lo, hi): a row per span and quarter hour.

    Spans are found by their start (those starting up to a few hours before `lo`, through the
    started_at index) and the few longer ones by their end, through their own partial index.
    """
    s = AgentStateChange
    start, end = _at(lo), _at(hi)
    reach = start - timedelta(hours=LONG_SPAN_HOURS + 1)
    common = (
        s.ended_at.is_not(None),
        s.state.in_(STAFFED_STATES),
        s.ended_at > start,
        s.started_at < end,
    )
    is_long = text(long_span(connection))
    return [
        _split(connection, "short_spans", lo, hi, *common, s.started_at >= reach),
        _split(connection, "long_spans", lo, hi, *common, s.started_at < reach, is_long),
    ]


def long_span(connection: Connection) -> str:
    """The long-span index's condition, as this backend spells it (the index needs it verbatim)."""
    return LONG_SPAN_POSTGRESQL if connection.dialect.name == "postgresql" else LONG_SPAN_SQLITE


def _split(connection: Connection, name: str, lo: int, hi: int, *conditions: Any) -> Any:
    s = AgentStateChange
    spans = (
        select(
            s.agent_id.label("agent_id"),
            s.state.label("state"),
            epoch_ms(s.started_at).label("s_ms"),
            epoch_ms(s.ended_at).label("e_ms"),
        )
        .where(*conditions)
        # Computed once per span: inlined, each use would parse the timestamps again.
        .cte(name)
        .prefix_with("MATERIALIZED")
    )
    # Bound, not inline: the statement is compiled once and cached for every range.
    first = larger(
        spans.c.s_ms // whole(QUARTER_S * 1000) * whole(QUARTER_S), literal(lo, BigInteger())
    )
    last = smaller(
        (spans.c.e_ms - 1) // whole(QUARTER_S * 1000) * whole(QUARTER_S),
        literal(hi - 1, BigInteger()),
    )
    steps = (last - first) // whole(QUARTER_S)
    if connection.dialect.name == "postgresql":
        numbers: Any = (
            func.generate_series(0, steps).table_valued("n").render_derived(name="n").lateral()
        )
        joined = select().select_from(spans).join(numbers, literal_column("true"))
    else:
        numbers = _numbers(connection, (hi - lo) // QUARTER_S)
        joined = (
            select().select_from(spans).join(numbers, and_(numbers.c.n >= 0, numbers.c.n <= steps))
        )
    bucket = first + numbers.c.n * whole(QUARTER_S)
    overlap = smaller(spans.c.e_ms, (bucket + whole(QUARTER_S)) * 1000) - larger(
        spans.c.s_ms, bucket * 1000
    )
    zeros = (whole(0).label(name) for name in AGENT_SUM_COLUMNS[:5])
    return joined.add_columns(
        bucket.label("k"),
        spans.c.agent_id.label("g"),
        *zeros,
        case((spans.c.state.in_(OCCUPIED_STATES), overlap), else_=0).label("occupied_ms"),
        case((spans.c.state == "available", overlap), else_=0).label("available_ms"),
        overlap.label("staffed_ms"),
    )


_numbers_table = Table(_NUMBERS, MetaData(), Column("n", Integer), schema="temp")


def _numbers(connection: Connection, count: int) -> Table:
    """A temporary table of the numbers 0..count (SQLite), for splitting spans by a join."""
    connection.exec_driver_sql(
        f"CREATE TEMP TABLE IF NOT EXISTS {_NUMBERS} (n INTEGER PRIMARY KEY)"
    )
    have = int(
        connection.exec_driver_sql(f"SELECT coalesce(max(n), -1) FROM temp.{_NUMBERS}").scalar_one()
    )
    if have < count:
        connection.exec_driver_sql(
            f"WITH RECURSIVE numbers(n) AS (SELECT {have + 1} UNION ALL "
            f"SELECT n + 1 FROM numbers WHERE n < {int(count)}) "
            f"INSERT INTO temp.{_NUMBERS} SELECT n FROM numbers"
        )
    return _numbers_table
