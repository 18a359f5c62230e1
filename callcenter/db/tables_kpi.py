"""KPI roll-ups: sums per UTC quarter hour, hour (and four hours), and the stale marks.

Roll-up rows are derived data, rebuilt from calls and agent states (callcenter/kpi/rollups.py),
never edited by people: they carry no version or who/when columns. Buckets are the UTC epoch
second their quarter hour (or hour) starts at; every time zone's offset is a whole number of
quarter hours, so a report interval in any zone is a union of them.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table, text

from callcenter.db.tables import AgentStateChange, Base, Call

QUEUE_SUM_COLUMNS = (
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
# fcr_calls and fcr_resolved count every answered inbound call of a known customer; a report
# keeps those whose seven-day window has closed by its `now`.
AGENT_SUM_COLUMNS = (
    "handled",
    "completed",
    "handle_ms",
    "fcr_calls",
    "fcr_resolved",
    "occupied_ms",
    "available_ms",
    "staffed_ms",
)
# Agent-state spans longer than this are found through their own small index (by end) when
# a bucket is rebuilt; the others through started_at, from an hour more than this before it
# (the hour keeps a span just over the line, as floating point sees it, on one side).
LONG_SPAN_HOURS = 2
LONG_SPAN_SQLITE = (
    "ended_at IS NOT NULL AND julianday(ended_at) - julianday(started_at) "
    f"> {LONG_SPAN_HOURS}.0 / 24"
)
LONG_SPAN_POSTGRESQL = (
    f"ended_at IS NOT NULL AND ended_at - started_at > interval '{LONG_SPAN_HOURS} hours'"
)
OPEN_SPAN = "ended_at IS NULL"


def _sums(table: str, key: str, sums: tuple[str, ...]) -> Table:
    return Table(
        table,
        Base.metadata,
        Column("bucket", BigInteger, primary_key=True),
        Column(key, Integer, primary_key=True),
        *(Column(name, BigInteger, nullable=False, server_default=text("0")) for name in sums),
        # Read by bucket range: on SQLite the table is its key's B-tree.
        sqlite_with_rowid=False,
    )


queue_quarters = _sums("kpi_queue_quarters", "queue_id", QUEUE_SUM_COLUMNS)
queue_hours = _sums("kpi_queue_hours", "queue_id", QUEUE_SUM_COLUMNS)
agent_quarters = _sums("kpi_agent_quarters", "agent_id", AGENT_SUM_COLUMNS)
agent_hours = _sums("kpi_agent_hours", "agent_id", AGENT_SUM_COLUMNS)
# Four UTC hours (from midnight): a month by agent and by day reads a third of the rows.
agent_blocks = _sums("kpi_agent_blocks", "agent_id", AGENT_SUM_COLUMNS)

# What changed since the roll-ups were last refreshed, written by triggers on calls,
# agent_states and queues (migration 0005). kind: 'q' queue quarters lo..hi, 'a' agent
# quarters lo..hi, 'f' a customer's (ref) inbound call in quarter lo (earlier calls' FCR),
# 'Q' every bucket of queue ref (its thresholds changed).
dirty = Table(
    "kpi_dirty",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(1), nullable=False),
    Column("lo", BigInteger, nullable=False),
    Column("hi", BigInteger, nullable=False),
    Column("ref", Integer),
)

# Agent figures pick inbound calls by when they were answered.
Index("ix_calls_answered_at", Call.__table__.c.answered_at)

_states = AgentStateChange.__table__
Index(
    "ix_agent_states_open",
    _states.c.started_at,
    sqlite_where=text(OPEN_SPAN),
    postgresql_where=text(OPEN_SPAN),
)
Index(
    "ix_agent_states_long",
    _states.c.ended_at,
    sqlite_where=text(LONG_SPAN_SQLITE),
    postgresql_where=text(LONG_SPAN_POSTGRESQL),
)
