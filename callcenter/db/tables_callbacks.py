"""Table models for callbacks; registered on the shared metadata by `callcenter.db.models`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from callcenter.db.tables import Base, Tracked

STATUSES = "'pending', 'claimed', 'done', 'failed', 'cancelled'"
# Literal, so that SQLite matches a query's condition to the partial index below.
OPEN_CONDITION = "status IN ('pending', 'claimed')"
CLAIMED_CONDITION = "status = 'claimed'"
CLOSED_CONDITION = "status IN ('done', 'failed', 'cancelled')"
OUTCOMES = "'reached', 'no_answer', 'busy', 'voicemail', 'wrong_number', 'customer_called_in'"


class CallbackRow(Tracked, Base):
    """A promise to call a customer back: when, on which number, by whom, and how it went."""

    __tablename__ = "callbacks"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    number_key: Mapped[str] = mapped_column(String(40))
    time_zone: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[datetime] = mapped_column()
    latest_at: Mapped[datetime | None] = mapped_column()
    owner_kind: Mapped[str] = mapped_column(String(10))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    queue_id: Mapped[int | None] = mapped_column(ForeignKey("queues.id"))
    reason: Mapped[str] = mapped_column(String(500), default="")
    priority: Mapped[int] = mapped_column(Integer, default=3)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_outcome: Mapped[str | None] = mapped_column(String(20))
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column()
    remind_at: Mapped[datetime | None] = mapped_column()
    # Set once, when an overdue private callback was handed to the queue.
    escalated_at: Mapped[datetime | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        CheckConstraint(f"status IN ({STATUSES})", name="status"),
        CheckConstraint("owner_kind IN ('agent', 'queue')", name="owner_kind"),
        CheckConstraint("owner_kind = 'queue' OR agent_id IS NOT NULL", name="private_has_agent"),
        CheckConstraint("priority BETWEEN 1 AND 4", name="priority"),
        CheckConstraint(f"last_outcome IS NULL OR last_outcome IN ({OUTCOMES})", name="outcome"),
        CheckConstraint("latest_at IS NULL OR latest_at > due_at", name="window"),
        CheckConstraint("attempts >= 0", name="attempts"),
        # "Next callback" for the queue: most urgent first, then longest due, in index order;
        # also housekeeping's sweeps of claimed and of pending private callbacks.
        # Not led by status, so that no plan prefers it for a list of all open callbacks.
        Index(None, "owner_kind", "status", "priority", "due_at", "id"),
        # An agent's own next callback, in index order as the queue's above.
        Index(None, "agent_id", "status", "owner_kind", "priority", "due_at", "id"),
        # An agent's agenda.
        Index(None, "agent_id", "due_at"),
        # The screen pop's pending callbacks of a customer.
        Index(None, "customer_id", "status"),
        # The backlog of open callbacks in due order, a page at a time: only the open ones, so
        # a page never wades through the closed history.
        Index(
            "ix_callbacks_open_due_at_id",
            "due_at",
            "id",
            sqlite_where=text(OPEN_CONDITION),
            postgresql_where=text(OPEN_CONDITION),
        ),
        # The backlog filtered by queue, or by owner kind, in due order: without these a
        # small queue's page reads every open callback to find its few.
        Index(
            "ix_callbacks_open_queue_id_due_at_id",
            "queue_id",
            "due_at",
            "id",
            sqlite_where=text(OPEN_CONDITION),
            postgresql_where=text(OPEN_CONDITION),
        ),
        Index(
            "ix_callbacks_open_owner_kind_due_at_id",
            "owner_kind",
            "due_at",
            "id",
            sqlite_where=text(OPEN_CONDITION),
            postgresql_where=text(OPEN_CONDITION),
        ),
        # The backlog of those being called, and of the closed ones, in due order: partial as
        # the open one above, so that no plan for open callbacks sorts them all by another.
        Index(
            "ix_callbacks_claimed_due_at_id",
            "due_at",
            "id",
            sqlite_where=text(CLAIMED_CONDITION),
            postgresql_where=text(CLAIMED_CONDITION),
        ),
        Index(
            "ix_callbacks_closed_due_at_id",
            "due_at",
            "id",
            sqlite_where=text(CLOSED_CONDITION),
            postgresql_where=text(CLOSED_CONDITION),
        ),
    )


class CallbackAttemptRow(Base):
    """One try at a callback; appended, never changed."""

    __tablename__ = "callback_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    callback_id: Mapped[int] = mapped_column(
        ForeignKey("callbacks.id", ondelete="CASCADE"), index=True
    )
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column()
    notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (CheckConstraint(f"outcome IN ({OUTCOMES})", name="outcome"),)


class CallbackQueueHoursRow(Tracked, Base):
    """A queue's own calling hours, overriding the `callbacks.calling_hours` setting."""

    __tablename__ = "callback_queue_hours"

    queue_id: Mapped[int] = mapped_column(
        ForeignKey("queues.id", ondelete="CASCADE"), primary_key=True
    )
    calling_hours: Mapped[str] = mapped_column(String(11))
    # Day names in week order, comma-separated: "mon,tue,wed,thu,fri".
    business_days: Mapped[str] = mapped_column(String(27))
