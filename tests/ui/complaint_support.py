"""Helpers for the complaints GUI tests: keys, a call on the desk, complaints made directly."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from callcenter.domain.complaints import ComplaintDraft
from callcenter.domain.users import Actor
from callcenter.services.complaints import ComplaintService
from tests.ui.conftest import ADA_NUMBER

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
TIMEOUT = 5000


def press(qtbot, window: QWidget, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key as the agent presses it: to whatever has the focus in the active window."""
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, key, modifier)


def activate(qtbot, window: QWidget) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=TIMEOUT)


def ring_and_answer(qtbot, window) -> None:
    window.desk.training.ring(ADA_NUMBER, queue="Support")
    qtbot.waitUntil(lambda: window.card.customer is not None, timeout=TIMEOUT)
    press(qtbot, window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.call_panel.phase.text() == "Connected", timeout=TIMEOUT)


def add_complaint(database, login: str, customer_id: int, subject: str, **fields) -> int:
    service = ComplaintService(database)
    draft = ComplaintDraft(customer_id=customer_id, subject=subject, **fields)
    return service.create(Actor(login), draft).id
