"""Escalation by hand and by the sweep: levels, notifications, and exactly once even when many
desktops sweep at the same moment (threads, each with its own connection pool)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from callcenter.bootstrap import open_database
from callcenter.db.tables_complaints import ComplaintEscalation, Notification
from callcenter.domain.complaint_lists import ComplaintFilter, Scope, SlaFilter
from callcenter.domain.complaints import (
    CommentKind,
    EscalationTrigger,
    NotificationKind,
    Priority,
    RefusalReason,
    SlaState,
    SlaTarget,
    Status,
    TransitionRefused,
)
from callcenter.services.complaints import ComplaintService
from tests.test_complaint_support import World, world_fixture  # noqa: F401 - fixture


def test_the_sweep_escalates_at_risk_then_breach_once_each_and_notifies(world: World) -> None:
    alice, sue, service = world.actor("alice"), world.actor("sue"), world.service
    complaint_id = world.open(by="bob", assignee="alice", priority=Priority.URGENT)
    assert service.unread_count(alice) == 1  # assigned by bob
    service.mark_read(alice)
    start = world.clock.now

    assert service.sweep(alice, start + timedelta(minutes=44)).escalations == 0
    world.clock.now = start + timedelta(minutes=46)
    result = service.sweep(alice)
    assert (result.escalations, result.notifications) == (1, 2)  # alice and sue
    complaint = service.get(alice, complaint_id)
    assert (complaint.escalation_level, complaint.status) == (1, Status.ESCALATED)
    assert complaint.response.state is SlaState.AT_RISK
    assert service.sweep(alice).escalations == 0

    [note] = service.notifications(sue)
    assert (note.kind, note.level, note.trigger, note.target) == (
        NotificationKind.ESCALATED,
        1,
        EscalationTrigger.AT_RISK,
        SlaTarget.RESPONSE,
    )
    assert note.reference == complaint.reference and note.unread
    assert service.unread_count(sue) == 1 and service.unread_count(world.actor("sam")) == 0

    world.clock.now = start + timedelta(minutes=61)
    assert service.sweep(alice).escalations == 1
    complaint = service.get(alice, complaint_id)
    assert complaint.escalation_level == 2
    assert complaint.response.state is SlaState.BREACHED
    assert complaint.response.remaining_s == -60
    assert service.unread_count(sue) == 2
    assert service.mark_read(sue, [note.id]) == 1
    assert service.unread_count(sue) == 1
    assert service.mark_read(sue) == 1 and service.unread_count(sue) == 0

    # Respond; the resolution target (8 business hours) is at risk at six, breached at eight.
    service.comment(alice, complaint_id, CommentKind.CUSTOMER, "On it")
    world.clock.now = start + timedelta(hours=6, minutes=1)  # 16:01 on Monday
    assert service.sweep(alice).escalations == 1
    assert service.get(alice, complaint_id).escalation_level == 3
    world.clock.now = start + timedelta(days=1, hours=3)  # Tuesday 13:00: breached
    assert service.sweep(alice).escalations == 0  # level 3 is the top: recorded, no alarm
    listed = service.list(sue, ComplaintFilter(scope=Scope.TEAM, sla=SlaFilter.BREACHED))
    assert [c.id for c in listed.items] == [complaint_id]
    assert listed.items[0].resolution.state is SlaState.BREACHED


def test_manual_escalation_needs_a_reason_and_stops_at_level_three(world: World) -> None:
    alice, service = world.actor("alice"), world.service
    complaint = service.get(alice, world.open(assignee="alice"))
    with pytest.raises(Exception, match="reason: must not be empty"):
        service.escalate(alice, complaint.id, " ", complaint.version)
    for level in (1, 2, 3):
        complaint = service.escalate(
            alice, complaint.id, f"Angry, round {level}", complaint.version
        )
        assert (complaint.escalation_level, complaint.status) == (level, Status.ESCALATED)
    with pytest.raises(TransitionRefused) as refused:
        service.escalate(alice, complaint.id, "Again", complaint.version)
    assert refused.value.reason is RefusalReason.MAX_LEVEL
    # alice escalated herself: only the supervisor hears of it.
    assert service.unread_count(alice) == 0
    assert service.unread_count(world.actor("sue")) == 3
    reasons = [
        h.new for h in service.history(alice, complaint.id) if h.field == "escalation_reason"
    ]
    assert reasons == ["Angry, round 1", "Angry, round 2", "Angry, round 3"]


def test_paused_complaints_are_not_escalated(world: World) -> None:
    alice, service = world.actor("alice"), world.service
    complaint = service.get(alice, world.open(assignee="alice", priority=Priority.URGENT))
    service.transition(alice, complaint.id, Status.PENDING_CUSTOMER, complaint.version)
    world.clock.advance(days=3)
    assert service.sweep(alice).escalations == 0
    complaint = service.get(alice, complaint.id)
    assert complaint.resolution.state is SlaState.PAUSED
    assert complaint.resolution.remaining_s == 8 * 3600


def test_many_desktops_sweeping_at_once_escalate_exactly_once(world: World) -> None:
    ids = [
        world.open(by="bob", assignee="alice" if i % 2 else "carl", priority=Priority.URGENT)
        for i in range(12)
    ]
    now = world.clock.now + timedelta(minutes=70)  # at risk and breached on response
    url = world.database.url.render_as_string(hide_password=False)
    desktops = [open_database(url) for _ in range(6)]
    barrier = threading.Barrier(len(desktops))
    totals: list[tuple[int, int]] = []
    errors: list[BaseException] = []

    def sweep(index: int) -> None:
        service = ComplaintService(desktops[index], clock=world.clock)
        try:
            barrier.wait(timeout=30)
            for _ in range(3):
                result = service.sweep(world.actor("bob"), now)
                totals.append((result.escalations, result.notifications))
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=sweep, args=(i,)) for i in range(len(desktops))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for desktop in desktops:
        desktop.dispose()
    assert errors == []
    assert sum(e for e, _ in totals) == 2 * len(ids)
    # Each escalation tells the assignee and their team's supervisor.
    assert sum(n for _, n in totals) == 2 * 2 * len(ids)
    with world.database.engine.connect() as connection:
        escalations = connection.scalar(select(func.count()).select_from(ComplaintEscalation))
        notes = connection.execute(
            select(Notification.user_id, Notification.escalation_id).where(
                Notification.escalation_id.is_not(None)
            )
        ).all()
    assert escalations == 2 * len(ids)
    assert len(notes) == len(set(notes)) == 4 * len(ids)
    for complaint_id in ids:
        assert world.service.get(world.actor("sue"), complaint_id).escalation_level == 2
