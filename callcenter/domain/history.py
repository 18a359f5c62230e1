"""Call history as lists show it: one call with the names behind its ids, read a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from callcenter.domain.calls import Direction

PageCursor = tuple[datetime, int]
"""Where a page ends: the last row's (started_at, id); the next page starts after it."""


@dataclass(frozen=True, slots=True)
class CallHistoryEntry:
    """One call in a history list, with its disposition's label rather than its code."""

    id: int
    started_at: datetime
    direction: Direction
    number: str | None
    """The other party's number key: the caller's on an inbound call, the dialled one outbound."""
    customer_id: int | None
    customer_name: str | None
    agent_id: int | None
    agent_name: str | None
    queue_name: str | None
    answered_at: datetime | None
    ended_at: datetime | None
    hold_s: int
    disposition_code: str | None
    disposition_label: str | None
    notes: str | None

    @property
    def cursor(self) -> PageCursor:
        return (self.started_at, self.id)

    @property
    def talk_seconds(self) -> int | None:
        """Seconds from answer to hang-up, hold included; None if unanswered or still going."""
        if self.answered_at is None or self.ended_at is None:
            return None
        return max(0, round((self.ended_at - self.answered_at).total_seconds()))
