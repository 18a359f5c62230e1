"""Callbacks: promises to call a customer back, their owners, attempts, and why one is refused."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from callcenter.domain.calling_hours import CallingHoursRule, Closed
from callcenter.domain.errors import ConflictError, ValidationError

T = TypeVar("T")


class CallbackStatus(enum.StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        """Still to be worked: pending, or claimed by an agent working it now."""
        return self in (CallbackStatus.PENDING, CallbackStatus.CLAIMED)


OPEN_STATUSES = (CallbackStatus.PENDING, CallbackStatus.CLAIMED)


class OwnerKind(enum.StrEnum):
    AGENT = "agent"
    """A private callback: only its agent takes it (until it is overdue past the grace)."""
    QUEUE = "queue"
    """Anyone's: any agent of the queue (or, without a queue, any agent) may take it."""


class Outcome(enum.StrEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    VOICEMAIL = "voicemail"
    WRONG_NUMBER = "wrong_number"
    CUSTOMER_CALLED_IN = "customer_called_in"

    @property
    def disposition_code(self) -> str:
        """The disposition the attempt's call is logged with (seeded by migration 0004)."""
        return f"callback_{self.value}"

    @property
    def retryable(self) -> bool:
        """Worth another try later; the others close the callback."""
        return self in (Outcome.NO_ANSWER, Outcome.BUSY, Outcome.VOICEMAIL)


class Priority(enum.IntEnum):
    """P1 is the most urgent; stored as the number so that ascending order is most urgent first."""

    URGENT = 1
    HIGH = 2
    NORMAL = 3
    LOW = 4


class AgendaSpan(enum.StrEnum):
    DAY = "day"
    WEEK = "week"


@dataclass(frozen=True, slots=True)
class CallbackOwner:
    """Who the callback belongs to: one agent, or a queue (`queue_id` None: any agent)."""

    kind: OwnerKind
    agent_id: int | None = None
    queue_id: int | None = None

    @classmethod
    def agent(cls, agent_id: int, queue_id: int | None = None) -> CallbackOwner:
        """Private to `agent_id`; `queue_id` is where it goes if it is left overdue."""
        return cls(OwnerKind.AGENT, agent_id, queue_id)

    @classmethod
    def queue(cls, queue_id: int | None = None) -> CallbackOwner:
        return cls(OwnerKind.QUEUE, None, queue_id)


@dataclass(frozen=True, slots=True)
class CallbackRequest:
    """What the agent asks for when scheduling; checked by `CallbackService.schedule`.

    `when` is the time to call (aware; any zone), or the earliest of a window ending `latest`.
    `number` is any of the customer's numbers as typed or stored. `time_zone` is the
    customer's IANA zone, needed only when the number spans several (see `zones_for_number`).
    `allow_conflict` saves despite another of the agent's callbacks close by.
    """

    customer_id: int
    number: str
    when: datetime
    owner: CallbackOwner
    latest: datetime | None = None
    time_zone: str | None = None
    reason: str = ""
    priority: Priority = Priority.NORMAL
    complaint_id: int | None = None
    allow_conflict: bool = False


@dataclass(frozen=True, slots=True)
class Callback:
    """A callback as lists and the card show it, with the names behind its ids."""

    id: int
    customer_id: int
    customer_name: str
    number: str
    """E.164 key of the number to call."""
    number_display: str
    time_zone: str
    """The customer's IANA zone, for showing times in their local time."""
    due_at: datetime
    """When to call (UTC), or the start of the window."""
    latest_at: datetime | None
    """The end of the window, if one was given."""
    owner_kind: OwnerKind
    agent_id: int | None
    agent_name: str | None
    queue_id: int | None
    queue_name: str | None
    reason: str
    priority: Priority
    complaint_id: int | None
    status: CallbackStatus
    attempts: int
    last_outcome: Outcome | None
    claimed_by: int | None
    claimed_at: datetime | None
    remind_at: datetime | None
    """When the owner is next reminded; None once dismissed or closed."""
    closed_at: datetime | None
    version: int
    created_at: datetime
    created_by: str
    updated_at: datetime

    @property
    def is_private(self) -> bool:
        return self.owner_kind is OwnerKind.AGENT

    def is_overdue(self, now: datetime) -> bool:
        """Open and past its time (past the window's end when it has one)."""
        return self.status.is_open and (self.latest_at or self.due_at) < now

    def waiting_since(self) -> datetime:
        """Since when the customer has been waiting for this call: when it was promised."""
        return self.created_at

    @property
    def cursor(self) -> BacklogCursor:
        return (self.due_at, self.id)


BacklogCursor = tuple[datetime, int]
"""Where a backlog page ends: the last row's (due_at, id); the next page starts after it."""


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list read from the database; `next_cursor` is None on the last page."""

    items: tuple[T, ...]
    next_cursor: BacklogCursor | None


@dataclass(frozen=True, slots=True)
class BacklogFilter:
    """Which callbacks the backlog shows; every field left None matches all."""

    statuses: tuple[CallbackStatus, ...] = OPEN_STATUSES
    queue_id: int | None = None
    agent_id: int | None = None
    owner_kind: OwnerKind | None = None
    customer_id: int | None = None
    max_priority: Priority | None = None
    """Only this priority and more urgent ones (P1..Pn)."""
    overdue_at: datetime | None = None
    """Only those overdue at this moment."""
    due_before: datetime | None = None


@dataclass(frozen=True, slots=True)
class Attempt:
    """One try at a callback: the call it was, and how it went."""

    id: int
    callback_id: int
    call_id: int | None
    agent_id: int | None
    outcome: Outcome
    at: datetime
    notes: str | None


@dataclass(frozen=True, slots=True)
class AttemptResult:
    """What recording an attempt did: the attempt, the callback after it, and its call."""

    attempt: Attempt
    callback: Callback
    call_id: int
    rescheduled: bool
    """True when the retry policy put it back in the list for a later time."""


@dataclass(frozen=True, slots=True)
class Slot:
    """A suggested time to call, and the customer's zone to show it in."""

    at: datetime
    time_zone: str

    @property
    def local(self) -> datetime:
        return self.at.astimezone(ZoneInfo(self.time_zone))


@dataclass(frozen=True, slots=True)
class NumberZones:
    """The time zones a number may be in; `needs_choice` when the agent must pick one."""

    number: str
    zones: tuple[str, ...]
    default: str | None
    """The zone to use when there is no choice to make; None when the agent must pick."""

    @property
    def needs_choice(self) -> bool:
        return self.default is None


@dataclass(frozen=True, slots=True)
class HoursCheck:
    """Whether a moment is within calling hours; if not, why, and the next moment that is."""

    closed: Closed | None
    next_slot: Slot
    rule: CallingHoursRule

    @property
    def allowed(self) -> bool:
        return self.closed is None


@dataclass(frozen=True, slots=True)
class ConflictCheck:
    """The agent's open callbacks too close to a time, and the nearest free slot after it."""

    conflicting: tuple[Callback, ...]
    suggested: Slot | None

    @property
    def clear(self) -> bool:
        return not self.conflicting


@dataclass(frozen=True, slots=True)
class HousekeepingResult:
    """Ids changed by one housekeeping run: claims returned to the pool, private made queue."""

    released: tuple[int, ...] = ()
    escalated: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class CallbackPolicy:
    """The rules in force: calling hours, conflict distance, claims, reminders, retries."""

    calling_hours: CallingHoursRule
    conflict: timedelta = timedelta(minutes=15)
    reminder_lead: timedelta = timedelta(minutes=5)
    claim_timeout: timedelta = timedelta(minutes=10)
    private_grace: timedelta = timedelta(minutes=30)
    max_attempts: int = 3
    retry_spacing: timedelta = timedelta(minutes=60)
    close_on_inbound: bool = False
    default_zone: str = "UTC"
    """For a number phonenumbers places in no zone (and no zone was given)."""


class Problem(enum.StrEnum):
    """Why a callback is refused, as a code the GUI turns into words of its own."""

    REQUIRED = "required"
    NOT_FOUND = "not_found"
    MALFORMED = "malformed"
    DELETED = "deleted"
    IN_THE_PAST = "in_the_past"
    NOT_A_NUMBER = "not_a_number"
    NOT_THE_CUSTOMERS = "not_the_customers"
    ZONE_REQUIRED = "zone_required"
    ZONE_NOT_OF_NUMBER = "zone_not_of_number"
    BEFORE_START = "before_start"
    TOO_LONG = "too_long"
    INACTIVE = "inactive"
    OUTSIDE_HOURS = "outside_hours"
    CONFLICT = "conflict"
    NOT_OPEN = "not_open"
    NOT_YOUR_CLAIM = "not_your_claim"


class CallbackInvalid(ValidationError):
    """Bad input: `field` and `reason` in words, `problem` as a code; nothing was saved."""

    def __init__(self, field: str, problem: Problem, reason: str) -> None:
        super().__init__(field, reason)
        self.problem = problem


class OutsideCallingHours(CallbackInvalid):
    """The time is outside the customer's calling hours; `next_slot` is the next allowed time."""

    def __init__(self, field: str, reason: str, next_slot: Slot) -> None:
        super().__init__(field, Problem.OUTSIDE_HOURS, reason)
        self.next_slot = next_slot


class CallbackConflict(CallbackInvalid):
    """Too close to another of the agent's callbacks; `suggested` is the nearest free slot.

    Schedule again with `allow_conflict=True` to keep the time anyway.
    """

    def __init__(
        self, reason: str, conflicting: Sequence[Callback], suggested: Slot | None
    ) -> None:
        super().__init__("when", Problem.CONFLICT, reason)
        self.conflicting = tuple(conflicting)
        self.suggested = suggested


class StaleCallback(ConflictError):
    """Someone (or housekeeping) changed the callback since it was read: reload it."""

    def __init__(self, callback_id: int) -> None:
        super().__init__(
            f"Callback {callback_id} was changed by someone else since you opened it. "
            "Reload it to see the change, then apply yours again."
        )
        self.callback_id = callback_id
