"""The customer card's complaints: the caller's open complaints with their SLA clocks.

They load in the background after the card shows its customer, so the screen pop never waits
for them. Enter opens the selected one; Ctrl+Shift+L links the call on the desk to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from callcenter.clock import Clock, utc_now
from callcenter.domain.complaint_lists import ComplaintFilter, ComplaintSummary
from callcenter.services.complaints import ComplaintService
from ui.complaints.list_model import Column, ComplaintListModel
from ui.context import AppContext
from ui.icons import icon
from ui.models.call_history import Runner
from ui.theme import set_role

if TYPE_CHECKING:
    from ui.widgets.customer_card import CustomerCard

TICK_MS = 15_000
CARD_COLUMNS = (Column.REFERENCE, Column.STATUS, Column.SUBJECT, Column.SLA)


class CustomerComplaints(QWidget):
    """Signals: open_requested(int complaint id); new_requested(int customer id, str name)."""

    open_requested = Signal(int)
    new_requested = Signal(int, str)

    def __init__(
        self,
        context: AppContext,
        runner: Runner,
        card: CustomerCard,
        clock: Clock = utc_now,
    ) -> None:
        super().__init__(card)
        self.setObjectName("cardComplaints")
        self._context = context
        self._runner = runner
        self._details = card.details
        self.customer_id: int | None = None
        self._customer_name = ""
        self.service = ComplaintService.from_settings(context.database, context.settings, clock)
        service, actor = self.service, context.actor

        def fetch(
            criteria: ComplaintFilter, _offset: int, _limit: int
        ) -> tuple[list[ComplaintSummary], bool]:
            # A customer has few open complaints: one read, no paging.
            if criteria.customer_id is None:
                return [], False
            return service.open_for_customer(actor, criteria.customer_id), False

        self.model = ComplaintListModel(
            runner, fetch, service.sla, clock, CARD_COLUMNS, parent=self
        )
        self.heading = QLabel(self.tr("Open complaints"))
        self.heading.setObjectName("cardComplaintsHeading")
        set_role(self.heading, "heading")
        self.new_button = QPushButton(
            icon("message-square"), self.tr("New complaint (Ctrl+Shift+C)")
        )
        self.new_button.setObjectName("cardNewComplaint")
        self.new_button.clicked.connect(
            lambda: (
                self.customer_id is not None
                and self.new_requested.emit(self.customer_id, self._customer_name)
            )
        )
        self.table = QTableView()
        self.table.setObjectName("cardComplaintTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(self.table.verticalHeader().defaultSectionSize() * 4 + 4)
        self.table.activated.connect(
            lambda index: self.open_requested.emit(self.model.row_at(index.row()).id)
        )
        self.empty = QLabel()
        self.empty.setObjectName("cardComplaintsEmpty")
        header = QHBoxLayout()
        header.addWidget(self.heading, 1)
        header.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        self.model.page_loaded.connect(lambda _n: self._loaded())
        self.model.load_failed.connect(
            lambda text: self.empty.setText(self.tr("Could not load complaints: {0}").format(text))
        )
        pages = card.pages
        pages.currentChanged.connect(lambda _i: self._page_changed(pages))
        self._card = card
        # After the card has painted: the pop is what the agent waits for, not this list.
        card.customer_shown.connect(
            lambda customer_id: QTimer.singleShot(0, self, lambda: self._card_shows(customer_id))
        )
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self.model.tick)
        self.hide()

    def _card_shows(self, customer_id: int) -> None:
        customer = self._card.customer
        if customer is not None and customer.id == customer_id:
            self.show_customer(customer_id, customer.name)

    def show_customer(self, customer_id: int, name: str) -> None:
        """The card shows this customer: list their open complaints (in the background)."""
        self.customer_id = customer_id
        self._customer_name = name
        self.empty.setText(self.tr("Loading complaints..."))
        self.empty.show()
        self.model.show(ComplaintFilter(customer_id=customer_id))
        self._ticker.start()
        self.show()

    def refresh(self) -> None:
        if self.customer_id is not None and self.isVisible():
            self.model.reload()

    def selected(self) -> ComplaintSummary | None:
        """The complaint chosen in the list, else the first (most urgent) one."""
        if not self.model.rowCount():
            return None
        row = self.table.currentIndex().row()
        return self.model.row_at(row if row >= 0 else 0)

    def _loaded(self) -> None:
        count = self.model.rowCount()
        self.heading.setText(self.tr("Open complaints (%n)", "", count))
        self.table.setVisible(count > 0)
        self.empty.setVisible(count == 0)
        self.empty.setText(self.tr("No open complaint."))
        if count and self.table.currentIndex().row() < 0:
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _page_changed(self, pages: QStackedWidget) -> None:
        if pages.currentWidget() is not self._details:
            self.customer_id = None
            self._ticker.stop()
            self.model.set_source(None)
            self.hide()
