"""Statements run on the driver convert parameters and results as SQLAlchemy would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Integer, String, any_, bindparam, insert, literal, select
from sqlalchemy.dialects import postgresql

from callcenter.db.driver_statement import DriverStatement
from callcenter.db.tables import AuditEntry, Queue
from callcenter.repositories.stamps import creation_stamp

AUDIT = AuditEntry.__table__.c

# A literal SQLAlchemy binds itself, a timestamp and a JSON value to convert, and a filter.
_ENTRIES = DriverStatement(
    select(
        AUDIT.id,
        AUDIT.at,
        AUDIT.changes,
        literal("audit", String).label("kind"),
    )
    .where(AUDIT.at >= bindparam("p_since", type_=AUDIT.at.type))
    .where(AUDIT.action == bindparam("p_action"))
    .order_by(AUDIT.id)
)


def _write_entries(database, actor):
    at = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    with database.engine.begin() as connection:
        connection.execute(
            insert(AuditEntry),
            [
                {"at": at + timedelta(hours=i), "actor": actor.login, "entity": "queue",
                 "entity_id": str(i), "action": action, "changes": {"n": [i, i + 1]}}
                for i, action in enumerate(("add", "add", "remove"))
            ],
        )  # fmt: skip
    return at


def test_rows_come_back_named_and_converted(database, actor):
    at = _write_entries(database, actor)
    # Asked in another zone: the parameter is converted to UTC as the column type says.
    since = (at + timedelta(minutes=30)).astimezone(timezone(timedelta(hours=-5)))
    with database.engine.connect() as connection:
        rows = _ENTRIES.all(connection, {"p_since": since, "p_action": "add"})
    assert [(row.at, row.changes, row.kind) for row in rows] == [
        (at + timedelta(hours=1), {"n": [1, 2]}, "audit")
    ]
    assert rows[0].at.tzinfo is UTC


def test_one_or_none(database, actor):
    at = _write_entries(database, actor)
    with database.engine.connect() as connection:
        assert _ENTRIES.one_or_none(connection, {"p_since": at, "p_action": "remove"}) is not None
        assert _ENTRIES.one_or_none(connection, {"p_since": at, "p_action": "rename"}) is None


def test_an_array_parameter_on_postgresql(database, actor):
    if database.backend != "postgresql":
        pytest.skip("arrays are PostgreSQL's")
    with database.engine.begin() as connection:
        ids = connection.scalars(
            insert(Queue).returning(Queue.id),
            [{"name": name, **creation_stamp(actor)} for name in ("Sales", "Support", "Billing")],
        ).all()
    among = DriverStatement(
        select(Queue.name)
        .where(Queue.id == any_(bindparam("p_ids", type_=postgresql.ARRAY(Integer))))
        .order_by(Queue.name)
    )
    with database.engine.connect() as connection:
        rows = among.all(connection, {"p_ids": [ids[0], ids[2]]})
    assert [row.name for row in rows] == ["Billing", "Sales"]
