"""Table models for complaints; registered on the shared metadata by `callcenter.db.models`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from callcenter.db.tables import Base, Tracked

STATUSES = "'new', 'open', 'pending_customer', 'escalated', 'resolved', 'closed', 'reopened'"
PRIORITIES = "'low', 'normal', 'high', 'urgent'"


class ComplaintCategory(Tracked, Base):
    """Two levels: a category has no parent, a subcategory has a category as parent."""

    __tablename__ = "complaint_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_categories.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class BusinessCalendar(Tracked, Base):
    """Working hours per weekday in a time zone; `hours` maps "0" (Monday) .. "6" to a list of
    ["HH:MM", "HH:MM"] spans."""

    __tablename__ = "business_calendars"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    timezone: Mapped[str] = mapped_column(String(64))
    hours: Mapped[dict[str, Any]] = mapped_column(JSON)


class CalendarHoliday(Tracked, Base):
    __tablename__ = "calendar_holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    calendar_id: Mapped[int] = mapped_column(
        ForeignKey("business_calendars.id", ondelete="CASCADE")
    )
    day: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(100))

    __table_args__ = (UniqueConstraint("calendar_id", "day"),)


class SlaPolicy(Tracked, Base):
    """Targets in business minutes for a priority, optionally only for one category."""

    __tablename__ = "sla_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    priority: Mapped[str] = mapped_column(String(10))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_categories.id"))
    calendar_id: Mapped[int] = mapped_column(ForeignKey("business_calendars.id"))
    response_minutes: Mapped[int] = mapped_column(Integer)
    resolution_minutes: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("priority", "category_id"),
        CheckConstraint(f"priority IN ({PRIORITIES})", name="priority"),
        CheckConstraint("response_minutes > 0 AND resolution_minutes > 0", name="targets"),
    )


class ComplaintReferenceCounter(Base):
    """The last reference number handed out in a year; bumped in place, so two desktops
    creating complaints at once never get the same number."""

    __tablename__ = "complaint_reference_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer)


class ComplaintRow(Tracked, Base):
    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_categories.id"))
    subcategory_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_categories.id"))
    priority: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(300))
    # Lower-cased subject and reference, so text filters need no function on the column.
    search_text: Mapped[str] = mapped_column(String(340))
    description: Mapped[str] = mapped_column(Text)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    status: Mapped[str] = mapped_column(String(20))
    # SLA: the policy's targets copied at creation (a later policy edit does not move due
    # times), business seconds used so far, and when the clock last started (None: paused
    # or stopped). Due and at-risk times are those of the running clock, stored for lists.
    sla_policy_id: Mapped[int | None] = mapped_column(ForeignKey("sla_policies.id"))
    calendar_id: Mapped[int | None] = mapped_column(ForeignKey("business_calendars.id"))
    response_target_s: Mapped[int | None] = mapped_column(Integer)
    resolution_target_s: Mapped[int | None] = mapped_column(Integer)
    response_used_s: Mapped[int] = mapped_column(Integer, default=0)
    resolution_used_s: Mapped[int] = mapped_column(Integer, default=0)
    clock_started_at: Mapped[datetime | None] = mapped_column()
    responded_at: Mapped[datetime | None] = mapped_column()
    response_due_at: Mapped[datetime | None] = mapped_column()
    response_at_risk_at: Mapped[datetime | None] = mapped_column()
    resolution_due_at: Mapped[datetime | None] = mapped_column()
    resolution_at_risk_at: Mapped[datetime | None] = mapped_column()
    # The nearer running due (and at-risk) time: what lists sort and filter by.
    due_at: Mapped[datetime | None] = mapped_column()
    at_risk_at: Mapped[datetime | None] = mapped_column()
    # due_at, or FAR_FUTURE when no clock runs: never NULL, so "soonest due first, the rest
    # after" is a plain index order on both backends (NULLS LAST cannot use an index).
    due_order: Mapped[datetime] = mapped_column()
    # When the escalation sweep must next look at this complaint (None: not until its clocks
    # change); the sweep moves it past what it has handled.
    sweep_due_at: Mapped[datetime | None] = mapped_column()
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    resolution_code: Mapped[str | None] = mapped_column(String(40))
    resolution_note: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()
    csat: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint(f"status IN ({STATUSES})", name="status"),
        CheckConstraint(f"priority IN ({PRIORITIES})", name="priority"),
        CheckConstraint("escalation_level BETWEEN 0 AND 3", name="escalation_level"),
        CheckConstraint("csat IS NULL OR csat BETWEEN 1 AND 5", name="csat"),
        Index(None, "due_order", "id"),
        Index(None, "assignee_id", "due_order"),
        Index(None, "team_id", "due_order"),
        Index(None, "status", "due_order"),
        Index(None, "customer_id", "status"),
        Index(None, "category_id", "due_order"),
        Index(None, "subcategory_id", "due_order"),
        Index(None, "at_risk_at"),
        Index(None, "sweep_due_at"),
        Index(None, "created_at"),
    )


class ComplaintCall(Base):
    """A call about a complaint, by the call's uid: the desk saves calls in the background,
    so the call row may land after the complaint that names it."""

    __tablename__ = "complaint_calls"

    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    call_uid: Mapped[str] = mapped_column(String(64))
    linked_at: Mapped[datetime] = mapped_column()
    linked_by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (PrimaryKeyConstraint("complaint_id", "call_uid"), Index(None, "call_uid"))


class ComplaintComment(Base):
    """Append-only: a comment is never edited, so it needs no version."""

    __tablename__ = "complaint_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column()

    __table_args__ = (
        CheckConstraint("kind IN ('internal', 'customer')", name="kind"),
        Index(None, "complaint_id", "id"),
    )


class ComplaintHistory(Base):
    """Append-only: every change to a complaint, one field per row."""

    __tablename__ = "complaint_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column()

    __table_args__ = (Index(None, "complaint_id", "id"),)


class ComplaintEscalation(Base):
    """One escalation. `key` is unique per complaint ("auto:resolution:breach",
    "manual:2"), so an automatic escalation is written once however many desktops sweep."""

    __tablename__ = "complaint_escalations"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    level: Mapped[int] = mapped_column(Integer)
    trigger: Mapped[str] = mapped_column(String(20))
    target: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column()

    __table_args__ = (
        UniqueConstraint("complaint_id", "key"),
        CheckConstraint("trigger IN ('manual', 'at_risk', 'breach')", name="trigger"),
    )


class Notification(Base):
    """Something for one user to see; `read_at` is set when they have seen it."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(20))
    complaint_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE")
    )
    escalation_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaint_escalations.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column()
    read_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        UniqueConstraint("user_id", "escalation_id"),
        Index(None, "user_id", "read_at"),
    )


class KbArticleRow(Tracked, Base):
    __tablename__ = "kb_articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    problem: Mapped[str] = mapped_column(Text)
    solution: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class KbArticleCategory(Base):
    __tablename__ = "kb_article_categories"

    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(
        ForeignKey("complaint_categories.id", ondelete="CASCADE")
    )

    __table_args__ = (PrimaryKeyConstraint("article_id", "category_id"),)
