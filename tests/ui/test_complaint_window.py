"""A complaint worked through its window by clicks and keys: a refused move with the core's
reason, assign, escalate, resolve with a knowledge-base solution, reopen, close; and a version
conflict that keeps what the agent typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from callcenter.domain.complaints import Channel, ComplaintChanges, Priority, Status
from callcenter.domain.users import Actor
from callcenter.services.complaints import ComplaintService
from callcenter.services.knowledge import KnowledgeService
from tests.ui.complaint_support import (
    CTRL_SHIFT,
    TIMEOUT,
    activate,
    add_complaint,
    press,
    ring_and_answer,
)
from ui.complaints.actions import Action

LEFT = Qt.MouseButton.LeftButton


def ada_id(database) -> int:
    with database.uow(Actor("admin")) as uow:
        return uow.customers.search("Ada")[0].id


def stored(database, complaint_id):
    return ComplaintService(database).get(Actor("alice"), complaint_id)


def open_from_card(qtbot, window, complaint_id):
    ring_and_answer(qtbot, window)
    section = window.card.complaints
    qtbot.waitUntil(lambda: section.model.row_of(complaint_id) >= 0, timeout=TIMEOUT)
    section.table.setFocus()
    section.table.setCurrentIndex(section.model.index(section.model.row_of(complaint_id), 0))
    press(qtbot, window, Qt.Key.Key_Return)
    view = window.complaints.complaint_windows[complaint_id]
    qtbot.waitUntil(lambda: view.complaint is not None, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view, timeout=TIMEOUT)
    return view


def click(qtbot, button) -> None:
    qtbot.waitUntil(button.isEnabled, timeout=TIMEOUT)
    qtbot.mouseClick(button, LEFT)


def wait_status(qtbot, database, complaint_id, status) -> None:
    qtbot.waitUntil(lambda: stored(database, complaint_id).status is status, timeout=TIMEOUT)


def test_assign_escalate_resolve_with_a_solution_reopen_and_close(
    qtbot, open_desk, sqlite_database, agent
):
    KnowledgeService(sqlite_database).add(
        Actor("admin"),
        "Lid cracks in the dishwasher",
        "The lid of model K2 cracks above 60 degrees",
        "Send the K3 lid, which takes 75 degrees, free of charge",
    )
    window = open_desk()
    complaint_id = add_complaint(sqlite_database, "alice", ada_id(sqlite_database), "Broken lid")
    view = open_from_card(qtbot, window, complaint_id)
    assert view.header.status.text() == "New"
    assert (
        "left" in view.header.response_clock.text()
        and "left" in view.header.resolution_clock.text()
    )

    # Unassigned, it cannot be opened: the core says why.
    click(qtbot, view.bar.move_buttons[Status.OPEN])
    qtbot.waitUntil(lambda: view.banner.isVisible(), timeout=TIMEOUT)
    assert "Assign the complaint to someone" in view.banner.message()

    # Assign (to me, the default), which opens it.
    click(qtbot, view.bar.action_buttons[Action.ASSIGN])
    qtbot.waitUntil(lambda: view.forms.assignee.count() > 1, timeout=TIMEOUT)
    assert view.forms.assignee.currentData() == "alice"
    click(qtbot, view.forms.confirm_buttons[Action.ASSIGN])
    wait_status(qtbot, sqlite_database, complaint_id, Status.OPEN)
    assert stored(sqlite_database, complaint_id).assignee == "alice"
    qtbot.waitUntil(lambda: view.header.status.text() == "Open", timeout=TIMEOUT)

    # Escalate by keys: the reason, then Enter.
    click(qtbot, view.bar.action_buttons[Action.ESCALATE])
    assert view.forms.escalate_reason.hasFocus()
    qtbot.keyClicks(view.forms.escalate_reason, "Customer threatens to cancel")
    press(qtbot, view, Qt.Key.Key_Return)
    wait_status(qtbot, sqlite_database, complaint_id, Status.ESCALATED)
    assert stored(sqlite_database, complaint_id).escalation_level == 1
    qtbot.waitUntil(lambda: "level 1" in view.header.status.text(), timeout=TIMEOUT)

    # Resolve: refused without a code, then with the knowledge base's solution.
    click(qtbot, view.bar.action_buttons[Action.RESOLVE])
    kb = view.forms.knowledge
    kb.query.setFocus()
    qtbot.keyClicks(kb.query, "lid")
    press(qtbot, view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kb.results.count() == 1, timeout=TIMEOUT)
    click(qtbot, kb.use_button)
    solution = "Send the K3 lid, which takes 75 degrees, free of charge"
    assert view.forms.resolution_note.toPlainText() == solution
    click(qtbot, view.forms.confirm_buttons[Action.RESOLVE])
    code_error = view.forms.errors[Action.RESOLVE].label("resolution_code")
    qtbot.waitUntil(code_error.isVisible, timeout=TIMEOUT)
    view.forms.resolution_code.setFocus()
    press(qtbot, view, Qt.Key.Key_Down)
    assert view.forms.resolution_code.currentData() == "fixed"
    click(qtbot, view.forms.confirm_buttons[Action.RESOLVE])
    wait_status(qtbot, sqlite_database, complaint_id, Status.RESOLVED)
    resolved = stored(sqlite_database, complaint_id)
    assert (resolved.resolution_note, resolved.resolution_code) == (solution, "fixed")

    # Reopen with a reason.
    click(qtbot, view.bar.action_buttons[Action.REOPEN])
    qtbot.keyClicks(view.forms.reopen_reason, "The new lid cracked too")
    press(qtbot, view, Qt.Key.Key_Return)
    wait_status(qtbot, sqlite_database, complaint_id, Status.REOPENED)

    # Resolve again and close with the customer's satisfaction.
    click(qtbot, view.bar.action_buttons[Action.RESOLVE])
    view.forms.resolution_note.setPlainText("Refunded")
    view.forms.resolution_code.setFocus()
    for _ in range(3):
        press(qtbot, view, Qt.Key.Key_Down)
    assert view.forms.resolution_code.currentData() == "refund"
    click(qtbot, view.forms.confirm_buttons[Action.RESOLVE])
    wait_status(qtbot, sqlite_database, complaint_id, Status.RESOLVED)
    click(qtbot, view.bar.action_buttons[Action.CLOSE])
    press(qtbot, view, Qt.Key.Key_Down)  # 5, very satisfied
    click(qtbot, view.forms.confirm_buttons[Action.CLOSE])
    wait_status(qtbot, sqlite_database, complaint_id, Status.CLOSED)
    assert stored(sqlite_database, complaint_id).csat == 5

    # The timeline shows every change.
    def timeline() -> str:
        entries = view.timeline.entries
        return "\n".join(entries.item(i).text() for i in range(entries.count()))

    qtbot.waitUntil(lambda: "Resolved \u2192 Closed" in timeline(), timeout=TIMEOUT)
    for change in ("New \u2192 Open", "Open \u2192 Escalated", "Resolved \u2192 Reopened"):
        assert change in timeline()
    assert not view.bar.action_buttons[Action.ESCALATE].isEnabled()
    assert not view.save_button.isEnabled()


def test_a_stale_save_is_refused_and_reapplied_after_reload(
    qtbot, open_desk, sqlite_database, agent
):
    complaint_id = add_complaint(
        sqlite_database, "alice", ada_id(sqlite_database), "Late delivery", assignee="alice"
    )
    window = open_desk()
    press(qtbot, window, Qt.Key.Key_M, CTRL_SHIFT)
    lists = window.complaints.list_window
    qtbot.waitUntil(lambda: lists.model.rowCount() == 1, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is lists, timeout=TIMEOUT)
    assert lists.table.hasFocus()
    press(qtbot, lists, Qt.Key.Key_Return)
    view = window.complaints.complaint_windows[complaint_id]
    qtbot.waitUntil(lambda: view.complaint is not None, timeout=TIMEOUT)

    subject = view.fields.subject
    subject.setFocus()
    subject.selectAll()
    qtbot.keyClicks(subject, "Parcel two weeks late")
    view.fields.description.setFocus()
    qtbot.keyClicks(view.fields.description, "Courier lost it")

    # Meanwhile a supervisor raises the priority: this window's version is stale now.
    service = ComplaintService(sqlite_database)
    service.update(
        Actor("bob"),
        complaint_id,
        ComplaintChanges(priority=Priority.URGENT),
        view.complaint.version,
    )

    press(qtbot, view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(view.reload_button.isVisible, timeout=TIMEOUT)
    assert "Someone else changed this complaint" in view.banner.message()
    assert subject.text() == "Parcel two weeks late"  # nothing typed is lost
    assert stored(sqlite_database, complaint_id).subject == "Late delivery"

    click(qtbot, view.reload_button)
    qtbot.waitUntil(lambda: view.fields.priority.currentData() == "urgent", timeout=TIMEOUT)
    assert subject.text() == "Parcel two weeks late"
    assert view.fields.description.toPlainText() == "Courier lost it"
    click(qtbot, view.save_button)
    qtbot.waitUntil(
        lambda: stored(sqlite_database, complaint_id).subject == "Parcel two weeks late",
        timeout=TIMEOUT,
    )
    saved = stored(sqlite_database, complaint_id)
    assert saved.priority is Priority.URGENT and saved.description == "Courier lost it"

    # A stale action keeps its form too: the reason survives the conflict and the reload.
    fresh = stored(sqlite_database, complaint_id)
    click(qtbot, view.bar.action_buttons[Action.ESCALATE])
    qtbot.keyClicks(view.forms.escalate_reason, "Third call about it")
    service.update(
        Actor("bob"), complaint_id, ComplaintChanges(channel=Channel.EMAIL), fresh.version
    )
    press(qtbot, view, Qt.Key.Key_Return)
    qtbot.waitUntil(view.reload_button.isVisible, timeout=TIMEOUT)
    assert view.forms.escalate_reason.text() == "Third call about it"
    click(qtbot, view.reload_button)
    qtbot.waitUntil(lambda: view.fields.channel.currentData() == "email", timeout=TIMEOUT)
    click(qtbot, view.forms.confirm_buttons[Action.ESCALATE])
    wait_status(qtbot, sqlite_database, complaint_id, Status.ESCALATED)


def test_notes_a_linked_call_and_a_merge(qtbot, open_desk, sqlite_database, agent):
    ada = ada_id(sqlite_database)
    target = add_complaint(sqlite_database, "alice", ada, "Broken lid", assignee="alice")
    duplicate = add_complaint(sqlite_database, "alice", ada, "Lid broken again", assignee="alice")
    window = open_desk()
    view = open_from_card(qtbot, window, duplicate)
    call_uid = window.desk.calls.call.uid

    # Notes: Ctrl+Return adds one; the kind is chosen beside it; a 1 MB note is refused.
    timeline = view.timeline
    timeline.text.setFocus()
    qtbot.keyClicks(timeline.text, "Checked the <script>order</script> history")
    press(qtbot, view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: timeline.text.toPlainText() == "", timeout=TIMEOUT)
    qtbot.waitUntil(
        lambda: any(
            "Internal note: Checked the <script>order</script> history"
            in timeline.entries.item(i).text()
            for i in range(timeline.entries.count())
        ),
        timeout=TIMEOUT,
    )
    timeline.kind.setCurrentIndex(timeline.kind.findData("customer"))
    pasted_log = ("x" * 99 + "\n") * 10_000  # 1 MB
    timeline.text.setPlainText(pasted_log)
    click(qtbot, timeline.add_button)
    error = timeline.errors.label("comment")
    qtbot.waitUntil(error.isVisible, timeout=TIMEOUT)
    assert "1,000,000 characters" in error.text()
    assert timeline.text.toPlainText() == pasted_log  # kept, to shorten
    comments = ComplaintService(sqlite_database).comments(Actor("alice"), duplicate)
    assert [c.body for c in comments] == ["Checked the <script>order</script> history"]

    # The call on the desk is linked from the window.
    click(qtbot, view.bar.link_button)
    qtbot.waitUntil(lambda: len(stored(sqlite_database, duplicate).calls) == 1, timeout=TIMEOUT)
    assert stored(sqlite_database, duplicate).calls[0].call_uid == call_uid

    # A callback about it, through the callbacks feature's form, linked to the complaint.
    schedule = view.schedule_callback()
    assert schedule is not None and schedule.isVisible()
    assert schedule.form.complaint.text() == str(duplicate)
    schedule.close()
    activate(qtbot, view)

    # Merge into the first complaint by its reference: the window follows the target.
    reference = stored(sqlite_database, target).reference
    click(qtbot, view.bar.action_buttons[Action.MERGE])
    qtbot.keyClicks(view.forms.merge_target, "C-1999-000000")
    press(qtbot, view, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: "No complaint has the reference" in view.banner.message(), timeout=TIMEOUT
    )
    view.forms.merge_target.clear()
    qtbot.keyClicks(view.forms.merge_target, reference.lower())
    press(qtbot, view, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: stored(sqlite_database, duplicate).merged_into_id == target, timeout=TIMEOUT
    )
    assert stored(sqlite_database, duplicate).status is Status.CLOSED
    assert call_uid in [link.call_uid for link in stored(sqlite_database, target).calls]
    qtbot.waitUntil(lambda: view.header.title.text().startswith(reference), timeout=TIMEOUT)
