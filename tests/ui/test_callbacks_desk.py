"""Callbacks on the agent's desk, driven by keys on a real SQLite database: scheduling (a time
outside calling hours refused, the offered slot taken; a conflict), a reminder on an injected
clock, next callback with its outcomes, and F4 on the screen pop.

Fixtures: `agent` (alice; Ada Lovelace on a New York number; queue Support) and `open_desk` in
tests/ui/conftest.py; `callback_desk`, `callback_clock` and `ada_customer_id` in
tests/ui/callback_support.py (the agent's own zone is Europe/London, so the two zones differ).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from callcenter.domain.callbacks import CallbackOwner, CallbackStatus, Outcome
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
from ui.callbacks.next_callback import NextCallbackDialog
from ui.callbacks.reminders import ReminderNote


def test_a_time_outside_calling_hours_is_refused_and_the_offered_slot_taken(
    qtbot, callback_desk, ada_customer_id, sqlite_database, agent
):
    window, _feature = callback_desk
    dialog = open_schedule(qtbot, window, ada_customer_id)
    form = dialog.form
    assert form.customer.text() == "Ada Lovelace"
    assert form.number_key() == ADA_KEY
    assert not form.zone.isVisible()  # one zone for a New York number: nothing to choose
    assert form.zone_name() == "America/New_York"

    # 22:30 for the customer (New York) on Tuesday: after calling hours.
    form.basis.setCurrentIndex(form.basis.findData("customer"))
    set_wall_clock(form.when, 2026, 11, 24, 22, 30)
    assert "03:30 your time" in form.preview.text()
    assert "22:30 for the customer (New York)" in form.preview.text()
    form.reason.setFocus()
    qtbot.keyClicks(form.reason, "Call about the invoice")
    qtbot.waitUntil(lambda: dialog.take_slot.isVisible(), timeout=TIMEOUT)
    assert "after calling hours (08:00-21:00" in dialog.notice.message()
    assert "Wed 25 Nov 13:00 your time" in dialog.take_slot.text()
    assert "08:00 for the customer" in dialog.take_slot.text()

    # Saved anyway: the core refuses it and nothing is stored.
    press(qtbot, dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "calling hours" in dialog.banner.message(), timeout=TIMEOUT)
    assert dialog.banner.message().startswith("When:")
    assert stored(sqlite_database, agent) == []

    # One key takes the offered slot; Ctrl+Return saves it.
    press(qtbot, dialog, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(
        lambda: "Within the customer's calling hours" in dialog.notice.message(), timeout=TIMEOUT
    )
    assert form.when_at() == datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
    with qtbot.waitSignal(dialog.finished, timeout=TIMEOUT):
        press(qtbot, dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    (callback,) = stored(sqlite_database, agent)
    assert callback.due_at == datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
    assert callback.time_zone == "America/New_York"
    assert callback.agent_id == agent.id and callback.reason == "Call about the invoice"
    assert "Callback to Ada Lovelace scheduled" in window.statusBar().currentMessage()


def test_a_conflict_offers_a_free_slot_and_the_pop_lists_the_callbacks(
    qtbot, callback_desk, ada_customer_id, sqlite_database, agent, callback_clock
):
    window, _feature = callback_desk
    add_callback(
        sqlite_database, callback_clock, agent, ada_customer_id, START + timedelta(hours=1)
    )
    dialog = open_schedule(qtbot, window, ada_customer_id)
    set_wall_clock(dialog.form.when, 2026, 11, 24, 16, 5)  # my time (London)
    qtbot.waitUntil(lambda: dialog.take_slot.isVisible(), timeout=TIMEOUT)
    assert "Close to another of your callbacks: Ada Lovelace" in dialog.notice.message()
    assert dialog.keep_time.isVisible()
    assert "16:15 your time" in dialog.take_slot.text()
    press(qtbot, dialog, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not dialog.take_slot.isVisible(), timeout=TIMEOUT)
    with qtbot.waitSignal(dialog.finished, timeout=TIMEOUT):
        press(qtbot, dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    due = sorted(cb.due_at for cb in stored(sqlite_database, agent))
    assert due == [START + timedelta(hours=1), START + timedelta(hours=1, minutes=15)]

    # The card's section reloads after a save and shows both, soonest first.
    section = _feature.card_section
    qtbot.waitUntil(lambda: section.isVisible() and section.model.rowCount() == 2, timeout=TIMEOUT)
    assert "Pending callbacks: 2" in section.heading.text()
    assert window.card.details.callbacks.text() == "2 due"


def test_a_reminder_fires_on_the_injected_clock_and_snoozes(
    qtbot, callback_desk, ada_customer_id, sqlite_database, agent, callback_clock
):
    _window, feature = callback_desk
    callback = add_callback(
        sqlite_database, callback_clock, agent, ada_customer_id, START + timedelta(hours=1)
    )
    reminders = feature.reminders
    reminders.set_interval(30)
    qtbot.wait(150)
    assert not reminders.notes  # 55 minutes before: too early (lead time 5 minutes)

    callback_clock.now = START + timedelta(minutes=56)
    qtbot.waitUntil(lambda: callback.id in reminders.notes, timeout=TIMEOUT)
    note = reminders.notes[callback.id]
    assert isinstance(note, ReminderNote) and note.isVisible()
    assert "Ada Lovelace" in note.summary and "in 4 min" in note.summary
    assert "16:00 your time" in note.summary and "11:00 for the customer" in note.summary
    wait_active(qtbot, note)
    with qtbot.waitSignal(note.finished, timeout=TIMEOUT):
        press(qtbot, note, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(
        lambda: (
            service(sqlite_database, callback_clock).get(alice(agent), callback.id).remind_at
            == START + timedelta(minutes=66)
        ),
        timeout=TIMEOUT,
    )
    qtbot.wait(150)
    assert callback.id not in reminders.notes  # snoozed: not shown again before its time

    # In the background the reminder also goes to the tray.
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    wait_active(qtbot, other)
    callback_clock.now = START + timedelta(minutes=67)
    with qtbot.waitSignal(reminders.background_notice, timeout=TIMEOUT) as notice:
        pass
    assert notice.args[0] == "Callback due: Ada Lovelace"
    reminders.notes[callback.id].withdraw()


def test_no_reminder_for_a_callback_already_done(
    qtbot, callback_desk, ada_customer_id, sqlite_database, agent, callback_clock
):
    _window, feature = callback_desk
    callback = add_callback(
        sqlite_database, callback_clock, agent, ada_customer_id, START + timedelta(hours=1)
    )
    service(sqlite_database, callback_clock).record_attempt(
        alice(agent), callback.id, Outcome.REACHED
    )
    callback_clock.now = START + timedelta(minutes=58)
    feature.reminders.set_interval(30)
    with qtbot.waitSignal(feature.reminders.reminded, timeout=400, raising=False) as shown:
        pass
    assert not shown.signal_triggered and not feature.reminders.notes


def test_next_callback_claims_own_first_dials_and_records_outcomes(
    qtbot, callback_desk, ada_customer_id, sqlite_database, agent, callback_clock
):
    window, feature = callback_desk
    queue = add_callback(
        sqlite_database,
        callback_clock,
        agent,
        ada_customer_id,
        START + timedelta(minutes=5),
        owner=CallbackOwner.queue(None),
        reason="Anyone's",
    )
    mine = add_callback(
        sqlite_database,
        callback_clock,
        agent,
        ada_customer_id,
        START + timedelta(minutes=10),
        reason="Mine",
    )
    callback_clock.now = START + timedelta(minutes=20)
    wait_active(qtbot, window)

    press(qtbot, window, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: feature.next.dialog is not None, timeout=TIMEOUT)
    dialog = feature.next.dialog
    assert isinstance(dialog, NextCallbackDialog)
    assert dialog.callback.id == mine.id  # my own before the queue's
    assert dialog.reason.text() == "Mine" and "10 min overdue" in dialog.due.text()
    qtbot.waitUntil(lambda: window.card.name.text() == "Ada Lovelace", timeout=TIMEOUT)
    wait_active(qtbot, dialog)
    press(qtbot, dialog, Qt.Key.Key_Return)
    assert window.dialled == ["tel:" + ADA_KEY]
    with qtbot.waitSignal(dialog.finished, timeout=TIMEOUT):
        press(qtbot, dialog, Qt.Key.Key_2)  # no answer
    after = service(sqlite_database, callback_clock).get(alice(agent), mine.id)
    assert after.status is CallbackStatus.PENDING and after.attempts == 1
    assert after.last_outcome is Outcome.NO_ANSWER and after.due_at > callback_clock.now
    assert "No answer: tried 1 time(s); next try" in window.statusBar().currentMessage()

    wait_active(qtbot, window)
    press(qtbot, window, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: feature.next.dialog is not None, timeout=TIMEOUT)
    dialog = feature.next.dialog
    assert dialog.callback.id == queue.id
    wait_active(qtbot, dialog)
    with qtbot.waitSignal(dialog.finished, timeout=TIMEOUT):
        press(qtbot, dialog, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # reached
    done = service(sqlite_database, callback_clock).get(alice(agent), queue.id)
    assert done.status is CallbackStatus.DONE and done.last_outcome is Outcome.REACHED
    (attempt,) = service(sqlite_database, callback_clock).attempts(alice(agent), queue.id)
    assert attempt.call_id is not None and attempt.agent_id == agent.id

    wait_active(qtbot, window)
    press(qtbot, window, Qt.Key.Key_F9)
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage() == "No callback is due for you now.",
        timeout=TIMEOUT,
    )
    assert feature.next.dialog is None

    # The retry comes due: the window lists the earlier try.
    callback_clock.now = after.due_at + timedelta(minutes=1)
    press(qtbot, window, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: feature.next.dialog is not None, timeout=TIMEOUT)
    dialog = feature.next.dialog
    assert dialog.callback.id == mine.id
    qtbot.waitUntil(lambda: "No answer" in dialog.tries.text(), timeout=TIMEOUT)
    assert dialog.tries.text() == "15:20  No answer"


def test_escape_puts_a_claimed_callback_back(
    qtbot, callback_desk, ada_customer_id, sqlite_database, agent, callback_clock
):
    window, feature = callback_desk
    callback = add_callback(
        sqlite_database, callback_clock, agent, ada_customer_id, START + timedelta(minutes=5)
    )
    callback_clock.now = START + timedelta(minutes=6)
    wait_active(qtbot, window)
    press(qtbot, window, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: feature.next.dialog is not None, timeout=TIMEOUT)
    dialog = feature.next.dialog
    assert service(sqlite_database, callback_clock).get(alice(agent), callback.id).status is (
        CallbackStatus.CLAIMED
    )
    wait_active(qtbot, dialog)
    press(qtbot, dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(
        lambda: (
            service(sqlite_database, callback_clock).get(alice(agent), callback.id).status
            is CallbackStatus.PENDING
        ),
        timeout=TIMEOUT,
    )


def test_f4_on_the_pop_closes_the_callback_as_customer_called_in(
    qtbot, callback_desk, ada_customer_id, sqlite_database, agent, callback_clock
):
    window, feature = callback_desk
    callback = add_callback(
        sqlite_database, callback_clock, agent, ada_customer_id, START + timedelta(hours=2)
    )
    window.desk.training.ring(ADA_NUMBER, queue="Support")
    qtbot.waitUntil(lambda: window.card.name.text() == "Ada Lovelace", timeout=TIMEOUT)
    section = feature.card_section
    qtbot.waitUntil(lambda: section.isVisible(), timeout=TIMEOUT)
    assert section.model.rowCount() == 1
    assert "Invoice" in section.model.index(0, 5).data()
    wait_active(qtbot, window)
    press(qtbot, window, Qt.Key.Key_F4)
    qtbot.waitUntil(
        lambda: (
            service(sqlite_database, callback_clock).get(alice(agent), callback.id).status
            is CallbackStatus.DONE
        ),
        timeout=TIMEOUT,
    )
    closed = service(sqlite_database, callback_clock).get(alice(agent), callback.id)
    assert closed.last_outcome is Outcome.CUSTOMER_CALLED_IN
    qtbot.waitUntil(lambda: not section.isVisible(), timeout=TIMEOUT)
    assert window.card.details.callbacks.text() == "None due"
    assert "closed: the customer called in" in window.statusBar().currentMessage()


def test_an_attempt_dialled_by_the_desk_is_the_call_the_desk_saves(
    qtbot, callback_desk, ada_customer_id, sqlite_database, agent, callback_clock
):
    window, feature = callback_desk
    callback = add_callback(
        sqlite_database, callback_clock, agent, ada_customer_id, START + timedelta(minutes=5)
    )
    callback_clock.now = START + timedelta(minutes=6)
    # The phone places the call and reports it back, as a softphone does.
    window.desk.calls.open_url = lambda url: window.desk.training.dial(url.path()) and True
    wait_active(qtbot, window)
    press(qtbot, window, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: feature.next.dialog is not None, timeout=TIMEOUT)
    dialog = feature.next.dialog
    wait_active(qtbot, dialog)
    press(qtbot, dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.call_panel.phase.text() == "Connected", timeout=TIMEOUT)
    call_uid = window.desk.calls.call.uid
    wait_active(qtbot, window)
    press(qtbot, window, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: window.call_panel.phase.text() == "Wrap-up", timeout=TIMEOUT)
    wait_active(qtbot, dialog)
    with qtbot.waitSignal(dialog.finished, timeout=TIMEOUT):
        press(qtbot, dialog, Qt.Key.Key_4)  # voicemail
    wait_active(qtbot, window)
    with qtbot.waitSignal(window.desk.calls.saved, timeout=TIMEOUT):
        press(qtbot, window, Qt.Key.Key_F8)
    (attempt,) = service(sqlite_database, callback_clock).attempts(alice(agent), callback.id)
    with sqlite_database.uow(alice(agent)) as uow:
        record = uow.calls.get(call_uid)
    assert record is not None and record.disposition_code == "callback_voicemail"
    assert record.customer_id == ada_customer_id and record.ended_at is not None
    with sqlite_database.engine.connect() as connection:
        calls = connection.exec_driver_sql("SELECT count(*) FROM calls").scalar()
    assert calls == 1  # the attempt and the desk's record are one call
    assert attempt.outcome is Outcome.VOICEMAIL


def reminded_in_three_minutes(qtbot, feature, database, clock, agent, customer_id):
    """Alice's callback due at START + 1 h, with the clock at 3 minutes before: its note up."""
    callback = add_callback(database, clock, agent, customer_id, START + timedelta(hours=1))
    clock.now = START + timedelta(minutes=57)
    feature.reminders.set_interval(30)
    qtbot.waitUntil(lambda: callback.id in feature.reminders.notes, timeout=TIMEOUT)
    return callback


def test_call_now_on_a_reminder_dials_and_the_reminder_stays_quiet(
    qtbot, callback_desk, ada_customer_id, sqlite_database, agent, callback_clock
):
    window, feature = callback_desk
    callback = reminded_in_three_minutes(
        qtbot, feature, sqlite_database, callback_clock, agent, ada_customer_id
    )
    reminders = feature.reminders
    note = reminders.notes[callback.id]
    wait_active(qtbot, note)
    press(qtbot, note, Qt.Key.Key_Return)  # Call now
    qtbot.waitUntil(lambda: feature.next.dialog is not None, timeout=TIMEOUT)
    assert feature.next.dialog.callback.id == callback.id
    assert window.dialled == ["tel:" + ADA_KEY]
    # Claimed before it was dialled: nobody else can take it while Alice calls.
    claimed = service(sqlite_database, callback_clock).get(alice(agent), callback.id)
    assert (claimed.status, claimed.claimed_by) == (CallbackStatus.CLAIMED, agent.id)
    qtbot.waitUntil(
        lambda: (
            service(sqlite_database, callback_clock).get(alice(agent), callback.id).remind_at
            is None
        ),
        timeout=TIMEOUT,
    )
    qtbot.wait(150)
    assert callback.id not in reminders.notes  # being called: no second reminder
    dialog = feature.next.dialog
    wait_active(qtbot, dialog)
    with qtbot.waitSignal(dialog.finished, timeout=TIMEOUT):
        press(qtbot, dialog, Qt.Key.Key_1)
    done = service(sqlite_database, callback_clock).get(alice(agent), callback.id)
    assert done.status is CallbackStatus.DONE


def test_call_now_on_a_callback_closed_meanwhile_says_so_and_dials_nothing(
    qtbot, callback_desk, ada_customer_id, sqlite_database, agent, callback_clock
):
    window, feature = callback_desk
    callback = reminded_in_three_minutes(
        qtbot, feature, sqlite_database, callback_clock, agent, ada_customer_id
    )
    reminders = feature.reminders
    reminders.set_interval(3_600_000)  # no poll withdraws the note before Call now
    note = reminders.notes[callback.id]
    # A supervisor cancels it from the backlog while the note is up.
    service(sqlite_database, callback_clock).cancel(alice(agent), callback.id, callback.version)
    wait_active(qtbot, note)
    press(qtbot, note, Qt.Key.Key_Return)  # Call now
    qtbot.waitUntil(lambda: "already" in window.statusBar().currentMessage(), timeout=TIMEOUT)
    assert feature.next.dialog is None
    assert window.dialled == []
    assert note.isVisible()


def test_enter_on_a_callback_on_the_card_claims_it_and_opens_it_ready_to_dial(
    qtbot, callback_desk, ada_customer_id, sqlite_database, agent, callback_clock
):
    window, feature = callback_desk
    callback = add_callback(
        sqlite_database, callback_clock, agent, ada_customer_id, START + timedelta(hours=2)
    )
    window.open_customer(ada_customer_id)
    section = feature.card_section
    qtbot.waitUntil(lambda: section.isVisible() and section.model.rowCount() == 1, timeout=TIMEOUT)
    wait_active(qtbot, window)
    section.table.setFocus()
    section.table.setCurrentIndex(section.model.index(0, 0))
    press(qtbot, section.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: feature.next.dialog is not None, timeout=TIMEOUT)
    assert feature.next.dialog.callback.id == callback.id
    assert window.dialled == ["tel:" + ADA_KEY]
    claimed = service(sqlite_database, callback_clock).get(alice(agent), callback.id)
    assert (claimed.status, claimed.claimed_by) == (CallbackStatus.CLAIMED, agent.id)
