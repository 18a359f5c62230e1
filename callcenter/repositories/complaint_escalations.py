"""Escalations in the database: each written once per key, the level raised, the sweep's picks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select

from callcenter.db.tables_complaints import ComplaintEscalation, ComplaintRow
from callcenter.domain.complaints import EscalationTrigger, SlaTarget, Status
from callcenter.repositories.complaint_edits import ComplaintEdits
from callcenter.repositories.complaint_rows import insert_ignore


@dataclass(frozen=True, slots=True)
class EscalationState:
    """What escalating a complaint looks at: its state, level, people and clock instants."""

    id: int
    status: Status
    merged_into_id: int | None
    escalation_level: int
    team_id: int | None
    assignee_id: int | None
    response_at_risk_at: datetime | None
    response_due_at: datetime | None
    resolution_at_risk_at: datetime | None
    resolution_due_at: datetime | None


def any_sweep_due(engine: Engine, now: datetime) -> bool:
    """Whether any complaint's sweep time has come, read on a connection of its own (so that,
    as usually nothing is due, a sweep need not take the write lock to find that out)."""
    due = select(ComplaintRow.id).where(ComplaintRow.sweep_due_at <= now).limit(1)
    with engine.connect() as connection:
        return connection.scalar(due) is not None


class ComplaintEscalations(ComplaintEdits):
    """Escalating complaints; `ComplaintRepository` inherits this."""

    def escalation_state(self, complaint_id: int) -> EscalationState:
        """The complaint as escalating sees it (the row `lock` read, when it did)."""
        return _state(self.row(complaint_id))

    def sweep_due_ids(self, now: datetime, limit: int) -> list[int]:
        """The `limit` complaints whose sweep time came earliest, in id order: the order to
        lock them in, so two sweepers on PostgreSQL queue up rather than deadlock."""
        self.begin_write()
        return sorted(
            self._session.scalars(
                select(ComplaintRow.id)
                .where(ComplaintRow.sweep_due_at <= now)
                .order_by(ComplaintRow.sweep_due_at, ComplaintRow.id)
                .limit(limit)
            )
        )

    def lock_if_sweep_due(self, complaint_id: int, now: datetime) -> EscalationState | None:
        """The complaint, locked, if its sweep time has still come; None when another sweeper
        handled it while this one waited for the lock."""
        row = self._session.get(ComplaintRow, complaint_id, with_for_update=True)
        if row is None or row.sweep_due_at is None or row.sweep_due_at > now:
            return None
        return _state(row)

    def set_sweep_due(self, complaint_id: int, at: datetime | None) -> None:
        """When the sweep should look at the complaint next (None: no clock will need it)."""
        self.row(complaint_id).sweep_due_at = at

    def add_escalation(
        self,
        complaint_id: int,
        key: str,
        level: int,
        trigger: EscalationTrigger,
        target: SlaTarget | None,
        reason: str | None,
        now: datetime,
    ) -> int | None:
        """The new escalation's id, or None if the complaint has one with this key already
        (insert-if-absent: of two desktops writing the same key at once, one writes it)."""
        values = {
            "complaint_id": complaint_id,
            "key": key,
            "level": level,
            "trigger": trigger.value,
            "target": target.value if target else None,
            "reason": reason,
            "actor": self._actor.login,
            "at": now,
        }
        if not insert_ignore(self._session, ComplaintEscalation, values):
            return None
        return self._session.scalar(
            select(ComplaintEscalation.id).where(
                ComplaintEscalation.complaint_id == complaint_id, ComplaintEscalation.key == key
            )
        )

    def raise_level(self, complaint_id: int, level: int, now: datetime) -> None:
        """The escalation level rose (by hand or by the sweep), recorded in the history;
        Open and Reopened become Escalated."""
        row = self.row(complaint_id)
        self._set(row, "escalation_level", level, now)
        if row.status in (Status.OPEN, Status.REOPENED):
            self._set(row, "status", Status.ESCALATED.value, now)


def _state(row: ComplaintRow) -> EscalationState:
    return EscalationState(
        id=row.id,
        status=Status(row.status),
        merged_into_id=row.merged_into_id,
        escalation_level=row.escalation_level,
        team_id=row.team_id,
        assignee_id=row.assignee_id,
        response_at_risk_at=row.response_at_risk_at,
        response_due_at=row.response_due_at,
        resolution_at_risk_at=row.resolution_at_risk_at,
        resolution_due_at=row.resolution_due_at,
    )
