"""Next callback (F9), or this one (a reminder's Call now, the card): claim it through the core,
dial it, record how it went.

The claim is the core's atomic one, so two agents pressing F9 together never get the same
callback. The window shows the callback ready to dial (Enter); the outcome keys 1-5 (or the
buttons' Alt letters) record the attempt, which the core logs as a call and reschedules or
closes. Closing the window without an outcome puts the callback back in the pool.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from callcenter.clock import utc_now
from callcenter.domain.callbacks import (
    Attempt,
    AttemptResult,
    Callback,
    CallbackStatus,
    Outcome,
)
from callcenter.domain.calls import CallRecord, Direction
from callcenter.services.active_call import CallPhase
from ui.callbacks.texts import outcome_button_text, outcome_text, owner_text, priority_text
from ui.callbacks.times import clock_text, relative_text, window_text, zone_or_none
from ui.icons import icon
from ui.theme import Severity
from ui.widgets.banner import Banner

if TYPE_CHECKING:
    from ui.callbacks.feature import CallbacksFeature

# The outcomes an agent records with keys 1-5, in the order the buttons show.
OUTCOME_KEYS = (
    Outcome.REACHED,
    Outcome.NO_ANSWER,
    Outcome.BUSY,
    Outcome.VOICEMAIL,
    Outcome.WRONG_NUMBER,
)


class NextCallback(QObject):
    """F9's controller: at most one claimed callback on the desk at a time."""

    def __init__(self, feature: CallbacksFeature) -> None:
        super().__init__(feature)
        self._feature = feature
        self._claiming = False
        self.dialog: NextCallbackDialog | None = None

    def claim(self) -> None:
        if self.dialog is not None:
            self.dialog.show()
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        if self._on_a_call() or self._claiming:
            return
        self._claiming = True
        actor = self._feature.context.actor
        self._feature.say(self.tr("Looking for the next callback..."))
        self._feature.run(lambda service: service.next_callback(actor), self._claimed, self._failed)

    def _failed(self, exc: Exception) -> None:
        self._claiming = False
        self._feature.show_error(exc)

    def _claimed(self, callback: Callback | None) -> None:
        self._claiming = False
        if callback is None:
            self._feature.say(self.tr("No callback is due for you now."))
            return
        self._feature.changed.emit()
        self.show(callback)

    def call(
        self,
        callback: Callback,
        on_dialled: Callable[[], None] | None = None,
        on_refused: Callable[[Exception], None] | None = None,
    ) -> None:
        """Call this callback now (from a reminder, or the card): claim it, so nobody else
        works it meanwhile, then show it ready to dial and dial it. A refused claim (closed
        meanwhile, another agent's, taken) is said; `on_refused` hears of it too."""
        if self.dialog is not None:
            self.show(callback)  # brings the open one forward and says why
            return
        if self._on_a_call() or self._claiming:
            return
        self._claiming = True
        actor, callback_id = self._feature.context.actor, callback.id

        def claimed(mine: Callback) -> None:
            self._claiming = False
            self._feature.changed.emit()
            if self.show(mine):
                self._feature.dial(mine)
                if on_dialled is not None:
                    on_dialled()

        def refused(exc: Exception) -> None:
            self._claiming = False
            self._feature.show_error(exc)
            if on_refused is not None:
                on_refused(exc)

        self._feature.run(lambda service: service.claim(actor, callback_id), claimed, refused)

    def _on_a_call(self) -> bool:
        call = self._feature.window.desk.calls.call
        if call is not None and call.phase is not CallPhase.WRAP_UP:
            self._feature.say(self.tr("Finish the current call before taking a callback."))
            return True
        return False

    def show(self, callback: Callback) -> bool:
        """Show a callback ready to dial (claimed by F9, or my own from a reminder); its
        customer fills the card. One at a time: False, and the open one comes forward."""
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            self._feature.say(self.tr("Record how the callback on screen went first (1-5)."))
            return False
        self._feature.open_callback(callback)
        self.dialog = NextCallbackDialog(self._feature, callback)
        self.dialog.finished.connect(self._closed)
        self.dialog.show()
        self.dialog.activateWindow()
        return True

    def _closed(self) -> None:
        self.dialog = None


class NextCallbackDialog(QDialog):
    def __init__(self, feature: CallbacksFeature, callback: Callback) -> None:
        super().__init__(feature.window)
        self.setObjectName("nextCallback")
        self.setWindowTitle(self.tr("Next callback: {0}").format(callback.customer_name))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setModal(False)
        self._feature = feature
        self.callback = callback
        self.result_of_attempt: AttemptResult | None = None
        self._busy = False

        self.banner = Banner("nextCallbackBanner")
        zone = zone_or_none(callback.time_zone)
        now = feature.now()
        due = window_text(callback.due_at, callback.latest_at, feature.agent_zone, zone, now)
        self.customer = QLabel(callback.customer_name)
        self.customer.setObjectName("nextCallbackCustomer")
        self.number = QLabel(callback.number_display)
        self.number.setObjectName("nextCallbackNumber")
        self.due = QLabel(f"{due}  ({relative_text(callback.due_at, now)})")
        self.due.setObjectName("nextCallbackDue")
        self.due.setWordWrap(True)
        self.reason = QLabel(callback.reason or "\u2014")
        self.reason.setObjectName("nextCallbackReason")
        self.reason.setWordWrap(True)
        self.tries = QLabel(self.tr("None yet") if not callback.attempts else "")
        self.tries.setObjectName("nextCallbackTries")
        self.tries.setWordWrap(True)
        facts = QFormLayout()
        facts.addRow(self.tr("Customer"), self.customer)
        facts.addRow(self.tr("Number"), self.number)
        facts.addRow(self.tr("Due"), self.due)
        facts.addRow(self.tr("Reason"), self.reason)
        facts.addRow(self.tr("Priority"), QLabel(priority_text(callback.priority)))
        facts.addRow(self.tr("Owner"), QLabel(owner_text(callback)))
        facts.addRow(self.tr("Earlier tries"), self.tries)
        if callback.complaint_id is not None:
            facts.addRow(self.tr("Complaint"), QLabel(f"#{callback.complaint_id}"))

        self.dial_button = QPushButton(icon("phone-outgoing"), self.tr("&Dial (Enter)"))
        self.dial_button.setObjectName("nextCallbackDial")
        self.dial_button.setDefault(True)
        self.dial_button.clicked.connect(self.dial)
        self.notes = QLineEdit()
        self.notes.setObjectName("nextCallbackNotes")
        self.notes.setPlaceholderText(self.tr("Notes on this attempt (optional)"))
        self.notes.returnPressed.connect(self.dial)
        notes_label = QLabel(self.tr("No&tes"))
        notes_label.setBuddy(self.notes)
        facts.addRow(notes_label, self.notes)
        self.outcome_buttons: dict[Outcome, QPushButton] = {}
        outcomes = QGridLayout()
        for column, outcome in enumerate(OUTCOME_KEYS):
            key = str(column + 1)
            button = QPushButton(f"{key}  {outcome_button_text(outcome)}")
            button.setObjectName(f"nextCallbackOutcome_{outcome.value}")
            button.setToolTip(
                self.tr("Record the attempt as: {0} (key {1})").format(outcome_text(outcome), key)
            )
            button.clicked.connect(lambda _=False, o=outcome: self.record(o))
            QShortcut(QKeySequence(key), self, lambda o=outcome: self.record(o))
            outcomes.addWidget(button, 0, column)
            self.outcome_buttons[outcome] = button
        self.release_button = QPushButton(self.tr("&Put back (Esc)"))
        self.release_button.setObjectName("nextCallbackRelease")
        self.release_button.setAutoDefault(False)
        self.release_button.clicked.connect(self.reject)
        how = QLabel(self.tr("How did it go? Press 1-5 after the call."))
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(facts)
        layout.addWidget(self.dial_button)
        layout.addWidget(how)
        layout.addLayout(outcomes)
        layout.addWidget(self.release_button)
        self.dial_button.setFocus()
        if callback.attempts:
            actor, callback_id = feature.context.actor, callback.id
            feature.run(
                lambda service: service.attempts(actor, callback_id), self._show_tries, owner=self
            )

    def _show_tries(self, attempts: list[Attempt]) -> None:
        """Each earlier try: when (my time), how it went, and its notes."""
        now, zone = self._feature.now(), self._feature.agent_zone
        lines = [
            f"{clock_text(attempt.at, zone, now)}  {outcome_text(attempt.outcome)}"
            + (f" \u2014 {attempt.notes}" if attempt.notes else "")
            for attempt in attempts
        ]
        self.tries.setText("\n".join(lines))

    def dial(self) -> None:
        """Enter: dial the number through the desk's phone line (or the tel: handler)."""
        self._feature.dial(self.callback)
        self.banner.show_message(
            self.tr("Dialling {0}... then record how it went (1-5).").format(
                self.callback.number_display
            )
        )

    def record(self, outcome: Outcome) -> None:
        if self._busy or self.result_of_attempt is not None:
            return
        self._busy = True
        for button in self.outcome_buttons.values():
            button.setEnabled(False)
        actor, callback_id = self._feature.context.actor, self.callback.id
        notes = self.notes.text().strip() or None
        call = self._desk_call(outcome)
        self.banner.show_message(self.tr("Saving: {0}...").format(outcome_text(outcome)))
        self._feature.run(
            lambda service: service.record_attempt(actor, callback_id, outcome, call, notes),
            self._recorded,
            self._refused,
            owner=self,
        )

    def _desk_call(self, outcome: Outcome) -> CallRecord | None:
        """The desk's own call to this number, if the phone placed one: the attempt is that
        call (the desk saves it again at wrap-up under the same id, with this outcome)."""
        controller = self._feature.window.desk.calls
        call = controller.call
        if (
            call is None
            or call.direction is not Direction.OUTBOUND
            or call.remote_key != self.callback.number
        ):
            return None
        controller.set_disposition(outcome.disposition_code)
        return call.record(utc_now())  # the desk's times are the wall clock's

    def _recorded(self, result: AttemptResult) -> None:
        self._busy = False
        self.result_of_attempt = result
        callback = result.callback
        outcome = outcome_text(result.attempt.outcome)
        if result.rescheduled:
            zone = zone_or_none(callback.time_zone)
            when = window_text(callback.due_at, None, self._feature.agent_zone, zone)
            text = self.tr("{0}: tried {1} time(s); next try {2}.").format(
                outcome, callback.attempts, when
            )
        elif callback.status is CallbackStatus.DONE:
            text = self.tr("{0}: callback done.").format(outcome)
        else:
            text = self.tr("{0}: callback closed as failed after {1} attempt(s).").format(
                outcome, callback.attempts
            )
        self._feature.say(text + " " + self.tr("F9 for the next one."))
        self._feature.changed.emit()
        self.accept()

    def _refused(self, exc: Exception) -> None:
        self._busy = False
        for button in self.outcome_buttons.values():
            button.setEnabled(True)
        self.banner.show_message(self.tr("Not saved: {0}").format(exc), Severity.ERROR)

    def reject(self) -> None:
        """Esc or close without an outcome: the callback goes back to the pool."""
        if self._busy:
            return  # the outcome is being saved; the window closes when it is
        if self.result_of_attempt is None:
            actor, callback_id = self._feature.context.actor, self.callback.id
            feature = self._feature
            feature.run(
                lambda service: service.release(actor, callback_id),
                lambda _released: feature.changed.emit(),
            )
            feature.say(self.tr("Callback to {0} put back.").format(self.callback.customer_name))
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._busy:
            event.ignore()
            return
        super().closeEvent(event)
