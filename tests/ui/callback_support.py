"""Shared by the callback GUI tests: an injected clock, the desk with callbacks, and helpers
that add callbacks through the core and press keys."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone
from PySide6.QtWidgets import QApplication, QWidget

from callcenter.domain.callbacks import CallbackOwner, CallbackRequest, Priority
from callcenter.domain.users import Actor
from callcenter.services.callbacks import CallbackService
from callcenter.services.customers import CustomerService
from tests.support.clock import SettableClock as Clock
from ui.callbacks.feature import CallbacksFeature
from ui.callbacks.schedule_dialog import ScheduleDialog

ADA_KEY = "+12125550142"
# A Tuesday, 10:00 in New York and 15:00 in London.
START = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
TIMEOUT = 5000


@pytest.fixture
def callback_clock() -> Clock:
    return Clock(START)


@pytest.fixture
def ada_customer_id(sqlite_database, agent) -> int:
    (ada,) = CustomerService(sqlite_database).search(Actor("alice", agent.id), "Ada")
    return ada.id


@pytest.fixture
def callback_desk(qtbot, open_desk, callback_clock):
    window = open_desk(report_timezone="Europe/London", wrap_up_mode="optional")
    feature = window.findChild(CallbacksFeature, "callbacks")
    assert feature is not None
    feature.set_clock(callback_clock)
    dialled: list[str] = []
    window.desk.calls.open_url = lambda url: dialled.append(url.toString()) or True
    window.dialled = dialled
    return window, feature


def service(database, clock) -> CallbackService:
    return CallbackService(database, region="US", clock=clock)


def alice(agent) -> Actor:
    return Actor("alice", agent.id)


def add_callback(database, clock, agent, customer_id, due, owner=None, reason="Invoice"):
    request = CallbackRequest(
        customer_id,
        ADA_KEY,
        due,
        owner or CallbackOwner.agent(agent.id),
        reason=reason,
        priority=Priority.NORMAL,
        allow_conflict=True,
    )
    return service(database, clock).schedule(alice(agent), request)


def press(qtbot, widget: QWidget, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(widget.focusWidget() or widget, key, modifier)


def wait_active(qtbot, widget: QWidget) -> None:
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=TIMEOUT)


def set_wall_clock(edit, year, month, day, hour, minute) -> None:
    edit.setFocus()
    edit.setDateTime(
        QDateTime(
            QDate(year, month, day),
            QTime(hour, minute),
            QTimeZone(QTimeZone.Initialization.UTC),
        )
    )


def open_schedule(qtbot, window, ada_id) -> ScheduleDialog:
    window.open_customer(ada_id)
    qtbot.waitUntil(lambda: window.card.customer is not None, timeout=TIMEOUT)
    wait_active(qtbot, window)
    press(
        qtbot,
        window,
        Qt.Key.Key_B,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = window.findChild(ScheduleDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: dialog.notice.isVisible(), timeout=TIMEOUT)
    wait_active(qtbot, dialog)
    return dialog


def stored(database, agent) -> list:
    page = CallbackService(database).backlog(alice(agent), where=None, limit=50)
    return list(page.items)
