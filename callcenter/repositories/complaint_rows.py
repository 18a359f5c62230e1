"""Complaint rows to domain objects, history values as text, and insert-if-absent."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from callcenter.db.tables_complaints import ComplaintRow
from callcenter.domain.complaints import (
    CallLink,
    Channel,
    Complaint,
    Priority,
    SlaClock,
    Status,
)


def insert_ignore(session: Session, model: Any, values: dict[str, Any]) -> bool:
    """Insert the row unless one with the same key exists; True if this call inserted it.

    ON CONFLICT DO NOTHING on both backends: a concurrent insert of the same key waits for
    the other transaction and then does nothing, never a duplicate nor an error.
    """
    table: Table = model.__table__
    connection = session.connection()
    build = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    # RETURNING, not rowcount: drivers report -1 for some inserts; a returned row is sure.
    key = next(iter(table.primary_key.columns))
    statement = build(table).values(**values).on_conflict_do_nothing().returning(key)
    return session.execute(statement).first() is not None


def history_text(value: object) -> str | None:
    """How a value reads in the timeline."""
    if value is None:
        return None
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def complaint_from_row(
    row: ComplaintRow,
    names: dict[str, Any],
    calls: tuple[CallLink, ...],
    clocks: tuple[SlaClock, SlaClock],
) -> Complaint:
    return Complaint(
        id=row.id,
        reference=row.reference,
        customer_id=row.customer_id,
        customer_name=names["customer_name"],
        category_id=row.category_id,
        category=names["category"],
        subcategory_id=row.subcategory_id,
        subcategory=names["subcategory"],
        priority=Priority(row.priority),
        channel=Channel(row.channel),
        subject=row.subject,
        description=row.description,
        assignee=names["assignee"],
        assignee_name=names["assignee_name"],
        team=names["team"],
        status=Status(row.status),
        response=clocks[0],
        resolution=clocks[1],
        escalation_level=row.escalation_level,
        merged_into_id=row.merged_into_id,
        merged_into_reference=names["merged_into_reference"],
        resolution_code=row.resolution_code,
        resolution_note=row.resolution_note,
        resolved_at=row.resolved_at,
        closed_at=row.closed_at,
        csat=row.csat,
        calls=calls,
        version=row.version,
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )
