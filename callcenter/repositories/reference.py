"""Reference lists admins configure: queues and disposition codes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from callcenter.db.tables import DispositionCode as DispositionRow
from callcenter.db.tables import Queue as QueueRow
from callcenter.domain.calls import Disposition, Queue
from callcenter.domain.users import Actor
from callcenter.repositories.stamps import creation_stamp


class QueueRepository:
    def __init__(self, session: Session, actor: Actor) -> None:
        self._session = session
        self._actor = actor

    def list(self) -> list[Queue]:
        return [
            _queue(row) for row in self._session.scalars(select(QueueRow).order_by(QueueRow.name))
        ]

    def find(self, name: str) -> Queue | None:
        row = self._session.scalar(select(QueueRow).where(QueueRow.name == name))
        return _queue(row) if row else None

    def ensure(
        self,
        name: str,
        service_level_threshold_s: int = 20,
        service_level_target_pct: int = 80,
        short_abandon_threshold_s: int = 5,
    ) -> Queue:
        """The queue called `name`, created with these thresholds if it does not exist yet."""
        row = self._session.scalar(select(QueueRow).where(QueueRow.name == name))
        if row is None:
            row = QueueRow(
                name=name,
                service_level_threshold_s=service_level_threshold_s,
                service_level_target_pct=service_level_target_pct,
                short_abandon_threshold_s=short_abandon_threshold_s,
                **creation_stamp(self._actor),
            )
            self._session.add(row)
            self._session.flush()
        return _queue(row)


class DispositionRepository:
    def __init__(self, session: Session, actor: Actor) -> None:
        self._session = session
        self._actor = actor

    def list(self, active_only: bool = True) -> list[Disposition]:
        statement = select(DispositionRow).order_by(DispositionRow.position, DispositionRow.code)
        if active_only:
            statement = statement.where(DispositionRow.active.is_(True))
        return [
            Disposition(row.code, row.label, row.position, row.active)
            for row in self._session.scalars(statement)
        ]


def _queue(row: QueueRow) -> Queue:
    return Queue(
        id=row.id,
        name=row.name,
        service_level_threshold_s=row.service_level_threshold_s,
        service_level_target_pct=row.service_level_target_pct,
        short_abandon_threshold_s=row.short_abandon_threshold_s,
    )
