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

from sqlalchemy import select

from callcenter.bootstrap import Database
from callcenter.db.tables import utcnow
from callcenter.db.tables_complaints import ComplaintEscalation, ComplaintRow
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
from callcenter.repositories.complaint_rows import insert_ignore
from callcenter.repositories.complaints import ComplaintRepository
from callcenter.services.complaint_sla import SlaRules

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


def _events(row: ComplaintRow) -> list[_Event]:
    """The at-risk and breach instants of the clocks that are running."""
    events = []
    for target, risk, due in (
        (SlaTarget.RESPONSE, row.response_at_risk_at, row.response_due_at),
        (SlaTarget.RESOLUTION, row.resolution_at_risk_at, row.resolution_due_at),
    ):
        if risk is not None:
            events.append(_Event(target, EscalationTrigger.AT_RISK, risk))
        if due is not None:
            events.append(_Event(target, EscalationTrigger.BREACH, due))
    return sorted(events, key=lambda e: (e.at, e.trigger != EscalationTrigger.AT_RISK))


class EscalationService:
    def __init__(
        self, database: Database, sla: SlaRules, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self._database = database
        self._sla = sla
        self._clock = clock

    def escalate_manually(
        self, repo: ComplaintRepository, complaint_id: int, reason: str, now: datetime
    ) -> None:
        """One level up, with a reason, inside the caller's unit of work (row locked)."""
        row = repo.row(complaint_id)
        status = Status(row.status)
        if row.merged_into_id is not None or status not in MANUAL_FROM:
            raise TransitionRefused(
                status,
                Status.ESCALATED,
                RefusalReason.NOT_ALLOWED,
                f"A complaint that is {status.value.replace('_', ' ')} cannot be escalated.",
            )
        if row.escalation_level >= MAX_ESCALATION_LEVEL:
            raise TransitionRefused(
                status,
                Status.ESCALATED,
                RefusalReason.MAX_LEVEL,
                f"It is already at the highest escalation level ({MAX_ESCALATION_LEVEL}).",
            )
        level = row.escalation_level + 1
        escalation_id = self._insert(
            repo, row, f"manual:{level}", level, EscalationTrigger.MANUAL, None, reason, now
        )
        if escalation_id is None:
            raise TransitionRefused(
                status,
                Status.ESCALATED,
                RefusalReason.MAX_LEVEL,
                "Someone else escalated it to this level just now; reload it.",
            )
        repo.escalated(row, level, now)
        repo.record(row.id, "escalation_reason", None, reason, now)
        self._notify(repo, row, escalation_id, now, skip_actor=True)

    def sweep(self, actor: Actor, now: datetime | None = None) -> SweepResult:
        """Escalate every complaint whose at-risk or breach time has come, once each."""
        now = now or self._clock()
        escalations = notifications = 0
        due = select(ComplaintRow.id).where(ComplaintRow.sweep_due_at <= now).limit(1)
        with self._database.engine.connect() as connection:
            # Usually nothing is due: a read answers that without taking the write lock.
            if connection.scalar(due) is None:
                return SweepResult(0, 0)
        with self._database.uow(actor) as uow:
            repo = ComplaintRepository(uow.session, actor)
            repo.begin_write()
            ids = list(
                uow.session.scalars(
                    select(ComplaintRow.id)
                    .where(ComplaintRow.sweep_due_at <= now)
                    .order_by(ComplaintRow.sweep_due_at, ComplaintRow.id)
                    .limit(SWEEP_BATCH)
                )
            )
            # Locked in id order, so two sweepers on PostgreSQL queue up rather than deadlock;
            # no autoflush, so each complaint's version moves on by one however many steps.
            with uow.session.no_autoflush:
                for complaint_id in sorted(ids):
                    row = uow.session.get(ComplaintRow, complaint_id, with_for_update=True)
                    if row is None or row.sweep_due_at is None or row.sweep_due_at > now:
                        continue  # another sweeper handled it while this one waited
                    done, notified = self._sweep_one(repo, row, now)
                    escalations += done
                    notifications += notified
            uow.commit()
        return SweepResult(escalations, notifications)

    def _sweep_one(
        self, repo: ComplaintRepository, row: ComplaintRow, now: datetime
    ) -> tuple[int, int]:
        escalations = notifications = 0
        events = _events(row)
        for event in (e for e in events if e.at <= now):
            level = min(row.escalation_level + 1, MAX_ESCALATION_LEVEL)
            escalation_id = self._insert(
                repo, row, event.key, level, event.trigger, event.target, None, now
            )
            if escalation_id is None or level == row.escalation_level:
                continue
            repo.escalated(row, level, now)
            escalations += 1
            notifications += self._notify(repo, row, escalation_id, now, skip_actor=False)
        later = [e.at for e in events if e.at > now]
        row.sweep_due_at = min(later) if later else None
        return escalations, notifications

    def _insert(
        self,
        repo: ComplaintRepository,
        row: ComplaintRow,
        key: str,
        level: int,
        trigger: EscalationTrigger,
        target: SlaTarget | None,
        reason: str | None,
        now: datetime,
    ) -> int | None:
        """The new escalation's id, or None if one with this key exists already."""
        values = {
            "complaint_id": row.id,
            "key": key,
            "level": level,
            "trigger": trigger.value,
            "target": target.value if target else None,
            "reason": reason,
            "actor": repo.actor.login,
            "at": now,
        }
        if not insert_ignore(repo.session, ComplaintEscalation, values):
            return None
        return repo.session.scalar(
            select(ComplaintEscalation.id).where(
                ComplaintEscalation.complaint_id == row.id, ComplaintEscalation.key == key
            )
        )

    def _notify(
        self,
        repo: ComplaintRepository,
        row: ComplaintRow,
        escalation_id: int,
        now: datetime,
        skip_actor: bool,
    ) -> int:
        """The assignee and the team's supervisors (but not whoever escalated by hand: the
        sweep's actor is just the desktop that happened to run it)."""
        users = set(repo.notifications.supervisors(row.team_id))
        if row.assignee_id is not None:
            users.add(row.assignee_id)
        if skip_actor:
            users.discard(repo.notifications.actor_user_id() or -1)
        return repo.notifications.notify(
            users, NotificationKind.ESCALATED, row.id, escalation_id, now
        )
