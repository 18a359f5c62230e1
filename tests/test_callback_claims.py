"""Next callback and housekeeping under contention, on both backends: each row changed once."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

import pytest
from sqlalchemy import func, select

from callcenter.bootstrap import open_database
from callcenter.db.tables import AuditEntry
from callcenter.db.tables_callbacks import CallbackRow
from callcenter.domain.callbacks import (
    CallbackInvalid,
    CallbackOwner,
    CallbackPolicy,
    CallbackStatus,
    OwnerKind,
    Priority,
    Problem,
)
from callcenter.domain.calling_hours import CallingHoursRule
from callcenter.domain.users import Actor
from callcenter.services.callbacks import CallbackService
from tests.support.callbacks import MONDAY_10_NY, build_world

T = TypeVar("T")
CLAIMERS = 20


@pytest.fixture
def world(database):
    return build_world(database, agents=CLAIMERS)


def in_threads(
    url: str, actors: list[Actor], work: Callable[[CallbackService, Actor], T]
) -> list[T]:
    """Run `work` once per actor, each in its own thread on its own connection pool."""
    barrier = threading.Barrier(len(actors))
    results: list[T] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(actor: Actor) -> None:
        database = open_database(url)
        service = CallbackService(database, CallbackPolicy(CallingHoursRule()))
        try:
            barrier.wait()
            result = work(service, actor)
            with lock:
                results.append(result)
        except BaseException as exc:  # reported by the test thread below
            errors.append(exc)
        finally:
            database.dispose()

    threads = [threading.Thread(target=run, args=(actor,)) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def test_twenty_claimers_over_a_thousand_callbacks_claim_each_exactly_once(world, database_url):
    world.bulk_pending(1000, MONDAY_10_NY - timedelta(minutes=1))

    def claim_all(service: CallbackService, actor: Actor) -> list[int]:
        claimed = []
        while (callback := service.next_callback(actor, now=MONDAY_10_NY)) is not None:
            assert (
                callback.status is CallbackStatus.CLAIMED and callback.claimed_by == actor.user_id
            )
            claimed.append(callback.id)
        return claimed

    per_agent = in_threads(database_url, world.agents, claim_all)
    every = [i for ids in per_agent for i in ids]
    assert len(every) == 1000
    assert len(set(every)) == 1000
    # The work was shared out, not taken by one desk.
    assert sum(1 for ids in per_agent if ids) > 1
    with world.database.engine.connect() as connection:
        rows = connection.execute(select(CallbackRow.status, CallbackRow.version)).all()
        claims = connection.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "claim")
        )
    assert Counter(rows) == Counter({("claimed", 2): 1000})
    assert claims == 1000


def test_next_callback_takes_own_first_then_the_most_urgent_longest_due(world):
    service = world.service(conflict=timedelta(0))
    me, other = world.agents[0], world.agents[1]
    when = MONDAY_10_NY + timedelta(minutes=1)
    low_queue = service.schedule(
        me,
        world.request(when=when, owner=CallbackOwner.queue(world.queue_id), priority=Priority.LOW),
    )
    urgent_queue = service.schedule(
        me,
        world.request(
            when=when + timedelta(minutes=2),
            owner=CallbackOwner.queue(world.queue_id),
            priority=Priority.URGENT,
        ),
    )
    mine = service.schedule(
        me, world.request(when=when + timedelta(minutes=3), priority=Priority.LOW)
    )
    theirs = service.schedule(
        me,
        world.request(
            when=when, owner=CallbackOwner.agent(other.user_id), priority=Priority.URGENT
        ),
    )
    later = service.schedule(me, world.request(when=when + timedelta(hours=2)))
    assert service.next_callback(me, now=MONDAY_10_NY) is None  # nothing due yet
    now = MONDAY_10_NY + timedelta(minutes=10)
    order = [service.next_callback(me, now=now) for _ in range(4)]
    assert [c.id if c else None for c in order] == [mine.id, urgent_queue.id, low_queue.id, None]
    # Another agent's private callback and a later one are never handed out to me.
    assert service.get(me, theirs.id).status is CallbackStatus.PENDING
    assert service.get(me, later.id).status is CallbackStatus.PENDING
    # A queue I do not work is not offered; callbacks with no queue are everyone's.
    support = service.schedule(
        me, world.request(when=when, owner=CallbackOwner.queue(world.queue_id))
    )
    anyone = service.schedule(me, world.request(when=when, owner=CallbackOwner.queue()))
    taken = [service.next_callback(other, queue_ids=[], now=now) for _ in range(3)]
    assert [c.id if c else None for c in taken] == [theirs.id, anyone.id, None]
    assert service.get(me, support.id).status is CallbackStatus.PENDING


def test_a_claim_given_back_returns_to_the_pool(world):
    service = world.service()
    me, other = world.agents[0], world.agents[1]
    callback = service.schedule(me, world.request(owner=CallbackOwner.queue(world.queue_id)))
    now = callback.due_at
    assert service.next_callback(me, now=now).id == callback.id
    assert service.release(other, callback.id, now=now) is False
    assert service.release(me, callback.id, now=now) is True
    assert service.next_callback(other, now=now).id == callback.id


def test_a_named_callback_is_claimed_by_its_agent_and_then_by_nobody_else(world):
    service = world.service(conflict=timedelta(0))
    me, other = world.agents[0], world.agents[1]
    mine = service.schedule(me, world.request())  # private, mine; not due yet
    claimed = service.claim(me, mine.id, now=MONDAY_10_NY)
    assert (claimed.status, claimed.claimed_by) == (CallbackStatus.CLAIMED, me.user_id)
    assert service.claim(me, mine.id, now=MONDAY_10_NY).version == claimed.version  # as is
    with pytest.raises(CallbackInvalid) as refused:
        service.claim(other, mine.id, now=MONDAY_10_NY)
    assert (refused.value.field, refused.value.problem) == ("status", Problem.NOT_YOUR_CLAIM)
    # F9 passes over it too, even once it is due.
    assert service.next_callback(other, now=mine.due_at + timedelta(hours=1)) is None
    queue = service.schedule(me, world.request(owner=CallbackOwner.queue(world.queue_id)))
    assert service.claim(other, queue.id, now=MONDAY_10_NY).claimed_by == other.user_id
    with pytest.raises(CallbackInvalid, match="another agent is working"):
        service.claim(me, queue.id, now=MONDAY_10_NY)


def test_a_named_callback_that_is_not_yours_or_closed_is_refused(world, database):
    service = world.service(conflict=timedelta(0))
    me, other = world.agents[0], world.agents[1]
    theirs = service.schedule(me, world.request(owner=CallbackOwner.agent(other.user_id)))
    with pytest.raises(CallbackInvalid, match="another agent's"):
        service.claim(me, theirs.id, now=MONDAY_10_NY)
    done = service.schedule(me, world.request())
    service.cancel(me, done.id, done.version)
    with pytest.raises(CallbackInvalid) as refused:
        service.claim(me, done.id, now=MONDAY_10_NY)
    assert refused.value.problem is Problem.NOT_OPEN
    with database.engine.connect() as connection:
        claims = connection.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "claim")
        )
    assert claims == 0


def test_stale_claims_and_overdue_private_callbacks_move_once_however_many_housekeepers(
    world, database_url
):
    service = world.service()
    me = world.agents[0]
    pool = service.schedule(me, world.request(owner=CallbackOwner.queue(world.queue_id)))
    private = service.schedule(
        me,
        world.request(
            when=pool.due_at + timedelta(minutes=30), owner=CallbackOwner.agent(me.user_id)
        ),
    )
    fresh = service.schedule(
        me,
        world.request(when=pool.due_at + timedelta(hours=3), owner=CallbackOwner.agent(me.user_id)),
    )
    claimed = service.next_callback(world.agents[1], queue_ids=[world.queue_id], now=pool.due_at)
    assert claimed.id == pool.id
    world.bulk_pending(200, MONDAY_10_NY, queue=False)
    # 11 minutes after the claim (10 allowed) and 31 after the private one was due (30 grace).
    now = private.due_at + timedelta(minutes=31)

    results = in_threads(database_url, world.agents, lambda s, actor: s.housekeep(actor, now=now))
    released = [i for result in results for i in result.released]
    escalated = [i for result in results for i in result.escalated]
    assert released == [pool.id]
    assert sorted(escalated) == sorted(set(escalated)) and len(escalated) == 201
    assert private.id in escalated and fresh.id not in escalated
    assert service.get(me, pool.id).status is CallbackStatus.PENDING
    assert service.get(me, pool.id).claimed_by is None
    assert service.get(me, private.id).owner_kind is OwnerKind.QUEUE
    assert service.get(me, fresh.id).owner_kind is OwnerKind.AGENT
    with world.database.engine.connect() as connection:
        audit = Counter(
            connection.scalars(select(AuditEntry.action).where(AuditEntry.entity == "callback"))
        )
    assert audit["claim_expired"] == 1 and audit["to_queue"] == 201
    # Now the queue's: another agent may take it.
    assert world.service().housekeep(me, now=now).released == ()
