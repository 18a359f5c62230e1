"""Queue and agent figures: the sums from the database and what KPIS.md makes of them.

Each figure's docstring is its definition (the console's tooltip). A rate with nothing to divide
by is None, never 0: "no calls" is not "0 % service level".
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

# Unanswered calls that left the queue for another reason than the caller hanging up carry one
# of these disposition codes (written by whoever records the queue exit: a PBX log import, the
# simulator): they are offered, and neither answered nor abandoned.
QUEUE_EXIT_CODES = ("queue_timeout", "queue_empty", "queue_exit_key")
# FCR: no further inbound call from the same customer within this many days (setting).
FCR_WINDOW_DAYS = 7


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole > 0 else None


def _per(total_ms: int, count: int) -> float | None:
    return round(total_ms / 1000.0 / count, 1) if count > 0 else None


# Named tuples rather than frozen dataclasses: a month by agent and by day is tens of thousands
# of rows, and a frozen dataclass's __init__ costs several times a tuple's.
class QueueFigures(NamedTuple):
    """A queue (or all queues: queue_id None) in one interval (or the whole range)."""

    interval_start: datetime | None
    queue_id: int | None
    queue: str | None
    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    short_abandoned: int = 0
    # Left unanswered for another reason (timeout, queue empty, key pressed).
    other_exits: int = 0
    answered_in_threshold: int = 0
    answered_wait_ms: int = 0
    # Answered calls that have ended, and their handle time (talk + hold + after-call work).
    completed: int = 0
    handle_ms: int = 0

    @property
    def service_level_pct(self) -> float | None:
        """Answered with wait <= threshold / (offered - short abandons)."""
        return _pct(self.answered_in_threshold, self.offered - self.short_abandoned)

    @property
    def asa_s(self) -> float | None:
        """Total wait of answered calls / answered calls."""
        return _per(self.answered_wait_ms, self.answered)

    @property
    def abandon_rate_pct(self) -> float | None:
        """(Abandoned - short abandons) / (offered - short abandons)."""
        return _pct(self.abandoned - self.short_abandoned, self.offered - self.short_abandoned)

    @property
    def aht_s(self) -> float | None:
        """(Talk + hold + after-call work) / answered calls that have ended."""
        return _per(self.handle_ms, self.completed)


class AgentFigures(NamedTuple):
    """An agent (or a team: team_id set, agent_id None; or everyone: both None) in one interval."""

    interval_start: datetime | None
    agent_id: int | None
    agent: str | None
    login: str | None = None
    team_id: int | None = None
    team: str | None = None
    handled: int = 0
    completed: int = 0
    handle_ms: int = 0
    occupied_ms: int = 0  # on call and in after-call work
    available_ms: int = 0
    staffed_ms: int = 0  # logged in, breaks included
    fcr_calls: int = 0  # answered inbound calls of known customers whose window has closed
    fcr_resolved: int = 0  # ... after which the customer did not call again within the window
    surveys: int = 0
    surveys_satisfied: int = 0

    @property
    def aht_s(self) -> float | None:
        """(Talk + hold + after-call work) / handled calls that have ended."""
        return _per(self.handle_ms, self.completed)

    @property
    def occupancy_pct(self) -> float | None:
        """Time on call and in after-call work / (that time + time available)."""
        return _pct(self.occupied_ms, self.occupied_ms + self.available_ms)

    @property
    def calls_per_hour(self) -> float | None:
        """Handled / staffed hours (logged in, breaks included)."""
        if self.staffed_ms <= 0:
            return None
        return round(self.handled / (self.staffed_ms / 3_600_000.0), 2)

    @property
    def fcr_pct(self) -> float | None:
        """Answered inbound calls with no further inbound call from the customer within 7 days /
        answered inbound calls whose 7-day window has closed (unknown callers left out)."""
        return _pct(self.fcr_resolved, self.fcr_calls)

    @property
    def csat_pct(self) -> float | None:
        """Survey answers scoring 4 or 5 (of 1-5) / all survey answers; None until surveys exist."""
        return _pct(self.surveys_satisfied, self.surveys)
