"""Complaint lists: which complaints (scope, filters, sort), a list's rows, and a page of them."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from callcenter.domain.complaints import Priority, SlaClock, Status

T = TypeVar("T")


class Scope(enum.StrEnum):
    """Which complaints a list shows: the caller's, the caller's team's, or all (supervisors)."""

    MINE = "mine"
    TEAM = "team"
    ALL = "all"


class SlaFilter(enum.StrEnum):
    AT_RISK = "at_risk"
    BREACHED = "breached"
    AT_RISK_OR_BREACHED = "at_risk_or_breached"


class SortKey(enum.StrEnum):
    DUE = "due"
    CREATED = "created"
    UPDATED = "updated"
    PRIORITY = "priority"
    REFERENCE = "reference"


@dataclass(frozen=True, slots=True)
class ComplaintSummary:
    """A row of a complaint list: no description, comments or calls."""

    id: int
    reference: str
    customer_id: int
    customer_name: str
    category: str | None
    subcategory: str | None
    priority: Priority
    subject: str
    assignee: str | None
    assignee_name: str | None
    team: str | None
    status: Status
    response: SlaClock
    resolution: SlaClock
    due_at: datetime | None
    escalation_level: int
    created_at: datetime
    updated_at: datetime
    version: int


@dataclass(frozen=True, slots=True)
class ComplaintFilter:
    """A list's filter; empty fields do not filter. `text` matches the reference or the
    subject (case-insensitively), `customer_id` one customer."""

    scope: Scope = Scope.MINE
    statuses: frozenset[Status] = field(default_factory=frozenset)
    priorities: frozenset[Priority] = field(default_factory=frozenset)
    category_id: int | None = None
    assignee: str | None = None
    sla: SlaFilter | None = None
    customer_id: int | None = None
    text: str = ""
    sort: SortKey = SortKey.DUE
    descending: bool = False


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """Rows `offset` .. `offset + len(items) - 1` of a list; `has_more` if more follow."""

    items: tuple[T, ...]
    offset: int
    has_more: bool

    @property
    def next_offset(self) -> int:
        return self.offset + len(self.items)
