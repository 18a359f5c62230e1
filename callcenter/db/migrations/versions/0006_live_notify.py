"""Live updates: on PostgreSQL, changes to calls and agent states are announced with NOTIFY.

Revision ID: 0006
Revises: 0005

A statement-level trigger on each table the wallboard shows calls pg_notify on one channel
with the table's name: one notification per statement (PostgreSQL folds repeats within a
transaction), delivered at commit to every console that LISTENs. SQLite has no NOTIFY; its
consoles poll a change counter instead, so this revision does nothing there.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Kept in step with callcenter/live/channel.py (a migration must not change with the code).
CHANNEL = "callcenter_live"
FUNCTION = "callcenter_live_notify"
TABLES = ("calls", "agent_states", "queues", "users", "teams")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME);
            RETURN NULL;
        END $$
        """
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_live_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_live_notify ON {table}")
    op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
