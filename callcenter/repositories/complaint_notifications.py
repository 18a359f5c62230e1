"""In-app notifications: written once per user and event, listed, counted and marked read."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from callcenter.db.tables import User
from callcenter.db.tables_complaints import ComplaintEscalation, ComplaintRow
from callcenter.db.tables_complaints import Notification as NotificationRow
from callcenter.domain.complaints import (
    EscalationTrigger,
    Notification,
    NotificationKind,
    SlaTarget,
)
from callcenter.domain.users import Actor, Role
from callcenter.repositories.complaint_rows import insert_ignore


class NotificationRepository:
    def __init__(self, session: Session, actor: Actor) -> None:
        self._session = session
        self._actor = actor

    def notify(
        self,
        user_ids: Iterable[int],
        kind: NotificationKind,
        complaint_id: int | None,
        escalation_id: int | None,
        now: datetime,
    ) -> int:
        """One notification per user (once per escalation, however often this runs)."""
        written = 0
        for user_id in sorted(set(user_ids)):
            values = {
                "user_id": user_id,
                "kind": kind.value,
                "complaint_id": complaint_id,
                "escalation_id": escalation_id,
                "created_at": now,
            }
            if escalation_id is None:
                self._session.execute(insert(NotificationRow).values(**values))
                written += 1
            else:
                written += insert_ignore(self._session, NotificationRow, values)
        return written

    def supervisors(self, team_id: int | None) -> list[int]:
        """Who supervises a team: its active supervisors, or every one when there is no team
        (or the team has none)."""
        statement = select(User.id).where(User.role == Role.SUPERVISOR.value, User.active)
        if team_id is not None:
            in_team = list(self._session.scalars(statement.where(User.team_id == team_id)))
            if in_team:
                return in_team
        return list(self._session.scalars(statement))

    def actor_user_id(self) -> int | None:
        if self._actor.user_id is not None:
            return self._actor.user_id
        return self._session.scalar(select(User.id).where(User.login == self._actor.login))

    def for_actor(self, unread_only: bool, limit: int) -> list[Notification]:
        user_id = self.actor_user_id()
        if user_id is None:
            return []
        statement = (
            select(
                NotificationRow.id,
                NotificationRow.kind,
                NotificationRow.complaint_id,
                ComplaintRow.reference,
                ComplaintRow.subject,
                ComplaintEscalation.level,
                ComplaintEscalation.trigger,
                ComplaintEscalation.target,
                NotificationRow.created_at,
                NotificationRow.read_at,
            )
            .outerjoin(ComplaintRow, ComplaintRow.id == NotificationRow.complaint_id)
            .outerjoin(ComplaintEscalation, ComplaintEscalation.id == NotificationRow.escalation_id)
            .where(NotificationRow.user_id == user_id)
            .order_by(NotificationRow.id.desc())
            .limit(limit)
        )
        if unread_only:
            statement = statement.where(NotificationRow.read_at.is_(None))
        return [
            Notification(
                id=row[0],
                kind=NotificationKind(row[1]),
                complaint_id=row[2],
                reference=row[3],
                subject=row[4],
                level=row[5],
                trigger=EscalationTrigger(row[6]) if row[6] else None,
                target=SlaTarget(row[7]) if row[7] else None,
                created_at=row[8],
                read_at=row[9],
            )
            for row in self._session.execute(statement)
        ]

    def unread_count(self) -> int:
        user_id = self.actor_user_id()
        if user_id is None:
            return 0
        return int(
            self._session.scalar(
                select(func.count())
                .select_from(NotificationRow)
                .where(NotificationRow.user_id == user_id, NotificationRow.read_at.is_(None))
            )
            or 0
        )

    def mark_read(self, ids: list[int] | None, now: datetime) -> int:
        user_id = self.actor_user_id()
        if user_id is None:
            return 0
        statement = (
            update(NotificationRow)
            .where(NotificationRow.user_id == user_id, NotificationRow.read_at.is_(None))
            .values(read_at=now)
        )
        if ids is not None:
            if not ids:
                return 0
            statement = statement.where(NotificationRow.id.in_(ids))
        result = self._session.execute(statement)
        return int(result.rowcount)  # type: ignore[attr-defined]
