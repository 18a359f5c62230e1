"""Both SLA clocks tick in the complaint window on business time, from an injected clock:
at risk turns amber with a sign, overdue turns red, and a weekend does not count."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QWidget

from callcenter.domain.complaints import ComplaintDraft, Priority
from callcenter.domain.customers import CustomerDraft
from callcenter.domain.users import Actor
from callcenter.services.complaints import ComplaintService
from tests.support.clock import SettableClock as FakeClock
from tests.ui.complaint_support import TIMEOUT
from ui.complaints.desk import ComplaintsDesk
from ui.theme import Severity
from ui.workers import Background


def test_the_clocks_tick_on_business_time(qtbot, ui_context, sqlite_database):
    clock = FakeClock(datetime(2026, 1, 9, 16, 0, tzinfo=UTC))  # a Friday, 1 h before closing
    with sqlite_database.uow(Actor("admin")) as uow:
        customer = uow.customers.add(CustomerDraft("Grace Hopper", (), emails=("g@example.org",)))
        uow.commit()
    service = ComplaintService(sqlite_database, clock=clock)
    complaint = service.create(
        Actor("tester"), ComplaintDraft(customer, "Server down", priority=Priority.URGENT)
    )
    main = QWidget()
    qtbot.addWidget(main)
    background = Background()
    desk = ComplaintsDesk(ui_context, background, main, clock=clock, parent=main)
    view = desk.open_complaint(complaint.id)
    qtbot.waitUntil(lambda: view.complaint is not None, timeout=TIMEOUT)
    assert view.header.response_clock.text() == "1 h 00 min left"
    assert view.header.resolution_clock.text() == "8 h 00 min left"
    assert view.header.response_clock.property("severity") in (None, "")
    assert view.ticker.isActive()

    clock.now = datetime(2026, 1, 9, 16, 50, tzinfo=UTC)  # past 75 % of the hour
    view.ticker.timeout.emit()
    assert view.header.response_clock.text() == "\u26a0 10 min left"
    assert view.header.response_clock.property("severity") == Severity.WARNING

    clock.now = datetime(2026, 1, 12, 9, 30, tzinfo=UTC)  # Monday: the weekend did not count
    view.ticker.timeout.emit()
    assert view.header.response_clock.text() == "\u2716 30 min overdue"
    assert view.header.response_clock.property("severity") == Severity.ERROR
    assert view.header.resolution_clock.text() == "6 h 30 min left"
    view.close()
    background.wait_for_done()
