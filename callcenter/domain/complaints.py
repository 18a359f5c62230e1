"""Complaints: their workflow states, SLA clocks, comments, history, notifications and errors."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from callcenter.domain.errors import CallCenterError, ConflictError, ValidationError

# Longest text a comment, description or resolution note may hold, in characters: far more
# than anyone types, small enough that a pasted log or binary cannot bloat every list read.
MAX_TEXT = 100_000
MAX_SUBJECT = 300


class Status(enum.StrEnum):
    NEW = "new"
    OPEN = "open"
    PENDING_CUSTOMER = "pending_customer"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"


# Being worked: the SLA clocks run in these (except Pending customer, where they pause).
ACTIVE_STATUSES = frozenset(
    {Status.NEW, Status.OPEN, Status.PENDING_CUSTOMER, Status.ESCALATED, Status.REOPENED}
)


class Priority(enum.StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Channel(enum.StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    CHAT = "chat"
    LETTER = "letter"
    WEB = "web"
    IN_PERSON = "in_person"


class CommentKind(enum.StrEnum):
    INTERNAL = "internal"
    CUSTOMER = "customer"


class ResolutionCode(enum.StrEnum):
    FIXED = "fixed"
    EXPLAINED = "explained"
    REFUND = "refund"
    REPLACEMENT = "replacement"
    GOODWILL = "goodwill"
    NO_FAULT = "no_fault"
    WITHDRAWN = "withdrawn"
    OTHER = "other"


class SlaTarget(enum.StrEnum):
    RESPONSE = "response"
    RESOLUTION = "resolution"


class SlaState(enum.StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BREACHED = "breached"
    PAUSED = "paused"
    # The target was reached (responded or resolved) in time, or late.
    MET = "met"
    MISSED = "missed"
    # No policy covers the complaint, or it is closed before the clock started.
    NONE = "none"


class EscalationTrigger(enum.StrEnum):
    MANUAL = "manual"
    AT_RISK = "at_risk"
    BREACH = "breach"


class NotificationKind(enum.StrEnum):
    ESCALATED = "escalated"
    ASSIGNED = "assigned"


MAX_ESCALATION_LEVEL = 3


@dataclass(frozen=True, slots=True)
class Category:
    """A category (parent None) or a subcategory of one; `path` reads "Billing / Refund"."""

    id: int
    code: str
    name: str
    parent_id: int | None
    position: int
    active: bool
    version: int
    path: str


@dataclass(frozen=True, slots=True)
class SlaClock:
    """One target's clock as of `as_of`: `remaining_s` is business seconds left, negative
    when overdue; `due_at`/`at_risk_at` are None unless the clock is running; `met_at` is
    when the target was reached (first response, resolution)."""

    target: SlaTarget
    state: SlaState
    target_s: int | None
    used_s: int
    remaining_s: int | None
    due_at: datetime | None
    at_risk_at: datetime | None
    met_at: datetime | None
    as_of: datetime
    calendar_id: int | None = None
    # Counting now: not paused, stopped or met.
    running: bool = False


@dataclass(frozen=True, slots=True)
class CallLink:
    """A call the complaint came from or that was about it; the call row may not be saved yet."""

    call_uid: str
    linked_at: datetime
    linked_by: str
    started_at: datetime | None = None
    direction: str | None = None
    agent: str | None = None


@dataclass(frozen=True, slots=True)
class Complaint:
    id: int
    reference: str
    customer_id: int
    customer_name: str
    category_id: int | None
    category: str | None
    subcategory_id: int | None
    subcategory: str | None
    priority: Priority
    channel: Channel
    subject: str
    description: str
    assignee: str | None
    assignee_name: str | None
    team: str | None
    status: Status
    response: SlaClock
    resolution: SlaClock
    escalation_level: int
    merged_into_id: int | None
    merged_into_reference: str | None
    resolution_code: str | None
    resolution_note: str | None
    resolved_at: datetime | None
    closed_at: datetime | None
    csat: int | None
    calls: tuple[CallLink, ...]
    version: int
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str

    @property
    def due_at(self) -> datetime | None:
        """The nearer of the running targets' due times: what lists sort by."""
        dues = [c.due_at for c in (self.response, self.resolution) if c.due_at is not None]
        return min(dues) if dues else None


@dataclass(frozen=True, slots=True)
class ComplaintDraft:
    """What opening a complaint needs; the category ids come from `categories()`."""

    customer_id: int
    subject: str
    description: str = ""
    category_id: int | None = None
    subcategory_id: int | None = None
    priority: Priority = Priority.NORMAL
    channel: Channel = Channel.PHONE
    assignee: str | None = None
    team: str | None = None
    call_uid: str | None = None


class _Unchanged(enum.Enum):
    UNCHANGED = "unchanged"


UNCHANGED: Final = _Unchanged.UNCHANGED
"""A ComplaintChanges field left as UNCHANGED is not touched (None would clear it)."""


@dataclass(frozen=True, slots=True)
class ComplaintChanges:
    """Fields to edit; only those not UNCHANGED are written (and recorded in the history)."""

    subject: str | _Unchanged = UNCHANGED
    description: str | _Unchanged = UNCHANGED
    category_id: int | _Unchanged | None = UNCHANGED
    subcategory_id: int | _Unchanged | None = UNCHANGED
    priority: Priority | _Unchanged = UNCHANGED
    channel: Channel | _Unchanged = UNCHANGED
    team: str | _Unchanged | None = UNCHANGED


@dataclass(frozen=True, slots=True)
class Comment:
    id: int
    complaint_id: int
    kind: CommentKind
    body: str
    author: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One change: `field` went from `old` to `new` (as text; None for nothing)."""

    id: int
    complaint_id: int
    field: str
    old: str | None
    new: str | None
    who: str
    when: datetime


@dataclass(frozen=True, slots=True)
class Escalation:
    id: int
    complaint_id: int
    level: int
    trigger: EscalationTrigger
    target: SlaTarget | None
    reason: str | None
    who: str
    when: datetime


@dataclass(frozen=True, slots=True)
class Notification:
    """Something a user should see: `level` and `trigger` are set for escalations."""

    id: int
    kind: NotificationKind
    complaint_id: int | None
    reference: str | None
    subject: str | None
    level: int | None
    trigger: EscalationTrigger | None
    target: SlaTarget | None
    created_at: datetime
    read_at: datetime | None

    @property
    def unread(self) -> bool:
        return self.read_at is None


@dataclass(frozen=True, slots=True)
class KbArticle:
    id: int
    title: str
    problem: str
    solution: str
    category_ids: tuple[int, ...]
    active: bool
    version: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class SweepResult:
    """What one escalation sweep did: escalations and notifications it wrote."""

    escalations: int
    notifications: int


# -- errors ------------------------------------------------------------------------------


class RefusalReason(enum.StrEnum):
    NOT_ALLOWED = "not_allowed"
    NEEDS_ASSIGNEE = "needs_assignee"
    NEEDS_RESOLUTION = "needs_resolution"
    REOPEN_WINDOW_PASSED = "reopen_window_passed"
    MERGED = "merged"
    CLOSED = "closed"
    MAX_LEVEL = "max_level"
    NEEDS_REASON = "needs_reason"
    SAME_COMPLAINT = "same_complaint"
    USE_ESCALATE = "use_escalate"


class TransitionRefused(CallCenterError):
    """The workflow does not allow this; `reason` is a code, the message says it in words."""

    def __init__(
        self, current: Status, wanted: Status | None, reason: RefusalReason, message: str
    ) -> None:
        super().__init__(message)
        self.current = current
        self.wanted = wanted
        self.reason = reason


class ComplaintConflict(ConflictError):
    """Someone else saved the complaint since it was read: reload, then apply again."""

    def __init__(self, complaint_id: int, expected_version: int | None = None) -> None:
        super().__init__(
            "Someone else changed this complaint since you opened it. "
            "Reload it to see their changes, then apply yours again."
        )
        self.complaint_id = complaint_id
        self.expected_version = expected_version


class ComplaintInvalid(ValidationError):
    """Bad input for a complaint, naming the field and why."""
