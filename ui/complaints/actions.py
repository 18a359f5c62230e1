"""The forms behind a complaint's action buttons, shown in place under them: escalate,
resolve (with the knowledge base), reopen, close, assign, merge.

Each form keeps what was typed until its action is saved, so a refused or conflicting save
loses nothing. Escape (or Cancel) hides the form.
"""

from __future__ import annotations

import enum
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from callcenter.domain.complaints import Complaint, ResolutionCode
from callcenter.domain.errors import ValidationError
from callcenter.domain.users import Actor, User
from callcenter.services.complaints import ComplaintService
from ui.complaints.knowledge import KbSearch, KnowledgeSearch
from ui.complaints.labels import resolution_label
from ui.models.call_history import Runner
from ui.theme import set_role
from ui.widgets.field_errors import FieldErrors


class Action(enum.Enum):
    ESCALATE = "escalate"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    CLOSE = "close"
    ASSIGN = "assign"
    MERGE = "merge"


class ActionForms(QWidget):
    """Signals: requested(Action) when the agent confirms a form; read the values from it."""

    requested = Signal(object)

    def __init__(self, runner: Runner, kb_search: KbSearch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaintActionForms")
        self._login = ""
        self.title = QLabel()
        self.title.setObjectName("complaintActionTitle")
        set_role(self.title, "heading")
        self.pages = QStackedWidget()
        self.errors: dict[Action, FieldErrors] = {}
        self.confirm_buttons: dict[Action, QPushButton] = {}
        self._pages: dict[Action, QWidget] = {}
        self._first: dict[Action, QWidget] = {}

        self.escalate_reason = self._line("complaintEscalateReason")
        self._page(
            Action.ESCALATE,
            self.tr("Escalate"),
            [(self.tr("&Reason *"), "reason", self.escalate_reason)],
        )

        self.resolution_code = QComboBox()
        self.resolution_code.setObjectName("complaintResolutionCode")
        self.resolution_code.addItem(self.tr("\u2014 choose \u2014"), "")
        for code in ResolutionCode:
            self.resolution_code.addItem(resolution_label(code), code.value)
        self.resolution_note = QPlainTextEdit()
        self.resolution_note.setObjectName("complaintResolutionNote")
        self.resolution_note.setTabChangesFocus(True)
        self.resolution_note.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        self.knowledge = KnowledgeSearch(runner, kb_search)
        self.knowledge.solution_chosen.connect(self.use_solution)
        self._page(
            Action.RESOLVE,
            self.tr("Resolve"),
            [
                (
                    self.tr("What &fixed it (resolution note) *"),
                    "resolution_note",
                    self.resolution_note,
                ),
                (self.tr("&Resolution code *"), "resolution_code", self.resolution_code),
                (self.tr("Known problems"), "knowledge", self.knowledge),
            ],
        )

        self.reopen_reason = self._line("complaintReopenReason")
        self._page(
            Action.REOPEN, self.tr("Reopen"), [(self.tr("&Reason *"), "reason", self.reopen_reason)]
        )

        self.csat = QComboBox()
        self.csat.setObjectName("complaintCsat")
        self.csat.addItem(self.tr("Not answered"), None)
        for score, words in (
            (5, self.tr("5 \u2014 very satisfied")),
            (4, self.tr("4 \u2014 satisfied")),
            (3, self.tr("3 \u2014 neutral")),
            (2, self.tr("2 \u2014 dissatisfied")),
            (1, self.tr("1 \u2014 very dissatisfied")),
        ):
            self.csat.addItem(words, score)
        self._page(
            Action.CLOSE,
            self.tr("Close"),
            [(self.tr("Customer satisfaction (&rating)"), "csat", self.csat)],
        )

        self.assignee = QComboBox()
        self.assignee.setObjectName("complaintAssignee")
        self.assignee.addItem(self.tr("Nobody (unassigned)"), None)
        self._page(
            Action.ASSIGN, self.tr("Assign"), [(self.tr("&Responsible"), "assignee", self.assignee)]
        )

        self.merge_target = self._line("complaintMergeTarget")
        self.merge_target.setPlaceholderText("C-2026-000123")
        self._page(
            Action.MERGE,
            self.tr("Merge this complaint into another"),
            [(self.tr("&Into complaint *"), "target", self.merge_target)],
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.pages)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape),
            self,
            self.hide,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self.hide()

    def _line(self, name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.returnPressed.connect(lambda: self.confirm(self.current))
        return edit

    def _page(self, action: Action, title: str, rows: list[tuple[str, str, QWidget]]) -> None:
        errors = FieldErrors(f"complaint{action.value.title()}")
        page = QWidget()
        page.setProperty("title", title)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, field, widget in rows:
            text = QLabel(label)
            text.setBuddy(widget)
            form.addRow(text, errors.wrap(field, widget))
        confirm = QPushButton(title)
        confirm.setObjectName(f"complaint{action.value.title()}Confirm")
        confirm.setDefault(True)
        confirm.clicked.connect(lambda: self.confirm(action))
        cancel = QPushButton(self.tr("Cancel (Esc)"))
        cancel.clicked.connect(self.hide)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(confirm)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.pages.addWidget(page)
        self.errors[action] = errors
        self.confirm_buttons[action] = confirm
        self._pages[action] = page
        self._first[action] = rows[0][2]

    # -- showing ---------------------------------------------------------------------------

    @property
    def current(self) -> Action:
        widget = self.pages.currentWidget()
        return next(action for action, page in self._pages.items() if page is widget)

    def open(self, action: Action) -> None:
        self.pages.setCurrentWidget(self._pages[action])
        self.title.setText(str(self._pages[action].property("title")))
        self.errors[action].clear()
        self.show()
        self._first[action].setFocus(Qt.FocusReason.ShortcutFocusReason)

    def confirm(self, action: Action) -> None:
        self.errors[action].clear()
        self.requested.emit(action)

    def show_error(self, action: Action, error: ValidationError) -> bool:
        """Put a refusal next to its field; False when the form has no such field."""
        return self.errors[action].show(error)

    def set_busy(self, busy: bool) -> None:
        for button in self.confirm_buttons.values():
            button.setEnabled(not busy)

    def done(self, action: Action) -> None:
        """The action was saved: clear its form and hide."""
        if action is Action.ESCALATE:
            self.escalate_reason.clear()
        elif action is Action.RESOLVE:
            self.resolution_note.clear()
            self.resolution_code.setCurrentIndex(0)
        elif action is Action.REOPEN:
            self.reopen_reason.clear()
        elif action is Action.MERGE:
            self.merge_target.clear()
        self.hide()

    # -- values ----------------------------------------------------------------------------

    def use_solution(self, solution: str) -> None:
        """The chosen article's solution becomes the resolution note (the agent may edit it)."""
        self.resolution_note.setPlainText(solution)
        self.resolution_note.setFocus()

    def set_users(self, users: list[User], login: str) -> None:
        current = self.assignee.currentData()
        self._login = login
        while self.assignee.count() > 1:
            self.assignee.removeItem(1)
        for user in users:
            if not user.active:
                continue
            text = f"{user.display_name} ({user.login})"
            if user.login == login:
                text = self.tr("Me \u2014 {0}").format(text)
            self.assignee.addItem(text, user.login)
        self.assignee.setCurrentIndex(max(self.assignee.findData(current or login), 0))


#: Saves the action over the complaint's `version`, returning the complaint as saved.
Work = Callable[[int], Complaint]


def action_work(
    action: Action, forms: ActionForms, service: ComplaintService, actor: Actor, complaint_id: int
) -> tuple[Work, str]:
    """What confirming `action` saves (read from its form now) and the words for done."""
    tr = forms.tr
    if action is Action.ESCALATE:
        reason = forms.escalate_reason.text()
        return lambda version: service.escalate(actor, complaint_id, reason, version), tr(
            "Escalated."
        )
    if action is Action.RESOLVE:
        note, code = forms.resolution_note.toPlainText(), forms.resolution_code.currentData()
        return lambda version: service.resolve(actor, complaint_id, note, code, version), tr(
            "Resolved."
        )
    if action is Action.REOPEN:
        reason = forms.reopen_reason.text()
        return lambda version: service.reopen(actor, complaint_id, reason, version), tr("Reopened.")
    if action is Action.CLOSE:
        csat = forms.csat.currentData()
        return lambda version: service.close(actor, complaint_id, csat, version), tr("Closed.")
    if action is Action.ASSIGN:
        login = forms.assignee.currentData()
        return lambda version: service.assign(actor, complaint_id, login, version), tr("Assigned.")
    reference = forms.merge_target.text().strip().upper()

    def merge(version: int) -> Complaint:
        target = service.get_by_reference(actor, reference)
        return service.merge(actor, complaint_id, target.id, version)

    return merge, tr("Merged into {0}.").format(reference)
