"""Demo data comes with callbacks in every state, within calling hours, on both backends."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from callcenter.db.tables import Call
from callcenter.db.tables_callbacks import CallbackAttemptRow, CallbackRow
from callcenter.domain.calling_hours import CallingHoursRule
from callcenter.domain.users import Actor
from callcenter.services.demo_data import DemoOptions, generate

# A Tuesday, 15:00 in New York.
NOW = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)


def test_demo_data_holds_pending_overdue_retried_done_and_failed_callbacks(database):
    options = DemoOptions(customers=300, calls=600, seed=3, now=NOW, timezone="America/New_York")
    generate(database, Actor("tester"), options)
    with database.engine.connect() as connection:
        callbacks = connection.execute(select(CallbackRow)).all()
        attempts = connection.execute(select(CallbackAttemptRow.call_id)).scalars().all()
        callback_calls = connection.scalars(
            select(Call.id).where(Call.disposition_code.like("callback_%"))
        ).all()
    statuses = Counter(row.status for row in callbacks)
    assert {"pending", "done", "failed"} <= set(statuses)
    assert len(callbacks) >= 12
    assert any(row.due_at < NOW for row in callbacks if row.status == "pending")
    assert any(row.due_at > NOW for row in callbacks if row.status == "pending")
    assert any(row.escalated_at is not None for row in callbacks)
    assert sorted(attempts) == sorted(callback_calls)
    rule = CallingHoursRule()
    for row in callbacks:
        assert rule.closed(row.due_at, ZoneInfo(row.time_zone)) is None, row
