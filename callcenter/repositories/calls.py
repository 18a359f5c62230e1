"""Call records, written idempotently by their stable id."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from callcenter.db.tables import Call as CallRow
from callcenter.domain.calls import CallRecord, CallSource, Direction
from callcenter.domain.users import Actor
from callcenter.repositories.stamps import creation_stamp

_FIELDS = tuple(f.name for f in dataclasses.fields(CallRecord))


class CallRepository:
    def __init__(self, session: Session, actor: Actor) -> None:
        self._session = session
        self._actor = actor

    def save(self, record: CallRecord) -> int:
        """Insert the call, or update the row that already has its `call_uid`."""
        values = _values(record)
        row = self._session.scalar(select(CallRow).where(CallRow.call_uid == record.call_uid))
        if row is None:
            row = CallRow(**values, **creation_stamp(self._actor))
            self._session.add(row)
        else:
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_by = self._actor.login
        self._session.flush()
        return row.id

    def get(self, call_uid: str) -> CallRecord | None:
        row = self._session.scalar(select(CallRow).where(CallRow.call_uid == call_uid))
        return _record(row) if row else None

    def add_many(self, records: Sequence[CallRecord]) -> None:
        """Bulk insert of new calls (demo data, imports that checked for duplicates first)."""
        if not records:
            return
        stamp = creation_stamp(self._actor)
        self._session.connection().execute(
            insert(CallRow), [{**_values(r), **stamp} for r in records]
        )

    def recent_for_customer(self, customer_id: int, limit: int = 10) -> list[CallRecord]:
        rows = self._session.scalars(
            select(CallRow)
            .where(CallRow.customer_id == customer_id)
            .order_by(CallRow.started_at.desc())
            .limit(limit)
        )
        return [_record(row) for row in rows]


def _values(record: CallRecord) -> dict[str, Any]:
    values = {name: getattr(record, name) for name in _FIELDS}
    values["direction"] = record.direction.value
    values["source"] = record.source.value
    return values


def _record(row: CallRow) -> CallRecord:
    values = {name: getattr(row, name) for name in _FIELDS}
    values["direction"] = Direction(row.direction)
    values["source"] = CallSource(row.source)
    return CallRecord(**values)
