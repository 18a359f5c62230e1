"""Escalations reach the agent: the desk's sweep escalates a breached complaint, the bell
counts unread notifications, a tray message comes while the window is in the background, and
Ctrl+Shift+N lists them (Enter opens the complaint and marks it read)."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from callcenter.domain.complaints import ComplaintDraft, EscalationTrigger
from callcenter.domain.users import Actor, Role
from callcenter.services.complaints import ComplaintService
from callcenter.services.users import UserService
from tests.ui.complaint_support import CTRL_SHIFT, TIMEOUT, press

LONG_AGO = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


class Announcements:
    """Stands in for the system tray: records what it was asked to show."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []

    def announce(self, title: str, text: str) -> None:
        self.shown.append((title, text))


def test_escalations_ring_the_bell_and_the_tray(qtbot, open_desk, sqlite_database, agent):
    UserService(sqlite_database).add(Actor("admin"), "bob", "Bob Boss", Role.SUPERVISOR, "pw-bob-1")
    with sqlite_database.uow(Actor("admin")) as uow:
        ada = uow.customers.search("Ada")[0].id
    past = ComplaintService(sqlite_database, clock=lambda: LONG_AGO)
    overdue = past.create(Actor("alice"), ComplaintDraft(ada, "Overdue refund", assignee="alice"))
    window = open_desk(complaint_sweep_seconds=30)
    desk = window.complaints
    bell = window.complaints_bell
    assert desk.sweeper.isActive() and desk.sweeper.interval() == 30_000
    # Signing in swept: the breached complaint was escalated (each level once) and alice told.
    service = ComplaintService(sqlite_database)
    qtbot.waitUntil(lambda: bell.count == 3, timeout=TIMEOUT)
    assert bell.text() == "3 unread"
    assert service.get(Actor("alice"), overdue.id).escalation_level == 3
    assert service.unread_count(Actor("alice")) == 3

    # While the agent looks at the window, the bell is enough: no tray message.
    announcements = Announcements()
    desk.announcer = announcements
    noticed = service.create(Actor("alice"), ComplaintDraft(ada, "Wrong size", assignee="alice"))
    service.escalate(Actor("bob"), noticed.id, "Asked twice", noticed.version)
    with qtbot.waitSignal(desk.notified, timeout=TIMEOUT):
        desk.sweeper.timeout.emit()  # the sweep timer fires
    qtbot.waitUntil(lambda: bell.count == 4, timeout=TIMEOUT)
    assert announcements.shown == []
    desk.mark_read(
        [n.id for n in service.notifications(Actor("alice")) if n.complaint_id == noticed.id]
    )
    qtbot.waitUntil(lambda: bell.count == 3, timeout=TIMEOUT)

    # In the background, news comes as a tray message too.
    fresh = service.create(Actor("alice"), ComplaintDraft(ada, "Rude courier", assignee="alice"))
    service.escalate(Actor("bob"), fresh.id, "Customer called three times", fresh.version)
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized, timeout=TIMEOUT)
    with qtbot.waitSignal(desk.notified, timeout=TIMEOUT):
        desk.sweeper.timeout.emit()  # the sweep timer fires
    qtbot.waitUntil(lambda: bell.count == 4, timeout=TIMEOUT)
    assert announcements.shown == [
        (f"Complaint {fresh.reference}", "Level 1, escalated by hand: Rude courier")
    ]

    window.showNormal()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=TIMEOUT)
    press(qtbot, window, Qt.Key.Key_N, CTRL_SHIFT)
    notes = desk.notifications_window
    qtbot.waitUntil(lambda: notes.entries.count() == 5, timeout=TIMEOUT)  # the read one too
    assert notes.summary.text() == "4 unread"
    assert fresh.reference in notes.entries.item(0).text()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is notes, timeout=TIMEOUT)
    press(qtbot, notes, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: fresh.id in desk.complaint_windows, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: bell.count == 3, timeout=TIMEOUT)
    assert service.unread_count(Actor("alice")) == 3
    read = [n for n in service.notifications(Actor("alice")) if not n.unread]
    assert [(n.complaint_id, n.trigger) for n in read] == [
        (fresh.id, EscalationTrigger.MANUAL),
        (noticed.id, EscalationTrigger.MANUAL),
    ]

    # Another sweep escalates nothing twice.
    with qtbot.waitSignal(desk.swept, timeout=TIMEOUT) as swept:
        desk.sweeper.timeout.emit()
    assert (swept.args[0].escalations, swept.args[0].notifications) == (0, 0)
    assert service.unread_count(Actor("alice")) == 3
