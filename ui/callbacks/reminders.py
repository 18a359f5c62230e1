"""Reminders: a non-modal note at due minus the lead time, with Call now, Snooze and Open.

Every `poll_ms` the desk asks the core which of the agent's callbacks are due a reminder at the
feature's clock (never a closed one) and runs the core's housekeeping (stale claims back to the
pool, overdue private callbacks to their queue; safe on many desktops at once). When the window
is in the background the note is also a system tray message, where the platform has a tray.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSystemTrayIcon,
    QVBoxLayout,
)

from callcenter.domain.callbacks import Callback
from callcenter.services.active_call import CallPhase
from callcenter.services.callbacks import CallbackService
from ui.callbacks.texts import priority_text
from ui.callbacks.times import relative_text, window_text, zone_or_none
from ui.icons import app_icon, icon

if TYPE_CHECKING:
    from ui.callbacks.feature import CallbacksFeature

POLL_MS = 30_000
_NEVER = datetime.min.replace(tzinfo=UTC)
SNOOZE_MINUTES = (5, 10, 15, 30, 60)


class Reminders(QObject):
    """Signals: reminded(int callback id) when a note is shown; background_notice(str title,
    str text) when it is also sent to the tray because the window is not active."""

    reminded = Signal(int)
    background_notice = Signal(str, str)

    def __init__(self, feature: CallbacksFeature) -> None:
        super().__init__(feature)
        self._feature = feature
        self.notes: dict[int, ReminderNote] = {}
        # The reminder time each answered note was for: a poll already on its way when the agent
        # answered must not show that same reminder again (a new time, after a snooze or a
        # retry, does show).
        self._answered: dict[int, datetime | None] = {}
        self._polling = False
        self._tray: QSystemTrayIcon | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)
        feature.changed.connect(self.poll)

    def start(self) -> None:
        if self._feature.context.actor.user_id is not None:
            self._timer.start()

    def set_interval(self, ms: int) -> None:
        self._timer.setInterval(ms)

    def poll(self) -> None:
        agent_id, actor = self._feature.context.actor.user_id, self._feature.context.actor
        if agent_id is None or self._polling:
            return
        self._polling = True
        now = self._feature.now()

        def due(service: CallbackService) -> list[Callback]:
            service.housekeep(actor, now)
            return service.reminders_due(actor, agent_id, now)

        self._feature.run(due, self._due, self._failed)

    def _failed(self, exc: Exception) -> None:
        self._polling = False  # the next tick tries again; a reminder is late, never lost
        self._feature.show_error(exc)

    def _due(self, callbacks: list[Callback]) -> None:
        self._polling = False
        due_ids = {callback.id for callback in callbacks}
        for callback_id in list(self.notes):
            if callback_id not in due_ids:  # closed, snoozed or dismissed meanwhile
                self.notes.pop(callback_id).withdraw()
        for callback in callbacks:
            if callback.id in self.notes:
                self.notes[callback.id].update_callback(callback)
            elif self._answered.get(callback.id, _NEVER) != callback.remind_at:
                self._remind(callback)

    def _remind(self, callback: Callback) -> None:
        note = ReminderNote(self._feature, callback)
        note.finished.connect(lambda _r, cid=callback.id: self._note_closed(cid, note))
        self.notes[callback.id] = note
        call = self._feature.window.desk.calls.call
        on_a_call = call is not None and call.phase is not CallPhase.WRAP_UP
        # On a call the note must not take the keyboard from the agent mid-sentence.
        note.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, on_a_call)
        in_background = not self._feature.window.isActiveWindow()
        note.show()
        if not on_a_call:
            note.activateWindow()
        self.reminded.emit(callback.id)
        if in_background:
            self._tray_message(note.windowTitle(), note.summary)

    def _note_closed(self, callback_id: int, note: ReminderNote) -> None:
        self._answered[callback_id] = note.callback.remind_at
        if self.notes.get(callback_id) is note:
            del self.notes[callback_id]

    def _tray_message(self, title: str, text: str) -> None:
        self.background_notice.emit(title, text)
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        if self._tray is None:
            self._tray = QSystemTrayIcon(app_icon(), self)
            self._tray.setToolTip(self.tr("Call Center"))
            self._tray.messageClicked.connect(self._bring_forward)
            self._tray.show()
        self._tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 15_000)

    def _bring_forward(self) -> None:
        window = self._feature.window
        window.showNormal()
        window.raise_()
        window.activateWindow()


class ReminderNote(QDialog):
    """One callback coming due: Call now (Enter), Snooze (Alt+S), Open (Alt+O), Dismiss (Esc)."""

    def __init__(self, feature: CallbacksFeature, callback: Callback) -> None:
        super().__init__(feature.window)
        self.setObjectName("callbackReminder")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setModal(False)
        self.setWindowTitle(self.tr("Callback due: {0}").format(callback.customer_name))
        self._feature = feature
        self.callback = callback
        self._answered = False
        self.text = QLabel()
        self.text.setObjectName("callbackReminderText")
        self.text.setWordWrap(True)
        self.call_button = QPushButton(icon("phone-outgoing"), self.tr("&Call now"))
        self.call_button.setObjectName("callbackReminderCall")
        self.call_button.setDefault(True)
        self.call_button.clicked.connect(self.call_now)
        self.snooze_minutes = QComboBox()
        self.snooze_minutes.setObjectName("callbackReminderSnoozeMinutes")
        self.snooze_minutes.setAccessibleName(self.tr("Snooze for"))
        for minutes in SNOOZE_MINUTES:
            self.snooze_minutes.addItem(self.tr("%n min", "", minutes), minutes)
        self.snooze_minutes.setCurrentIndex(SNOOZE_MINUTES.index(10))
        self.snooze_button = QPushButton(icon("clock"), self.tr("&Snooze"))
        self.snooze_button.setObjectName("callbackReminderSnooze")
        self.snooze_button.setAutoDefault(False)
        self.snooze_button.clicked.connect(self.snooze)
        self.open_button = QPushButton(icon("user"), self.tr("&Open customer"))
        self.open_button.setObjectName("callbackReminderOpen")
        self.open_button.setAutoDefault(False)
        self.open_button.clicked.connect(lambda: feature.open_callback(self.callback))
        self.dismiss_button = QPushButton(self.tr("&Dismiss (Esc)"))
        self.dismiss_button.setObjectName("callbackReminderDismiss")
        self.dismiss_button.setAutoDefault(False)
        self.dismiss_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for widget in (
            self.call_button,
            self.snooze_minutes,
            self.snooze_button,
            self.open_button,
            self.dismiss_button,
        ):
            buttons.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        self.update_callback(callback)

    @property
    def summary(self) -> str:
        return self.text.text()

    def update_callback(self, callback: Callback) -> None:
        self.callback = callback
        now = self._feature.now()
        zone = zone_or_none(callback.time_zone)
        when = window_text(callback.due_at, callback.latest_at, self._feature.agent_zone, zone, now)
        lines = [
            self.tr("{0}, {1}").format(callback.customer_name, callback.number_display),
            self.tr("Due {0} ({1}).").format(when, relative_text(callback.due_at, now)),
            priority_text(callback.priority)
            + (f" \u00b7 {callback.reason}" if callback.reason else ""),
        ]
        self.text.setText("\n".join(lines))

    def call_now(self) -> None:
        """Claim the callback, then open it ready to dial and dial it (see NextCallback.call).
        It reminds no more while worked (a retry the core schedules sets a new reminder). A
        refused claim is said, and the note stays for Snooze or Dismiss."""
        self._feature.next.call(self.callback, on_dialled=self._dialled)

    def _dialled(self) -> None:
        self._dismiss()
        self.accept()

    def snooze(self) -> None:
        minutes = int(self.snooze_minutes.currentData())
        actor, callback_id = self._feature.context.actor, self.callback.id
        self._answered = True
        self._feature.run(
            lambda service: service.snooze(actor, callback_id, minutes),
            lambda _cb: self._feature.say(
                self.tr("Reminder snoozed for %n minute(s).", "", minutes)
            ),
        )
        self.accept()

    def reject(self) -> None:
        """Esc: no more reminders for this callback (it stays in the agenda)."""
        if not self._answered:
            self._dismiss()
        super().reject()

    def _dismiss(self) -> None:
        self._answered = True
        actor, callback_id = self._feature.context.actor, self.callback.id
        self._feature.run(
            lambda service: service.dismiss_reminder(actor, callback_id), lambda _cb: None
        )

    def withdraw(self) -> None:
        """The callback is no longer due (closed, snoozed elsewhere): close, telling no one."""
        self._answered = True
        self.close()
