"""KPI roll-ups: per-interval sums kept up to date so reports over millions of calls stay fast.

Revision ID: 0005
Revises: 0004

Sums per UTC quarter hour and hour, per queue and per agent (and per four hours, per agent);
kpi_dirty, where triggers on calls, agent_states and queues mark what each write touches
(row triggers on SQLite,
statement triggers with transition tables on PostgreSQL, which a bulk loader silences for its
transaction with the setting callcenter.kpi_untracked); partial indexes on agent_states for
open and long spans, and an index on calls.answered_at. The upgrade fills the roll-ups from
the rows already there.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from callcenter.db import pg_roles
from callcenter.kpi import rollups

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

QUEUE_SUMS = (
    "offered", "answered", "abandoned", "short_abandoned", "other_exits",
    "answered_in_threshold", "answered_wait_ms", "completed", "handle_ms",
)  # fmt: skip
AGENT_SUMS = (
    "handled", "completed", "handle_ms", "fcr_calls", "fcr_resolved",
    "occupied_ms", "available_ms", "staffed_ms",
)  # fmt: skip
SUM_TABLES = (
    ("kpi_queue_quarters", "queue_id", QUEUE_SUMS),
    ("kpi_queue_hours", "queue_id", QUEUE_SUMS),
    ("kpi_agent_quarters", "agent_id", AGENT_SUMS),
    ("kpi_agent_hours", "agent_id", AGENT_SUMS),
    ("kpi_agent_blocks", "agent_id", AGENT_SUMS),
)
OPEN_SPAN = "ended_at IS NULL"
LONG_SPAN = {
    "sqlite": "ended_at IS NOT NULL AND julianday(ended_at) - julianday(started_at) > 2.0 / 24",
    "postgresql": "ended_at IS NOT NULL AND ended_at - started_at > interval '2 hours'",
}
# Columns of calls whose change can move a figure.
CALL_COLUMNS = (
    "direction, queue_id, customer_id, agent_id, started_at, queued_at, answered_at, "
    "ended_at, acw_s, disposition_code"
)
TRIGGERS = {
    "sqlite": (
        ("kpi_calls_inserted", "calls"),
        ("kpi_calls_updated", "calls"),
        ("kpi_calls_deleted", "calls"),
        ("kpi_states_inserted", "agent_states"),
        ("kpi_states_updated", "agent_states"),
        ("kpi_states_deleted", "agent_states"),
        ("kpi_queue_thresholds", "queues"),
    ),
}
TRIGGERS["postgresql"] = TRIGGERS["sqlite"]
FUNCTIONS = ("kpi_calls_marked", "kpi_states_marked", "kpi_queue_thresholds_marked")


def upgrade() -> None:
    for name, key, sums in SUM_TABLES:
        op.create_table(
            name,
            sa.Column("bucket", sa.BigInteger(), nullable=False),
            sa.Column(key, sa.Integer(), nullable=False),
            *(
                sa.Column(column, sa.BigInteger(), server_default=sa.text("0"), nullable=False)
                for column in sums
            ),
            sa.PrimaryKeyConstraint("bucket", key, name=f"pk_{name}"),
            sqlite_with_rowid=False,
        )
    op.create_table(
        "kpi_dirty",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=1), nullable=False),
        sa.Column("lo", sa.BigInteger(), nullable=False),
        sa.Column("hi", sa.BigInteger(), nullable=False),
        sa.Column("ref", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_kpi_dirty"),
    )
    op.create_index("ix_calls_answered_at", "calls", ["answered_at"])
    bind = op.get_bind()
    dialect = bind.dialect.name
    for name, column, where in (
        ("open", "started_at", OPEN_SPAN),
        ("long", "ended_at", LONG_SPAN[dialect]),
    ):
        op.create_index(
            f"ix_agent_states_{name}",
            "agent_states",
            [column],
            sqlite_where=sa.text(where),
            postgresql_where=sa.text(where),
        )
    if dialect == "postgresql":
        _postgresql_triggers()
        pg_roles.grant_privileges(bind)
    else:
        _sqlite_triggers()
    rollups.mark_everything(bind)
    rollups.refresh(bind)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for trigger, table in TRIGGERS[dialect]:
        op.execute(
            f"DROP TRIGGER IF EXISTS {trigger} ON {table}"
            if dialect == "postgresql"
            else f"DROP TRIGGER IF EXISTS {trigger}"
        )
    if dialect == "postgresql":
        for function in FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    op.drop_index("ix_agent_states_long", table_name="agent_states")
    op.drop_index("ix_agent_states_open", table_name="agent_states")
    op.drop_index("ix_calls_answered_at", table_name="calls")
    op.drop_table("kpi_dirty")
    for name, _, _ in reversed(SUM_TABLES):
        op.drop_table(name)


# -- SQLite: row triggers -------------------------------------------------------------------


def _quarter_sqlite(value: str) -> str:
    return f"CAST(strftime('%s', {value}) AS INTEGER) / 900 * 900"


def _call_marks_sqlite(row: str) -> str:
    handled_at = (
        f"CASE WHEN {row}.direction = 'inbound' THEN {row}.answered_at ELSE {row}.started_at END"
    )
    return (
        "INSERT INTO kpi_dirty (kind, lo, hi, ref) SELECT kind, b, b, ref FROM ("
        f"SELECT 'q' AS kind, {_quarter_sqlite(f'{row}.queued_at')} AS b, NULL AS ref "
        f"WHERE {row}.queued_at IS NOT NULL "
        f"UNION ALL SELECT 'a', {_quarter_sqlite(handled_at)}, NULL "
        f"WHERE {row}.answered_at IS NOT NULL "
        f"UNION ALL SELECT 'f', {_quarter_sqlite(f'{row}.started_at')}, {row}.customer_id "
        f"WHERE {row}.direction = 'inbound' AND {row}.customer_id IS NOT NULL);"
    )


def _state_marks_sqlite(row: str) -> str:
    return (
        "INSERT INTO kpi_dirty (kind, lo, hi, ref) VALUES ('a', "
        f"{_quarter_sqlite(f'{row}.started_at')}, "
        f"{_quarter_sqlite(f'coalesce({row}.ended_at, {row}.started_at)')}, NULL);"
    )


def _sqlite_triggers() -> None:
    for table, marks, update_of in (
        ("calls", _call_marks_sqlite, f" OF {CALL_COLUMNS}"),
        ("agent_states", _state_marks_sqlite, ""),
    ):
        short = "calls" if table == "calls" else "states"
        op.execute(
            f"CREATE TRIGGER kpi_{short}_inserted AFTER INSERT ON {table} BEGIN {marks('NEW')} END"
        )
        op.execute(
            f"CREATE TRIGGER kpi_{short}_updated AFTER UPDATE{update_of} ON {table} "
            f"BEGIN {marks('OLD')} {marks('NEW')} END"
        )
        op.execute(
            f"CREATE TRIGGER kpi_{short}_deleted AFTER DELETE ON {table} BEGIN {marks('OLD')} END"
        )
    op.execute(
        "CREATE TRIGGER kpi_queue_thresholds AFTER UPDATE OF service_level_threshold_s, "
        "short_abandon_threshold_s ON queues "
        "WHEN OLD.service_level_threshold_s IS NOT NEW.service_level_threshold_s "
        "OR OLD.short_abandon_threshold_s IS NOT NEW.short_abandon_threshold_s "
        "BEGIN INSERT INTO kpi_dirty (kind, lo, hi, ref) VALUES ('Q', 0, 0, NEW.id); END"
    )


# -- PostgreSQL: statement triggers over transition tables ----------------------------------


def _quarter_pg(value: str) -> str:
    return f"(floor(extract(epoch FROM {value}) / 900)::bigint * 900)"


def _call_marks_pg(rows: str) -> str:
    handled_at = "CASE WHEN r.direction = 'inbound' THEN r.answered_at ELSE r.started_at END"
    return (
        "INSERT INTO kpi_dirty (kind, lo, hi, ref) SELECT DISTINCT m.kind, m.b, m.b, m.ref "
        f"FROM {rows} AS r CROSS JOIN LATERAL (VALUES "
        f"('q', {_quarter_pg('r.queued_at')}, NULL::integer), "
        f"('a', CASE WHEN r.answered_at IS NOT NULL THEN {_quarter_pg(handled_at)} END, NULL), "
        f"('f', {_quarter_pg('r.started_at')}, "
        "CASE WHEN r.direction = 'inbound' THEN r.customer_id END)"
        ") AS m (kind, b, ref) WHERE m.b IS NOT NULL AND (m.kind <> 'f' OR m.ref IS NOT NULL);"
    )


def _state_marks_pg(rows: str) -> str:
    return (
        "INSERT INTO kpi_dirty (kind, lo, hi, ref) SELECT DISTINCT 'a', "
        f"{_quarter_pg('r.started_at')}, {_quarter_pg('coalesce(r.ended_at, r.started_at)')}, "
        f"NULL::integer FROM {rows} AS r;"
    )


def _postgresql_triggers() -> None:
    for function, table, marks in (
        ("kpi_calls_marked", "calls", _call_marks_pg),
        ("kpi_states_marked", "agent_states", _state_marks_pg),
    ):
        op.execute(
            f"""
            CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF current_setting('callcenter.kpi_untracked', true) = 'on' THEN
                    RETURN NULL;
                END IF;
                IF TG_OP IN ('UPDATE', 'DELETE') THEN {marks("old_rows")} END IF;
                IF TG_OP IN ('INSERT', 'UPDATE') THEN {marks("new_rows")} END IF;
                RETURN NULL;
            END $$
            """
        )
        short = "calls" if table == "calls" else "states"
        for event, done, referencing in (
            ("INSERT", "inserted", "NEW TABLE AS new_rows"),
            ("UPDATE", "updated", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "deleted", "OLD TABLE AS old_rows"),
        ):
            op.execute(
                f"CREATE TRIGGER kpi_{short}_{done} AFTER {event} ON {table} "
                f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
    op.execute(
        """
        CREATE FUNCTION kpi_queue_thresholds_marked() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO kpi_dirty (kind, lo, hi, ref) VALUES ('Q', 0, 0, NEW.id);
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER kpi_queue_thresholds AFTER UPDATE ON queues FOR EACH ROW "
        "WHEN (OLD.service_level_threshold_s IS DISTINCT FROM NEW.service_level_threshold_s "
        "OR OLD.short_abandon_threshold_s IS DISTINCT FROM NEW.short_abandon_threshold_s) "
        "EXECUTE FUNCTION kpi_queue_thresholds_marked()"
    )
