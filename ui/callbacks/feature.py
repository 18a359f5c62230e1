"""The callbacks part of the desktop: its menu, shortcuts, windows, reminders and card section.

`install_callbacks(window)` is the one call the main window makes. The feature reaches the
database only through `CallbackService`, off the GUI thread, and reads the time from `clock`
(tests set their own with `set_clock`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from callcenter.clock import Clock, utc_now
from callcenter.domain.callbacks import Callback
from callcenter.domain.errors import ValidationError
from callcenter.services.active_call import ActiveCall
from callcenter.services.callbacks import CallbackService
from ui.callbacks.agenda import Agenda
from ui.callbacks.backlog import Backlog
from ui.callbacks.card_section import CardCallbacks
from ui.callbacks.next_callback import NextCallback
from ui.callbacks.reminders import Reminders
from ui.callbacks.schedule_dialog import ScheduleDialog
from ui.callbacks.texts import refusal_text
from ui.context import AppContext
from ui.icons import icon

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class CallbacksFeature(QObject):
    """Signals: changed() after this desk scheduled, claimed or closed a callback, so every
    list showing callbacks reloads."""

    changed = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("callbacks")
        self.window = window
        self.context: AppContext = window.desk.context
        self.background = window.background
        self.agent_zone = ZoneInfo(self.context.settings.report_timezone)
        self._clock: Clock = utc_now
        #: The customer, number and queue of the last call on the desk: what Ctrl+Shift+B
        #: prefills after the call is over.
        self.last_call: tuple[int | None, str | None, str | None] = (None, None, None)
        self._windows: dict[str, QWidget] = {}
        window.desk.calls.call_changed.connect(self._call_changed)
        self.next = NextCallback(self)
        self.reminders = Reminders(self)
        self.card_section = CardCallbacks(self)

    # -- time and the service --------------------------------------------------------------

    def now(self) -> datetime:
        return self._clock()

    def set_clock(self, clock: Clock) -> None:
        """Read the time from `clock` from now on (tests move it by hand)."""
        self._clock = clock

    @property
    def service(self) -> CallbackService:
        return CallbackService.from_settings(
            self.context.database, self.context.settings, clock=lambda: self._clock()
        )

    def run(
        self,
        work: Callable[[CallbackService], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None] | None = None,
        owner: QObject | None = None,
    ) -> None:
        """`work(service)` off the GUI thread; the answer (or the error) back on it."""
        service = self.service
        self.background.run(
            lambda: work(service), on_success, on_failure or self.show_error, owner=owner or self
        )

    def show_error(self, exc: Exception) -> None:
        text = refusal_text(exc) if isinstance(exc, ValidationError) else str(exc)
        self.say(self.tr("Callbacks: {0}").format(text))

    def say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 15_000)

    # -- what the agent opens --------------------------------------------------------------

    def schedule_current(self) -> None:
        """Ctrl+Shift+B: for the customer on the card (or the call's), their number on the line."""
        card = self.window.card.customer
        last_customer, last_number, last_queue = self.last_call
        customer_id = card.id if card is not None else last_customer
        if customer_id is None:
            self.say(self.tr("Open a customer first (Ctrl+K), then schedule their callback."))
            return
        same = customer_id == last_customer
        self.open_schedule(
            customer_id,
            number=last_number if same else None,
            queue_name=last_queue if same else None,
        )

    def open_schedule(
        self,
        customer_id: int,
        number: str | None = None,
        complaint_id: int | None = None,
        reason: str = "",
        queue_name: str | None = None,
    ) -> QWidget:
        dialog = ScheduleDialog(self, customer_id, number, complaint_id, reason, queue_name)
        # Not modal: on a call the agent still holds, hangs up and takes notes meanwhile.
        dialog.setModal(False)
        dialog.show()
        dialog.activateWindow()
        return dialog

    def open_agenda(self) -> QWidget:
        return self._show_window("agenda", lambda: Agenda(self))

    def open_backlog(self) -> QWidget:
        return self._show_window("backlog", lambda: Backlog(self))

    def _show_window(self, name: str, make: Callable[[], QWidget]) -> QWidget:
        shown = self._windows.get(name)
        if shown is None:
            shown = make()
            self._windows[name] = shown
        if shown.isVisible():
            shown.raise_()
        shown.show()
        shown.activateWindow()
        return shown

    def open_callback(self, callback: Callback) -> None:
        """Show the callback's customer on the card."""
        self.window.open_customer(callback.customer_id)

    def dial(self, callback: Callback) -> None:
        self.window.call_panel.dial_number(callback.number)

    def close_called_in(self) -> None:
        """F4: the customer on the card called in; close their selected (or first) callback."""
        self.card_section.close_selected()

    # -- the desk --------------------------------------------------------------------------

    def _call_changed(self, call: ActiveCall | None) -> None:
        if call is not None:
            self.last_call = (call.customer_id, call.remote_key, call.queue)


def _action(
    feature: CallbacksFeature, text: str, slot: Callable[[], object], name: str, keys: str = ""
) -> QAction:
    made = QAction(text, feature.window)
    made.setObjectName(name)
    if keys:
        made.setShortcut(QKeySequence(keys))
        made.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    made.triggered.connect(lambda _checked=False: slot())
    feature.window.addAction(made)
    return made


def install_callbacks(window: MainWindow) -> CallbacksFeature:
    """The Callbacks menu with its shortcuts, the card section, the call panel's button and
    the reminders; everything callbacks add to the main window."""
    feature = CallbacksFeature(window)
    menu = QMenu(window.tr("Call&backs"), window)
    menu.setObjectName("callbacksMenu")
    schedule = _action(
        feature,
        window.tr("&Schedule a callback..."),
        feature.schedule_current,
        "scheduleCallbackAction",
        "Ctrl+Shift+B",
    )
    menu.addAction(schedule)
    menu.addAction(
        _action(
            feature, window.tr("Next &callback"), feature.next.claim, "nextCallbackAction", "F9"
        )
    )
    menu.addAction(
        _action(
            feature,
            window.tr("Close as customer called &in"),
            feature.close_called_in,
            "calledInAction",
            "F4",
        )
    )
    menu.addSeparator()
    menu.addAction(
        _action(
            feature, window.tr("My &agenda"), feature.open_agenda, "agendaAction", "Ctrl+Shift+A"
        )
    )
    menu.addAction(
        _action(feature, window.tr("&Backlog (all pending)"), feature.open_backlog, "backlogAction")
    )
    window.menuBar().addMenu(menu)

    button = QPushButton(icon("calendar"), window.tr("Schedule callback (Ctrl+Shift+B)"))
    button.setObjectName("scheduleCallbackButton")
    button.clicked.connect(schedule.trigger)
    panel_layout = window.call_panel.layout()
    if panel_layout is not None:
        panel_layout.addWidget(button)
    feature.reminders.start()
    return feature
