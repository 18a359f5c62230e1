"""Call history lists: a paged table with its order switch and status, and "My calls today"."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from callcenter.domain.history import CallHistoryEntry, PageCursor
from callcenter.services.call_history import start_of_day
from ui.context import AppContext
from ui.models.call_history import CallHistoryModel, Column, Runner, TimeStyle

MAX_COLUMN_WIDTH = 240
CUSTOMER_COLUMNS = (
    Column.WHEN,
    Column.DIRECTION,
    Column.NUMBER,
    Column.AGENT,
    Column.DURATION,
    Column.DISPOSITION,
    Column.NOTES,
)
AGENT_COLUMNS = (
    Column.WHEN,
    Column.DIRECTION,
    Column.NUMBER,
    Column.CUSTOMER,
    Column.DURATION,
    Column.DISPOSITION,
    Column.NOTES,
)


class CallHistoryView(QWidget):
    """A history table that loads pages as it scrolls, sorted by time (header or button).

    Signals: dial_requested(str E.164 key) when a number cell is activated (double-click,
    Enter).
    """

    dial_requested = Signal(str)

    def __init__(self, model: CallHistoryModel, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.model = model
        self.table = QTableView()
        self.table.setObjectName(f"{name}Table")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(model.column_of(Column.WHEN), Qt.SortOrder.DescendingOrder)
        header.sectionClicked.connect(self._header_clicked)
        self.table.activated.connect(self._activated)

        self.order_button = QToolButton()
        self.order_button.setObjectName(f"{name}Order")
        self.order_button.setToolTip(self.tr("Show the oldest or the newest calls first"))
        self.order_button.clicked.connect(self.toggle_order)
        self.status = QLabel()
        self.status.setObjectName(f"{name}Status")
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.status, 1)
        top.addWidget(self.order_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

        model.loading_changed.connect(self._update_status)
        model.page_loaded.connect(self._page_loaded)
        model.modelReset.connect(self._update_status)
        model.load_failed.connect(self._failed)
        self._placeholder = ""
        self._update_status()

    def set_placeholder(self, text: str) -> None:
        """What the status says when there is no list to show (no customer, not signed in)."""
        self._placeholder = text
        self._update_status()

    def toggle_order(self) -> None:
        order = (
            Qt.SortOrder.AscendingOrder if self.model.newest_first else Qt.SortOrder.DescendingOrder
        )
        when = self.model.column_of(Column.WHEN)
        self.table.horizontalHeader().setSortIndicator(when, order)
        self.model.sort(when, order)

    def _header_clicked(self, section: int) -> None:
        when = self.model.column_of(Column.WHEN)
        if section == when:
            self.toggle_order()
        else:  # only time is sortable: the indicator stays where the order is
            order = (
                Qt.SortOrder.DescendingOrder
                if self.model.newest_first
                else Qt.SortOrder.AscendingOrder
            )
            self.table.horizontalHeader().setSortIndicator(when, order)

    def _activated(self, index: QModelIndex) -> None:
        if index.column() == self.model.column_of(Column.NUMBER):
            number = self.model.entry_at(index.row()).number
            if number:
                self.dial_requested.emit(number)

    def _page_loaded(self, count: int) -> None:
        if count and self.model.rowCount() == count:  # the first page: fit the columns once
            for section in range(self.model.columnCount() - 1):
                self.table.resizeColumnToContents(section)
            header = self.table.horizontalHeader()
            for section in range(header.count() - 1):  # the last (notes) stretches
                header.resizeSection(section, min(header.sectionSize(section), MAX_COLUMN_WIDTH))
        self._update_status()

    def _failed(self, message: str) -> None:
        self.status.setText(self.tr("\u26a0 Could not load the calls: {0}").format(message))

    def _update_status(self) -> None:
        self.order_button.setText(
            self.tr("Newest first") if self.model.newest_first else self.tr("Oldest first")
        )
        rows = self.model.rowCount()
        if self.model.loading:
            text = self.tr("Loading calls...")
        elif rows == 0:
            text = self._placeholder if self.model.exhausted and self._placeholder else ""
            text = text or self.tr("No calls yet")
        elif self.model.exhausted:
            text = self.tr("Calls: %n", "", rows)
        else:
            text = self.tr("Calls shown: %n (scroll for more)", "", rows)
        self.status.setText(text)


class MyCallsToday(QWidget):
    """The signed-in agent's calls since local midnight, newest first; `refresh()` after a
    call is saved or the agent changes. Shows nothing when `context.actor.user_id` is None.

    Signals: dial_requested(str E.164 key) when a number cell is activated.
    """

    dial_requested = Signal(str)

    def __init__(
        self, context: AppContext, background: Runner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("myCallsToday")
        self.setWindowTitle(self.tr("My calls today"))
        self._context = context
        self.model = CallHistoryModel(
            background, AGENT_COLUMNS, context.settings.default_region, TimeStyle.TIME_ONLY
        )
        self.view = CallHistoryView(self.model, "myCalls", self)
        self.view.set_placeholder(self.tr("Sign in to see your calls."))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.view.dial_requested.connect(self.dial_requested)
        self.refresh()

    def refresh(self) -> None:
        context, actor = self._context, self._context.actor
        agent_id = actor.user_id
        if agent_id is None:
            self.view.set_placeholder(self.tr("Sign in to see your calls."))
            self.model.set_source(None)
            return
        self.view.set_placeholder(self.tr("No calls today yet"))
        since = start_of_day(context.settings.report_timezone)

        def fetch(limit: int, after: PageCursor | None, newest: bool) -> list[CallHistoryEntry]:
            return context.call_history.for_agent(actor, agent_id, since, limit, after, newest)

        self.model.set_source(fetch)


def customer_history(
    context: AppContext, background: Runner, parent: QWidget | None = None
) -> CallHistoryView:
    """An empty per-customer history list; `show_customer_calls` fills it."""
    model = CallHistoryModel(background, CUSTOMER_COLUMNS, context.settings.default_region)
    view = CallHistoryView(model, "customerHistory", parent)
    view.set_placeholder(view.tr("No customer selected"))
    return view


def show_customer_calls(
    view: CallHistoryView, context: AppContext, customer_id: int | None
) -> None:
    if customer_id is None:
        view.model.set_source(None)
        return
    actor = context.actor
    view.set_placeholder(view.tr("No calls yet"))

    def fetch(limit: int, after: PageCursor | None, newest: bool) -> list[CallHistoryEntry]:
        return context.call_history.for_customer(actor, customer_id, limit, after, newest)

    view.model.set_source(fetch)
