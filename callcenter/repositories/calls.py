"""Call records, written idempotently by their stable id."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, insert, or_, select
from sqlalchemy.orm import Session

from callcenter.db.tables import Call as CallRow
from callcenter.db.tables import Customer as CustomerRow
from callcenter.db.tables import DispositionCode as DispositionRow
from callcenter.db.tables import Queue as QueueRow
from callcenter.db.tables import User as UserRow
from callcenter.domain.calls import CallRecord, CallSource, Direction
from callcenter.domain.history import CallHistoryEntry, PageCursor
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

    def existing_source_ids(self, source: CallSource, ids: Sequence[str]) -> set[str]:
        """Which of `ids` already have a call from `source` (for idempotent imports)."""
        found: set[str] = set()
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            found.update(
                value
                for value in self._session.scalars(
                    select(CallRow.source_call_id).where(
                        CallRow.source == source.value, CallRow.source_call_id.in_(chunk)
                    )
                )
                if value is not None
            )
        return found

    def recent_for_customer(self, customer_id: int, limit: int = 10) -> list[CallRecord]:
        rows = self._session.scalars(
            select(CallRow)
            .where(CallRow.customer_id == customer_id)
            .order_by(CallRow.started_at.desc())
            .limit(limit)
        )
        return [_record(row) for row in rows]

    # -- history lists, a page at a time ---------------------------------------------------
    # Keyset paging on (started_at, id): each page starts after the last row of the one
    # before, so a page costs the same however far the list has scrolled. The indexes on
    # (customer_id, started_at) and (agent_id, started_at) serve both orders.

    def page_for_customer(
        self,
        customer_id: int,
        limit: int,
        after: PageCursor | None = None,
        newest_first: bool = True,
    ) -> list[CallHistoryEntry]:
        """The customer's calls, `limit` of them, following `after` in the order asked for."""
        return self._page(CallRow.customer_id == customer_id, limit, after, newest_first)

    def page_for_agent(
        self,
        agent_id: int,
        since: datetime,
        limit: int,
        after: PageCursor | None = None,
        newest_first: bool = True,
    ) -> list[CallHistoryEntry]:
        """The agent's calls started at or after `since` (e.g. today's), a page at a time."""
        return self._page(
            and_(CallRow.agent_id == agent_id, CallRow.started_at >= since),
            limit,
            after,
            newest_first,
        )

    def _page(
        self,
        condition: ColumnElement[bool],
        limit: int,
        after: PageCursor | None,
        newest_first: bool,
    ) -> list[CallHistoryEntry]:
        statement = _HISTORY.where(condition)
        if after is not None:
            at, call_id = after
            # The first condition bounds the index range; the second breaks ties on id.
            if newest_first:
                statement = statement.where(
                    CallRow.started_at <= at,
                    or_(CallRow.started_at < at, CallRow.id < call_id),
                )
            else:
                statement = statement.where(
                    CallRow.started_at >= at,
                    or_(CallRow.started_at > at, CallRow.id > call_id),
                )
        if newest_first:
            statement = statement.order_by(CallRow.started_at.desc(), CallRow.id.desc())
        else:
            statement = statement.order_by(CallRow.started_at.asc(), CallRow.id.asc())
        rows = self._session.execute(statement.limit(max(1, limit)))
        return [_history_entry(row) for row in rows]


_HISTORY = (
    select(
        CallRow.id,
        CallRow.started_at,
        CallRow.direction,
        CallRow.caller_key,
        CallRow.dialled_key,
        CallRow.customer_id,
        CustomerRow.name,
        CallRow.agent_id,
        UserRow.display_name,
        QueueRow.name,
        CallRow.answered_at,
        CallRow.ended_at,
        CallRow.hold_s,
        CallRow.disposition_code,
        DispositionRow.label,
        CallRow.notes,
    )
    .select_from(CallRow)
    .outerjoin(CustomerRow, CustomerRow.id == CallRow.customer_id)
    .outerjoin(UserRow, UserRow.id == CallRow.agent_id)
    .outerjoin(QueueRow, QueueRow.id == CallRow.queue_id)
    .outerjoin(DispositionRow, DispositionRow.code == CallRow.disposition_code)
)


def _history_entry(row: Any) -> CallHistoryEntry:
    direction = Direction(row[2])
    return CallHistoryEntry(
        id=row[0],
        started_at=row[1],
        direction=direction,
        number=row[3] if direction is Direction.INBOUND else row[4],
        customer_id=row[5],
        customer_name=row[6],
        agent_id=row[7],
        agent_name=row[8],
        queue_name=row[9],
        answered_at=row[10],
        ended_at=row[11],
        hold_s=row[12],
        disposition_code=row[13],
        disposition_label=row[14],
        notes=row[15],
    )


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
