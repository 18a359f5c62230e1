"""Add a caller's number to a customer found by search, instead of creating a new one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from callcenter.domain.customers import CustomerSummary
from callcenter.domain.errors import ValidationError
from ui.context import AppContext
from ui.icons import icon
from ui.models.call_history import Runner
from ui.widgets.field_errors import describe

SEARCH_DEBOUNCE_MS = 200
SUMMARY_ROLE = Qt.ItemDataRole.UserRole


class AttachNumberPanel(QWidget):
    """Signals: attached(int customer id) once the number is saved on that customer."""

    attached = Signal(int)

    def __init__(
        self,
        context: AppContext,
        runner: Runner,
        number: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("attachNumber")
        self._context = context
        self._runner = runner
        self._number = number
        self._generation = 0
        self.search_box = QLineEdit()
        self.search_box.setObjectName("attachSearch")
        self.search_box.setPlaceholderText(self.tr("Name, number, e-mail, company or id"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName(self.tr("Find the customer to add the number to"))
        self.results = QListWidget()
        self.results.setObjectName("attachResults")
        self.results.setAccessibleName(self.tr("Customers found"))
        self.results.setMinimumHeight(90)
        self.results.installEventFilter(self)
        self.results.itemActivated.connect(lambda _item: self.attach_current())
        self.attach_button = QPushButton(icon("link"), self.tr("A&dd the number to this customer"))
        self.attach_button.setObjectName("attachButton")
        self.attach_button.setEnabled(False)
        self.attach_button.clicked.connect(self.attach_current)
        self.status = QLabel()
        self.status.setObjectName("attachStatus")
        self.status.setWordWrap(True)
        title = QLabel(self.tr("Or add the number to an existing customer:"))
        title.setBuddy(self.search_box)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.attach_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.search_box)
        layout.addWidget(self.results, 1)
        layout.addLayout(row)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._search)
        self.search_box.textChanged.connect(self._debounce.start)
        self.search_box.returnPressed.connect(self._focus_results)
        self.results.currentItemChanged.connect(
            lambda current, _previous: self.attach_button.setEnabled(current is not None)
        )

    def reset(self) -> None:
        self._generation += 1
        self._debounce.stop()
        self.search_box.clear()
        self.results.clear()
        self.status.clear()

    def attach_current(self) -> None:
        item = self.results.currentItem()
        if item is None:
            return
        customer: CustomerSummary = item.data(SUMMARY_ROLE)
        context, actor, raw = self._context, self._context.actor, self._number()
        self.attach_button.setEnabled(False)
        self.status.setText(self.tr("Adding the number to {0}...").format(customer.name))
        self._runner.run(
            lambda: context.customers.attach_number(actor, customer.id, raw),
            lambda _phone: self.attached.emit(customer.id),
            self._attach_failed,
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.results
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.attach_current()
            return True
        return super().eventFilter(watched, event)

    def _focus_results(self) -> None:
        if self.results.count():
            self.results.setFocus()
            self.results.setCurrentRow(0)

    def _search(self) -> None:
        text = self.search_box.text().strip()
        self._generation += 1
        generation = self._generation
        if not text:
            self.results.clear()
            self.status.clear()
            return
        context, actor = self._context, self._context.actor
        self.status.setText(self.tr("Searching..."))
        self._runner.run(
            lambda: context.customers.search(actor, text, 20),
            lambda rows: self._show_results(generation, rows),
            lambda exc: self._search_failed(generation, exc),
        )

    def _show_results(self, generation: int, rows: list[CustomerSummary]) -> None:
        if generation != self._generation:
            return
        self.results.clear()
        for row in rows:
            details = "  \u00b7  ".join(p for p in (row.company, row.phone, row.email) if p)
            item = QListWidgetItem(f"{row.name}\n{details}" if details else row.name)
            item.setData(SUMMARY_ROLE, row)
            self.results.addItem(item)
        self.status.setText(
            self.tr("Customers found: %n", "", len(rows)) if rows else self.tr("No customer found")
        )

    def _search_failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self.status.setText(self.tr("\u26a0 Could not search: {0}").format(exc))

    def _attach_failed(self, exc: Exception) -> None:
        self.attach_button.setEnabled(self.results.currentItem() is not None)
        message = describe(exc) if isinstance(exc, ValidationError) else str(exc)
        self.status.setText(self.tr("\u26a0 Not added: {0}").format(message))
