"""The complaint window on both databases: a stale save refused, reloaded, reapplied, saved."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from callcenter.config import load_settings
from callcenter.domain.complaints import ComplaintChanges, ComplaintDraft, Priority
from callcenter.domain.customers import CustomerDraft
from callcenter.domain.users import Actor
from callcenter.services.complaints import ComplaintService
from tests.ui.complaint_support import TIMEOUT
from ui.complaints.desk import ComplaintsDesk
from ui.context import AppContext
from ui.workers import Background


def test_a_conflict_keeps_the_typing_on_either_database(qtbot, database):
    with database.uow(Actor("admin")) as uow:
        customer = uow.customers.add(CustomerDraft("Grace Hopper", (), emails=("g@example.org",)))
        uow.commit()
    service = ComplaintService(database)
    complaint = service.create(Actor("tester"), ComplaintDraft(customer, "Server down"))
    settings = load_settings(flags={"database.url": "sqlite://"})
    context = AppContext(settings, database, Actor("tester"))
    main = QWidget()
    qtbot.addWidget(main)
    background = Background()
    desk = ComplaintsDesk(context, background, main, parent=main)
    view = desk.open_complaint(complaint.id)
    qtbot.waitUntil(lambda: view.complaint is not None, timeout=TIMEOUT)

    view.fields.description.setFocus()
    qtbot.keyClicks(view.fields.description, "Rack 4 has no power; <b>urgent</b>")
    urgent = ComplaintChanges(priority=Priority.URGENT)
    service.update(Actor("other"), complaint.id, urgent, complaint.version)
    qtbot.keyClick(view.fields.description, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(view.reload_button.isVisible, timeout=TIMEOUT)
    assert view.fields.description.toPlainText() == "Rack 4 has no power; <b>urgent</b>"

    qtbot.mouseClick(view.reload_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.fields.priority.currentData() == "urgent", timeout=TIMEOUT)
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            service.get(Actor("tester"), complaint.id).description
            == "Rack 4 has no power; <b>urgent</b>"
        ),
        timeout=TIMEOUT,
    )
    assert service.get(Actor("tester"), complaint.id).priority is Priority.URGENT
    view.close()
    background.wait_for_done()
