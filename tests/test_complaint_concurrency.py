"""Two people on one complaint never lose an update; references stay unique under load."""

from __future__ import annotations

import threading

import pytest

from callcenter.bootstrap import open_database
from callcenter.domain.complaints import (
    CommentKind,
    ComplaintChanges,
    ComplaintConflict,
    Priority,
    ResolutionCode,
    Status,
)
from callcenter.services.complaints import ComplaintService
from tests.test_complaint_support import World, world_fixture  # noqa: F401 - fixture


def test_a_stale_save_is_refused_and_the_first_one_kept(world: World) -> None:
    url = world.database.url.render_as_string(hide_password=False)
    other_desktop = open_database(url)
    try:
        mine = world.service
        theirs = ComplaintService(other_desktop, clock=world.clock)
        alice, bob = world.actor("alice"), world.actor("bob")
        complaint_id = world.open(assignee="alice")
        seen_by_alice = mine.get(alice, complaint_id)
        seen_by_bob = theirs.get(bob, complaint_id)

        saved = theirs.update(
            bob, complaint_id, ComplaintChanges(priority=Priority.HIGH), seen_by_bob.version
        )
        assert saved.version == seen_by_bob.version + 1
        with pytest.raises(ComplaintConflict) as conflict:
            mine.update(
                alice, complaint_id, ComplaintChanges(subject="Mine"), seen_by_alice.version
            )
        assert "Someone else changed this complaint" in str(conflict.value)
        assert "Reload" in str(conflict.value)
        for stale in (
            lambda: mine.transition(
                alice, complaint_id, Status.PENDING_CUSTOMER, seen_by_alice.version
            ),
            lambda: mine.resolve(alice, complaint_id, "x", ResolutionCode.FIXED, 1),
            lambda: mine.escalate(alice, complaint_id, "why", seen_by_alice.version),
            lambda: mine.assign(alice, complaint_id, "bob", seen_by_alice.version),
        ):
            with pytest.raises(ComplaintConflict):
                stale()

        now = mine.get(alice, complaint_id)
        assert (now.priority, now.subject, now.status) == (
            Priority.HIGH,
            "Broken kettle",
            Status.OPEN,
        )
        # Reload and reapply: accepted.
        again = mine.update(alice, complaint_id, ComplaintChanges(subject="Mine"), now.version)
        assert (again.subject, again.priority) == ("Mine", Priority.HIGH)
        # Comments and call links only add: no version needed, nothing to lose.
        mine.comment(alice, complaint_id, CommentKind.INTERNAL, "a")
        theirs.comment(bob, complaint_id, CommentKind.INTERNAL, "b")
        assert [c.body for c in mine.comments(alice, complaint_id)] == ["a", "b"]
    finally:
        other_desktop.dispose()


def test_two_desktops_saving_at_the_same_moment_one_wins(world: World) -> None:
    url = world.database.url.render_as_string(hide_password=False)
    complaint_id = world.open(assignee="alice")
    version = world.service.get(world.actor("alice"), complaint_id).version
    desktops = [open_database(url) for _ in range(4)]
    barrier = threading.Barrier(len(desktops))
    outcomes: list[str] = []

    def save(index: int) -> None:
        service = ComplaintService(desktops[index], clock=world.clock)
        barrier.wait(timeout=30)
        try:
            service.update(
                world.actor("alice"), complaint_id, ComplaintChanges(subject=f"v{index}"), version
            )
            outcomes.append(f"saved v{index}")
        except ComplaintConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(desktops))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for desktop in desktops:
        desktop.dispose()
    assert sorted(outcomes)[:3] == ["conflict"] * 3 and len(outcomes) == 4
    winner = next(o for o in outcomes if o.startswith("saved"))
    stored = world.service.get(world.actor("alice"), complaint_id)
    assert (stored.subject, stored.version) == (winner.removeprefix("saved "), version + 1)


def test_references_are_unique_when_desktops_open_complaints_at_once(world: World) -> None:
    url = world.database.url.render_as_string(hide_password=False)
    desktops = [open_database(url) for _ in range(4)]
    barrier = threading.Barrier(len(desktops))
    references: list[str] = []
    errors: list[BaseException] = []

    def open_some(index: int) -> None:
        service = ComplaintService(desktops[index], clock=world.clock)
        try:
            barrier.wait(timeout=30)
            for _ in range(5):
                draft_world = World(
                    desktops[index], world.clock, service, world.customer_id, world.ids
                )
                complaint_id = draft_world.open()
                references.append(service.get(world.actor("alice"), complaint_id).reference)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_some, args=(i,)) for i in range(len(desktops))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for desktop in desktops:
        desktop.dispose()
    assert errors == []
    assert sorted(references) == [f"C-2026-{n:06d}" for n in range(1, 21)]
