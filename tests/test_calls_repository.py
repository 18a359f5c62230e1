"""Call records and agent states on both backends: idempotent saves, UTC times, state spans."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from callcenter.db.tables import AgentStateChange, Call
from callcenter.domain.calls import AgentState, CallRecord, CallSource, Direction
from callcenter.domain.customers import CustomerDraft
from callcenter.domain.users import Role
from callcenter.services.users import UserService

T0 = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # the night Europe moves its clocks forward


def record(**changes):
    base = dict(
        call_uid="call-1",
        direction=Direction.INBOUND,
        started_at=T0,
        source=CallSource.SOFTPHONE,
        source_call_id="sip-abc",
        caller_raw="+12125550142",
        caller_key="+12125550142",
    )
    base.update(changes)
    return CallRecord(**base)


def count_calls(database):
    with database.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Call))


def test_a_retried_save_lands_on_the_same_row(database, actor):
    with database.uow(actor) as uow:
        first = uow.calls.save(record())
        uow.commit()
    answered = T0 + timedelta(seconds=12)
    with database.uow(actor) as uow:
        again = uow.calls.save(
            record(
                answered_at=answered,
                ended_at=answered + timedelta(minutes=3),
                hold_s=20,
                acw_s=45,
                disposition_code="resolved",
            )
        )
        uow.commit()
    assert first == again
    assert count_calls(database) == 1
    with database.uow(actor) as uow:
        saved = uow.calls.get("call-1")
    assert (saved.hold_s, saved.acw_s, saved.disposition_code) == (20, 45, "resolved")
    assert saved.answered_at == answered and saved.answered_at.tzinfo is not None


def test_one_source_call_id_cannot_make_two_calls(database, actor):
    with database.uow(actor) as uow:
        uow.calls.save(record())
        uow.commit()
    with database.uow(actor) as uow, pytest.raises(IntegrityError):
        uow.calls.save(record(call_uid="call-2"))
    assert count_calls(database) == 1


def test_times_are_stored_in_utc_whatever_zone_they_come_in(database, actor):
    paris_summer = timezone(timedelta(hours=2))
    local = datetime(2026, 7, 1, 14, 0, tzinfo=paris_summer)
    with database.uow(actor) as uow:
        uow.calls.save(record(started_at=local))
        uow.commit()
    with database.uow(actor) as uow:
        saved = uow.calls.get("call-1")
    assert saved.started_at == local
    assert saved.started_at.utcoffset() == timedelta(0)
    assert saved.started_at.hour == 12


def test_naive_datetimes_are_refused(database, actor):
    with database.uow(actor) as uow, pytest.raises(Exception, match="naive datetime"):
        uow.calls.save(record(started_at=datetime(2026, 1, 1, 9, 0)))


def test_touching_last_contact_keeps_the_latest(database, actor):
    with database.uow(actor) as uow:
        customer_id = uow.customers.add(CustomerDraft("Ada"))
        uow.customers.touch_last_contact(customer_id, T0)
        uow.customers.touch_last_contact(customer_id, T0 - timedelta(days=1))
        uow.commit()
    with database.uow(actor) as uow:
        customer = uow.customers.get(customer_id)
    assert customer.last_contact_at == T0
    assert customer.version == 1  # not a user edit: nobody's open form goes stale


def test_agent_state_changes_make_closed_spans(database, actor):
    agent = UserService(database).add(actor, "amy", "Amy", Role.AGENT, "amy-password")
    with database.uow(actor) as uow:
        uow.agent_states.change(agent.id, AgentState.AVAILABLE, T0)
        uow.agent_states.change(agent.id, AgentState.BREAK, T0 + timedelta(hours=1), "lunch")
        uow.commit()
    with database.uow(actor) as uow:
        assert uow.agent_states.current(agent.id) == (
            AgentState.BREAK,
            "lunch",
            T0 + timedelta(hours=1),
        )
        uow.agent_states.change(agent.id, AgentState.LOGGED_OUT, T0 + timedelta(hours=2))
        uow.commit()
    with database.engine.connect() as connection:
        spans = connection.execute(
            select(
                AgentStateChange.state, AgentStateChange.started_at, AgentStateChange.ended_at
            ).order_by(AgentStateChange.started_at)
        ).all()
    assert [s[0] for s in spans] == ["available", "break"]
    assert all(s[2] is not None for s in spans)
    with database.uow(actor) as uow:
        assert uow.agent_states.current(agent.id) is None
