"""Backlog filters: the same callbacks as filtering the whole list, read through their indexes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event

from callcenter.domain.callbacks import (
    OPEN_STATUSES,
    BacklogFilter,
    Callback,
    CallbackOwner,
    CallbackStatus,
    Outcome,
    OwnerKind,
)
from tests.support.callbacks import MONDAY_10_NY, World, build_world

CLOSED = (CallbackStatus.DONE, CallbackStatus.FAILED, CallbackStatus.CANCELLED)
STATUS_CHOICES: tuple[tuple[CallbackStatus, ...], ...] = (
    OPEN_STATUSES,
    (CallbackStatus.PENDING,),
    (CallbackStatus.CLAIMED,),
    CLOSED,
    (CallbackStatus.CANCELLED,),
    (CallbackStatus.PENDING, CallbackStatus.DONE),
    (),
)


def _fill(world: World) -> None:
    """Private and queue callbacks, with and without a queue, pending, claimed and closed."""
    service = world.service(conflict=timedelta(0))
    me, other = world.agents
    owners = [
        CallbackOwner.queue(world.queue_id),
        CallbackOwner.agent(me.user_id or 0, world.queue_id),
        CallbackOwner.agent(other.user_id or 0),
        CallbackOwner.queue(world.queue_id),
    ]
    made = [
        service.schedule(
            me,
            world.request(
                when=MONDAY_10_NY + timedelta(minutes=7 * (12 - n)), owner=owners[n % len(owners)]
            ),
        )
        for n in range(12)
    ]
    service.cancel(me, made[1].id, made[1].version)
    claimed = service.next_callback(other, now=MONDAY_10_NY + timedelta(hours=3))
    assert claimed is not None
    done = service.next_callback(me, now=MONDAY_10_NY + timedelta(hours=3))
    assert done is not None
    service.record_attempt(me, done.id, Outcome.REACHED, now=MONDAY_10_NY + timedelta(hours=3))


def _everything(world: World) -> list[Callback]:
    page = world.service().backlog(world.agents[0], BacklogFilter(statuses=()), 1000)
    assert page.next_cursor is None
    return list(page.items)


def _paged(world: World, where: BacklogFilter, limit: int = 2) -> list[int]:
    service, seen, cursor = world.service(), [], None
    while True:
        page = service.backlog(world.agents[0], where, limit, cursor)
        seen += [c.id for c in page.items]
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


def _filters(world: World) -> Iterator[tuple[BacklogFilter, Callable[[Callback], bool]]]:
    for statuses in STATUS_CHOICES:
        for queue_id in (None, world.queue_id, 999_999):
            for kind in (None, OwnerKind.AGENT, OwnerKind.QUEUE):

                def matches(
                    c: Callback,
                    statuses: tuple[CallbackStatus, ...] = statuses,
                    queue_id: int | None = queue_id,
                    kind: OwnerKind | None = kind,
                ) -> bool:
                    return (
                        (not statuses or c.status in statuses)
                        and (queue_id is None or c.queue_id == queue_id)
                        and (kind is None or c.owner_kind == kind)
                    )

                yield BacklogFilter(statuses=statuses, queue_id=queue_id, owner_kind=kind), matches


def test_every_filter_pages_through_exactly_the_callbacks_it_describes(database):
    world = build_world(database)
    _fill(world)
    everything = _everything(world)
    assert {c.status for c in everything} == set(CallbackStatus) - {CallbackStatus.FAILED}
    assert [c.id for c in everything] == [
        c.id for c in sorted(everything, key=lambda c: (c.due_at, c.id))
    ]
    for where, matches in _filters(world):
        expected = [c.id for c in everything if matches(c)]
        assert _paged(world, where) == expected, where


@contextmanager
def _statements(world: World) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    event.listen(world.database.engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(world.database.engine, "before_cursor_execute", keep)


@pytest.mark.parametrize(
    ("where", "index"),
    [
        (BacklogFilter(), "ix_callbacks_open_due_at_id"),
        (BacklogFilter(statuses=(CallbackStatus.PENDING,)), "ix_callbacks_open_due_at_id"),
        (BacklogFilter(statuses=(CallbackStatus.CLAIMED,)), "ix_callbacks_claimed_due_at_id"),
        (BacklogFilter(statuses=CLOSED), "ix_callbacks_closed_due_at_id"),
        (BacklogFilter(queue_id=1), "ix_callbacks_open_queue_id_due_at_id"),
        (BacklogFilter(owner_kind=OwnerKind.QUEUE), "ix_callbacks_open_owner_kind_due_at_id"),
        (BacklogFilter(overdue_at=MONDAY_10_NY), "ix_callbacks_open_due_at_id"),
    ],
)
def test_a_backlog_page_walks_an_index_in_due_order_on_sqlite(sqlite_database, where, index):
    # At 100,000 callbacks a page that sorts every match, or scans the table, takes 100s of ms.
    world = build_world(sqlite_database)
    with _statements(world) as seen:
        world.service().backlog(world.agents[0], where, 100)
    ((statement, parameters),) = [s for s in seen if "FROM callbacks" in s[0]]
    with sqlite_database.engine.connect() as connection:
        plan = [
            row[3]
            for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        ]
    assert any(f"USING INDEX {index}" in line for line in plan), plan
    assert not any(line.startswith("SCAN callbacks") and index not in line for line in plan), plan
    # The one sort left is the page's own few rows, after its ids were found in order.
    assert sum("TEMP B-TREE FOR ORDER BY" in line for line in plan) == 1, plan
