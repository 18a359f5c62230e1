"""Complaint lists: scopes, every filter, due-time order, and paging."""

from __future__ import annotations

from datetime import timedelta

import pytest

from callcenter.domain.complaint_lists import ComplaintFilter, Scope, SlaFilter, SortKey
from callcenter.domain.complaints import ComplaintInvalid, Priority, Status
from tests.test_complaint_support import World, world_fixture  # noqa: F401 - fixture


def _ids(world: World, login: str, **fields: object) -> list[int]:
    page = world.service.list(world.actor(login), ComplaintFilter(**fields))  # type: ignore[arg-type]
    return [c.id for c in page.items]


def test_scopes_mine_team_and_all(world: World) -> None:
    alices = world.open(assignee="alice")
    bobs = world.open(assignee="bob")
    carls = world.open(assignee="carl")
    unassigned = world.open()
    assert _ids(world, "alice", scope=Scope.MINE) == [alices]
    assert set(_ids(world, "alice", scope=Scope.TEAM)) == {alices, bobs}
    assert _ids(world, "carl", scope=Scope.TEAM) == [carls]
    assert set(_ids(world, "sue", scope=Scope.ALL)) == {alices, bobs, carls, unassigned}
    with pytest.raises(ComplaintInvalid) as invalid:
        _ids(world, "alice", scope=Scope.ALL)
    assert invalid.value.field == "scope"


def test_filters(world: World) -> None:
    service, alice = world.service, world.actor("alice")
    categories = {c.code: c.id for c in service.categories(alice)}
    urgent = world.open(assignee="alice", priority=Priority.URGENT, subject="Gas smell")
    billing = world.open(
        assignee="bob",
        category_id=categories["billing"],
        subcategory_id=categories["billing.refund"],
        subject="Refund missing",
    )
    pending = world.open(assignee="alice", subject="Waiting on photos")
    complaint = service.get(alice, pending)
    service.transition(alice, pending, Status.PENDING_CUSTOMER, complaint.version)

    assert _ids(world, "sue", scope=Scope.ALL, priorities=frozenset({Priority.URGENT})) == [urgent]
    assert _ids(world, "sue", scope=Scope.ALL, category_id=categories["billing"]) == [billing]
    assert _ids(world, "sue", scope=Scope.ALL, category_id=categories["billing.refund"]) == [
        billing
    ]
    assert _ids(world, "sue", scope=Scope.ALL, statuses=frozenset({Status.PENDING_CUSTOMER})) == [
        pending
    ]
    assert _ids(world, "sue", scope=Scope.ALL, assignee="bob") == [billing]
    assert _ids(world, "sue", scope=Scope.ALL, text="REFUND") == [billing]
    assert _ids(world, "sue", scope=Scope.ALL, customer_id=world.customer_id) != []
    assert _ids(world, "sue", scope=Scope.ALL, customer_id=world.customer_id + 99) == []

    # Urgent: at risk after 45 business minutes, breached after 60.
    world.clock.advance(minutes=50)
    assert _ids(world, "sue", scope=Scope.ALL, sla=SlaFilter.AT_RISK) == [urgent]
    assert _ids(world, "sue", scope=Scope.ALL, sla=SlaFilter.BREACHED) == []
    world.clock.advance(minutes=20)
    assert _ids(world, "sue", scope=Scope.ALL, sla=SlaFilter.BREACHED) == [urgent]
    assert _ids(world, "sue", scope=Scope.ALL, sla=SlaFilter.AT_RISK) == []
    assert _ids(world, "sue", scope=Scope.ALL, sla=SlaFilter.AT_RISK_OR_BREACHED) == [urgent]


def test_sorted_by_due_time_paused_last_and_paged(world: World) -> None:
    service, alice = world.service, world.actor("alice")
    low = world.open(assignee="alice", priority=Priority.LOW)
    normal = world.open(assignee="alice")
    world.clock.advance(minutes=1)
    urgent = world.open(assignee="alice", priority=Priority.URGENT)
    paused = world.open(assignee="alice", priority=Priority.URGENT)
    service.transition(alice, paused, Status.PENDING_CUSTOMER, service.get(alice, paused).version)
    assert _ids(world, "alice") == [urgent, normal, low, paused]
    # Without a running clock, last either way.
    assert _ids(world, "alice", sort=SortKey.DUE, descending=True) == [low, normal, urgent, paused]
    assert _ids(world, "alice", sort=SortKey.PRIORITY)[:2] == [urgent, paused]
    assert _ids(world, "alice", sort=SortKey.CREATED) == [low, normal, urgent, paused]

    first = service.list(alice, ComplaintFilter(), offset=0, limit=3)
    assert [c.id for c in first.items] == [urgent, normal, low] and first.has_more
    second = service.list(alice, ComplaintFilter(), offset=first.next_offset, limit=3)
    assert [c.id for c in second.items] == [paused] and not second.has_more
    row = first.items[0]
    assert (row.assignee, row.assignee_name, row.team, row.customer_name) == (
        "alice",
        "Alice Agent",
        "North",
        "Ada Lovelace",
    )
    assert row.due_at == world.clock.now + timedelta(hours=1)
    assert service.sla(row, world.clock.now + timedelta(minutes=30))[0].remaining_s == 1800
