"""Call logging and agent state services on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from callcenter.domain.calls import AgentState, CallRecord, CallSource, Direction
from callcenter.domain.customers import CustomerDraft
from callcenter.domain.errors import ValidationError
from callcenter.domain.users import Role
from callcenter.services.agent_state import AgentStateService
from callcenter.services.call_log import CallLogService
from callcenter.services.users import UserService
from tests.support.clock import SettableClock as FakeClock

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_logging_a_call_sets_the_customers_last_contact_once(database, actor):
    with database.uow(actor) as uow:
        customer_id = uow.customers.add(CustomerDraft("Ada"))
        uow.commit()
    call = CallRecord(
        "uid-1",
        Direction.INBOUND,
        T0,
        CallSource.MANUAL,
        customer_id=customer_id,
        answered_at=T0 + timedelta(seconds=5),
        ended_at=T0 + timedelta(minutes=2),
    )
    service = CallLogService(database)
    assert service.save(actor, call) == service.save(actor, call)
    with database.uow(actor) as uow:
        assert uow.customers.get(customer_id).last_contact_at == T0
        assert len(uow.calls.recent_for_customer(customer_id)) == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"answered_at": T0 - timedelta(seconds=1)}, "answered_at"),
        (
            {"answered_at": T0 + timedelta(minutes=5), "ended_at": T0 + timedelta(minutes=1)},
            "ended_at",
        ),
        ({"hold_s": -3}, "hold_s"),
        ({"answered_at": T0, "ended_at": T0 + timedelta(seconds=30), "hold_s": 300}, "hold_s"),
    ],
)
def test_impossible_calls_are_refused_naming_the_field(database, actor, changes, field):
    call = CallRecord("uid-2", Direction.OUTBOUND, T0, CallSource.MANUAL, **changes)
    with pytest.raises(ValidationError) as error:
        CallLogService(database).save(actor, call)
    assert error.value.field == field
    with database.uow(actor) as uow:
        assert uow.calls.get("uid-2") is None


def test_agent_state_changes_are_recorded_with_break_reasons(database, actor):
    agent = UserService(database).add(actor, "amy", "Amy", Role.AGENT, "amy-password")
    clock = FakeClock(T0)
    service = AgentStateService(database, clock)
    assert service.current(actor, agent.id) == (AgentState.LOGGED_OUT, None, None)
    service.change(actor, agent.id, AgentState.AVAILABLE)
    with pytest.raises(ValidationError, match="reason"):
        service.change(actor, agent.id, AgentState.BREAK)
    clock.now = T0 + timedelta(minutes=30)
    service.change(actor, agent.id, AgentState.BREAK, "Lunch")
    assert service.current(actor, agent.id) == (AgentState.BREAK, "Lunch", clock.now)
    service.change(actor, agent.id, AgentState.LOGGED_OUT)
    assert service.current(actor, agent.id)[0] is AgentState.LOGGED_OUT


def test_desks_saving_calls_at_once_are_never_refused_half_way(database, database_url, actor):
    # Each save reads (the queue by name) before it writes. On SQLite a transaction that
    # began reading is refused "locked" if another desk's write lands in between, whatever
    # the busy timeout; the save takes the write lock first instead.
    import threading

    from callcenter.bootstrap import open_database

    with database.uow(actor) as uow:
        uow.queues.ensure("Support")
        customer_id = uow.customers.add(CustomerDraft("Ada"))
        uow.commit()
    desks, saves_each = 8, 15
    barrier = threading.Barrier(desks)
    errors: list[BaseException] = []

    def desk(number: int) -> None:
        own = open_database(database_url)
        try:
            service = CallLogService(own)
            barrier.wait()
            for i in range(saves_each):
                at = T0 + timedelta(minutes=number * 100 + i)
                call = CallRecord(
                    f"desk{number}-{i}",
                    Direction.INBOUND,
                    at,
                    CallSource.SOFTPHONE,
                    customer_id=customer_id,
                    answered_at=at + timedelta(seconds=5),
                    ended_at=at + timedelta(minutes=1),
                )
                service.save(actor, call, queue_name="Support")
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            own.dispose()

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(desks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with database.uow(actor) as uow:
        assert len(uow.calls.recent_for_customer(customer_id, limit=500)) == desks * saves_each
