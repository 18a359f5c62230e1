"""Complaints on both backends: opening, references, workflow and its refusals, comments,
history, merge, calls, and bad input stored verbatim or refused by field."""

from __future__ import annotations

import re

import pytest

from callcenter.domain.complaints import (
    MAX_TEXT,
    CommentKind,
    ComplaintChanges,
    ComplaintDraft,
    ComplaintInvalid,
    Priority,
    RefusalReason,
    ResolutionCode,
    SlaState,
    Status,
    TransitionRefused,
)
from callcenter.domain.errors import NotFound
from tests.test_complaint_support import World, world_fixture  # noqa: F401 - fixture


def test_a_complaint_opens_new_with_a_reference_and_running_clocks(world: World) -> None:
    complaint = world.service.get(world.actor("alice"), world.open())
    assert re.fullmatch(r"C-2026-\d{6}", complaint.reference)
    assert complaint.status is Status.NEW
    assert complaint.customer_name == "Ada Lovelace"
    assert complaint.created_by == "alice" and complaint.version == 1
    # Normal priority: 8 business hours to respond, 40 to resolve.
    assert complaint.response.target_s == 8 * 3600
    assert complaint.response.state is SlaState.ON_TRACK
    assert complaint.resolution.remaining_s == 40 * 3600
    assert [h.field for h in world.service.history(world.actor("alice"), complaint.id)] == [
        "created"
    ]


def test_references_count_up_per_year(world: World) -> None:
    first = world.service.get(world.actor("alice"), world.open())
    second = world.service.get(world.actor("alice"), world.open())
    assert first.reference == "C-2026-000001" and second.reference == "C-2026-000002"
    world.clock.now = world.clock.now.replace(year=2027)
    assert world.service.get(world.actor("alice"), world.open()).reference == "C-2027-000001"
    found = world.service.get_by_reference(world.actor("bob"), "c-2026-000002")
    assert found.id == second.id


def test_the_workflow_from_new_to_closed(world: World) -> None:
    alice, service = world.actor("alice"), world.service
    complaint = service.get(alice, world.open())
    refused = _refused(lambda: service.transition(alice, complaint.id, Status.OPEN, 1))
    assert refused.reason is RefusalReason.NEEDS_ASSIGNEE

    complaint = service.assign(alice, complaint.id, "bob", complaint.version)
    assert (complaint.status, complaint.assignee, complaint.team) == (Status.OPEN, "bob", "North")
    complaint = service.transition(alice, complaint.id, Status.PENDING_CUSTOMER, complaint.version)
    assert complaint.response.state is SlaState.MET
    assert complaint.resolution.state is SlaState.PAUSED
    complaint = service.transition(alice, complaint.id, Status.OPEN, complaint.version)
    refused = _refused(
        lambda: service.transition(alice, complaint.id, Status.RESOLVED, complaint.version)
    )
    assert refused.reason is RefusalReason.NEEDS_RESOLUTION
    with pytest.raises(ComplaintInvalid) as invalid:
        service.resolve(alice, complaint.id, "  ", ResolutionCode.FIXED, complaint.version)
    assert invalid.value.field == "resolution_note"
    with pytest.raises(ComplaintInvalid) as invalid:
        service.resolve(alice, complaint.id, "Sent a new one", "magic", complaint.version)
    assert invalid.value.field == "resolution_code"

    complaint = service.resolve(
        alice, complaint.id, "Sent a new one", "replacement", complaint.version
    )
    assert complaint.status is Status.RESOLVED
    assert (complaint.resolution_code, complaint.resolution_note) == (
        "replacement",
        "Sent a new one",
    )
    assert complaint.resolution.state is SlaState.MET
    assert Status.REOPENED in service.allowed_transitions(complaint)

    complaint = service.close(alice, complaint.id, 4, complaint.version)
    assert (complaint.status, complaint.csat) == (Status.CLOSED, 4)
    assert service.allowed_transitions(complaint) == ()
    refused = _refused(
        lambda: service.transition(alice, complaint.id, Status.OPEN, complaint.version)
    )
    assert refused.reason is RefusalReason.CLOSED
    fields = [h.field for h in service.history(alice, complaint.id)]
    assert fields.count("status") == 5
    assert {"assignee", "team", "resolution_code", "resolution_note", "csat"} <= set(fields)
    assignee = next(h for h in service.history(alice, complaint.id) if h.field == "assignee")
    assert (assignee.old, assignee.new, assignee.who) == (None, "bob", "alice")
    with world.database.uow(alice) as uow:
        audited = uow.audit.entries("complaint", complaint.id)
    assert {"assignee": [None, "bob"]} in [entry["changes"] for entry in audited]
    assert audited[0]["action"] == "create"


def test_reopen_only_within_the_configured_days(world: World) -> None:
    alice, service = world.actor("alice"), world.service
    complaint = service.get(alice, world.open(assignee="alice"))
    complaint = service.resolve(
        alice, complaint.id, "Explained", ResolutionCode.EXPLAINED, complaint.version
    )
    world.clock.advance(days=13)
    complaint = service.reopen(alice, complaint.id, "Still broken", complaint.version)
    assert complaint.status is Status.REOPENED
    assert complaint.resolution.state is SlaState.ON_TRACK
    assert service.comments(alice, complaint.id)[-1].body == "Still broken"

    complaint = service.resolve(
        alice, complaint.id, "Fixed", ResolutionCode.FIXED, complaint.version
    )
    world.clock.advance(days=14, seconds=1)
    refused = _refused(lambda: service.reopen(alice, complaint.id, "Again", complaint.version))
    assert refused.reason is RefusalReason.REOPEN_WINDOW_PASSED
    assert "14 days" in str(refused)
    assert Status.REOPENED not in service.allowed_transitions(service.get(alice, complaint.id))


def test_a_note_to_the_customer_is_the_first_response(world: World) -> None:
    alice, service = world.actor("alice"), world.service
    complaint_id = world.open(assignee="alice")
    service.comment(alice, complaint_id, CommentKind.INTERNAL, "Looking into it")
    assert service.get(alice, complaint_id).response.state is SlaState.ON_TRACK
    world.clock.advance(hours=1)
    service.comment(alice, complaint_id, CommentKind.CUSTOMER, "We are sending a new one")
    complaint = service.get(alice, complaint_id)
    assert complaint.response.state is SlaState.MET
    assert complaint.response.met_at == world.clock.now
    assert complaint.response.used_s == 3600
    comments = service.comments(alice, complaint_id)
    assert [(c.kind, c.author) for c in comments] == [
        (CommentKind.INTERNAL, "alice"),
        (CommentKind.CUSTOMER, "alice"),
    ]


def test_editing_fields_records_each_change_and_retargets_the_clocks(world: World) -> None:
    alice, service = world.actor("alice"), world.service
    categories = {c.code: c for c in service.categories(alice)}
    complaint = service.get(alice, world.open())
    complaint = service.update(
        alice,
        complaint.id,
        ComplaintChanges(
            subject="Kettle leaks",
            priority=Priority.URGENT,
            category_id=categories["product"].id,
            subcategory_id=categories["product.defective"].id,
        ),
        complaint.version,
    )
    assert (complaint.subject, complaint.category, complaint.subcategory) == (
        "Kettle leaks",
        "Product",
        "Defective",
    )
    assert complaint.response.target_s == 3600 and complaint.version == 2
    entries = {h.field: (h.old, h.new, h.who) for h in service.history(alice, complaint.id)}
    assert entries["subject"] == ("Broken kettle", "Kettle leaks", "alice")
    assert entries["priority"] == ("normal", "urgent", "alice")


def test_categories_are_two_levels_and_unknown_ones_are_refused(world: World) -> None:
    alice = world.actor("alice")
    categories = world.service.categories(alice)
    tops = [c for c in categories if c.parent_id is None]
    assert [c.name for c in tops][:2] == ["Billing", "Delivery"]
    refund = next(c for c in categories if c.code == "billing.refund")
    assert refund.path == "Billing / Refund"
    delivery = next(c for c in categories if c.code == "delivery")
    for fields, field in (
        ({"category_id": 9999}, "category"),
        ({"category_id": refund.id}, "category"),
        ({"category_id": delivery.id, "subcategory_id": refund.id}, "subcategory"),
        ({"subcategory_id": refund.id}, "category"),
    ):
        with pytest.raises(ComplaintInvalid) as invalid:
            world.open(**fields)
        assert invalid.value.field == field


@pytest.mark.parametrize(
    ("subject", "field"),
    [("", "subject"), ("   ", "subject"), ("x" * 301, "subject")],
)
def test_bad_subjects_are_refused_by_name(world: World, subject: str, field: str) -> None:
    with pytest.raises(ComplaintInvalid) as invalid:
        world.open(subject=subject)
    assert invalid.value.field == field
    assert world.service.list(world.actor("sue"), _all()).items == ()


def test_sql_and_markup_are_stored_verbatim_and_a_huge_note_is_refused(world: World) -> None:
    alice, service = world.actor("alice"), world.service
    nasty = "Robert'); DROP TABLE complaints;-- <script>alert('x')</script> <b>100%</b> _ \\"
    complaint = service.get(alice, world.open(subject=nasty[:300], description=nasty * 3))
    assert complaint.subject == nasty and complaint.description == nasty * 3
    big = "é" * MAX_TEXT
    service.comment(alice, complaint.id, CommentKind.INTERNAL, big)
    assert service.comments(alice, complaint.id)[-1].body == big
    with pytest.raises(ComplaintInvalid) as invalid:
        service.comment(alice, complaint.id, CommentKind.INTERNAL, "x" * (1024 * 1024))
    assert invalid.value.field == "comment" and "1,048,576" in str(invalid.value)
    sue = world.actor("sue")
    found = service.list(sue, _all(text="drop table"))
    assert [c.id for c in found.items] == [complaint.id]
    assert service.list(sue, _all(text="100%")).items[0].id == complaint.id
    assert service.list(sue, _all(text="1000")).items == ()


def test_merging_moves_calls_comments_and_history(world: World) -> None:
    alice, service = world.actor("alice"), world.service
    target = service.get(alice, world.open(call_uid="call-1"))
    duplicate = service.get(alice, world.open(call_uid="call-2"))
    service.comment(alice, duplicate.id, CommentKind.INTERNAL, "Same kettle")
    service.link_call(alice, duplicate.id, "call-1")
    duplicate = service.get(alice, duplicate.id)
    merged = service.merge(alice, duplicate.id, target.id, duplicate.version)
    assert [c.call_uid for c in merged.calls] == ["call-1", "call-2"]
    assert "Same kettle" in [c.body for c in service.comments(alice, target.id)]
    fields = [h.field for h in service.history(alice, target.id)]
    assert fields.count("created") == 2 and "merged" in fields
    duplicate = service.get(alice, duplicate.id)
    assert duplicate.merged_into_id == target.id
    assert duplicate.merged_into_reference == target.reference
    assert duplicate.status is Status.CLOSED and duplicate.calls == ()
    refused = _refused(lambda: service.merge(alice, target.id, target.id, merged.version))
    assert refused.reason is RefusalReason.SAME_COMPLAINT
    refused = _refused(lambda: service.comment(alice, duplicate.id, CommentKind.INTERNAL, "x"))
    assert refused.reason is RefusalReason.MERGED
    # The customer calls about the duplicate again: the call goes to the complaint kept.
    linked = service.link_call(alice, duplicate.id, "call-3")
    assert linked.id == target.id and "call-3" in [c.call_uid for c in linked.calls]


def test_linking_a_call_twice_links_it_once(world: World) -> None:
    alice, service = world.actor("alice"), world.service
    complaint_id = world.open()
    service.link_call(alice, complaint_id, "uid-7")
    complaint = service.link_call(alice, complaint_id, "uid-7")
    assert [c.call_uid for c in complaint.calls] == ["uid-7"]
    assert complaint.calls[0].started_at is None  # the call row has not landed yet
    with pytest.raises(ComplaintInvalid):
        service.link_call(alice, complaint_id, " ")


def test_open_from_call_and_the_screen_pop_list(world: World) -> None:
    alice, service = world.actor("alice"), world.service
    draft = ComplaintDraft(customer_id=0, subject="Overcharged")
    complaint = service.open_from_call(alice, "ringing-1", world.customer_id, draft)
    assert [c.call_uid for c in complaint.calls] == ["ringing-1"]
    resolved = service.get(alice, world.open(assignee="alice"))
    service.resolve(alice, resolved.id, "Done", ResolutionCode.FIXED, resolved.version)
    shown = service.open_for_customer(alice, world.customer_id)
    assert [c.id for c in shown] == [complaint.id]
    assert shown[0].resolution.state is SlaState.ON_TRACK


def test_unknown_complaints_and_customers(world: World) -> None:
    with pytest.raises(NotFound):
        world.service.get(world.actor("alice"), 424242)
    with pytest.raises(ComplaintInvalid) as invalid:
        world.open(customer_id=424242)
    assert invalid.value.field == "customer"
    with pytest.raises(ComplaintInvalid) as invalid:
        world.open(assignee="nobody")
    assert invalid.value.field == "assignee"


def _refused(action) -> TransitionRefused:  # type: ignore[no-untyped-def]
    with pytest.raises(TransitionRefused) as refused:
        action()
    return refused.value


def _all(**fields: object):  # type: ignore[no-untyped-def]
    from callcenter.domain.complaint_lists import ComplaintFilter, Scope

    return ComplaintFilter(scope=Scope.ALL, **fields)  # type: ignore[arg-type]
