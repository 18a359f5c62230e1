"""The agent's desk driven by keys: a call rings, pops, is answered, held, hung up, wrapped up.

Fixtures `agent` and `open_desk` are in tests/ui/conftest.py.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QTableWidget
from sqlalchemy import select

from callcenter.db.tables import AgentStateChange
from callcenter.domain.calls import AgentState
from callcenter.domain.errors import DatabaseUnavailable
from callcenter.domain.users import Actor
from callcenter.services.active_call import CallPhase
from callcenter.services.call_log import CallLogService
from tests.ui.conftest import ADA_NUMBER
from ui.main_window import MainWindow


def key(qtbot, window: MainWindow, name: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window.focusWidget() or window, getattr(Qt.Key, f"Key_{name}"), modifier)


def ring_and_answer(qtbot, window: MainWindow) -> None:
    window.desk.training.ring(ADA_NUMBER, queue="Support")
    qtbot.waitUntil(lambda: window.card.name.text() == "Ada Lovelace", timeout=5000)
    assert window.call_panel.phase.text() == "Ringing"
    key(qtbot, window, "F5")
    qtbot.waitUntil(lambda: window.call_panel.phase.text() == "Connected", timeout=3000)


def states_recorded(database, agent_id: int) -> list[str]:
    with database.engine.connect() as connection:
        return list(
            connection.execute(
                select(AgentStateChange.state)
                .where(AgentStateChange.agent_id == agent_id)
                .order_by(AgentStateChange.id)
            ).scalars()
        )


def test_a_call_from_ring_to_mandatory_wrap_up_by_keyboard(
    qtbot, open_desk, sqlite_database, agent
):
    window = open_desk(wrap_up_mode="mandatory")
    qtbot.waitUntil(lambda: window.call_panel.disposition.count() > 1, timeout=3000)
    assert "Available" in window.state_selector.combo.currentText()
    ring_and_answer(qtbot, window)
    qtbot.waitUntil(lambda: window.call_panel.customer.text() == "Ada Lovelace", timeout=3000)
    assert window.call_panel.queue.text() == "Support"
    assert "On call" in window.state_selector.combo.currentText()

    key(qtbot, window, "F6")
    qtbot.waitUntil(lambda: window.call_panel.phase.text() == "On hold", timeout=3000)
    assert window.call_panel.hold_button.text() == "Resume"
    qtbot.wait(1100)
    key(qtbot, window, "F6")
    qtbot.waitUntil(lambda: window.call_panel.phase.text() == "Connected", timeout=3000)
    window.call_panel.notes.setFocus()
    qtbot.keyClicks(window.call_panel.notes, "Asked about her invoice")
    key(qtbot, window, "F7")
    qtbot.waitUntil(lambda: window.call_panel.phase.text() == "Wrap-up", timeout=3000)
    assert "After-call work" in window.state_selector.combo.currentText()

    key(qtbot, window, "F8")  # mandatory: refused without a disposition
    assert window.call_panel.message.isVisible()
    assert "Choose how the call ended" in window.call_panel.message.text()
    assert window.desk.calls.call is not None

    key(qtbot, window, "1", Qt.KeyboardModifier.AltModifier)
    first = window.call_panel.disposition.itemData(1)
    assert window.call_panel.disposition.currentIndex() == 1
    with qtbot.waitSignal(window.desk.calls.saved, timeout=5000) as saved:
        key(qtbot, window, "F8")
    assert window.call_panel.phase.text() == "No call"
    assert "Available" in window.state_selector.combo.currentText()

    with sqlite_database.uow(Actor("alice")) as uow:
        record = uow.calls.get(saved.args[0])
        support = uow.queues.find("Support")
    assert record is not None and support is not None
    assert record.answered_at is not None and record.ended_at is not None
    assert (record.disposition_code, record.notes) == (first, "Asked about her invoice")
    assert record.hold_s >= 1 and record.agent_id == agent.id and record.queue_id == support.id
    assert record.customer_id is not None
    qtbot.waitUntil(lambda: window.desk.outbox.pending == 0, timeout=3000)
    assert states_recorded(sqlite_database, agent.id) == [
        "available",
        "on_call",
        "after_call_work",
        "available",
    ]


def test_timed_wrap_up_saves_the_call_with_the_timeout_disposition(
    qtbot, open_desk, sqlite_database
):
    window = open_desk(wrap_up_mode="timed", wrap_up_seconds=2)
    ring_and_answer(qtbot, window)
    key(qtbot, window, "F7")
    qtbot.waitUntil(lambda: window.call_panel.countdown.isVisible(), timeout=3000)
    assert "Wrap-up ends in" in window.call_panel.countdown.text()
    with qtbot.waitSignal(window.desk.calls.saved, timeout=5000) as saved:
        pass
    with sqlite_database.uow(Actor("alice")) as uow:
        record = uow.calls.get(saved.args[0])
    assert record is not None and record.disposition_code == "wrap_up_timeout"
    assert record.acw_s >= 1
    assert "Available" in window.state_selector.combo.currentText()
    assert not window.call_panel.countdown.isVisible()


def test_optional_wrap_up_ends_without_a_disposition(qtbot, open_desk):
    window = open_desk(wrap_up_mode="optional")
    ring_and_answer(qtbot, window)
    key(qtbot, window, "F7")
    qtbot.waitUntil(lambda: window.call_panel.phase.text() == "Wrap-up", timeout=3000)
    with qtbot.waitSignal(window.desk.calls.saved, timeout=5000):
        key(qtbot, window, "F8")


def test_a_break_chosen_on_a_call_starts_after_wrap_up(qtbot, open_desk, sqlite_database, agent):
    window = open_desk(wrap_up_mode="optional", break_reasons=("Lunch", "Coaching"))
    ring_and_answer(qtbot, window)
    combo = window.state_selector.combo
    combo.setFocus()
    combo.setCurrentIndex(combo.findText("Coaching", Qt.MatchFlag.MatchContains))
    combo.activated.emit(combo.currentIndex())
    assert "then Break — Coaching" in window.state_selector.after.text()
    assert "On call" in combo.currentText()
    key(qtbot, window, "F7")
    qtbot.waitUntil(lambda: window.call_panel.phase.text() == "Wrap-up", timeout=3000)
    key(qtbot, window, "F8")
    qtbot.waitUntil(lambda: "Coaching" in combo.currentText(), timeout=3000)
    qtbot.waitUntil(lambda: window.desk.outbox.pending == 0, timeout=3000)
    assert states_recorded(sqlite_database, agent.id)[-1] == "break"


def test_a_database_outage_mid_shift_loses_no_call(qtbot, open_desk, sqlite_database, monkeypatch):
    window = open_desk(wrap_up_mode="optional")
    real_save = CallLogService.save
    failures = {"left": 2}

    def flaky_save(self, actor, record, queue_name=None):
        if failures["left"]:
            failures["left"] -= 1
            raise DatabaseUnavailable("Cannot reach the database: connection refused")
        return real_save(self, actor, record, queue_name)

    monkeypatch.setattr(CallLogService, "save", flaky_save)
    ring_and_answer(qtbot, window)
    key(qtbot, window, "F7")
    qtbot.waitUntil(lambda: window.call_panel.phase.text() == "Wrap-up", timeout=3000)
    key(qtbot, window, "F8")
    qtbot.waitUntil(lambda: "unreachable" in window.database_status.text(), timeout=3000)
    assert "kept, retrying" in window.database_status.text()
    with qtbot.waitSignal(window.desk.calls.saved, timeout=5000) as saved:
        pass
    with sqlite_database.uow(Actor("alice")) as uow:
        assert uow.calls.get(saved.args[0]) is not None
    qtbot.waitUntil(lambda: "connected" in window.database_status.text(), timeout=3000)


def test_an_unanswered_inbound_call_is_logged_without_wrap_up(qtbot, open_desk, sqlite_database):
    window = open_desk()
    call_id = window.desk.training.ring(ADA_NUMBER)
    qtbot.waitUntil(lambda: window.call_panel.phase.text() == "Ringing", timeout=3000)
    with qtbot.waitSignal(window.desk.calls.saved, timeout=5000) as saved:
        window.desk.training.remote_hang_up(call_id)
    assert "Available" in window.state_selector.combo.currentText()
    with sqlite_database.uow(Actor("alice")) as uow:
        record = uow.calls.get(saved.args[0])
    assert record is not None and record.answered_at is None and record.acw_s == 0


def test_signing_out_from_the_state_selector_records_it_and_closes(
    qtbot, open_desk, sqlite_database, agent
):
    window = open_desk()
    combo = window.state_selector.combo
    with qtbot.waitSignal(window.closed, timeout=5000) as closed:
        combo.setCurrentIndex(combo.findText("Logged out", Qt.MatchFlag.MatchContains))
        combo.activated.emit(combo.currentIndex())
    assert closed.args == [True]
    assert states_recorded(sqlite_database, agent.id) == ["available"]
    with sqlite_database.engine.connect() as connection:
        open_spans = connection.execute(
            select(AgentStateChange.id).where(AgentStateChange.ended_at.is_(None))
        ).all()
    assert open_spans == []


def test_the_status_bar_says_what_is_connected(open_desk):
    window = open_desk()
    assert "not configured" in window.telephony_status.text()
    assert "Database connected" in window.database_status.text()


def test_the_shortcut_sheet_lists_the_call_keys(qtbot, open_desk):
    window = open_desk()
    key(qtbot, window, "F1")
    qtbot.waitUntil(lambda: window.findChild(QDialog, "shortcutsDialog") is not None, timeout=3000)
    dialog = window.findChild(QDialog, "shortcutsDialog")
    qtbot.waitExposed(dialog)
    table = dialog.findChild(QTableWidget, "shortcutsTable")
    rows = {f"{table.item(r, 1).text()}={table.item(r, 2).text()}" for r in range(table.rowCount())}
    assert {"Answer=F5", "Hang up=F7", "Search customers=Ctrl+K", "Keyboard shortcuts=F1"} <= rows
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)


def test_the_phone_state_cannot_be_chosen_by_hand(open_desk):
    window = open_desk()
    combo = window.state_selector.combo
    model = combo.model()
    on_call = combo.findText("On call", Qt.MatchFlag.MatchContains)
    assert not (model.flags(model.index(on_call, 0)) & Qt.ItemFlag.ItemIsEnabled)
    assert window.desk.status.state is AgentState.AVAILABLE
    assert window.desk.calls.call is None or window.desk.calls.call.phase is CallPhase.RINGING


def test_with_no_phone_line_a_number_is_dialled_through_the_tel_handler(qtbot, open_desk):
    window = open_desk()
    opened: list[str] = []
    window.desk.calls.open_url = lambda url: opened.append(url.toString()) or True
    key(qtbot, window, "D", Qt.KeyboardModifier.ControlModifier)
    assert window.call_panel.dial_box.hasFocus()
    qtbot.keyClicks(window.call_panel.dial_box, "+44 20 7946 0018")
    qtbot.keyClick(window.call_panel.dial_box, Qt.Key.Key_Return)
    assert opened == ["tel:+442079460018"]
    qtbot.keyClicks(window.call_panel.dial_box, "x")
    window.call_panel.dial_box.setText("not a number")
    qtbot.keyClick(window.call_panel.dial_box, Qt.Key.Key_Return)
    assert "not a phone number" in window.call_panel.message.text()
    assert len(opened) == 1


def test_the_customer_on_the_card_is_called_with_one_key(qtbot, open_desk):
    window = open_desk()
    opened: list[str] = []
    window.desk.calls.open_url = lambda url: opened.append(url.toString()) or True
    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, "lovelace")
    qtbot.waitUntil(lambda: window.results_model.rowCount() == 1, timeout=3000)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.card.name.text() == "Ada Lovelace", timeout=3000)
    key(qtbot, window, "D", Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert opened == ["tel:+12125550142"]
