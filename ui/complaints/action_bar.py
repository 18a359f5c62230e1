"""A complaint's buttons: the workflow's moves, the actions with a form, link a call, callback.

Only what the workflow offers from the current status is enabled; the core still has the last
word, and a refusal is shown with its reason.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from callcenter.domain.complaint_workflow import NEXT
from callcenter.domain.complaints import ACTIVE_STATUSES, Complaint, Status
from ui.complaints.actions import Action
from ui.icons import icon


class ActionBar(QWidget):
    """Signals: move_requested(Status); form_requested(Action); link_requested();
    callback_requested()."""

    move_requested = Signal(object)
    form_requested = Signal(object)
    link_requested = Signal()
    callback_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.move_buttons: dict[Status, QPushButton] = {
            Status.OPEN: _button(self.tr("&Open"), "complaintToOpen", "play"),
            Status.PENDING_CUSTOMER: _button(
                self.tr("&Pending customer"), "complaintToPending", "pause"
            ),
        }
        for status, button in self.move_buttons.items():
            button.clicked.connect(lambda _=False, to=status: self.move_requested.emit(to))
        self.action_buttons: dict[Action, QPushButton] = {
            Action.ASSIGN: _button(self.tr("Assign (&who)..."), "complaintAssign", "user"),
            Action.ESCALATE: _button(
                self.tr("&Escalate..."), "complaintEscalate", "alert-triangle"
            ),
            Action.RESOLVE: _button(self.tr("Resol&ve..."), "complaintResolve", "check-circle"),
            Action.REOPEN: _button(self.tr("Reope&n..."), "complaintReopen", "refresh-cw"),
            Action.CLOSE: _button(self.tr("&Close..."), "complaintClose", "x-circle"),
            Action.MERGE: _button(self.tr("&Merge into..."), "complaintMerge", "link"),
        }
        for action, button in self.action_buttons.items():
            button.clicked.connect(lambda _=False, chosen=action: self.form_requested.emit(chosen))
        self.link_button = _button(
            self.tr("Lin&k the current call"), "complaintLinkCall", "phone-call"
        )
        self.link_button.clicked.connect(self.link_requested)
        self.callback_button = _button(
            self.tr("Schedule a call&back..."), "complaintScheduleCallback", "calendar"
        )
        self.callback_button.clicked.connect(self.callback_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for button in (*self.move_buttons.values(), *self.action_buttons.values()):
            layout.addWidget(button)
        layout.addWidget(self.link_button)
        layout.addWidget(self.callback_button)
        layout.addStretch(1)

    def enable_for(self, complaint: Complaint, busy: bool, on_call: bool) -> None:
        current = complaint.status
        merged = complaint.merged_into_id is not None
        moves = frozenset() if merged else NEXT[current]
        editable = current is not Status.CLOSED and not merged
        for status, button in self.move_buttons.items():
            button.setEnabled(status in moves and not busy)
        enabled = {
            Action.ASSIGN: editable,
            Action.ESCALATE: editable and current in ACTIVE_STATUSES,
            Action.RESOLVE: Status.RESOLVED in moves,
            Action.REOPEN: Status.REOPENED in moves,
            Action.CLOSE: Status.CLOSED in moves,
            Action.MERGE: editable,
        }
        for action, button in self.action_buttons.items():
            button.setEnabled(enabled[action] and not busy)
        self.link_button.setEnabled(editable and on_call and not busy)
        self.callback_button.setEnabled(current in ACTIVE_STATUSES)


def _button(text: str, name: str, icon_name: str) -> QPushButton:
    button = QPushButton(icon(icon_name), text)
    button.setObjectName(name)
    button.setEnabled(False)
    return button
