"""Admin set-up of complaints: categories, SLA targets, the business calendar (re-timing the
running clocks), the knowledge base, and the `callcenter complaints` command."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner

from callcenter.cli.main import cli
from callcenter.domain.complaints import ComplaintDraft, ComplaintInvalid, Priority, Status
from callcenter.domain.errors import ConflictError
from callcenter.services.complaint_admin import ComplaintAdmin, parse_hours
from tests.test_complaint_support import World, world_fixture  # noqa: F401 - fixture


def test_categories_are_added_renamed_and_retired(world: World) -> None:
    admin, actor = ComplaintAdmin(world.database), world.actor("sue")
    added = admin.add_category(actor, "Warranty claim", parent_code="product")
    assert (added.code, added.path) == ("product.warranty_claim", "Product / Warranty claim")
    top = admin.add_category(actor, "Energy")
    assert (top.code, top.parent_id) == ("energy", None)
    with pytest.raises(ComplaintInvalid) as invalid:
        admin.add_category(actor, "Deeper", parent_code="product.warranty_claim")
    assert invalid.value.field == "parent"
    with pytest.raises(ComplaintInvalid):
        admin.add_category(actor, "Energy")
    product = next(c for c in world.service.categories(actor) if c.code == "product")
    complaint_id = world.open(category_id=product.id, subcategory_id=added.id)

    admin.edit_category(actor, "product.warranty_claim", name="Warranty")
    admin.edit_category(actor, "product.warranty_claim", active=False)
    assert "product.warranty_claim" not in [c.code for c in world.service.categories(actor)]
    assert world.service.get(actor, complaint_id).subcategory == "Warranty"
    with pytest.raises(ComplaintInvalid) as invalid:
        world.open(category_id=product.id, subcategory_id=added.id)
    assert invalid.value.field == "subcategory"


def test_a_category_policy_wins_over_the_priority_one(world: World) -> None:
    admin, actor = ComplaintAdmin(world.database), world.actor("sue")
    admin.set_policy(actor, Priority.NORMAL, 30, 120, category_code="billing")
    admin.set_policy(actor, Priority.LOW, 600, 6000)
    codes = {c.code: c.id for c in world.service.categories(actor)}
    billing = world.service.get(actor, world.open(category_id=codes["billing"]))
    other = world.service.get(actor, world.open(category_id=codes["delivery"]))
    low = world.service.get(actor, world.open(priority=Priority.LOW))
    assert (billing.response.target_s, billing.resolution.target_s) == (1800, 7200)
    assert other.response.target_s == 8 * 3600
    assert low.resolution.target_s == 6000 * 60
    shown = {(p.priority, p.category) for p in admin.policies(actor)}
    assert ("normal", "billing") in shown and ("normal", None) in shown
    with pytest.raises(ComplaintInvalid):
        admin.set_policy(actor, Priority.HIGH, 0, 10)


def test_changing_the_calendar_re_times_running_clocks(world: World) -> None:
    admin = ComplaintAdmin(world.database, clock=world.clock)
    actor = world.actor("sue")
    urgent = world.open(assignee="alice", priority=Priority.URGENT)  # Monday 10:00 UTC
    before = world.service.get(actor, urgent)
    assert before.response.due_at == datetime(2026, 3, 2, 11, tzinfo=UTC)

    world.clock.advance(minutes=30)
    # New York opens at 14:00 UTC: the 30 minutes used stay, 30 are left from the opening.
    retimed = admin.set_calendar(actor, timezone="America/New_York")
    assert retimed == 1
    after = world.service.get(actor, urgent)
    assert after.response.used_s == 1800
    assert after.response.due_at == datetime(2026, 3, 2, 14, 30, tzinfo=UTC)
    assert after.version == before.version + 1

    # Monday off after all: the clocks skip it.
    resolution_due = after.resolution.due_at
    admin.add_holiday(actor, date(2026, 3, 2), "Founders' day")
    moved = world.service.get(actor, urgent).resolution.due_at
    assert resolution_due is not None and moved == resolution_due + timedelta(days=1)
    assert admin.remove_holiday(actor, date(2026, 3, 2))
    assert world.service.get(actor, urgent).resolution.due_at == resolution_due
    assert not admin.remove_holiday(actor, date(2026, 3, 2))

    admin.set_calendar(actor, hours=parse_hours("mon-sun 00:00-00:00"))
    view = admin.calendar(actor)
    assert view.timezone == "America/New_York" and len(view.hours) == 7
    with pytest.raises(ComplaintInvalid) as invalid:
        admin.set_calendar(actor, timezone="Mars/Olympus")
    assert invalid.value.field == "calendar"


def test_parse_hours() -> None:
    assert parse_hours("mon-wed 09:00-12:00 13:00-17:00; sat 10:00-12:00") == {
        "0": [["09:00", "12:00"], ["13:00", "17:00"]],
        "1": [["09:00", "12:00"], ["13:00", "17:00"]],
        "2": [["09:00", "12:00"], ["13:00", "17:00"]],
        "5": [["10:00", "12:00"]],
    }
    for bad in ("funday 09:00-17:00", "mon", "mon 9to5"):
        with pytest.raises(ValueError):
            parse_hours(bad)


def test_knowledge_base_search_and_edit(world: World) -> None:
    actor = world.actor("sue")
    knowledge = world.service.knowledge
    codes = {c.code: c.id for c in world.service.categories(actor)}
    kettle = knowledge.add(
        actor, "Kettle leaks", "Water under the base", "Replace the seal", [codes["product"]]
    )
    refund = knowledge.add(
        actor, "Late refund", "Refund 100% late", "Check the seal of approval", [codes["billing"]]
    )
    assert [a.id for a in world.service.kb_search(actor, "SEAL")] == [kettle.id, refund.id]
    # Articles for the complaint's category (or its parent) come first.
    first = world.service.kb_search(actor, "seal", category_id=codes["billing.refund"])
    assert [a.id for a in first] == [refund.id, kettle.id]
    assert [a.id for a in world.service.kb_search(actor, "100%")] == [refund.id]
    assert world.service.kb_search(actor, "seal base") == [kettle]
    assert world.service.kb_search(actor, "nothing-like-this") == []
    changed = knowledge.update(
        actor, kettle.id, kettle.version, "Kettle leaks", "Water", "New seal", [codes["product"]]
    )
    assert changed.version == kettle.version + 1
    with pytest.raises(ConflictError):
        knowledge.update(actor, kettle.id, kettle.version, "x", "y", "z")
    with pytest.raises(ComplaintInvalid) as invalid:
        knowledge.add(actor, " ", "p", "s")
    assert invalid.value.field == "title"


def test_the_command_line(world: World) -> None:
    url = world.database.url.render_as_string(hide_password=False)

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(cli, ["--db", url, *args])
        return result.exit_code, result.output

    code, output = run("complaints", "categories", "add", "Smart meter", "--parent", "product")
    assert code == 0 and "product.smart_meter" in output
    code, output = run("--json", "complaints", "categories", "list")
    assert "Product / Smart meter" in [c["path"] for c in json.loads(output)]
    assert (
        run("complaints", "sla", "set", "urgent", "--response", "30", "--resolution", "90")[0] == 0
    )
    assert "urgent    (any)" in run("complaints", "sla", "show")[1]
    code, output = run("complaints", "calendar", "set", "--hours", "mon-fri 17:00-09:00")
    assert code == 2 and "end before they start" in output
    code, output = run("complaints", "calendar", "set", "--hours", "someday")
    assert code == 2 and "--hours" in output
    assert run("complaints", "calendar", "holiday", "2026-12-25", "Christmas")[0] == 0
    assert "holiday 2026-12-25 Christmas" in run("complaints", "calendar", "show")[1]
    code, output = run(
        "complaints",
        "kb",
        "add",
        "--title",
        "T",
        "--problem",
        "P",
        "--solution",
        "S",
        "--category",
        "nope",
    )
    assert code == 2 and "nope" in output
    complaint_id = world.open(assignee="alice", priority=Priority.URGENT)
    # The command sweeps at the real time, months after the test's Monday: all targets
    # are breached, which takes the complaint to the top level in one go; once.
    code, output = run("--json", "complaints", "sweep")
    assert code == 0 and json.loads(output) == {"escalations": 3, "notifications": 6}
    assert json.loads(run("--json", "complaints", "sweep")[1])["escalations"] == 0
    complaint = world.service.get(world.actor("sue"), complaint_id)
    assert (complaint.status, complaint.escalation_level) == (Status.ESCALATED, 3)


def test_the_complaint_settings(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from callcenter.config import load_settings
    from callcenter.config.settings import ConfigError
    from callcenter.services.complaints import ComplaintService

    defaults = load_settings()
    assert (
        defaults.complaint_reopen_days,
        defaults.complaint_at_risk_share,
        defaults.complaint_sweep_seconds,
    ) == (14, 0.75, 60)
    monkeypatch.setenv("CALLCENTER_COMPLAINT_AT_RISK", "0.5")
    monkeypatch.setenv("CALLCENTER_COMPLAINT_REOPEN_DAYS", "2")
    settings = load_settings()
    service = ComplaintService.from_settings(world.database, settings, clock=world.clock)
    draft = ComplaintDraft(world.customer_id, "Gas smell", priority=Priority.URGENT)
    complaint = service.create(world.actor("alice"), draft)
    assert complaint.response.at_risk_at == world.clock.now + timedelta(minutes=30)
    complaint = service.assign(world.actor("alice"), complaint.id, "alice", complaint.version)
    complaint = service.resolve(
        world.actor("alice"), complaint.id, "Fixed", "fixed", complaint.version
    )
    world.clock.advance(days=3)
    assert Status.REOPENED not in service.allowed_transitions(complaint)
    monkeypatch.setenv("CALLCENTER_COMPLAINT_AT_RISK", "75")
    with pytest.raises(ConfigError, match=r"complaints\.at_risk_share"):
        load_settings()
