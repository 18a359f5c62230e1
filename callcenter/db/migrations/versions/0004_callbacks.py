"""Callbacks: scheduled promises to call a customer back, their claims and attempts.

Also each queue's own calling hours, and the (inactive) disposition codes an attempt's call is
logged with, so history lists can name them.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from callcenter.db import pg_roles

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

STATUSES = "'pending', 'claimed', 'done', 'failed', 'cancelled'"
OPEN_CONDITION = "status IN ('pending', 'claimed')"
CLAIMED_CONDITION = "status = 'claimed'"
CLOSED_CONDITION = "status IN ('done', 'failed', 'cancelled')"
OUTCOMES = "'reached', 'no_answer', 'busy', 'voicemail', 'wrong_number', 'customer_called_in'"
DISPOSITIONS = (
    ("callback_reached", "Callback: reached"),
    ("callback_no_answer", "Callback: no answer"),
    ("callback_busy", "Callback: busy"),
    ("callback_voicemail", "Callback: voicemail"),
    ("callback_wrong_number", "Callback: wrong number"),
    ("callback_customer_called_in", "Callback: customer called in"),
)


def _tracked() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "callbacks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("number_key", sa.String(length=40), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("latest_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("owner_kind", sa.String(length=10), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("queue_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_outcome", sa.String(length=20), nullable=True),
        sa.Column("claimed_by", sa.Integer(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("remind_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        *_tracked(),
        sa.CheckConstraint(f"status IN ({STATUSES})", name=op.f("ck_callbacks_status")),
        sa.CheckConstraint(
            "owner_kind IN ('agent', 'queue')", name=op.f("ck_callbacks_owner_kind")
        ),
        sa.CheckConstraint(
            "owner_kind = 'queue' OR agent_id IS NOT NULL",
            name=op.f("ck_callbacks_private_has_agent"),
        ),
        sa.CheckConstraint("priority BETWEEN 1 AND 4", name=op.f("ck_callbacks_priority")),
        sa.CheckConstraint(
            f"last_outcome IS NULL OR last_outcome IN ({OUTCOMES})",
            name=op.f("ck_callbacks_outcome"),
        ),
        sa.CheckConstraint(
            "latest_at IS NULL OR latest_at > due_at", name=op.f("ck_callbacks_window")
        ),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_callbacks_attempts")),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["users.id"], name=op.f("fk_callbacks_agent_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["claimed_by"], ["users.id"], name=op.f("fk_callbacks_claimed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaints.id"], name=op.f("fk_callbacks_complaint_id_complaints")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_callbacks_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["queue_id"], ["queues.id"], name=op.f("fk_callbacks_queue_id_queues")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callbacks")),
    )
    op.create_index(
        op.f("ix_callbacks_owner_kind_status_priority_due_at_id"),
        "callbacks",
        ["owner_kind", "status", "priority", "due_at", "id"],
    )
    op.create_index(
        op.f("ix_callbacks_agent_id_status_owner_kind_priority_due_at_id"),
        "callbacks",
        ["agent_id", "status", "owner_kind", "priority", "due_at", "id"],
    )
    op.create_index(op.f("ix_callbacks_agent_id_due_at"), "callbacks", ["agent_id", "due_at"])
    op.create_index(
        op.f("ix_callbacks_customer_id_status"), "callbacks", ["customer_id", "status"]
    )
    op.create_index(
        "ix_callbacks_open_due_at_id",
        "callbacks",
        ["due_at", "id"],
        sqlite_where=sa.text(OPEN_CONDITION),
        postgresql_where=sa.text(OPEN_CONDITION),
    )
    op.create_index(op.f("ix_callbacks_claimed_by"), "callbacks", ["claimed_by"])
    for name, columns, condition in (
        ("ix_callbacks_open_queue_id_due_at_id", ["queue_id", "due_at", "id"], OPEN_CONDITION),
        ("ix_callbacks_open_owner_kind_due_at_id", ["owner_kind", "due_at", "id"], OPEN_CONDITION),
        ("ix_callbacks_claimed_due_at_id", ["due_at", "id"], CLAIMED_CONDITION),
        ("ix_callbacks_closed_due_at_id", ["due_at", "id"], CLOSED_CONDITION),
    ):
        op.create_index(
            name,
            "callbacks",
            columns,
            sqlite_where=sa.text(condition),
            postgresql_where=sa.text(condition),
        )

    op.create_table(
        "callback_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("callback_id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint(f"outcome IN ({OUTCOMES})", name=op.f("ck_callback_attempts_outcome")),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["users.id"], name=op.f("fk_callback_attempts_agent_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_callback_attempts_call_id_calls")
        ),
        sa.ForeignKeyConstraint(
            ["callback_id"],
            ["callbacks.id"],
            name=op.f("fk_callback_attempts_callback_id_callbacks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callback_attempts")),
    )
    op.create_index(
        op.f("ix_callback_attempts_callback_id"), "callback_attempts", ["callback_id"]
    )

    op.create_table(
        "callback_queue_hours",
        sa.Column("queue_id", sa.Integer(), nullable=False),
        sa.Column("calling_hours", sa.String(length=11), nullable=False),
        sa.Column("business_days", sa.String(length=27), nullable=False),
        *_tracked(),
        sa.ForeignKeyConstraint(
            ["queue_id"],
            ["queues.id"],
            name=op.f("fk_callback_queue_hours_queue_id_queues"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("queue_id", name=op.f("pk_callback_queue_hours")),
    )

    _seed_dispositions()
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        pg_roles.grant_privileges(bind)


def _seed_dispositions() -> None:
    table = sa.table(
        "disposition_codes",
        *(
            sa.column(name)
            for name in (
                "code", "label", "position", "active", "version",
                "created_at", "created_by", "updated_at", "updated_by",
            )
        ),
    )
    now = datetime.now(UTC)
    # Inactive: agents do not pick them; the callback's outcome sets them on the attempt's call.
    op.bulk_insert(
        table,
        [
            {
                "code": code, "label": label, "position": 100 + position, "active": False,
                "version": 1, "created_at": now, "created_by": "system",
                "updated_at": now, "updated_by": "system",
            }
            for position, (code, label) in enumerate(DISPOSITIONS)
        ],
    )


def downgrade() -> None:
    codes = ", ".join(f"'{code}'" for code, _ in DISPOSITIONS)
    op.execute(f"DELETE FROM disposition_codes WHERE code IN ({codes})")
    op.drop_table("callback_queue_hours")
    op.drop_index(op.f("ix_callback_attempts_callback_id"), table_name="callback_attempts")
    op.drop_table("callback_attempts")
    for name in (
        "ix_callbacks_closed_due_at_id",
        "ix_callbacks_claimed_due_at_id",
        "ix_callbacks_open_owner_kind_due_at_id",
        "ix_callbacks_open_queue_id_due_at_id",
        "ix_callbacks_open_due_at_id",
        "ix_callbacks_claimed_by",
        "ix_callbacks_customer_id_status",
        "ix_callbacks_agent_id_due_at",
        "ix_callbacks_agent_id_status_owner_kind_priority_due_at_id",
        "ix_callbacks_owner_kind_status_priority_due_at_id",
    ):
        op.drop_index(op.f(name), table_name="callbacks")
    op.drop_table("callbacks")
