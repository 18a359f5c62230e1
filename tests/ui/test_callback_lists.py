"""Callback lists and the less common scheduling paths, driven by keys on a real SQLite database:
the agenda (day and week), the backlog (filtered, paged from the database as it scrolls), a
number spanning several time zones, scheduling from a call for the queue, and the hook other
screens (complaints) call."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from callcenter.domain.callbacks import CallbackOwner, CallbackRequest, OwnerKind
from callcenter.domain.complaints import ComplaintDraft
from callcenter.domain.customers import CustomerDraft, PhoneEntry
from callcenter.domain.users import Actor
from callcenter.services.complaints import ComplaintService
from tests.ui.callback_support import (
    ADA_KEY,
    START,
    TIMEOUT,
    add_callback,
    alice,
    open_schedule,
    press,
    service,
    set_wall_clock,
    stored,
    wait_active,
)
from tests.ui.conftest import ADA_NUMBER
from ui import callbacks as callbacks_ui
from ui.callbacks import backlog as backlog_module
from ui.callbacks.agenda import Agenda
from ui.callbacks.backlog import Backlog
from ui.callbacks.schedule_dialog import ScheduleDialog
from ui.theme import Severity, status_colour

SYDNEY_MOBILE = "+61412345678"  # an Australian mobile: eight zones
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_the_agenda_shows_my_day_and_week_with_overdue_in_red(
    qtbot, qtmodeltester, callback_desk, ada_customer_id, sqlite_database, agent, callback_clock
):
    window, _feature = callback_desk
    late = add_callback(
        sqlite_database, callback_clock, agent, ada_customer_id, START + timedelta(minutes=10)
    )
    add_callback(
        sqlite_database,
        callback_clock,
        agent,
        ada_customer_id,
        START + timedelta(hours=2),
        reason="Later",
    )
    add_callback(
        sqlite_database,
        callback_clock,
        agent,
        ada_customer_id,
        START + timedelta(days=2),
        reason="Thu",
    )
    callback_clock.now = START + timedelta(minutes=30)
    wait_active(qtbot, window)
    press(qtbot, window, Qt.Key.Key_A, CTRL_SHIFT)
    agenda = window.findChild(Agenda)
    assert agenda is not None
    qtbot.waitUntil(lambda: agenda.model.rowCount() == 2, timeout=TIMEOUT)
    qtmodeltester.check(agenda.model)
    assert agenda.heading.text() == "Tuesday 24 November 2026"
    assert agenda.status.text() == "2 callback(s), 1 overdue"
    model = agenda.model
    assert [model.index(r, 0).data() for r in range(2)] == ["15:10", "17:00"]  # London
    assert [model.index(r, 1).data() for r in range(2)] == ["10:10", "12:00"]  # New York
    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) == status_colour(Severity.ERROR)
    assert model.index(1, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert "overdue" in model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert model.row_at(0).id == late.id

    wait_active(qtbot, agenda)
    press(qtbot, agenda, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: agenda.model.rowCount() == 3, timeout=TIMEOUT)
    assert agenda.heading.text() == "Week of Mon 23 Nov to Sun 29 Nov 2026"
    assert model.index(2, 0).data() == "Thu 26 Nov 15:00"
    press(qtbot, agenda, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # next week: empty
    qtbot.waitUntil(lambda: agenda.status.text() == "No callbacks", timeout=TIMEOUT)

    # Enter on a row shows its customer on the card.
    press(qtbot, agenda, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    press(qtbot, agenda, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: agenda.model.rowCount() == 2, timeout=TIMEOUT)
    agenda.table.setFocus()
    agenda.table.selectRow(1)
    qtbot.keyClick(agenda.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.card.name.text() == "Ada Lovelace", timeout=TIMEOUT)


def test_the_backlog_pages_from_the_database_and_filters(
    qtbot,
    qtmodeltester,
    monkeypatch,
    callback_desk,
    ada_customer_id,
    sqlite_database,
    agent,
    callback_clock,
):
    monkeypatch.setattr(backlog_module, "PAGE_SIZE", 5)
    _window, feature = callback_desk
    for minutes in range(0, 60, 5):  # twelve callbacks: six mine, six the queue's
        owner = CallbackOwner.agent(agent.id) if minutes % 10 else CallbackOwner.queue(None)
        add_callback(
            sqlite_database,
            callback_clock,
            agent,
            ada_customer_id,
            START + timedelta(minutes=minutes + 5),
            owner=owner,
        )
    callback_clock.now = START + timedelta(minutes=32)  # the first six are overdue
    pages: list[int] = []
    backlog = feature.open_backlog()
    assert isinstance(backlog, Backlog)
    model = backlog.model
    model.page_loaded.connect(pages.append)
    # The view asks for more as long as its rows do not fill it; scrolling does the same.
    backlog.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == 12 and model.exhausted, timeout=TIMEOUT)
    assert pages[-3:] == [5, 5, 2]  # three reads of at most five rows each
    qtmodeltester.check(model)
    assert backlog.status.text() == "Callbacks: 12 \u00b7 6 overdue"
    dues = [model.row_at(r).due_at for r in range(12)]
    assert dues == sorted(dues)
    assert model.index(0, 0).data() == "Ada Lovelace"
    assert model.index(0, 4).data() == "27 min overdue"
    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) == status_colour(Severity.ERROR)

    wait_active(qtbot, backlog)
    backlog.overdue.setFocus()
    qtbot.keyClick(backlog.overdue, Qt.Key.Key_Space)
    assert backlog.overdue.isChecked()
    qtbot.waitUntil(lambda: model.exhausted and not model.loading, timeout=TIMEOUT)
    assert model.rowCount() == 6 and pages[-2:] == [5, 1]
    assert all(model.row_at(r).is_overdue(callback_clock.now) for r in range(6))
    backlog.whose.setCurrentIndex(backlog.whose.findText("Mine"))
    qtbot.waitUntil(lambda: not model.loading and model.rowCount() == 3, timeout=TIMEOUT)
    assert all(model.row_at(r).owner_kind is OwnerKind.AGENT for r in range(3))
    assert model.index(0, 5).data() == "Alice Agent"


def test_a_number_spanning_several_zones_asks_for_the_customers_zone(
    qtbot, callback_desk, sqlite_database, agent
):
    window, _feature = callback_desk
    with sqlite_database.uow(Actor("admin")) as uow:
        bruce = uow.customers.add(
            CustomerDraft("Bruce Wayne", (PhoneEntry("0412 345 678", SYDNEY_MOBILE),))
        )
        uow.commit()
    dialog = callbacks_ui.schedule_callback(window, bruce)
    assert isinstance(dialog, ScheduleDialog)
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=TIMEOUT)
    form = dialog.form
    assert form.zone.isVisible() and form.zone.count() == 9
    assert form.zone_name() is None
    assert form.preview.text().endswith("your time")
    wait_active(qtbot, dialog)
    press(qtbot, dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: dialog.banner.isVisible() and "zone" in dialog.banner.message(), timeout=TIMEOUT
    )
    assert dialog.banner.message() == (
        "Customer's time zone: the number spans several time zones; choose the customer's."
    )
    assert form.zone.hasFocus()

    form.zone.setCurrentIndex(form.zone.findData("Australia/Sydney"))
    # 16:15 UTC is 03:15 on Wednesday in Sydney: before calling hours; take the offer.
    qtbot.waitUntil(lambda: dialog.take_slot.isVisible(), timeout=TIMEOUT)
    assert "03:15 for the customer (Sydney)" in form.preview.text()
    # Already Wednesday in Sydney: the customer's side needs no day.
    assert "21:00 your time \u00b7 08:00 for the customer (Sydney)" in dialog.take_slot.text()
    press(qtbot, dialog, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    # A mnemonic clicks the button a moment later, as a click looks.
    qtbot.waitUntil(lambda: form.when_at() == START + timedelta(hours=6), timeout=TIMEOUT)
    with qtbot.waitSignal(dialog.finished, timeout=TIMEOUT):
        press(qtbot, dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    (callback,) = stored(sqlite_database, agent)
    assert callback.time_zone == "Australia/Sydney"
    assert callback.due_at == START + timedelta(hours=6)  # 21:00 UTC, 08:00 in Sydney


def test_scheduling_from_a_call_prefills_the_number_and_gives_it_to_the_queue(
    qtbot, callback_desk, ada_customer_id, sqlite_database, agent
):
    window, _feature = callback_desk
    window.desk.training.ring(ADA_NUMBER, queue="Support")
    qtbot.waitUntil(lambda: window.card.customer is not None, timeout=TIMEOUT)
    wait_active(qtbot, window)
    qtbot.mouseClick(
        window.call_panel.findChild(
            type(window.call_panel.answer_button), "scheduleCallbackButton"
        ),
        Qt.MouseButton.LeftButton,
    )
    dialog = window.findChild(ScheduleDialog)
    qtbot.waitUntil(lambda: dialog is not None and dialog.save_button.isEnabled(), timeout=TIMEOUT)
    form = dialog.form
    assert form.number_key() == ADA_KEY
    assert form.owner.currentText() == "Me"
    assert form.chosen_owner().queue_id is not None  # the call's queue, should it go overdue
    form.owner.setCurrentIndex(form.owner.findText("Queue: Support"))
    form.priority.setCurrentIndex(0)
    wait_active(qtbot, dialog)
    qtbot.waitUntil(lambda: "Within" in dialog.notice.message(), timeout=TIMEOUT)
    with qtbot.waitSignal(dialog.finished, timeout=TIMEOUT):
        press(qtbot, dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    (callback,) = stored(sqlite_database, agent)
    assert callback.owner_kind is OwnerKind.QUEUE and callback.queue_name == "Support"
    assert callback.priority == 1


def test_a_complaint_screen_opens_the_form_linked_to_its_complaint(
    qtbot, callback_desk, ada_customer_id, sqlite_database, agent
):
    window, _feature = callback_desk
    complaint = ComplaintService(sqlite_database).create(
        Actor("alice", agent.id), ComplaintDraft(ada_customer_id, "Charged twice")
    )
    dialog = callbacks_ui.schedule_callback(
        window, ada_customer_id, complaint.id, None, "About the double charge"
    )
    assert isinstance(dialog, ScheduleDialog)
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=TIMEOUT)
    assert dialog.form.complaint_id() == complaint.id
    assert dialog.form.reason.text() == "About the double charge"
    qtbot.waitUntil(lambda: "Within" in dialog.notice.message(), timeout=TIMEOUT)
    wait_active(qtbot, dialog)
    with qtbot.waitSignal(dialog.finished, timeout=TIMEOUT):
        press(qtbot, dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    (callback,) = stored(sqlite_database, agent)
    assert callback.complaint_id == complaint.id
    # Without the callbacks feature (not a main window), nothing opens.
    assert callbacks_ui.schedule_callback(window.call_panel, ada_customer_id) is None


def test_an_unknown_complaint_is_refused_naming_the_field(
    qtbot, callback_desk, ada_customer_id, sqlite_database, agent
):
    window, _feature = callback_desk
    dialog = callbacks_ui.schedule_callback(window, ada_customer_id, complaint_id=4242)
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=TIMEOUT)
    wait_active(qtbot, dialog)
    press(qtbot, dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.banner.message().startswith("Complaint:"), timeout=TIMEOUT)
    assert dialog.form.complaint.hasFocus()
    assert stored(sqlite_database, agent) == []


def test_schedule_without_a_customer_says_what_to_do(qtbot, callback_desk):
    window, _feature = callback_desk
    wait_active(qtbot, window)
    press(qtbot, window, Qt.Key.Key_B, CTRL_SHIFT)
    assert window.statusBar().currentMessage() == (
        "Open a customer first (Ctrl+K), then schedule their callback."
    )
    assert window.findChild(ScheduleDialog) is None


def test_a_time_in_the_past_is_refused_naming_the_field(
    qtbot, callback_desk, ada_customer_id, sqlite_database, agent, callback_clock
):
    window, _feature = callback_desk
    dialog = open_schedule(qtbot, window, ada_customer_id)
    callback_clock.now = START + timedelta(days=1)  # the form's time is now yesterday's
    press(qtbot, dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.banner.message().startswith("When:"), timeout=TIMEOUT)
    assert "in the past" in dialog.banner.message()
    assert stored(sqlite_database, agent) == []


def test_a_window_is_saved_and_switching_zones_never_moves_it(
    qtbot, callback_desk, ada_customer_id, sqlite_database, agent
):
    window, _feature = callback_desk
    dialog = open_schedule(qtbot, window, ada_customer_id)
    form = dialog.form
    set_wall_clock(form.when, 2026, 11, 24, 16, 0)  # my time (London)
    press(qtbot, dialog, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)  # "or any time until"
    qtbot.waitUntil(lambda: form.until.isChecked(), timeout=TIMEOUT)
    assert form.latest_at() == START + timedelta(hours=2)  # an hour after the start
    set_wall_clock(form.latest, 2026, 11, 24, 18, 30)
    assert "16:00 your time \u00b7 11:00 for the customer" in form.preview.text()
    assert "18:30 your time \u00b7 13:30 for the customer" in form.preview.text()

    form.basis.setCurrentIndex(form.basis.findData("customer"))
    assert form.when.dateTime().time().hour() == 11  # shown in New York time now
    assert form.when_at() == START + timedelta(hours=1)
    assert form.latest_at() == START + timedelta(hours=3, minutes=30)
    qtbot.waitUntil(lambda: "Within" in dialog.notice.message(), timeout=TIMEOUT)
    wait_active(qtbot, dialog)
    with qtbot.waitSignal(dialog.finished, timeout=TIMEOUT):
        press(qtbot, dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    (callback,) = stored(sqlite_database, agent)
    assert (callback.due_at, callback.latest_at) == (
        START + timedelta(hours=1),
        START + timedelta(hours=3, minutes=30),
    )


def test_the_backlog_narrows_to_the_customer_on_the_card(
    qtbot, callback_desk, ada_customer_id, sqlite_database, agent, callback_clock
):
    window, feature = callback_desk
    with sqlite_database.uow(Actor("admin")) as uow:
        alan = uow.customers.add(
            CustomerDraft("Alan Turing", (PhoneEntry("+1 617 555 0100", "+16175550100"),))
        )
        uow.commit()
    add_callback(
        sqlite_database, callback_clock, agent, ada_customer_id, START + timedelta(hours=1)
    )
    service(sqlite_database, callback_clock).schedule(
        alice(agent),
        CallbackRequest(alan, "+16175550100", START + timedelta(hours=2), CallbackOwner.queue()),
    )
    backlog = feature.open_backlog()
    model = backlog.model
    qtbot.waitUntil(lambda: model.rowCount() == 2 and model.exhausted, timeout=TIMEOUT)
    window.open_customer(alan)
    qtbot.waitUntil(lambda: window.card.name.text() == "Alan Turing", timeout=TIMEOUT)
    wait_active(qtbot, backlog)
    press(qtbot, backlog, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: model.rowCount() == 1 and not model.loading, timeout=TIMEOUT)
    assert model.index(0, 0).data() == "Alan Turing"
    window.open_customer(ada_customer_id)  # the card moves on: so does the list
    qtbot.waitUntil(
        lambda: model.rowCount() == 1 and model.index(0, 0).data() == "Ada Lovelace",
        timeout=TIMEOUT,
    )
