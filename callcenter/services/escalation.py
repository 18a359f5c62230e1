"""Escalation: by hand with a reason, and by the sweep when a clock is at risk or breached.

Any desktop may sweep at any time, as often as it likes: each automatic escalation has a key
unique per complaint ("auto:resolution:breach"), written insert-if-absent, and only the
sweep whose insert wrote it raises the level and notifies. A second sweep, on this desktop
or another, at the same moment or later, finds the key taken and does nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from callcenter.bootstrap import Database
from callcenter.clock import utc_now
from callcenter.domain.complaint_sla import SlaRules
from callcenter.domain.complaints import (
    MAX_ESCALATION_LEVEL,
    EscalationTrigger,
    NotificationKind,
    RefusalReason,
    SlaTarget,
    Status,
    SweepResult,
    TransitionRefused,
)
from callcenter.domain.users import Actor
from callcenter.repositories.complaint_escalations import EscalationState, any_sweep_due
from callcenter.repositories.complaints import ComplaintRepository

# Complaints one sweep handles at most, earliest first; the next sweep takes the rest.
SWEEP_BATCH = 500
MANUAL_FROM = frozenset(
    {Status.NEW, Status.OPEN, Status.PENDING_CUSTOMER, Status.ESCALATED, Status.REOPENED}
)


@dataclass(frozen=True)
class _Event:
    target: SlaTarget
    trigger: EscalationTrigger
    at: datetime

    @property
    def key(self) -> str:
        return f"auto:{self.target.value}:{self.trigger.value}"


def _events(state: EscalationState) -> list[_Event]:
    """The at-risk and breach instants of the clocks that are running."""
    events = []
    for target, risk, due in (
        (SlaTarget.RESPONSE, state.response_at_risk_at, state.response_due_at),
        (SlaTarget.RESOLUTION, state.resolution_at_risk_at, state.resolution_due_at),
    ):
        if risk is not None:
            events.append(_Event(target, EscalationTrigger.AT_RISK, risk))
        if due is not None:
            events.append(_Event(target, EscalationTrigger.BREACH, due))
    return sorted(events, key=lambda e: (e.at, e.trigger != EscalationTrigger.AT_RISK))


class EscalationService:
    def __init__(
        self, database: Database, sla: SlaRules, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._database = database
        self._sla = sla
        self._clock = clock

    def escalate_manually(
        self, repo: ComplaintRepository, complaint_id: int, reason: str, now: datetime
    ) -> None:
        """One level up, with a reason, inside the caller's unit of work (row locked)."""
        state = repo.escalation_state(complaint_id)
        status = state.status
        if state.merged_into_id is not None or status not in MANUAL_FROM:
            raise TransitionRefused(
                status,
                Status.ESCALATED,
                RefusalReason.NOT_ALLOWED,
                f"A complaint that is {status.value.replace('_', ' ')} cannot be escalated.",
            )
        if state.escalation_level >= MAX_ESCALATION_LEVEL:
            raise TransitionRefused(
                status,
                Status.ESCALATED,
                RefusalReason.MAX_LEVEL,
                f"It is already at the highest escalation level ({MAX_ESCALATION_LEVEL}).",
            )
        level = state.escalation_level + 1
        escalation_id = repo.add_escalation(
            complaint_id, f"manual:{level}", level, EscalationTrigger.MANUAL, None, reason, now
        )
        if escalation_id is None:
            raise TransitionRefused(
                status,
                Status.ESCALATED,
                RefusalReason.MAX_LEVEL,
                "Someone else escalated it to this level just now; reload it.",
            )
        repo.raise_level(complaint_id, level, now)
        repo.record(complaint_id, "escalation_reason", None, reason, now)
        self._notify(repo, state, escalation_id, now, skip_actor=True)

    def sweep(self, actor: Actor, now: datetime | None = None) -> SweepResult:
        """Escalate every complaint whose at-risk or breach time has come, once each."""
        now = now or self._clock()
        escalations = notifications = 0
        if not any_sweep_due(self._database.engine, now):
            return SweepResult(0, 0)
        with self._database.uow(actor) as uow:
            repo = ComplaintRepository(uow.session, actor)
            with repo.deferred():
                for complaint_id in repo.sweep_due_ids(now, SWEEP_BATCH):
                    state = repo.lock_if_sweep_due(complaint_id, now)
                    if state is None:
                        continue
                    done, notified = self._sweep_one(repo, state, now)
                    escalations += done
                    notifications += notified
            uow.commit()
        return SweepResult(escalations, notifications)

    def _sweep_one(
        self, repo: ComplaintRepository, state: EscalationState, now: datetime
    ) -> tuple[int, int]:
        escalations = notifications = 0
        events = _events(state)
        current = state.escalation_level
        for event in (e for e in events if e.at <= now):
            level = min(current + 1, MAX_ESCALATION_LEVEL)
            escalation_id = repo.add_escalation(
                state.id, event.key, level, event.trigger, event.target, None, now
            )
            if escalation_id is None or level == current:
                continue
            repo.raise_level(state.id, level, now)
            current = level
            escalations += 1
            notifications += self._notify(repo, state, escalation_id, now, skip_actor=False)
        later = [e.at for e in events if e.at > now]
        repo.set_sweep_due(state.id, min(later) if later else None)
        return escalations, notifications

    def _notify(
        self,
        repo: ComplaintRepository,
        state: EscalationState,
        escalation_id: int,
        now: datetime,
        skip_actor: bool,
    ) -> int:
        """The assignee and the team's supervisors (but not whoever escalated by hand: the
        sweep's actor is just the desktop that happened to run it)."""
        users = set(repo.notifications.supervisors(state.team_id))
        if state.assignee_id is not None:
            users.add(state.assignee_id)
        if skip_actor:
            users.discard(repo.notifications.actor_user_id() or -1)
        return repo.notifications.notify(
            users, NotificationKind.ESCALATED, state.id, escalation_id, now
        )
