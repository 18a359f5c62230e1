"""The agenda, the backlog and reminders on both backends, with an injected clock."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from callcenter.domain.callbacks import (
    AgendaSpan,
    BacklogFilter,
    CallbackInvalid,
    CallbackOwner,
    CallbackStatus,
    Outcome,
    OwnerKind,
    Priority,
)
from tests.support.callbacks import MONDAY_10_NY, build_world


@pytest.fixture
def world(database):
    return build_world(database)


def test_the_agenda_shows_my_callbacks_by_day_and_week_in_my_zone(world):
    service = world.service()
    me, other = world.agents
    monday = service.schedule(me, world.request(when=MONDAY_10_NY + timedelta(hours=1)))
    # Tuesday 09:00 New York.
    tuesday = service.schedule(me, world.request(when=MONDAY_10_NY + timedelta(hours=23)))
    # The following Monday is another week.
    service.schedule(me, world.request(when=MONDAY_10_NY + timedelta(days=7)))
    service.schedule(
        me,
        world.request(
            when=MONDAY_10_NY + timedelta(hours=2), owner=CallbackOwner.agent(other.user_id)
        ),
    )
    day = service.agenda(me, me.user_id, date(2026, 11, 23), "America/New_York")
    assert [c.id for c in day] == [monday.id]
    week = service.agenda(me, me.user_id, date(2026, 11, 25), "America/New_York", AgendaSpan.WEEK)
    assert [c.id for c in week] == [monday.id, tuesday.id]
    # In Tokyo, 09:00 Tuesday in New York is already Tuesday 23:00; 11:00 Monday is Tuesday 01:00.
    tokyo = service.agenda(me, me.user_id, date(2026, 11, 24), "Asia/Tokyo")
    assert [c.id for c in tokyo] == [monday.id, tuesday.id]


def test_a_queue_callback_i_claimed_is_in_my_agenda(world):
    service = world.service()
    me = world.agents[0]
    callback = service.schedule(me, world.request(owner=CallbackOwner.queue(world.queue_id)))
    assert service.agenda(me, me.user_id, date(2026, 11, 23), "America/New_York") == []
    service.next_callback(me, now=callback.due_at)
    agenda = service.agenda(me, me.user_id, date(2026, 11, 23), "America/New_York")
    assert [c.id for c in agenda] == [callback.id]


def test_the_backlog_pages_in_due_order_and_filters(world):
    service = world.service(conflict=timedelta(0))
    me, other = world.agents
    made = []
    for n in range(7):
        owner = CallbackOwner.queue(world.queue_id) if n % 2 else CallbackOwner.agent(me.user_id)
        made.append(
            service.schedule(
                me,
                world.request(
                    when=MONDAY_10_NY + timedelta(minutes=10 * (7 - n)),
                    owner=owner,
                    priority=Priority.URGENT if n == 3 else Priority.NORMAL,
                ),
            )
        )
    service.cancel(me, made[0].id, made[0].version)
    expected = [c.id for c in sorted(made[1:], key=lambda c: c.due_at)]
    seen, cursor, pages = [], None, 0
    while True:
        page = service.backlog(me, limit=4, after=cursor)
        seen += [c.id for c in page.items]
        pages += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == expected and pages == 2

    queue_only = service.backlog(me, BacklogFilter(owner_kind=OwnerKind.QUEUE))
    assert {c.owner_kind for c in queue_only.items} == {OwnerKind.QUEUE}
    assert len(queue_only.items) == 3
    urgent = service.backlog(me, BacklogFilter(max_priority=Priority.HIGH))
    assert [c.id for c in urgent.items] == [made[3].id]
    cancelled = service.backlog(me, BacklogFilter(statuses=(CallbackStatus.CANCELLED,)))
    assert [c.id for c in cancelled.items] == [made[0].id]
    # At 11:05 New York, those due by 11:00 are overdue.
    at = MONDAY_10_NY + timedelta(minutes=65)
    overdue = service.backlog(me, BacklogFilter(overdue_at=at))
    assert all(c.is_overdue(at) for c in overdue.items)
    assert len(overdue.items) == 6
    assert service.backlog(me, BacklogFilter(agent_id=other.user_id)).items == ()


def test_reminders_come_at_due_minus_the_lead_snooze_and_never_once_done(world):
    service = world.service(reminder_lead=timedelta(minutes=5))
    me, other = world.agents
    callback = service.schedule(me, world.request(when=MONDAY_10_NY + timedelta(minutes=30)))
    assert service.reminders_due(me, me.user_id, now=MONDAY_10_NY + timedelta(minutes=24)) == []
    at = MONDAY_10_NY + timedelta(minutes=25)
    assert [c.id for c in service.reminders_due(me, me.user_id, now=at)] == [callback.id]
    assert service.reminders_due(other, other.user_id, now=at) == []

    snoozed = service.snooze(me, callback.id, 10, now=at)
    assert snoozed.remind_at == at + timedelta(minutes=10)
    assert snoozed.version == callback.version  # the owner's own affair: no one's copy is stale
    assert service.reminders_due(me, me.user_id, now=at + timedelta(minutes=9)) == []
    later = at + timedelta(minutes=10)
    assert [c.id for c in service.reminders_due(me, me.user_id, now=later)] == [callback.id]

    service.dismiss_reminder(me, callback.id)
    assert service.reminders_due(me, me.user_id, now=later + timedelta(hours=1)) == []
    service.record_attempt(me, callback.id, Outcome.REACHED, now=later)
    with pytest.raises(CallbackInvalid):
        service.snooze(me, callback.id, 5, now=later)
    assert service.reminders_due(me, me.user_id, now=later + timedelta(days=1)) == []
