"""Working callbacks on both backends: attempts logged as calls, retries, the customer calls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from callcenter.db.tables import Call
from callcenter.domain.callbacks import (
    CallbackInvalid,
    CallbackOwner,
    CallbackStatus,
    Outcome,
    Problem,
)
from callcenter.domain.calls import CallRecord, CallSource, Direction
from callcenter.services.call_log import CallLogService
from tests.support.callbacks import MONDAY_10_NY, NEW_YORK, build_world


@pytest.fixture
def world(database):
    return build_world(database)


def calls(database) -> list[tuple[str, str | None, str | None, int | None]]:
    with database.engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                select(
                    Call.direction, Call.dialled_key, Call.disposition_code, Call.customer_id
                ).order_by(Call.id)
            )
        ]


def test_no_answer_is_retried_after_the_spacing_until_the_last_attempt_fails(world):
    service = world.service(max_attempts=3, retry_spacing=timedelta(minutes=60))
    agent = world.agents[0]
    callback = service.schedule(agent, world.request())
    now = callback.due_at
    assert service.next_callback(agent, now=now).id == callback.id

    first = service.record_attempt(agent, callback.id, Outcome.NO_ANSWER, now=now)
    assert first.rescheduled and first.callback.status is CallbackStatus.PENDING
    assert first.callback.due_at == now + timedelta(minutes=60)
    assert first.callback.attempts == 1 and first.callback.last_outcome is Outcome.NO_ANSWER
    assert first.callback.claimed_by is None
    assert first.callback.remind_at == first.callback.due_at - timedelta(minutes=5)
    assert first.attempt.call_id == first.call_id

    # 20:30 New York: the next try would be after hours, so it is the next morning at 08:00.
    evening = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)
    second = service.record_attempt(agent, callback.id, Outcome.BUSY, now=evening)
    assert second.callback.due_at == datetime(2026, 11, 24, 13, 0, tzinfo=UTC)

    third = service.record_attempt(
        agent, callback.id, Outcome.VOICEMAIL, now=second.callback.due_at
    )
    assert not third.rescheduled
    assert third.callback.status is CallbackStatus.FAILED and third.callback.attempts == 3
    assert third.callback.closed_at == second.callback.due_at
    assert [a.outcome for a in service.attempts(agent, callback.id)] == [
        Outcome.NO_ANSWER,
        Outcome.BUSY,
        Outcome.VOICEMAIL,
    ]
    logged = calls(world.database)
    assert logged == [
        ("outbound", NEW_YORK, "callback_no_answer", world.customer_id),
        ("outbound", NEW_YORK, "callback_busy", world.customer_id),
        ("outbound", NEW_YORK, "callback_voicemail", world.customer_id),
    ]
    with pytest.raises(CallbackInvalid) as closed:
        service.record_attempt(agent, callback.id, Outcome.REACHED, now=evening)
    assert closed.value.problem is Problem.NOT_OPEN
    assert len(calls(world.database)) == 3


@pytest.mark.parametrize(
    ("outcome", "status"),
    [(Outcome.REACHED, CallbackStatus.DONE), (Outcome.WRONG_NUMBER, CallbackStatus.FAILED)],
)
def test_reached_closes_done_and_a_wrong_number_closes_failed(world, outcome, status):
    service = world.service()
    agent = world.agents[0]
    callback = service.schedule(agent, world.request())
    result = service.record_attempt(agent, callback.id, outcome, now=callback.due_at, notes="ok")
    assert result.callback.status is status and not result.rescheduled
    assert result.callback.remind_at is None
    assert service.reminders_due(agent, agent.user_id, now=callback.due_at) == []


def test_the_desks_own_call_record_is_the_attempts_call(world):
    service = world.service()
    agent = world.agents[0]
    callback = service.schedule(agent, world.request())
    started = callback.due_at
    record = CallRecord(
        call_uid="desk-call-1",
        direction=Direction.OUTBOUND,
        started_at=started,
        answered_at=started + timedelta(seconds=9),
        ended_at=started + timedelta(minutes=4),
        source=CallSource.SOFTPHONE,
        agent_id=agent.user_id,
        dialled_raw=NEW_YORK,
        dialled_key=NEW_YORK,
    )
    result = service.record_attempt(
        agent, callback.id, Outcome.REACHED, call=record, now=started + timedelta(minutes=4)
    )
    # The desk saving the same call again afterwards lands on the same row.
    again = CallLogService(world.database).save(agent, record)
    assert again == result.call_id
    assert len(calls(world.database)) == 1


def test_an_attempt_on_a_callback_another_agent_claimed_is_refused(world):
    service = world.service()
    me, other = world.agents
    callback = service.schedule(me, world.request(owner=CallbackOwner.queue(world.queue_id)))
    service.next_callback(other, now=callback.due_at)
    with pytest.raises(CallbackInvalid) as refused:
        service.record_attempt(me, callback.id, Outcome.REACHED, now=callback.due_at)
    assert refused.value.problem is Problem.NOT_YOUR_CLAIM
    assert calls(world.database) == []


def answered_inbound(world, uid: str, agent_id: int | None = None) -> CallRecord:
    """The customer's call at MONDAY_10_NY, answered after 5 s and over 2 minutes later."""
    return CallRecord(
        call_uid=uid,
        direction=Direction.INBOUND,
        started_at=MONDAY_10_NY,
        answered_at=MONDAY_10_NY + timedelta(seconds=5),
        ended_at=MONDAY_10_NY + timedelta(minutes=2),
        source=CallSource.SOFTPHONE,
        customer_id=world.customer_id,
        agent_id=agent_id,
        caller_raw=NEW_YORK,
        caller_key=NEW_YORK,
    )


def test_the_customer_calling_in_closes_the_callback_by_hand(world):
    service = world.service()
    agent = world.agents[0]
    callback = service.schedule(agent, world.request())
    other = service.schedule(
        agent,
        world.request(
            customer_id=world.other_customer_id,
            number="+12125550199",
            when=MONDAY_10_NY + timedelta(hours=3),
        ),
    )
    pending = service.pending_for_customer(agent, world.customer_id)
    assert [c.id for c in pending] == [callback.id]
    closed = service.close_customer_called_in(agent, callback.id, now=MONDAY_10_NY)
    assert closed.status is CallbackStatus.DONE
    assert closed.last_outcome is Outcome.CUSTOMER_CALLED_IN
    assert service.pending_for_customer(agent, world.customer_id) == []
    assert service.get(agent, other.id).status is CallbackStatus.PENDING
    with pytest.raises(CallbackInvalid):
        service.close_customer_called_in(agent, callback.id, now=MONDAY_10_NY)


@pytest.mark.parametrize("close_on_inbound", [True, False])
def test_the_setting_closes_pending_callbacks_when_the_inbound_call_is_logged(
    world, close_on_inbound
):
    service = world.service()
    agent = world.agents[0]
    callback = service.schedule(agent, world.request())
    inbound = answered_inbound(world, "inbound-1")
    call_id = CallLogService(world.database, close_on_inbound).save(agent, inbound)
    after = service.get(agent, callback.id)
    if close_on_inbound:
        assert after.status is CallbackStatus.DONE
        assert after.last_outcome is Outcome.CUSTOMER_CALLED_IN
        assert [a.call_id for a in service.attempts(agent, callback.id)] == [call_id]
    else:
        assert after.status is CallbackStatus.PENDING


def test_an_unanswered_inbound_call_leaves_the_callback_pending(world):
    service = world.service()
    agent = world.agents[0]
    callback = service.schedule(agent, world.request())
    missed = CallRecord(
        call_uid="missed-1",
        direction=Direction.INBOUND,
        started_at=MONDAY_10_NY,
        ended_at=MONDAY_10_NY + timedelta(seconds=30),
        source=CallSource.PBX,
        customer_id=world.customer_id,
    )
    CallLogService(world.database, close_callbacks_on_inbound=True).save(agent, missed)
    assert service.get(agent, callback.id).status is CallbackStatus.PENDING


def test_a_callback_closed_during_the_call_gets_the_call_once_it_is_saved(world):
    service = world.service()
    agent, other_agent = world.agents[0], world.agents[1]
    during = service.schedule(agent, world.request())
    earlier = service.schedule(agent, world.request(when=MONDAY_10_NY + timedelta(hours=2)))
    by_another = service.schedule(agent, world.request(when=MONDAY_10_NY + timedelta(hours=4)))
    # Closed the day before, by hand: not this call's doing.
    service.close_customer_called_in(agent, earlier.id, now=MONDAY_10_NY - timedelta(days=1))
    # During the call (F4), before the desk saves it at wrap-up.
    service.close_customer_called_in(agent, during.id, now=MONDAY_10_NY + timedelta(minutes=1))
    service.close_customer_called_in(
        other_agent, by_another.id, now=MONDAY_10_NY + timedelta(minutes=1)
    )
    inbound = answered_inbound(world, "inbound-f4", agent.user_id)
    call_id = CallLogService(world.database).save(agent, inbound)
    assert [a.call_id for a in service.attempts(agent, during.id)] == [call_id]
    assert [a.call_id for a in service.attempts(agent, earlier.id)] == [None]
    assert [a.call_id for a in service.attempts(agent, by_another.id)] == [None]
    # Saving the call again (a retried save) changes nothing.
    assert CallLogService(world.database).save(agent, inbound) == call_id
    assert [a.call_id for a in service.attempts(agent, during.id)] == [call_id]
