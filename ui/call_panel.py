"""The call panel: who is on the line, for how long, and how the call is wrapped up.

A view of the CallController: it shows the call on the desk and sends the agent's buttons,
shortcuts, disposition and notes to the controller. Its actions carry the shortcuts and are
put in the window's Call menu, so they work wherever the focus is.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from callcenter.clock import utc_now
from callcenter.domain.calls import Direction, Disposition
from callcenter.domain.phone import format_for_display
from callcenter.services.active_call import ActiveCall, CallPhase, WrapUpMode
from ui.agent_status import format_duration
from ui.call_controller import CallController
from ui.icons import icon

PHASE_TEXT = {
    CallPhase.RINGING: "Ringing",
    CallPhase.TALKING: "Connected",
    CallPhase.HELD: "On hold",
    CallPhase.WRAP_UP: "Wrap-up",
}


class CallPanel(QFrame):
    def __init__(
        self, controller: CallController, home_region: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("callPanel")
        self.setProperty("role", "card")
        self._controller = controller
        self._home_region = home_region
        self._dispositions: list[Disposition] = []

        self.phase = QLabel(self.tr("No call"))
        self.phase.setObjectName("callPhase")
        bold = self.phase.font()
        bold.setBold(True)
        self.phase.setFont(bold)
        self.timer = QLabel("00:00")
        self.timer.setObjectName("callTimer")
        self.timer.setAccessibleName(self.tr("Call timer"))
        big = self.timer.font()
        big.setPointSizeF(big.pointSizeF() * 1.6)
        big.setBold(True)
        self.timer.setFont(big)
        self.direction = QLabel("—")
        self.direction.setObjectName("callDirection")
        self.number = QLabel("—")
        self.number.setObjectName("callNumber")
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.customer = QLabel("—")
        self.customer.setObjectName("callCustomer")
        self.queue = QLabel("—")
        self.queue.setObjectName("callQueue")
        self.hold_time = QLabel("—")
        self.hold_time.setObjectName("callHoldTime")
        self.countdown = QLabel()
        self.countdown.setObjectName("wrapUpCountdown")
        self.countdown.setProperty("severity", "warning")
        self.countdown.hide()
        self.message = QLabel()
        self.message.setObjectName("callMessage")
        self.message.setWordWrap(True)
        self.message.setProperty("severity", "warning")
        self.message.hide()

        self.answer_action = self._action(self.tr("&Answer"), "F5", controller.answer)
        self.hold_action = self._action(self.tr("&Hold / resume"), "F6", controller.toggle_hold)
        self.hang_up_action = self._action(self.tr("Hang &up"), "F7", controller.hang_up)
        self.wrap_up_action = self._action(self.tr("&Wrap-up done"), "F8", self._finish)
        self.wrap_up_action.setShortcuts([QKeySequence("F8"), QKeySequence("Ctrl+Return")])
        self.dial_action = self._action(self.tr("&Dial a number..."), "Ctrl+D", self.focus_dial)
        self.answer_button = self._button(self.answer_action, "answerButton", "phone-call")
        self.hold_button = self._button(self.hold_action, "holdButton", "pause")
        self.hang_up_button = self._button(self.hang_up_action, "hangUpButton", "phone-off")
        self.wrap_up_button = self._button(self.wrap_up_action, "wrapUpDoneButton", "check-circle")

        self.disposition = QComboBox()
        self.disposition.setObjectName("dispositionSelector")
        self.disposition.setAccessibleName(self.tr("Disposition"))
        self.disposition.addItem(self.tr("— how did the call end? —"), None)
        self.disposition.currentIndexChanged.connect(self._disposition_chosen)
        self.disposition_actions: list[QAction] = []
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("callNotes")
        self.notes.setAccessibleName(self.tr("Call notes"))
        self.notes.setPlaceholderText(self.tr("Notes on this call"))
        self.notes.setTabChangesFocus(True)
        self.notes.textChanged.connect(lambda: controller.set_notes(self.notes.toPlainText()))
        self.dial_box = QLineEdit()
        self.dial_box.setObjectName("dialBox")
        self.dial_box.setPlaceholderText(self.tr("Number to dial (Ctrl+D)"))
        self.dial_box.setClearButtonEnabled(True)
        self.dial_box.returnPressed.connect(self._dial)
        dial_button = QPushButton(icon("phone-outgoing"), self.tr("Dial"))
        dial_button.setObjectName("dialButton")
        dial_button.clicked.connect(self._dial)

        header = QHBoxLayout()
        header.addWidget(self.phase)
        header.addStretch(1)
        header.addWidget(self.timer)
        facts = QFormLayout()
        facts.addRow(self.tr("Direction"), self.direction)
        facts.addRow(self.tr("Number"), self.number)
        facts.addRow(self.tr("Customer"), self.customer)
        facts.addRow(self.tr("Queue"), self.queue)
        facts.addRow(self.tr("On hold"), self.hold_time)
        buttons = QGridLayout()
        for column, button in enumerate(
            (self.answer_button, self.hold_button, self.hang_up_button, self.wrap_up_button)
        ):
            buttons.addWidget(button, 0, column)
        dial = QHBoxLayout()
        dial.addWidget(self.dial_box, 1)
        dial.addWidget(dial_button)
        wrap = QFormLayout()
        wrap.addRow(self.tr("Dis&position"), self.disposition)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(facts)
        layout.addLayout(buttons)
        layout.addWidget(self.countdown)
        layout.addLayout(wrap)
        layout.addWidget(self.notes, 1)
        layout.addWidget(self.message)
        layout.addLayout(dial)

        self._ticker = QTimer(self)
        self._ticker.setInterval(500)
        self._ticker.timeout.connect(self._tick)
        controller.call_changed.connect(self.show_call)
        controller.message.connect(self.show_message)
        controller.wrap_up_countdown.connect(self._show_countdown)
        self.show_call(controller.call)

    # -- building --------------------------------------------------------------------------

    def _action(self, text: str, shortcut: str, slot: object) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        return action

    def _button(self, action: QAction, name: str, icon_name: str) -> QPushButton:
        button = QPushButton(icon(icon_name), action.text().replace("&", "").split(" /")[0])
        button.setObjectName(name)
        shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(f"{action.text().replace('&', '')} ({shortcut})")
        button.clicked.connect(action.trigger)
        action.enabledChanged.connect(button.setEnabled)
        button.setEnabled(action.isEnabled())
        return button

    @property
    def actions_for_menu(self) -> list[QAction]:
        return [
            self.answer_action,
            self.hold_action,
            self.hang_up_action,
            self.wrap_up_action,
            self.dial_action,
        ]

    def set_dispositions(self, dispositions: list[Disposition]) -> list[QAction]:
        """Fill the selector; the first nine codes get Alt+1..Alt+9. Returns their actions."""
        self._dispositions = dispositions
        self.disposition.blockSignals(True)
        while self.disposition.count() > 1:
            self.disposition.removeItem(1)
        for action in self.disposition_actions:
            action.deleteLater()
        self.disposition_actions = []
        for position, disposition in enumerate(dispositions, start=1):
            label = disposition.label
            if position <= 9:
                label = f"{label}  (Alt+{position})"
                action = self._action(
                    disposition.label,
                    f"Alt+{position}",
                    lambda _=False, row=position: self.disposition.setCurrentIndex(row),
                )
                self.disposition_actions.append(action)
            self.disposition.addItem(label, disposition.code)
        self.disposition.blockSignals(False)
        self.show_call(self._controller.call)
        return self.disposition_actions

    # -- showing the call ------------------------------------------------------------------

    def show_call(self, call: ActiveCall | None) -> None:
        self._show_facts(call)
        phase = call.phase if call else None
        self.answer_action.setEnabled(phase is CallPhase.RINGING)
        self.hold_action.setEnabled(phase in (CallPhase.TALKING, CallPhase.HELD))
        self.hold_button.setText(self.tr("Resume") if phase is CallPhase.HELD else self.tr("Hold"))
        self.hang_up_action.setEnabled(
            phase in (CallPhase.RINGING, CallPhase.TALKING, CallPhase.HELD)
        )
        self.wrap_up_action.setEnabled(phase is CallPhase.WRAP_UP)
        for widget in (self.disposition, self.notes):
            widget.setEnabled(call is not None)
        for action in self.disposition_actions:
            action.setEnabled(call is not None)
        if call is None:
            self._ticker.stop()
            self.disposition.setCurrentIndex(0)
            self.notes.blockSignals(True)
            self.notes.clear()
            self.notes.blockSignals(False)
            self.message.hide()
            self.timer.setText("00:00")
            return
        if not self._ticker.isActive():
            self._ticker.start()
        row = self.disposition.findData(call.disposition_code) if call.disposition_code else 0
        self.disposition.blockSignals(True)
        self.disposition.setCurrentIndex(max(row, 0))
        self.disposition.blockSignals(False)
        self._tick()

    def _show_facts(self, call: ActiveCall | None) -> None:
        if call is None:
            self.phase.setText(self.tr("No call"))
            for label in (self.direction, self.number, self.customer, self.queue, self.hold_time):
                label.setText("—")
            return
        self.phase.setText(self.tr(PHASE_TEXT[call.phase]))
        arrow = "↘" if call.direction is Direction.INBOUND else "↗"
        self.direction.setText(
            f"{arrow} "
            + (self.tr("Inbound") if call.direction is Direction.INBOUND else self.tr("Outbound"))
        )
        shown = format_for_display(call.remote_key, self._home_region) if call.remote_key else None
        self.number.setText(shown or call.remote_raw or self.tr("Withheld"))
        self.customer.setText(call.customer_name or self.tr("Not identified"))
        self.queue.setText(call.queue or "—")

    def _tick(self) -> None:
        call = self._controller.call
        if call is None:
            return
        now = utc_now()
        self.timer.setText(format_duration(call.talk_seconds(now)))
        self.hold_time.setText(format_duration(call.hold_seconds(now)))

    def _show_countdown(self, seconds: int) -> None:
        if seconds < 0:
            self.countdown.hide()
            return
        self.countdown.setText(
            self.tr("⏱ Wrap-up ends in {0} s; then the call is saved as it is.").format(seconds)
        )
        self.countdown.show()

    def show_message(self, text: str) -> None:
        self.message.setText("⚠ " + text)
        self.message.show()

    # -- the agent's input -----------------------------------------------------------------

    def _disposition_chosen(self, row: int) -> None:
        self._controller.set_disposition(self.disposition.itemData(row))
        self.message.hide()

    def _finish(self) -> None:
        if self._controller.finish_wrap_up():
            self.message.hide()
        elif self._controller.mode is WrapUpMode.MANDATORY and self._controller.call:
            self.disposition.setFocus()

    def focus_dial(self) -> None:
        self.dial_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.dial_box.selectAll()

    def dial_number(self, number: str) -> None:
        self._controller.dial(number)

    def _dial(self) -> None:
        self._controller.dial(self.dial_box.text())
