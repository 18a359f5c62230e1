"""The complaint lists' filter bar: status, priority, category, assignee, SLA, customer, text."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from callcenter.domain.complaint_lists import ComplaintFilter, Scope, SlaFilter
from callcenter.domain.complaints import ACTIVE_STATUSES, Category, Priority, Status
from callcenter.domain.users import User
from ui.complaints.labels import priority_label, status_label

TYPING_PAUSE_MS = 250
_OPEN = "open-statuses"
_ME = "\x00me"


class FilterBar(QWidget):
    """Signals: changed() whenever the filter changes (typing settles first)."""

    changed = Signal()

    def __init__(self, login: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._login = login
        self.status = self._combo("complaintFilterStatus", self.tr("Status"))
        self.status.addItem(self.tr("Not resolved"), _OPEN)
        self.status.addItem(self.tr("Any status"), None)
        for status in Status:
            self.status.addItem(status_label(status), status.value)
        self.priority = self._combo("complaintFilterPriority", self.tr("Priority"))
        self.priority.addItem(self.tr("Any priority"), None)
        for priority in reversed(Priority):
            self.priority.addItem(priority_label(priority), priority.value)
        self.category = self._combo("complaintFilterCategory", self.tr("Category"))
        self.category.addItem(self.tr("Any category"), None)
        self.assignee = self._combo("complaintFilterAssignee", self.tr("Assignee"))
        self.assignee.addItem(self.tr("Anyone"), None)
        self.assignee.addItem(self.tr("Me"), _ME)
        self.sla = self._combo("complaintFilterSla", self.tr("SLA"))
        self.sla.addItem(self.tr("Any SLA state"), None)
        self.sla.addItem(self.tr("At risk or breached"), SlaFilter.AT_RISK_OR_BREACHED.value)
        self.sla.addItem(self.tr("At risk"), SlaFilter.AT_RISK.value)
        self.sla.addItem(self.tr("Breached"), SlaFilter.BREACHED.value)
        self.customer = QLineEdit()
        self.customer.setObjectName("complaintFilterCustomer")
        self.customer.setPlaceholderText(self.tr("Customer number"))
        self.customer.setAccessibleName(self.tr("Customer number"))
        self.customer.setClearButtonEnabled(True)
        self.customer.setMaximumWidth(130)
        self.text = QLineEdit()
        self.text.setObjectName("complaintFilterText")
        self.text.setPlaceholderText(self.tr("Reference or subject"))
        self.text.setAccessibleName(self.tr("Reference or subject"))
        self.text.setClearButtonEnabled(True)
        self.problem = QLabel()
        self.problem.setObjectName("complaintFilterProblem")
        self.problem.hide()

        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.changed)
        for edit in (self.customer, self.text):
            edit.textChanged.connect(self._typing.start)
            edit.returnPressed.connect(self._now)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.status, self.priority, self.category, self.assignee, self.sla):
            layout.addWidget(widget)
        layout.addWidget(self.customer)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.problem)

    def _combo(self, name: str, accessible: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.currentIndexChanged.connect(lambda _row: self.changed.emit())
        return combo

    def _now(self) -> None:
        self._typing.stop()
        self.changed.emit()

    def set_categories(self, categories: list[Category]) -> None:
        current = self.category.currentData()
        self.category.blockSignals(True)
        while self.category.count() > 1:
            self.category.removeItem(1)
        for category in categories:
            self.category.addItem(category.path, category.id)
        self.category.setCurrentIndex(max(self.category.findData(current), 0))
        self.category.blockSignals(False)

    def set_users(self, users: list[User]) -> None:
        current = self.assignee.currentData()
        self.assignee.blockSignals(True)
        while self.assignee.count() > 2:
            self.assignee.removeItem(2)
        for user in users:
            if user.active and user.login != self._login:
                self.assignee.addItem(f"{user.display_name} ({user.login})", user.login)
        self.assignee.setCurrentIndex(max(self.assignee.findData(current), 0))
        self.assignee.blockSignals(False)

    def criteria(self, scope: Scope) -> ComplaintFilter:
        """The filter as set; a customer number that is not a number filters nothing and
        says so beside the box."""
        status = self.status.currentData()
        statuses = (
            frozenset(ACTIVE_STATUSES)
            if status == _OPEN
            else frozenset({Status(status)})
            if status
            else frozenset()
        )
        priority = self.priority.currentData()
        assignee = self.assignee.currentData()
        sla = self.sla.currentData()
        customer_text = self.customer.text().strip().lstrip("#")
        customer_id = int(customer_text) if customer_text.isdigit() else None
        if customer_text and customer_id is None:
            self.problem.setText(self.tr("\u26a0 Customer: enter the customer's number"))
            self.problem.show()
        else:
            self.problem.hide()
        return ComplaintFilter(
            scope=scope,
            statuses=statuses,
            priorities=frozenset({Priority(priority)}) if priority else frozenset(),
            category_id=self.category.currentData(),
            assignee=self._login if assignee == _ME else assignee,
            sla=SlaFilter(sla) if sla else None,
            customer_id=customer_id,
            text=self.text.text(),
        )
