"""The append-only audit log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from callcenter.db.tables import AuditEntry, utcnow
from callcenter.domain.users import Actor


class AuditRepository:
    def __init__(self, session: Session, actor: Actor) -> None:
        self._session = session
        self._actor = actor

    def record(self, entity: str, entity_id: object, action: str, changes: dict[str, Any]) -> None:
        """Note who changed what; `changes` maps a field to [old, new]."""
        self._session.execute(
            insert(AuditEntry).values(
                at=utcnow(),
                actor=self._actor.login,
                entity=entity,
                entity_id=str(entity_id),
                action=action,
                changes=changes,
            )
        )

    def record_many(
        self, entity: str, action: str, changes: Sequence[tuple[object, dict[str, Any]]]
    ) -> None:
        """`record` for many entities in one statement: (entity id, changes) pairs."""
        if not changes:
            return
        at = utcnow()
        self._session.connection().execute(
            insert(AuditEntry),
            [
                {
                    "at": at,
                    "actor": self._actor.login,
                    "entity": entity,
                    "entity_id": str(entity_id),
                    "action": action,
                    "changes": change,
                }
                for entity_id, change in changes
            ],
        )

    def entries(self, entity: str, entity_id: object) -> list[dict[str, Any]]:
        rows = self._session.execute(
            select(AuditEntry.at, AuditEntry.actor, AuditEntry.action, AuditEntry.changes)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
            .order_by(AuditEntry.id)
        )
        return [row._asdict() for row in rows]
