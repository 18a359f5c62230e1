"""Scheduling callbacks on both backends: zones, calling hours, conflicts and bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from callcenter.db.tables import AuditEntry
from callcenter.db.tables_callbacks import CallbackRow
from callcenter.domain.callbacks import (
    CallbackConflict,
    CallbackInvalid,
    CallbackOwner,
    CallbackStatus,
    OutsideCallingHours,
    OwnerKind,
    Priority,
    Problem,
    StaleCallback,
)
from callcenter.domain.calling_hours import Closed
from callcenter.services.customers import CustomerService
from tests.support.callbacks import MONDAY_10_NY, NEW_YORK, SPAIN_MOBILE, TORONTO, build_world


@pytest.fixture
def world(database):
    return build_world(database)


def count_callbacks(database) -> int:
    with database.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(CallbackRow))


def test_a_callback_is_stored_with_the_customers_zone_and_a_reminder(world):
    service = world.service()
    agent = world.agents[0]
    when = MONDAY_10_NY + timedelta(hours=2)
    callback = service.schedule(
        agent, world.request(number="(212) 555-0142", when=when, priority=Priority.HIGH)
    )
    assert callback.number == NEW_YORK
    assert callback.number_display == "(212) 555-0142"
    assert callback.time_zone == "America/New_York"
    assert callback.due_at == when
    assert callback.status is CallbackStatus.PENDING
    assert callback.owner_kind is OwnerKind.AGENT and callback.agent_id == agent.user_id
    assert callback.agent_name == "Agent 00" and callback.queue_name == "Support"
    assert callback.customer_name == "Ada Lovelace"
    assert callback.remind_at == when - timedelta(minutes=5)
    assert callback.priority is Priority.HIGH
    assert callback.version == 1 and callback.created_by == agent.login
    assert service.get(agent, callback.id) == callback
    with world.database.engine.connect() as connection:
        actions = connection.scalars(
            select(AuditEntry.action).where(AuditEntry.entity == "callback")
        ).all()
    assert actions == ["create"]


def test_a_number_in_several_zones_needs_one_chosen_from_them(world):
    service = world.service()
    zones = service.zones_for_number(SPAIN_MOBILE)
    assert zones.needs_choice and set(zones.zones) == {"Europe/Madrid", "Atlantic/Canary"}
    assert service.zones_for_number(TORONTO).default == "America/Toronto"
    # 15:00 UTC on a Monday is 16:00 in Madrid and 15:00 in the Canaries: both open.
    when = MONDAY_10_NY + timedelta(hours=1)
    with pytest.raises(CallbackInvalid) as missing:
        service.schedule(world.agents[0], world.request(number=SPAIN_MOBILE, when=when))
    assert (missing.value.field, missing.value.problem) == ("time_zone", Problem.ZONE_REQUIRED)
    with pytest.raises(CallbackInvalid) as wrong:
        service.schedule(
            world.agents[0],
            world.request(number=SPAIN_MOBILE, when=when, time_zone="America/New_York"),
        )
    assert wrong.value.problem is Problem.ZONE_NOT_OF_NUMBER
    chosen = service.schedule(
        world.agents[0],
        world.request(number=SPAIN_MOBILE, when=when, time_zone="Atlantic/Canary"),
    )
    assert chosen.time_zone == "Atlantic/Canary"


def test_a_time_outside_calling_hours_is_refused_with_the_next_allowed_slot(world):
    service = world.service()
    # 02:00 UTC Tuesday is 21:00 Monday in New York: closing time.
    late = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    with pytest.raises(OutsideCallingHours) as refused:
        service.schedule(world.agents[0], world.request(when=late))
    assert refused.value.field == "when"
    assert "after calling hours" in refused.value.reason
    # Tuesday 08:00 in New York.
    assert refused.value.next_slot.at == datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
    assert refused.value.next_slot.local.hour == 8
    # Saturday is not a calling day: the next slot is Monday 08:00.
    saturday = datetime(2026, 11, 28, 16, 0, tzinfo=UTC)
    check = service.check_calling_hours(world.agents[0], saturday, "America/New_York")
    assert check.closed is Closed.NOT_A_BUSINESS_DAY and not check.allowed
    assert check.next_slot.at == datetime(2026, 11, 30, 13, 0, tzinfo=UTC)
    taken = service.schedule(world.agents[0], world.request(when=refused.value.next_slot.at))
    assert taken.due_at == refused.value.next_slot.at
    assert count_callbacks(world.database) == 1


def test_a_window_opening_before_hours_starts_when_they_open(world):
    service = world.service()
    # Tuesday 06:00-10:00 New York: called from 08:00.
    earliest = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)
    latest = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
    callback = service.schedule(world.agents[0], world.request(when=earliest, latest=latest))
    assert callback.due_at == datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
    assert callback.latest_at == latest


def test_a_queue_may_have_its_own_calling_hours(world):
    service = world.service()
    saturday_noon = datetime(2026, 11, 28, 17, 0, tzinfo=UTC)
    with pytest.raises(OutsideCallingHours):
        service.schedule(
            world.agents[0],
            world.request(when=saturday_noon, owner=CallbackOwner.queue(world.queue_id)),
        )
    rule = service.set_queue_calling_hours(world.admin, world.queue_id, "09:00-18:00", "mon-sat")
    assert rule.days_text == ("mon", "tue", "wed", "thu", "fri", "sat")
    callback = service.schedule(
        world.agents[0],
        world.request(when=saturday_noon, owner=CallbackOwner.queue(world.queue_id)),
    )
    assert callback.owner_kind is OwnerKind.QUEUE
    with pytest.raises(StaleCallback):
        service.set_queue_calling_hours(world.admin, world.queue_id, "09:00-17:00", "mon-fri", 7)
    with pytest.raises(CallbackInvalid) as bad:
        service.set_queue_calling_hours(world.admin, world.queue_id, "18:00-09:00", "mon-fri", 1)
    assert bad.value.field == "calling_hours"


def test_a_callback_close_to_another_of_the_agents_is_flagged_with_a_free_slot(world):
    service = world.service()
    agent = world.agents[0]
    first = service.schedule(agent, world.request(when=MONDAY_10_NY + timedelta(hours=1)))
    service.schedule(agent, world.request(when=MONDAY_10_NY + timedelta(hours=1, minutes=15)))
    with pytest.raises(CallbackConflict) as flagged:
        service.schedule(agent, world.request(when=MONDAY_10_NY + timedelta(hours=1, minutes=5)))
    assert flagged.value.field == "when"
    assert first.id in [c.id for c in flagged.value.conflicting]
    # 11:00 and 11:15 are taken 15 minutes apart each: 11:30 is the first free time.
    assert flagged.value.suggested is not None
    assert flagged.value.suggested.at == MONDAY_10_NY + timedelta(hours=1, minutes=30)
    check = service.conflicts(agent, agent.user_id, MONDAY_10_NY + timedelta(hours=3), "UTC")
    assert check.clear
    # Another agent, or keeping the time anyway, is no conflict.
    other = CallbackOwner.agent(world.agents[1].user_id)
    service.schedule(agent, world.request(when=first.due_at, owner=other))
    kept = service.schedule(
        agent, world.request(when=first.due_at + timedelta(minutes=1), allow_conflict=True)
    )
    assert kept.id
    assert count_callbacks(world.database) == 4


@pytest.mark.parametrize(
    ("changes", "field", "problem"),
    [
        ({"when": MONDAY_10_NY - timedelta(hours=1)}, "when", Problem.IN_THE_PAST),
        ({"number": "+12125550199"}, "number", Problem.NOT_THE_CUSTOMERS),
        ({"number": "not a number"}, "number", Problem.NOT_A_NUMBER),
        ({"number": "  "}, "number", Problem.REQUIRED),
        ({"customer_id": 99999}, "customer", Problem.NOT_FOUND),
        ({"latest": MONDAY_10_NY}, "latest", Problem.BEFORE_START),
        ({"reason": "x" * 501}, "reason", Problem.TOO_LONG),
        ({"complaint_id": 4242}, "complaint", Problem.NOT_FOUND),
        ({"owner": CallbackOwner.agent(99999)}, "owner", Problem.NOT_FOUND),
        ({"owner": CallbackOwner.queue(99999)}, "queue", Problem.NOT_FOUND),
        ({"time_zone": "Mars/Olympus"}, "time_zone", Problem.NOT_FOUND),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(world, changes, field, problem):
    with pytest.raises(CallbackInvalid) as refused:
        world.service().schedule(world.agents[0], world.request(**changes))
    assert (refused.value.field, refused.value.problem) == (field, problem)
    assert refused.value.reason
    assert count_callbacks(world.database) == 0


def test_a_deleted_customer_cannot_be_promised_a_callback(world):
    with world.database.uow(world.admin) as uow:
        from callcenter.db.tables import Customer

        uow.session.get(Customer, world.customer_id).deleted_at = MONDAY_10_NY
        uow.commit()
    with pytest.raises(CallbackInvalid) as refused:
        world.service().schedule(world.agents[0], world.request())
    assert (refused.value.field, refused.value.problem) == ("customer", Problem.DELETED)
    assert count_callbacks(world.database) == 0


def test_a_number_added_later_to_the_customer_may_be_used(world):
    CustomerService(world.database).attach_number(world.admin, world.customer_id, "+12125550177")
    callback = world.service().schedule(world.agents[0], world.request(number="212 555 0177"))
    assert callback.number == "+12125550177"


def test_reschedule_and_cancel_check_the_version(world):
    service = world.service()
    agent = world.agents[0]
    callback = service.schedule(agent, world.request())
    moved = service.reschedule(
        agent, callback.id, MONDAY_10_NY + timedelta(hours=4), callback.version
    )
    assert moved.due_at == MONDAY_10_NY + timedelta(hours=4) and moved.version == 2
    assert moved.remind_at == moved.due_at - timedelta(minutes=5)
    with pytest.raises(StaleCallback):
        service.cancel(agent, callback.id, callback.version)
    with pytest.raises(OutsideCallingHours):
        service.reschedule(agent, callback.id, MONDAY_10_NY + timedelta(hours=12), 2)
    cancelled = service.cancel(agent, callback.id, moved.version)
    assert cancelled.status is CallbackStatus.CANCELLED and cancelled.closed_at == MONDAY_10_NY
    with pytest.raises(CallbackInvalid) as closed:
        service.reschedule(agent, callback.id, MONDAY_10_NY + timedelta(hours=5), 3)
    assert closed.value.problem is Problem.NOT_OPEN
