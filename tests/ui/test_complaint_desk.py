"""Complaints from the desk: opened from a call in two keystrokes, shown on the screen pop with
their clock, and the call linked to one (Ctrl+Shift+L)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from callcenter.domain.complaints import Status
from callcenter.domain.users import Actor
from callcenter.services.complaints import ComplaintService
from tests.ui.complaint_support import (
    CTRL_SHIFT,
    TIMEOUT,
    activate,
    add_complaint,
    press,
    ring_and_answer,
)


def test_a_complaint_from_the_call_in_two_keystrokes(qtbot, open_desk, sqlite_database, agent):
    window = open_desk()
    ring_and_answer(qtbot, window)
    call_uid = window.desk.calls.call.uid
    customer_id = window.card.customer.id

    press(qtbot, window, Qt.Key.Key_C, CTRL_SHIFT)
    form = window.complaints.new_form
    assert form is not None
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form, timeout=TIMEOUT)
    assert form.fields.subject.hasFocus()
    assert form.customer.text() == "Ada Lovelace"
    assert form.call.text() == "Linked to the call on the desk"
    qtbot.keyClicks(form.fields.subject, "Invoice charged <b>twice</b>'; DROP TABLE x;--")
    with qtbot.waitSignal(window.complaints.created, timeout=TIMEOUT) as created:
        press(qtbot, form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    complaint = created.args[0]
    assert complaint.reference.startswith("C-")
    assert complaint.subject == "Invoice charged <b>twice</b>'; DROP TABLE x;--"

    stored = ComplaintService(sqlite_database).get(Actor("alice"), complaint.id)
    assert stored.customer_id == customer_id
    assert [link.call_uid for link in stored.calls] == [call_uid]
    assert stored.assignee == "alice" and stored.status is Status.OPEN

    # The card's section lists it with its clock, without slowing the pop.
    section = window.card.complaints
    qtbot.waitUntil(lambda: section.model.rowCount() == 1, timeout=TIMEOUT)
    assert section.model.index(0, 0).data() == complaint.reference
    assert "left" in section.model.index(0, 3).data()
    assert complaint.reference in window.statusBar().currentMessage()


def test_an_empty_subject_is_refused_next_to_the_field(qtbot, open_desk, agent):
    window = open_desk()
    ring_and_answer(qtbot, window)
    press(qtbot, window, Qt.Key.Key_C, CTRL_SHIFT)
    form = window.complaints.new_form
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form, timeout=TIMEOUT)
    press(qtbot, form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    error = form.fields.errors.label("subject")
    qtbot.waitUntil(error.isVisible, timeout=TIMEOUT)
    assert "must not be empty" in error.text()
    assert form.isVisible()


def test_the_pop_shows_open_complaints_and_links_the_call(qtbot, open_desk, sqlite_database, agent):
    window = open_desk()
    with sqlite_database.uow(Actor("admin")) as uow:
        ada = uow.customers.search("Ada")[0].id
    older = add_complaint(sqlite_database, "alice", ada, "Late delivery", assignee="alice")
    add_complaint(sqlite_database, "alice", ada, "Broken lid", assignee="alice")

    ring_and_answer(qtbot, window)
    section = window.card.complaints
    qtbot.waitUntil(lambda: section.model.rowCount() == 2, timeout=TIMEOUT)
    assert section.isVisible()
    assert section.heading.text() == "Open complaints (2)"
    section.table.setCurrentIndex(section.model.index(section.model.row_of(older), 0))
    activate(qtbot, window)
    press(qtbot, window, Qt.Key.Key_L, CTRL_SHIFT)
    service = ComplaintService(sqlite_database)
    qtbot.waitUntil(lambda: len(service.get(Actor("alice"), older).calls) == 1, timeout=TIMEOUT)
    assert service.get(Actor("alice"), older).calls[0].call_uid == window.desk.calls.call.uid
    qtbot.waitUntil(lambda: "linked" in window.statusBar().currentMessage(), timeout=TIMEOUT)

    # The card's own button opens the form for its customer, with the call; Esc closes it.
    qtbot.mouseClick(section.new_button, Qt.MouseButton.LeftButton)
    form = window.complaints.new_form
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form, timeout=TIMEOUT)
    assert form.customer.text() == "Ada Lovelace" and form.call_uid == window.desk.calls.call.uid
    press(qtbot, form, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.complaints.new_form is None, timeout=TIMEOUT)
