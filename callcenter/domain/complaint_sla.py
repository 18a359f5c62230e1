"""A complaint's two SLA clocks: start, pause, stop, the due times they give, and their state.

A clock keeps the business seconds used so far and when it last started running; its due and
at-risk times are computed from those whenever it starts, so they can be stored for lists.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from typing import Protocol

from callcenter.domain.complaints import SlaClock, SlaState, SlaTarget
from callcenter.domain.sla_clock import Calendar, add_business_seconds, business_seconds

# Where complaints without a running clock sort: after every real due time. Not datetime.max,
# which a time-zone conversion would push out of range.
FAR_FUTURE = datetime(9000, 1, 1, tzinfo=UTC)


# Lists read the calendars again after this long; opening a complaint always does.
CALENDAR_REFRESH_S = 60.0


class ClockFields(Protocol):
    """The SLA columns of a complaint row."""

    calendar_id: int | None
    response_target_s: int | None
    resolution_target_s: int | None
    response_used_s: int
    resolution_used_s: int
    clock_started_at: datetime | None
    responded_at: datetime | None
    resolved_at: datetime | None
    response_due_at: datetime | None
    response_at_risk_at: datetime | None
    resolution_due_at: datetime | None
    resolution_at_risk_at: datetime | None
    due_at: datetime | None
    at_risk_at: datetime | None
    due_order: datetime
    sweep_due_at: datetime | None


@dataclass
class ClockCopy:
    """The SLA columns of a complaint, apart from its row (to list or re-time it)."""

    calendar_id: int | None
    response_target_s: int | None
    resolution_target_s: int | None
    response_used_s: int
    resolution_used_s: int
    clock_started_at: datetime | None
    responded_at: datetime | None
    resolved_at: datetime | None
    response_due_at: datetime | None
    response_at_risk_at: datetime | None
    resolution_due_at: datetime | None
    resolution_at_risk_at: datetime | None
    due_at: datetime | None
    at_risk_at: datetime | None
    due_order: datetime
    sweep_due_at: datetime | None

    @classmethod
    def of(cls, row: ClockFields) -> ClockCopy:
        return cls(*(getattr(row, f.name) for f in fields(cls)))

    def copy_to(self, row: ClockFields) -> None:
        for f in fields(self):
            setattr(row, f.name, getattr(self, f.name))


class SlaRules:
    """Clock arithmetic for complaints, with the calendars it has been given (by id)."""

    def __init__(self, at_risk_share: float) -> None:
        if not 0 < at_risk_share < 1:
            raise ValueError("at_risk_share must be between 0 and 1")
        self.at_risk_share = at_risk_share
        self.calendars: dict[int, Calendar] = {}
        self._read_at = 0.0

    def remember(self, calendars: dict[int, Calendar]) -> None:
        """Calendars as just read from the database."""
        self.calendars.update(calendars)
        self._read_at = time.monotonic()

    def calendars_stale(self) -> bool:
        """Whether lists should read the calendars again (they change rarely)."""
        return not self.calendars or time.monotonic() - self._read_at > CALENDAR_REFRESH_S

    def calendar(self, row: ClockFields) -> Calendar | None:
        return self.calendars.get(row.calendar_id) if row.calendar_id is not None else None

    # -- running and stopping ----------------------------------------------------------------

    def start(self, row: ClockFields, now: datetime) -> None:
        """Run the clocks from `now` (a new, resumed or reopened complaint)."""
        if row.clock_started_at is None:
            row.clock_started_at = now
        self._retime(row)

    def pause(self, row: ClockFields, now: datetime) -> None:
        """Stop both clocks, keeping what they used (Pending customer, resolved, closed)."""
        self._bank(row, now)
        row.clock_started_at = None
        self._retime(row)

    def respond(self, row: ClockFields, now: datetime) -> None:
        """The first response happened at `now`: the response clock stops for good."""
        if row.responded_at is not None:
            return
        self._bank(row, now)
        row.responded_at = now
        self._retime(row)

    def retarget(
        self, row: ClockFields, response_s: int | None, resolution_s: int | None, now: datetime
    ) -> None:
        """New targets (priority or category changed); used time stays."""
        self._bank(row, now)
        row.response_target_s = response_s
        row.resolution_target_s = resolution_s
        self._retime(row)

    def _bank(self, row: ClockFields, now: datetime) -> None:
        """Add the time run since the clock started to what each running target used."""
        calendar = self.calendar(row)
        if row.clock_started_at is None or calendar is None:
            return
        run = business_seconds(calendar, row.clock_started_at, now)
        if row.responded_at is None:
            row.response_used_s += run
        if row.resolved_at is None:
            row.resolution_used_s += run
        row.clock_started_at = now

    def _retime(self, row: ClockFields) -> None:
        calendar = self.calendar(row)
        running = row.clock_started_at is not None and calendar is not None
        row.response_due_at = row.response_at_risk_at = None
        row.resolution_due_at = row.resolution_at_risk_at = None
        if running and calendar is not None and row.clock_started_at is not None:
            started = row.clock_started_at
            if row.response_target_s is not None and row.responded_at is None:
                row.response_due_at, row.response_at_risk_at = self._due(
                    calendar, started, row.response_target_s, row.response_used_s
                )
            if row.resolution_target_s is not None and row.resolved_at is None:
                row.resolution_due_at, row.resolution_at_risk_at = self._due(
                    calendar, started, row.resolution_target_s, row.resolution_used_s
                )
        dues = [d for d in (row.response_due_at, row.resolution_due_at) if d is not None]
        risks = [d for d in (row.response_at_risk_at, row.resolution_at_risk_at) if d is not None]
        row.due_at = min(dues) if dues else None
        row.at_risk_at = min(risks) if risks else None
        row.due_order = row.due_at or FAR_FUTURE
        # The sweep skips what it already escalated and moves this on past it.
        row.sweep_due_at = row.at_risk_at

    def _due(
        self, calendar: Calendar, started: datetime, target_s: int, used_s: int
    ) -> tuple[datetime, datetime]:
        due = add_business_seconds(calendar, started, max(0, target_s - used_s))
        risk_s = max(0, round(target_s * self.at_risk_share) - used_s)
        return due, add_business_seconds(calendar, started, risk_s)

    # -- reading -----------------------------------------------------------------------------

    def clocks(self, row: ClockFields, now: datetime) -> tuple[SlaClock, SlaClock]:
        """(response, resolution) as of `now`."""
        return (
            self._clock(
                row,
                SlaTarget.RESPONSE,
                row.response_target_s,
                row.response_used_s,
                row.responded_at,
                row.response_due_at,
                row.response_at_risk_at,
                now,
            ),
            self._clock(
                row,
                SlaTarget.RESOLUTION,
                row.resolution_target_s,
                row.resolution_used_s,
                row.resolved_at,
                row.resolution_due_at,
                row.resolution_at_risk_at,
                now,
            ),
        )

    def _clock(
        self,
        row: ClockFields,
        target: SlaTarget,
        target_s: int | None,
        used_s: int,
        met_at: datetime | None,
        due_at: datetime | None,
        at_risk_at: datetime | None,
        now: datetime,
    ) -> SlaClock:
        calendar = self.calendar(row)
        running = met_at is None and row.clock_started_at is not None and calendar is not None
        if running and calendar is not None and row.clock_started_at is not None:
            used_s += business_seconds(calendar, row.clock_started_at, now)
        clock = SlaClock(
            target=target,
            state=SlaState.NONE,
            target_s=target_s,
            used_s=used_s,
            remaining_s=None if target_s is None else target_s - used_s,
            due_at=due_at,
            at_risk_at=at_risk_at,
            met_at=met_at,
            as_of=now,
            calendar_id=row.calendar_id,
            running=running,
        )
        return replace(clock, state=self.state(clock))

    def state(self, clock: SlaClock) -> SlaState:
        if clock.target_s is None:
            return SlaState.NONE
        late = clock.used_s >= clock.target_s
        if clock.met_at is not None:
            return SlaState.MISSED if late else SlaState.MET
        if late:
            return SlaState.BREACHED
        if not clock.running:
            return SlaState.PAUSED
        if clock.used_s >= round(clock.target_s * self.at_risk_share):
            return SlaState.AT_RISK
        return SlaState.ON_TRACK

    def advance(self, clock: SlaClock, now: datetime) -> SlaClock:
        """The clock moved on from `clock.as_of` to `now` (no database read)."""
        calendar = self.calendars.get(clock.calendar_id) if clock.calendar_id else None
        if not clock.running or calendar is None or now <= clock.as_of:
            return replace(clock, as_of=max(now, clock.as_of))
        used_s = clock.used_s + business_seconds(calendar, clock.as_of, now)
        moved = replace(
            clock,
            used_s=used_s,
            remaining_s=None if clock.target_s is None else clock.target_s - used_s,
            as_of=now,
        )
        return replace(moved, state=self.state(moved))
