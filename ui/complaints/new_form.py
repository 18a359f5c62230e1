"""A new complaint, prefilled with the customer on the card and the call on the desk.

From the call panel it takes two keystrokes: Ctrl+Shift+C opens it with the focus in Subject,
Ctrl+Return saves it (and so does Ctrl+S). Escape closes it without saving.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from callcenter.domain.complaints import Category, Channel, Complaint, ComplaintDraft, Priority
from callcenter.domain.errors import ValidationError
from callcenter.domain.users import User
from callcenter.services.users import UserService
from ui.complaints.fields import ComplaintFields
from ui.icons import icon
from ui.theme import MARGIN, Severity
from ui.widgets.banner import Banner

if TYPE_CHECKING:
    from ui.complaints.desk import ComplaintsDesk


class NewComplaintForm(QWidget):
    """Signals: created(Complaint) once it is saved (the form then closes)."""

    created = Signal(object)

    def __init__(
        self,
        desk: ComplaintsDesk,
        customer_id: int | None,
        customer_name: str | None,
        call_uid: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("newComplaintForm")
        self.setWindowTitle(self.tr("New complaint"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(640, 560)
        self._desk = desk
        self.customer_id = customer_id
        self.call_uid = call_uid
        self.banner = Banner("newComplaintBanner")
        self.customer = QLabel(
            customer_name or self.tr("No customer: find them first (Ctrl+K), then try again.")
        )
        self.customer.setObjectName("newComplaintCustomer")
        self.call = QLabel(
            self.tr("Linked to the call on the desk") if call_uid else self.tr("No call")
        )
        self.call.setObjectName("newComplaintCall")
        self.fields = ComplaintFields()
        self.assignee = QComboBox()
        self.assignee.setObjectName("newComplaintAssignee")
        self.assignee.addItem(self.tr("Me"), desk.login)
        self.assignee.addItem(self.tr("Nobody (the team picks it up)"), None)
        self.save_button = QPushButton(icon("save"), self.tr("Save (Ctrl+Return)"))
        self.save_button.setObjectName("newComplaintSave")
        self.save_button.setEnabled(customer_id is not None)
        self.save_button.clicked.connect(self.save)
        cancel = QPushButton(self.tr("Cancel (Esc)"))
        cancel.clicked.connect(self.close)
        for keys in ("Ctrl+Return", "Ctrl+Enter", "Ctrl+S"):
            QShortcut(QKeySequence(keys), self, self.save)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)

        top = QFormLayout()
        top.addRow(self.tr("Customer"), self.customer)
        top.addRow(self.tr("Call"), self.call)
        assign_label = QLabel(self.tr("&Responsible"))
        assign_label.setBuddy(self.assignee)
        buttons = QHBoxLayout()
        buttons.addWidget(assign_label)
        buttons.addWidget(self.assignee)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.fields, 1)
        layout.addLayout(buttons)
        if customer_id is None:
            self.banner.show_message(
                self.tr("A complaint needs a customer: open one on the card first."),
                Severity.WARNING,
            )
        self._load_choices()

    def _load_choices(self) -> None:
        desk = self._desk
        service, actor, database = desk.service, desk.context.actor, desk.context.database
        desk.background.run(lambda: service.categories(actor), self._categories, self._failed, self)
        desk.background.run(
            lambda: UserService(database).list(actor), self._users, self._failed, self
        )

    def _categories(self, categories: list[Category]) -> None:
        self.fields.set_categories(categories)

    def _users(self, users: list[User]) -> None:
        for user in users:
            if user.active and user.login != self._desk.login:
                self.assignee.addItem(f"{user.display_name} ({user.login})", user.login)

    def focus_subject(self) -> None:
        self.fields.subject.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def draft(self) -> ComplaintDraft:
        values = self.fields.values()
        user = self._desk.context.user
        assignee = self.assignee.currentData()
        # Assigned, it goes to the assignee's team; unassigned, to the agent's own.
        team = user.team if assignee is None and user is not None else None
        return ComplaintDraft(
            customer_id=self.customer_id or 0,
            subject=values["subject"],
            description=values["description"],
            category_id=values["category_id"],
            subcategory_id=values["subcategory_id"],
            priority=Priority(values["priority"]),
            channel=Channel(values["channel"]),
            assignee=assignee,
            team=team,
            call_uid=self.call_uid,
        )

    def save(self) -> None:
        if self.customer_id is None or not self.save_button.isEnabled():
            return
        service, actor, draft = self._desk.service, self._desk.context.actor, self.draft()
        self.fields.errors.clear()
        self.banner.clear()
        self.save_button.setEnabled(False)
        self._desk.background.run(
            lambda: service.create(actor, draft), self._saved, self._failed, self
        )

    def _saved(self, complaint: Complaint) -> None:
        self.created.emit(complaint)
        self._desk.changed.emit(complaint.id)
        self.close()

    def _failed(self, exc: Exception) -> None:
        self.save_button.setEnabled(self.customer_id is not None)
        if isinstance(exc, ValidationError) and self.fields.errors.show(exc):
            self.banner.show_message(self.tr("Not saved: see the marked field."), Severity.ERROR)
        else:
            self.banner.show_message(self.tr("Not saved: {0}").format(exc), Severity.ERROR)
