"""Complaints: categories, SLA policies, business calendars, complaints, comments, history, escalations, notifications, knowledge base.

Seeds a two-level list of categories, one business calendar (Monday to Friday, 09:00-17:00
UTC; admins set the zone, hours and holidays with `callcenter complaints calendar`) and an SLA
policy per priority.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from callcenter.db import pg_roles

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

STAMP_COLUMNS = ("version", "created_at", "created_by", "updated_at", "updated_by")

DEFAULT_CATEGORIES = (
    ("billing", "Billing", ("Wrong charge", "Refund", "Payment not received", "Invoice")),
    ("delivery", "Delivery", ("Late", "Damaged", "Lost", "Wrong item")),
    ("product", "Product", ("Defective", "Not as described", "Missing parts")),
    ("service", "Service", ("Staff behaviour", "Waiting time", "Wrong information")),
    ("account", "Account", ("Sign-in", "Personal data", "Cancellation")),
    ("other", "Other", ()),
)
WORKING_DAY = [["09:00", "17:00"]]
DEFAULT_HOURS = {str(day): WORKING_DAY for day in range(5)}
# Priority: (first response, resolution) in business minutes.
DEFAULT_TARGETS = {
    "urgent": (60, 480),
    "high": (240, 1440),
    "normal": (480, 2400),
    "low": (960, 4800),
}


def upgrade() -> None:
    op.create_table(
        "business_calendars",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("hours", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_calendars")),
        sa.UniqueConstraint("name", name=op.f("uq_business_calendars_name")),
    )
    op.create_table(
        "complaint_categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["complaint_categories.id"],
            name=op.f("fk_complaint_categories_parent_id_complaint_categories"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_categories")),
        sa.UniqueConstraint("code", name=op.f("uq_complaint_categories_code")),
    )
    op.create_table(
        "complaint_reference_counters",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_complaint_reference_counters")),
    )
    op.create_table(
        "kb_articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("solution", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_articles")),
    )
    op.create_table(
        "calendar_holidays",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("calendar_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["calendar_id"],
            ["business_calendars.id"],
            name=op.f("fk_calendar_holidays_calendar_id_business_calendars"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_holidays")),
        sa.UniqueConstraint(
            "calendar_id", "day", name=op.f("uq_calendar_holidays_calendar_id_day")
        ),
    )
    op.create_table(
        "kb_article_categories",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["kb_articles.id"],
            name=op.f("fk_kb_article_categories_article_id_kb_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["complaint_categories.id"],
            name=op.f("fk_kb_article_categories_category_id_complaint_categories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "category_id", name=op.f("pk_kb_article_categories")),
    )
    op.create_table(
        "sla_policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("calendar_id", sa.Integer(), nullable=False),
        sa.Column("response_minutes", sa.Integer(), nullable=False),
        sa.Column("resolution_minutes", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "priority IN ('low', 'normal', 'high', 'urgent')", name=op.f("ck_sla_policies_priority")
        ),
        sa.CheckConstraint(
            "response_minutes > 0 AND resolution_minutes > 0", name=op.f("ck_sla_policies_targets")
        ),
        sa.ForeignKeyConstraint(
            ["calendar_id"],
            ["business_calendars.id"],
            name=op.f("fk_sla_policies_calendar_id_business_calendars"),
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["complaint_categories.id"],
            name=op.f("fk_sla_policies_category_id_complaint_categories"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_policies")),
        sa.UniqueConstraint(
            "priority", "category_id", name=op.f("uq_sla_policies_priority_category_id")
        ),
    )
    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("subcategory_id", sa.Integer(), nullable=True),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("search_text", sa.String(length=340), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("sla_policy_id", sa.Integer(), nullable=True),
        sa.Column("calendar_id", sa.Integer(), nullable=True),
        sa.Column("response_target_s", sa.Integer(), nullable=True),
        sa.Column("resolution_target_s", sa.Integer(), nullable=True),
        sa.Column("response_used_s", sa.Integer(), nullable=False),
        sa.Column("resolution_used_s", sa.Integer(), nullable=False),
        sa.Column("clock_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("response_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("response_at_risk_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution_at_risk_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("at_risk_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("due_order", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sweep_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalation_level", sa.Integer(), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("resolution_code", sa.String(length=40), nullable=True),
        sa.Column("resolution_note", sa.Text(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("csat", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "priority IN ('low', 'normal', 'high', 'urgent')", name=op.f("ck_complaints_priority")
        ),
        sa.CheckConstraint(
            "status IN ('new', 'open', 'pending_customer', 'escalated', 'resolved', 'closed', 'reopened')",
            name=op.f("ck_complaints_status"),
        ),
        sa.CheckConstraint("csat IS NULL OR csat BETWEEN 1 AND 5", name=op.f("ck_complaints_csat")),
        sa.CheckConstraint(
            "escalation_level BETWEEN 0 AND 3", name=op.f("ck_complaints_escalation_level")
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["users.id"], name=op.f("fk_complaints_assignee_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["calendar_id"],
            ["business_calendars.id"],
            name=op.f("fk_complaints_calendar_id_business_calendars"),
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["complaint_categories.id"],
            name=op.f("fk_complaints_category_id_complaint_categories"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_complaints_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["complaints.id"],
            name=op.f("fk_complaints_merged_into_id_complaints"),
        ),
        sa.ForeignKeyConstraint(
            ["sla_policy_id"],
            ["sla_policies.id"],
            name=op.f("fk_complaints_sla_policy_id_sla_policies"),
        ),
        sa.ForeignKeyConstraint(
            ["subcategory_id"],
            ["complaint_categories.id"],
            name=op.f("fk_complaints_subcategory_id_complaint_categories"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_complaints_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
        sa.UniqueConstraint("reference", name=op.f("uq_complaints_reference")),
    )
    op.create_index(
        op.f("ix_complaints_assignee_id_due_order"),
        "complaints",
        ["assignee_id", "due_order"],
        unique=False,
    )
    op.create_index(op.f("ix_complaints_at_risk_at"), "complaints", ["at_risk_at"], unique=False)
    op.create_index(
        op.f("ix_complaints_sweep_due_at"), "complaints", ["sweep_due_at"], unique=False
    )
    op.create_index(
        op.f("ix_complaints_category_id_due_order"),
        "complaints",
        ["category_id", "due_order"],
        unique=False,
    )
    op.create_index(op.f("ix_complaints_created_at"), "complaints", ["created_at"], unique=False)
    op.create_index(
        op.f("ix_complaints_subcategory_id_due_order"),
        "complaints",
        ["subcategory_id", "due_order"],
        unique=False,
    )
    op.create_index(
        op.f("ix_complaints_customer_id_status"),
        "complaints",
        ["customer_id", "status"],
        unique=False,
    )
    op.create_index(op.f("ix_complaints_due_order_id"), "complaints", ["due_order", "id"], unique=False)
    op.create_index(
        op.f("ix_complaints_status_due_order"), "complaints", ["status", "due_order"], unique=False
    )
    op.create_index(
        op.f("ix_complaints_team_id_due_order"), "complaints", ["team_id", "due_order"], unique=False
    )
    op.create_table(
        "complaint_calls",
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("call_uid", sa.String(length=64), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("linked_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_calls_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("complaint_id", "call_uid", name=op.f("pk_complaint_calls")),
    )
    op.create_index(
        op.f("ix_complaint_calls_call_uid"), "complaint_calls", ["call_uid"], unique=False
    )
    op.create_table(
        "complaint_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('internal', 'customer')", name=op.f("ck_complaint_comments_kind")
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_comments_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_comments")),
    )
    op.create_index(
        op.f("ix_complaint_comments_complaint_id_id"),
        "complaint_comments",
        ["complaint_id", "id"],
        unique=False,
    )
    op.create_table(
        "complaint_escalations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=20), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "trigger IN ('manual', 'at_risk', 'breach')",
            name=op.f("ck_complaint_escalations_trigger"),
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_escalations_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_escalations")),
        sa.UniqueConstraint(
            "complaint_id", "key", name=op.f("uq_complaint_escalations_complaint_id_key")
        ),
    )
    op.create_table(
        "complaint_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_history_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_history")),
    )
    op.create_index(
        op.f("ix_complaint_history_complaint_id_id"),
        "complaint_history",
        ["complaint_id", "id"],
        unique=False,
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=True),
        sa.Column("escalation_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_notifications_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["complaint_escalations.id"],
            name=op.f("fk_notifications_escalation_id_complaint_escalations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notifications_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint(
            "user_id", "escalation_id", name=op.f("uq_notifications_user_id_escalation_id")
        ),
    )
    op.create_index(
        op.f("ix_notifications_user_id_read_at"),
        "notifications",
        ["user_id", "read_at"],
        unique=False,
    )

    _seed()
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        pg_roles.grant_privileges(bind)


def _code(name: str) -> str:
    return "_".join("".join(c if c.isalnum() else " " for c in name.lower()).split())


def _seed() -> None:
    now = datetime.now(UTC)
    stamp = {
        "version": 1,
        "created_at": now,
        "created_by": "system",
        "updated_at": now,
        "updated_by": "system",
    }
    bind = op.get_bind()
    categories = sa.table(
        "complaint_categories",
        *(
            sa.column(c)
            for c in ("id", "code", "name", "parent_id", "position", "active", *STAMP_COLUMNS)
        ),
    )
    next_id = 1
    for position, (code, name, children) in enumerate(DEFAULT_CATEGORIES):
        parent_id = next_id
        rows = [
            {
                "id": parent_id,
                "code": code,
                "name": name,
                "parent_id": None,
                "position": position,
                "active": True,
                **stamp,
            }
        ]
        for child_position, child in enumerate(children):
            next_id += 1
            rows.append(
                {
                    "id": next_id,
                    "code": f"{code}.{_code(child)}",
                    "name": child,
                    "parent_id": parent_id,
                    "position": child_position,
                    "active": True,
                    **stamp,
                }
            )
        next_id += 1
        bind.execute(sa.insert(categories), rows)
    calendars = sa.table(
        "business_calendars",
        *(sa.column(c) for c in ("id", "name", "timezone", *STAMP_COLUMNS)),
        sa.column("hours", sa.JSON()),
    )
    bind.execute(
        sa.insert(calendars),
        [{"id": 1, "name": "Default", "timezone": "UTC", "hours": DEFAULT_HOURS, **stamp}],
    )
    policies = sa.table(
        "sla_policies",
        *(
            sa.column(c)
            for c in (
                "priority",
                "category_id",
                "calendar_id",
                "response_minutes",
                "resolution_minutes",
                *STAMP_COLUMNS,
            )
        ),
    )
    bind.execute(
        sa.insert(policies),
        [
            {
                "priority": priority,
                "category_id": None,
                "calendar_id": 1,
                "response_minutes": response,
                "resolution_minutes": resolution,
                **stamp,
            }
            for priority, (response, resolution) in DEFAULT_TARGETS.items()
        ],
    )
    if bind.dialect.name == "postgresql":
        # Rows were given explicit ids: move the sequences past them.
        for table in ("complaint_categories", "business_calendars"):
            bind.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            )


def downgrade() -> None:
    op.drop_index(op.f("ix_notifications_user_id_read_at"), table_name="notifications")
    op.drop_table("notifications")
    op.drop_index(op.f("ix_complaint_history_complaint_id_id"), table_name="complaint_history")
    op.drop_table("complaint_history")
    op.drop_table("complaint_escalations")
    op.drop_index(op.f("ix_complaint_comments_complaint_id_id"), table_name="complaint_comments")
    op.drop_table("complaint_comments")
    op.drop_index(op.f("ix_complaint_calls_call_uid"), table_name="complaint_calls")
    op.drop_table("complaint_calls")
    op.drop_index(op.f("ix_complaints_team_id_due_order"), table_name="complaints")
    op.drop_index(op.f("ix_complaints_status_due_order"), table_name="complaints")
    op.drop_index(op.f("ix_complaints_due_order_id"), table_name="complaints")
    op.drop_index(op.f("ix_complaints_customer_id_status"), table_name="complaints")
    op.drop_index(op.f("ix_complaints_created_at"), table_name="complaints")
    op.drop_index(op.f("ix_complaints_subcategory_id_due_order"), table_name="complaints")
    op.drop_index(op.f("ix_complaints_category_id_due_order"), table_name="complaints")
    op.drop_index(op.f("ix_complaints_at_risk_at"), table_name="complaints")
    op.drop_index(op.f("ix_complaints_sweep_due_at"), table_name="complaints")
    op.drop_index(op.f("ix_complaints_assignee_id_due_order"), table_name="complaints")
    op.drop_table("complaints")
    op.drop_table("sla_policies")
    op.drop_table("kb_article_categories")
    op.drop_table("calendar_holidays")
    op.drop_table("kb_articles")
    op.drop_table("complaint_reference_counters")
    op.drop_table("complaint_categories")
    op.drop_table("business_calendars")
